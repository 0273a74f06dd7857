<#-- lab report / lab compare. Self-contained: inline CSS, scripts and SVG, nothing fetched. Charts are drawn by the
     vendored uPlot (reports/vendor) from the data in each chart's data-chart attribute (reports/charts.js); flame
     graphs are SVG with a script of their own (zoom and search). -->
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<#include "style.ftl">
</head>
<body>
<h1>${title}</h1>
<div class="muted">generated ${generated} by lab</div>

<#list unfinished as u>
<p class="bad">Run ${u.run} did not finish: its manifest still says <i>running</i> (the orchestrator was killed, or is
  still at work). What follows covers only the ${u.iterations} iteration<#if u.iterations != "1">s</#if> it finished;
  run <code>lab cleanup</code> if its hosts were not cleaned.</p>
</#list>

<#if lost?has_content>
<div class="lost" id="lost-events">
<h2>Events were lost: figures from these iterations are not results</h2>
<p>The ring buffer overran, or the trace marks pages that followed lost events. A reclaim whose begin or end was
  lost is not timed (counted as broken instead), and a second that lost events shows less reclaim than happened.
  Verdicts refuse a side with a repeat that lost more than ${maxLost} of its events.</p>
<table>
  <tr><th>run</th><th>iteration</th><th>lost</th><th>judged</th></tr>
  <#list lost as l>
  <tr><td>${l.run}</td><td>${l.iteration}</td><td class="bad">${l.lost}</td><td>${l.judged}</td></tr>
  </#list>
</table>
</div>
</#if>

<#if wentDown?has_content>
<div class="lost" id="went-down">
<h2>Kernels went down during iterations</h2>
<p>The host stopped during these iterations: a panic on its console or a reboot (<i>crashed</i>), or no answer and
  no panic (<i>hung</i>). That is their result; they have no figures, so the tables below leave them out. lab brought
  the host back on its own kernel and went on with the iterations after them.</p>
<table>
  <tr><th>run</th><th>iteration</th><th>kernel</th><th>what happened</th><th>why</th><th>console</th></tr>
  <#list wentDown as d>
  <tr><td>${d.run}</td><td>${d.iteration}</td><td>${d.kernel}</td><td class="bad">${d.status}</td><td>${d.reason}</td>
      <td><#if d.console?has_content><a href="${d.console}">console.log</a></#if></td></tr>
  </#list>
</table>
</div>
</#if>

<#list sections as s>
<div class="headline" id="headline-${s?index}">
<h2>What it comes to<#if s.title?has_content>: ${s.title}</#if></h2>
<p class="${s.headline.failed?then('bad','')}"><b>${s.headline.verdict}</b></p>
<#if s.headline.changes?has_content>
<p>Significant changes against <b title="${s.sides[0].description}">${s.sides[0].label}</b>, largest first:</p>
<ol class="findings">
  <#list s.headline.changes as c><li>${c}</li></#list>
</ol>
<#if s.headline.more?has_content>
<details><summary>and ${s.headline.more?size} more</summary><ol class="findings" start="${s.headline.changes?size + 1}">
  <#list s.headline.more as c><li>${c}</li></#list></ol></details>
</#if>
<#else>
<p>No significant change between the sides.</p>
</#if>
<#if s.headline.unchanged?has_content>
<p>Named by the plan's verdict, and unchanged:</p>
<ul class="findings"><#list s.headline.unchanged as c><li>${c}</li></#list></ul>
</#if>
<#if s.headline.resolution?has_content><p class="muted">${s.headline.resolution}</p></#if>
</div>
</#list>

<h2>What was compared</h2>
<table>
  <tr><th>run</th><th>started</th><th>host</th><th>kernel</th><th>cgroup</th><th>nokmem</th><th>CPUs</th><th>memory</th></tr>
  <#list hosts as h>
  <tr><td>${h.run}</td><td>${h.date}</td><td>${h.host}</td><td>${h.kernel}</td><td>${h.cgroup}</td><td>${h.nokmem}</td><td class="n">${h.cpus}</td><td class="n">${h.memory}</td></tr>
  </#list>
</table>
<#if cmdlineDiff?has_content>
<p>Kernel command lines differ:</p>
<ul><#list cmdlineDiff as d><li>${d.host}: <code>${d.words}</code></li></#list></ul>
</#if>

<#if modules?has_content>
<h2>Kernel modules</h2>
<p class="muted">Patch points as lab read them from the running kernel (<code>/proc/kcore</code>): before loading,
  while patched, and after unloading; stress workers' counters as the module reported them.</p>
<table>
  <tr><th>iteration</th><th>patch</th><th>before</th><th>patched</th><th>restored</th><th>stress</th><th>kernel log</th></tr>
  <#list modules as m>
  <tr><td>${m.where}</td><td><code>${m.patch}</code></td><td><code>${m.before}</code></td><td><code>${m.after}</code></td>
      <td class="${(m.restored == 'NO')?then('bad', 'yes')}">${m.restored}</td><td>${m.stress}</td>
      <td><#if m.dmesg?has_content><a href="${m.dmesg}">dmesg</a></#if></td></tr>
  </#list>
</table>
</#if>

<#list sections as s>
<h2>${s.title?has_content?then(s.title, "Results")}</h2>
<p>Sides (the first is the baseline):
  <#list s.sides as side><b title="${side.description}">${side.label}</b> (${side.repeats} repeat<#if side.repeats != "1">s</#if><#if side.unmeasured?has_content>, <span class="bad">${side.unmeasured} without figures</span></#if>, ${side.kernel})<#sep>; </#list></p>
<#if s.oneRepeat><p class="bad">A side has a single repeat: significance cannot be judged. Run with <code>--repeat 3</code> or more.</p></#if>

<h3>Verdict</h3>
<#if s.verdicts?has_content>
<table>
  <tr><th>check</th><th>condition</th><th>side</th><th>answer</th><th>figures</th></tr>
  <#list s.verdicts as v>
  <tr><td>${v.kind}</td><td><code>${v.criterion}</code></td><td>${v.side}</td>
      <td class="${v.failed?then('no','yes')}">${v.answer}</td><td>${v.figures}</td></tr>
  </#list>
</table>
<#else>
<p class="muted">The plan declares no verdict (a <code>verdict:</code> section with storm conditions and regression limits); the tables below are not judged.</p>
</#if>

<#if s.charts?has_content>
<h3>Charts</h3>
<p class="muted">Hover for values; click a legend entry to hide or show it; drag across a chart to zoom, double-click
  to zoom out. Time series start where the workloads started.</p>
<div class="charts">
<#list s.charts as chart><div class="uchart" data-chart="${chart}"></div></#list>
</div>
</#if>
<#if s.flameGraphs?has_content>
<h3>Where the CPUs went: kernel stack profiles</h3>
<p class="muted">Sampled call stacks of every CPU during the workloads, all repeats of a side together: each frame is as
  wide as its share of the samples, its callees above it, the task's name at the bottom. Hover for figures, click to
  zoom (click the bottom frame to zoom out). A differential graph draws a side's frames coloured by how their share
  changed against the baseline. The functions' shares, with their change and significance over repeats, are the
  <code>profile</code> rows of the tables below.</p>
<p class="flame-search">search functions (a regular expression): <input type="search" placeholder="e.g. shrink_slab|mem_cgroup_iter"></p>
<#list s.flameGraphs as graph>${graph?no_esc}</#list>
</#if>

<h3>Metrics</h3>
<p class="muted">Mean over repeats ± sample standard deviation; change against the baseline; a change counts as
  <span class="sig">significant</span> when the Mann–Whitney U test gives p &lt; 0.05 and it is at least ${noise}% (the noise threshold).</p>
<#list s.families as f>
<details ${(f?index < 6)?then('open','')}>
<summary><b>${f.name}</b> (${f.rows?size} figures)</summary>
<table>
  <tr><th>metric</th><#list s.sides as side><th>${side.label}</th><#if side?index gt 0><th>change</th></#if></#list></tr>
  <#list f.rows as r>
  <tr class="${r.significant?then('sig','')}"><td><code>${r.path}</code></td>
    <#list r.sides as c>
      <td class="n">${c.mean} <span class="muted">${c.stddev}</span></td>
      <#if c?index gt 0><td class="n">${c.change} <#if c.significant><span class="sig">significant</span><#else><span class="muted">${c.mark}</span></#if></td></#if>
    </#list>
  </tr>
  </#list>
</table>
</details>
</#list>
</#list>

<h2>Appendix</h2>
<#list runs as run>
<h3>Run ${run.runId}</h3>
<details><summary>Plan</summary><pre>${run.plan}</pre></details>
<details><summary>Commands run (${run.commands?size}, from steps.jsonl)</summary>
<table>
  <tr><th>where</th><th>step</th><th>exit</th><th>command</th></tr>
  <#list run.commands as c><tr><td>${c.where}</td><td>${c.step}</td><td class="n">${c.exit}</td><td><pre>${c.command}</pre></td></tr></#list>
</table>
</details>
<p>Raw traces: <#list run.traces as t><a href="${t.href}">${t.label}</a><#sep> · </#list></p>
<#if run.consoles?has_content><p>Console logs (VM hosts): <#list run.consoles as c><a href="${c.href}">${c.label}</a><#sep> · </#list></p></#if>
</#list>
<#if sections?filter(section -> section.flameGraphs?has_content)?has_content><#include "flamegraph.ftl"></#if>
<#if sections?filter(section -> section.charts?has_content)?has_content><#include "charts.ftl"></#if>
</body>
</html>
