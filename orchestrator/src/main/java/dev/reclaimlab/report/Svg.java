package dev.reclaimlab.report;

/**
 * What every server-rendered SVG (flame graphs, the history page's trends) needs: text that cannot turn into
 * markup. Charts of series are drawn in the page from data instead (see {@link ChartSpec}).
 */
public final class Svg {
    private Svg() {}

    /** Text and attribute values in SVG and HTML: the five characters markup gives meaning. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
