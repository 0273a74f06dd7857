<#-- The charts' code, inlined so the page needs nothing from the network: uPlot (MIT, reports/vendor/README.md) and
     lab's charts.js, which draws each div.uchart from its data. -->
<style>
<#include "vendor/uPlot.min.css" parse=false>
  .uchart { border: 1px solid #e3e6ea; background: #fff; padding: 4px; min-width: 0; }
  .uchart .u-title { font-size: 12px; font-weight: 600; }
  .uchart .u-legend { font-size: 12px; text-align: left; } .uchart .u-legend .u-series { cursor: pointer; }
  .uchart .u-legend th { font-weight: normal; white-space: normal; word-break: break-word; }
</style>
<script>
<#include "vendor/uPlot.iife.min.js" parse=false>
</script>
<script>
<#include "charts.js" parse=false>
</script>
