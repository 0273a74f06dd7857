<#-- lab bisect's report. Self-contained: inline CSS, nothing fetched. Every value is escaped (HTML output format). -->
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<#include "style.ftl">
</head>
<body>
<h1>${title}</h1>
<div class="muted">generated ${generated} by lab · candidates ${candidateCount} · ${kernelsBooted} kernels booted,
  ${boots} boots · repeats ${repeats} per batch, at most ${maxRepeats} per kernel</div>

<h2>Answer</h2>
<p class="${outcomeClass}"><b>${outcome}</b>: ${answer}</p>
<#if confidence?has_content>
<ul><#list confidence as c><li>${c}</li></#list></ul>
</#if>
<#if unsplit?has_content>
<p class="bad">Could not split: the first bad kernel is one of ${unsplit?join(", ")}, or ${firstBad}.</p>
</#if>

<#if changelog?has_content>
<h2>What changed</h2>
<p>The first bad build's Debian changelog since the last good one: ${changelogHeads?join(", ")}.</p>
<details><summary>The entries (${changelogHeads?size})</summary>
<pre>${changelog}</pre>
</details>
</#if>

<h2>Endpoints</h2>
<p>Both endpoints were measured before any candidate was judged; a criterion is used only where they separate (the
  plan's regression against the good endpoint, p &lt; ${alpha}) and their spread stays within ${maxSpread}%.</p>
<ul><#list gate as g><li>${g}</li></#list></ul>
<#if used?has_content><p>Candidates are judged by: ${used?join("; ")}</p></#if>
<p class="muted">With ${repeats} against ${repeats} repeats the rank test cannot give a p below ${floor}: a candidate
  whose every repeat lies beyond the other side's sits at that floor however far off it is, and only more repeats
  (<code>--repeats</code>) would show more.</p>

<h2>Candidates</h2>
<table>
  <tr><th>#</th><th>kernel</th><th>version</th><th>repeats</th><#list criteria as c><th>${c} median ± sd</th>
    <th>vs good</th><th>p vs good</th><th>p vs bad</th></#list><th>verdict</th><th>reason</th></tr>
  <#list candidates as k>
  <tr<#if k.culprit> class="sig"</#if>><td class="n">${k.index}</td><td>${k.kernel}</td><td>${k.version}</td>
    <td class="n">${k.repeats}</td>
    <#list k.figures as f><td class="n">${f.median}</td><td class="n">${f.change}</td><td class="n">${f.pGood}</td>
    <td class="n">${f.pBad}</td></#list>
    <td class="${k.verdictClass}">${k.verdict}</td><td class="muted">${k.reason}</td></tr>
  </#list>
</table>

<#if skipped?has_content>
<h2>Skipped</h2>
<table>
  <tr><th>kernel</th><th>why</th></tr>
  <#list skipped as s><tr><td>${s.kernel}</td><td>${s.reason}</td></tr></#list>
</table>
</#if>

<h2>Path</h2>
<table>
  <tr><th>batch</th><th>kernel</th><th>why</th><th>repeats</th><th>verdict after</th><th>run</th></tr>
  <#list path as p>
  <tr><td class="n">${p?counter}</td><td>${p.kernel}</td><td>${p.purpose}</td><td class="n">${p.repeats}</td>
    <td>${p.verdict}</td><td><#if p.runDir?has_content><a href="${p.runDir}/report.html">${p.runDir}</a></#if></td></tr>
  </#list>
</table>
</body>
</html>
