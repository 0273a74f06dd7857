/* lab's charts: each <div class="uchart" data-chart="{...}"> becomes a uPlot chart (reports/vendor). The data come
   from ChartSpec (report package). What a reader can do: hover for the values at the cursor (in the legend), click a
   legend entry to hide or show its series, drag across to zoom, double-click to zoom out. */
(function () {
  'use strict';
  // Okabe-Ito: colours that stay apart for the common colour-vision deficiencies
  var palette = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

  function number(v) {
    if (v == null || isNaN(v)) {
      return '\u2013';
    }
    if (Math.abs(v) >= 1000 || Number.isInteger(v)) {
      return Math.round(v).toLocaleString('en');
    }
    return String(Number(v.toPrecision(4)));
  }

  function lines(spec) {
    var data = uPlot.join(spec.series.map(function (s) { return [s.x, s.y]; }));
    var series = [{ label: spec.x_label, value: function (u, v) { return number(v); } }];
    spec.series.forEach(function (s, i) {
      // points are drawn where uPlot finds room for them: a series of one or two samples is then still seen
      series.push({ label: s.name, stroke: palette[i % palette.length], width: 1.5, spanGaps: true,
        value: function (u, v) { return number(v); } });
    });
    var x = { time: false };
    if (spec.log_x) {
      x.distr = 3;
      x.log = 10;
    }
    return { data: data, series: series, scales: { x: x },
      axes: [{ label: spec.x_label }, { label: spec.y_label, size: 60 }] };
  }

  /* Bars, grouped: series i of n sits at category + offset, as its own x values. uPlot sizes a series' bars by the
     gap between its own points, one category apart, so each gets 0.8/n of it. The x axis names the categories. */
  function bars(spec) {
    var n = spec.series.length;
    var width = 0.8 / n;
    var tables = spec.series.map(function (s, i) {
      return [s.x.map(function (x) { return x + (i - (n - 1) / 2) * width; }), s.y];
    });
    var data = uPlot.join(tables);
    var category = function (v) {
      var i = Math.round(v);
      return Math.abs(v - i) < 0.45 && spec.categories[i] != null ? spec.categories[i] : '';
    };
    var series = [{ label: 'side', value: function (u, v) { return v == null ? '' : category(v); } }];
    spec.series.forEach(function (s, i) {
      var color = palette[i % palette.length];
      series.push({ label: s.name, stroke: color, fill: color + 'cc', width: 1,
        paths: uPlot.paths.bars({ size: [width * 0.9, Infinity], align: 0 }), points: { show: false },
        value: function (u, v) { return number(v); } });
    });
    var last = spec.categories.length - 1;
    return { data: data, series: series,
      scales: { x: { time: false, range: function () { return [-0.6, last + 0.6]; } },
        y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
      axes: [{ splits: function () { return spec.categories.map(function (c, i) { return i; }); },
        values: function (u, splits) { return splits.map(category); }, size: 40 },
        { label: spec.y_label, size: 60 }] };
  }

  function draw(el) {
    var spec = JSON.parse(el.getAttribute('data-chart'));
    var made = spec.kind === 'bars' ? bars(spec) : lines(spec);
    var width = Math.max(320, Math.floor(el.getBoundingClientRect().width) - 4);
    var opts = { title: spec.title, width: width, height: 280, series: made.series, scales: made.scales,
      axes: made.axes, legend: { live: true }, cursor: { drag: { x: true, y: false } } };
    var chart = new uPlot(opts, made.data, el);
    // the legend entries say in full what each series is (a side's runs, host, kernel, command line)
    var entries = chart.root.querySelectorAll('.u-legend .u-series');
    spec.series.forEach(function (s, i) {
      if (entries[i + 1] && s.description) {
        entries[i + 1].title = s.description + ' \u2014 click to hide or show';
      }
    });
    el.uplot = chart;
  }

  document.querySelectorAll('div.uchart').forEach(draw);
}());
