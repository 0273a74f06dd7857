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
<#-- durations arrive in microseconds; shown as µs (one decimal), ms or s (two decimals) -->
<#function dur us>
  <#if us < 1000><#return ((us * 10)?round / 10)?c + " µs"></#if>
  <#if us < 1000000><#return ((us / 10)?round / 100)?c + " ms"></#if>
  <#return ((us / 10000)?round / 100)?c + " s">
</#function>
<#function pct share><#return ((share * 1000)?round / 10)?c + "%"></#function>
<#assign maxShrink = 1>
<#list rows as r><#if r.metrics??>
  <#assign total = r.metrics.lru_shrink_inactive.anon_events + r.metrics.lru_shrink_inactive.file_events>
  <#if total gt maxShrink><#assign maxShrink = total></#if>
</#if></#list>
<table>
  <tr><th>host</th><th>variant</th><th>repeat</th><th>status</th>
      <th>memcg reclaims</th><th>p50</th><th>p99</th><th>&lt; 32 pages</th>
      <th>shrink_slab calls</th><th>share of memcg reclaim</th>
      <th>shrink_inactive ANON</th><th>FILE</th><th></th><th>lost events</th><th>events</th><th>skipped lines</th></tr>
<#list rows as r>
  <#assign it = r.iteration>
  <tr>
    <td>${it.host}</td><td>${it.variant_label}</td><td class="n">${it.repeat}</td>
    <td class="${(it.status == 'ok')?then('ok','bad')}">${it.status}</td>
    <#if r.metrics??>
      <#assign x = r.metrics>
      <#assign mr = x.memcg_reclaim>
      <#assign lru = x.lru_shrink_inactive>
      <td class="n" title="${mr.unpaired} unpaired begin/end events">${mr.count}</td>
      <#if mr.latency_us??>
        <td class="n">${dur(mr.latency_us.p50)}</td><td class="n">${dur(mr.latency_us.p99)}</td>
      <#else>
        <td class="n muted">–</td><td class="n muted">–</td>
      </#if>
      <td class="n" title="reclaims that freed fewer than 32 pages">${mr.nr_reclaimed.lt32}</td>
      <td class="n">${x.shrink_slab.count}</td>
      <td class="n"><#if x.shrink_slab.share_of_memcg_reclaim??>${pct(x.shrink_slab.share_of_memcg_reclaim)}<#else><span class="muted">–</span></#if></td>
      <td class="n">${lru.anon_events}</td><td class="n">${lru.file_events}</td>
      <td class="bars"><span class="bar anon" style="width:${(200 * lru.anon_events / maxShrink)?round}px" title="ANON"></span><span class="bar file" style="width:${(200 * lru.file_events / maxShrink)?round}px" title="FILE"></span></td>
      <td class="n<#if (it.lost_events!x.lost_events) gt 0> bad</#if>" title="ring buffer overruns (trace.stats); [LOST] lines in the trace: ${x.lost_events}">${it.lost_events!x.lost_events}</td>
      <td class="n">${x.events}</td>
      <td class="n<#if x.skipped_lines gt 0> bad</#if>">${x.skipped_lines}</td>
    <#else>
      <td colspan="12" class="muted">no trace<#if it.error??>: ${it.error}</#if></td>
    </#if>
  </tr>
</#list>
</table>
<p class="muted">memcg reclaims: <code>mm_vmscan_memcg_reclaim_begin/end</code> pairs per task, with their latency (p50, p99) and
  how many freed fewer than 32 pages. shrink_slab: <code>mm_shrink_slab_start/end</code> pairs, and the share of memcg reclaim
  time spent inside them (seed 000 §4.2). <span class="bar anon" style="width:1em"></span> ANON &nbsp;
  <span class="bar file" style="width:1em"></span> FILE — <code>mm_vmscan_lru_shrink_inactive</code> events by the LRU they
  scanned; with swap and swappiness 0, a memcg reclaims no anonymous pages. Every figure is in each iteration's
  <code>metrics.json</code>; <code>lab analyze TRACE</code> prints them all.</p>
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
