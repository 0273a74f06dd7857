<#-- The look every lab report shares; included by each page template. -->
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 78em; color: #1d2228; padding: 0 1em; }
  h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccd; }
  h3 { font-size: 1.05em; margin-top: 1.4em; }
  table { border-collapse: collapse; margin: .6em 0; } th, td { padding: .25em .7em; border-bottom: 1px solid #e3e6ea; text-align: left; vertical-align: top; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  .muted { color: #667; } .yes { color: #17692c; font-weight: 600; } .no, .bad { color: #a4161a; font-weight: 600; }
  tr.sig td { background: #fff6e0; } span.sig { color: #a15c00; font-weight: 600; }
  .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(32em, 1fr)); gap: 1em; }
  svg.chart { width: 100%; height: auto; border: 1px solid #e3e6ea; background: #fff; }
  svg.chart text { font: 11px system-ui, sans-serif; fill: #333; } svg.chart text.title { font-weight: 600; font-size: 12px; }
  svg.chart .axis line { stroke: #555; } svg.chart line.grid { stroke: #eee; }
  pre { background: #f5f6f8; padding: .8em; overflow-x: auto; font-size: 12px; }
  details { margin: .5em 0; } code { font-size: 12px; }
  .lost { border: 2px solid #a4161a; background: #fdecea; padding: .4em 1em .6em; margin: 1em 0; }
  .lost h2 { color: #a4161a; border: 0; margin-top: .4em; }
  .headline { border-left: 4px solid #2b5d9b; background: #f3f7fc; padding: .2em 1em .6em; margin: 1em 0; }
  .headline h2 { border: 0; margin-top: .5em; } ol.findings li, ul.findings li { margin: .15em 0; }
</style>
