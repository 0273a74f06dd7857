<#-- The flame graphs' look and behaviour, included once by a page that draws any (no library, nothing fetched).
     Hover: the frame's SVG title. Click: zoom into the frame (its callers stay below, full width); click the
     bottom frame ("all") to zoom out. Search: frames whose function matches turn magenta in every graph, and each
     graph says what share of its samples the matches cover. -->
<style>
  svg.flame { width: 100%; height: auto; border: 1px solid #e3e6ea; background: #fbfbf8; margin: .4em 0; }
  svg.flame text { font: 11px ui-monospace, monospace; fill: #222; pointer-events: none; }
  svg.flame text.title { font: 600 12px system-ui, sans-serif; }
  svg.flame g.f { cursor: pointer; } svg.flame g.f:hover rect { stroke: #222; stroke-width: .6; }
  svg.flame g.f.match rect { fill: rgb(225, 40, 225); }
  .flame-search input { font: 13px ui-monospace, monospace; width: 22em; }
</style>
<script>
(function () {
  var WIDTH = ${flameWidth}, CHAR = 6.6;
  function frames(svg) { return Array.prototype.slice.call(svg.querySelectorAll('g.f')); }
  function label(name, pixels) {
    var fits = Math.floor((pixels - 6) / CHAR);
    return fits >= name.length ? name : fits < 3 ? '' : name.slice(0, fits - 2) + '..';
  }
  function zoom(svg, x0, w0, d0) {
    frames(svg).forEach(function (g) {
      var x = +g.getAttribute('data-x'), w = +g.getAttribute('data-w'), d = +g.getAttribute('data-d');
      var within = x >= x0 - 1e-9 && x + w <= x0 + w0 + 1e-9;
      var caller = d < d0 && x <= x0 + 1e-9 && x + w >= x0 + w0 - 1e-9;
      var shown = caller || (d >= d0 && within);
      g.style.display = shown ? '' : 'none';
      if (!shown) { return; }
      var nx = caller ? 0 : (x - x0) / w0 * WIDTH, nw = caller ? WIDTH : w / w0 * WIDTH;
      var rect = g.querySelector('rect'), text = g.querySelector('text');
      rect.setAttribute('x', nx.toFixed(2));
      rect.setAttribute('width', Math.max(nw, 0.5).toFixed(2));
      text.setAttribute('x', (nx + 3).toFixed(2));
      text.textContent = label(g.getAttribute('data-n'), nw);
    });
  }
  function search(pattern) {
    var re = null;
    if (pattern) {
      try { re = new RegExp(pattern, 'i'); } catch (e) { re = new RegExp(pattern.replace(/[.*+?^$\{}()|[\]\\]/g, '\\$&'), 'i'); }
    }
    Array.prototype.forEach.call(document.querySelectorAll('svg.flame'), function (svg) {
      var spans = [];
      frames(svg).forEach(function (g) {
        var hit = re !== null && re.test(g.getAttribute('data-n')) && +g.getAttribute('data-d') > 0;
        g.classList.toggle('match', hit);
        if (hit) { spans.push([+g.getAttribute('data-x'), +g.getAttribute('data-x') + +g.getAttribute('data-w')]); }
      });
      spans.sort(function (a, b) { return a[0] - b[0]; });
      var covered = 0, end = -1;
      spans.forEach(function (s) {
        if (s[0] > end) { covered += s[1] - s[0]; end = s[1]; }
        else if (s[1] > end) { covered += s[1] - end; end = s[1]; }
      });
      svg.querySelector('text.matched').textContent = re === null ? '' : 'matched: ' + (100 * covered).toFixed(1) + '%';
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('svg.flame'), function (svg) {
    svg.addEventListener('click', function (event) {
      var g = event.target.closest('g.f');
      if (!g) { return; }
      zoom(svg, +g.getAttribute('data-x'), +g.getAttribute('data-w'), +g.getAttribute('data-d'));
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll('.flame-search input'), function (input) {
    input.addEventListener('input', function () { search(input.value); });
  });
})();
</script>
