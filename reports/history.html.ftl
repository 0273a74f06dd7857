<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>lab history: ${plan} on ${host}</title>
<#include "style.ftl">
<style>
  svg.trend g.point { cursor: pointer; } svg.trend g.point:hover circle { stroke-width: 3.5; }
  svg.trend text.bad { fill: #a4161a; font-weight: 600; }
  .key span { margin-right: 1.4em; } .key i { display: inline-block; width: .8em; height: .8em; border-radius: 50%; border: 2px solid; margin-right: .3em; vertical-align: -1px; }
</style>
</head>
<body>
<h1>${plan} on ${host}</h1>
<p class="muted">${runs} run<#if runs != 1>s</#if> from the results database. Each point is a run: the median of its
repeats, with a whisker from the smallest to the largest; hover for run, kernel and figures, click to open its report.</p>
<p class="key"><span><i style="border-color:#2f5d9e;background:#2f5d9e"></i>in the baseline</span>
<span><i style="border-color:#2f5d9e"></i>not in the baseline</span>
<span><i style="border-color:#c0262d"></i>showed a tracked regression</span>
<span><i style="border-color:#8a8f98"></i>trace lost more than ${lostLimit} of its events: not a result</span></p>

<#if regressions?has_content>
<h2>Regressions</h2>
<table>
<tr><th>metric</th><th>variant</th><th>host</th><th>state</th><th>first seen</th><th>last good kernel</th><th>change</th><th>closed by</th></tr>
<#list regressions as r>
<tr><td><code>${r.metric}</code></td><td>${r.variant}</td><td>${r.host}</td><td class="<#if r.state == "closed">yes<#elseif r.state == "unconfirmed">muted<#else>bad</#if>">${r.state}</td><td>${r.first}</td><td>${r.lastGood}</td><td>${r.figures}</td><td>${r.closed}</td></tr>
</#list>
</table>
</#if>

<h2>Trends</h2>
<#if !charts?has_content><p>No run of this plan has these metrics yet.</p></#if>
<div class="charts">
<#list charts as c>
<figure>
${c.svg?no_esc}
<#if c.lossy gt 0><figcaption class="bad">${c.lossy} run<#if c.lossy gt 1>s</#if> here lost trace events past the limit: those points are not results.</figcaption></#if>
</figure>
</#list>
</div>
</body>
</html>
