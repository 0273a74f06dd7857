<#-- The report of one lab run. Self-contained: inline CSS, no scripts, nothing fetched when it is opened. -->
<#assign m = manifest>
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>lab run ${m.plan} — ${m.run_id}</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #1d2228; padding: 0 1em; }
  h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #ccd; }
  table { border-collapse: collapse; margin: .6em 0; } th, td { padding: .25em .7em; border-bottom: 1px solid #e3e6ea; text-align: left; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; }
  .ok { color: #17692c; } .bad { color: #a4161a; font-weight: 600; }
  .bar { display: inline-block; height: .8em; vertical-align: middle; }
  td.bars { white-space: nowrap; min-width: 410px; }
  .anon { background: #c2410c; } .file { background: #2563eb; }
  pre { background: #f5f6f8; padding: .8em; overflow-x: auto; font-size: 12px; }
  .muted { color: #667; }
</style>
</head>
<body>
<h1>${m.plan}</h1>
<div class="muted">run ${m.run_id} · started ${m.started_at}<#if m.finished_at??> · finished ${m.finished_at}</#if> ·
  status <span class="${(m.status == 'ok')?then('ok','bad')}">${m.status}</span></div>

<h2>Reclaim per variant</h2>
<#assign maxShrink = 1>
<#list rows as r><#if r.metrics??>
  <#assign total = r.metrics.anon_shrink_inactive + r.metrics.file_shrink_inactive>
  <#if total gt maxShrink><#assign maxShrink = total></#if>
</#if></#list>
<table>
  <tr><th>host</th><th>variant</th><th>repeat</th><th>status</th>
      <th>memcg reclaim begin</th><th>end</th><th>shrink_inactive ANON</th><th>FILE</th><th></th><th>lost events</th><th>events</th></tr>
<#list rows as r>
  <#assign it = r.iteration>
  <tr>
    <td>${it.host}</td><td>${it.variant_label}</td><td class="n">${it.repeat}</td>
    <td class="${(it.status == 'ok')?then('ok','bad')}">${it.status}</td>
    <#if r.metrics??>
      <#assign x = r.metrics>
      <td class="n">${x.memcg_reclaim_begin}</td><td class="n">${x.memcg_reclaim_end}</td>
      <td class="n">${x.anon_shrink_inactive}</td><td class="n">${x.file_shrink_inactive}</td>
      <td class="bars"><span class="bar anon" style="width:${(200 * x.anon_shrink_inactive / maxShrink)?round}px" title="ANON"></span><span class="bar file" style="width:${(200 * x.file_shrink_inactive / maxShrink)?round}px" title="FILE"></span></td>
      <td class="n">${it.lost_events!0}</td><td class="n">${x.events}</td>
    <#else>
      <td colspan="7" class="muted">no trace<#if it.error??>: ${it.error}</#if></td>
    </#if>
  </tr>
</#list>
</table>
<p class="muted"><span class="bar anon" style="width:1em"></span> ANON &nbsp; <span class="bar file" style="width:1em"></span> FILE —
  <code>mm_vmscan_lru_shrink_inactive</code> events by the LRU they scanned. With swap and swappiness 0, a memcg reclaims no anonymous pages.</p>
<#list rows as r><#if r.iteration.error??><p class="bad">${r.iteration.host} ${r.iteration.variant_label} r${r.iteration.repeat}: ${r.iteration.error}</p></#if></#list>

<h2>Hosts</h2>
<#list m.hosts as h>
  <#assign f = facts[h.name]!{}>
  <h3>${h.name} <span class="${(h.status == 'ok')?then('ok','bad')}">${h.status}</span></h3>
  <#if h.problems?has_content><ul><#list h.problems as p><li class="bad">${p}</li></#list></ul></#if>
  <#if f?has_content>
  <table>
    <tr><th>kernel</th><td>${f.kernel_release} (${f.machine})</td></tr>
    <tr><th>cmdline</th><td><code>${f.cmdline}</code></td></tr>
    <tr><th>cgroup</th><td>${f.cgroup_mode}, memory controller v${f.memory_cgroup_version}<#if f.memory_cgroup_root??> at ${f.memory_cgroup_root}</#if>, ${f.memcg_count} memcgs</td></tr>
    <tr><th>cgroup.memory=nokmem</th><td>${f.nokmem?then('yes','no')}</td></tr>
    <tr><th>CPUs, memory</th><td>${f.cpus} CPUs, ${(f.mem_total_bytes / 1048576)?round} MiB, swap ${(f.swap_total_bytes / 1048576)?round} MiB before the run</td></tr>
    <tr><th>tracefs</th><td>${f.tracefs!'not mounted'}</td></tr>
    <tr><th>teardown</th><td>${h.teardown}</td></tr>
  </table>
  </#if>
</#list>

<h2>Plan</h2>
<pre>${plan}</pre>
<p class="muted">Raw data: <a href="manifest.json">manifest.json</a> · <a href="steps.jsonl">steps.jsonl</a> (every command run, with its output)
<#list rows as r><#if r.iteration.artifacts?? && r.iteration.artifacts.trace??> · <a href="${r.iteration.artifacts.trace}">${r.iteration.variant_label} r${r.iteration.repeat} trace</a></#if></#list></p>
</body>
</html>
