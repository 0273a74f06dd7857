package dev.reclaimlab.report;

import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;

/** Renders the FreeMarker templates in {@code reports/} (packed into the jar under {@code /reports}). */
public final class HtmlReport {
    private static final Configuration FREEMARKER = configure();

    private HtmlReport() {}

    static String render(Map<String, Object> model) throws IOException {
        return render("compare.html.ftl", model);
    }

    public static String render(String template, Map<String, Object> model) throws IOException {
        StringWriter html = new StringWriter();
        try {
            FREEMARKER.getTemplate(template).process(model, html);
        } catch (TemplateException e) {
            throw new IOException("cannot render " + template + ": " + e.getMessageWithoutStackTop(), e);
        }
        return html.toString();
    }

    private static Configuration configure() {
        Configuration config = new Configuration(Configuration.VERSION_2_3_34);
        config.setClassForTemplateLoading(HtmlReport.class, "/reports");
        config.setDefaultEncoding("UTF-8");
        config.setOutputFormat(freemarker.core.HTMLOutputFormat.INSTANCE); // escapes every value by default
        config.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        config.setLogTemplateExceptions(false);
        config.setNumberFormat("computer");
        return config;
    }
}
