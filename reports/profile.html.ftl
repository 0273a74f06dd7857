<#-- lab profile --html: one kernel stack profile on its own page. Self-contained: inline CSS, SVG and the flame
     graph's script; nothing fetched. -->
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<#include "style.ftl">
</head>
<body>
<h1>${title}</h1>
<div class="muted">generated ${generated} by lab profile</div>
<p>${summary}</p>
<p class="flame-search">search functions (a regular expression): <input type="search" placeholder="e.g. shrink_slab|mem_cgroup_iter"></p>
${graph?no_esc}
<h3>Kernel functions by inclusive share (most system time first)</h3>
<table>
  <tr><th>function</th><th>of all samples</th><th>of system time</th><th>self</th></tr>
  <#list functions as f>
  <tr><td><code>${f.name}</code></td><td class="n">${f.all}</td><td class="n">${f.system}</td><td class="n">${f.self}</td></tr>
  </#list>
</table>
<#include "flamegraph.ftl">
</body>
</html>
