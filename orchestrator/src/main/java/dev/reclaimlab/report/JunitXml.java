package dev.reclaimlab.report;

import java.util.List;

/**
 * {@code junit.xml}: one test case per verdict criterion and side, so CI systems show storm and regression checks
 * like tests. A regression, an unjudgeable regression check, or a storm condition that does not hold fails.
 */
public final class JunitXml {

    private JunitXml() {}

    public static String render(String suiteName, List<Section> sections) {
        StringBuilder cases = new StringBuilder();
        int tests = 0;
        int failures = 0;
        for (Section section : sections) {
            for (VerdictResult v : section.verdicts()) {
                tests++;
                cases.append("    <testcase classname=\"").append(attr("lab." + v.kind()))
                        .append("\" name=\"").append(attr(v.criterion() + " [" + v.side() + "]"
                                + (sections.size() > 1 ? " " + section.title() : ""))).append("\" time=\"0\"");
                if (v.failed()) {
                    failures++;
                    String message = v.kind().equals("storm") ? "storm condition does not hold"
                            : v.judgeable() ? "regression" : "cannot be judged";
                    cases.append(">\n      <failure message=\"").append(attr(message + ": " + v.figures()))
                            .append("\" type=\"").append(attr(v.kind())).append("\">").append(text(v.figures()))
                            .append("</failure>\n    </testcase>\n");
                } else {
                    cases.append(">\n      <system-out>").append(text(v.figures())).append("</system-out>\n    </testcase>\n");
                }
            }
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"" + tests + "\" failures=\"" + failures
                + "\">\n  <testsuite name=\"" + attr(suiteName) + "\" tests=\"" + tests + "\" failures=\"" + failures
                + "\" errors=\"0\" skipped=\"0\" time=\"0\">\n" + cases + "  </testsuite>\n</testsuites>\n";
    }

    /** Element text in XML. */
    public static String text(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** An attribute value in XML, newlines kept as character references. */
    public static String attr(String s) {
        return text(s).replace("\"", "&quot;").replace("\n", "&#10;");
    }
}
