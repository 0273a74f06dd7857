package dev.reclaimlab.kmod;

import freemarker.core.PlainTextOutputFormat;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The kernel-module templates in {@code kmod-templates/} (packed into the jar under {@code /kmod-templates}): each
 * folder holds {@code template.properties}, the C source template and {@code Kbuild.ftl}. {@link #render} turns
 * one into a {@link ModuleSource} for a kernel release, after checking that the template supports that kernel.
 *
 * <p>The FreeMarker data model every template gets: {@code module} (the module name), {@code kernel} (a hash of
 * {@code release}, {@code major}, {@code minor}, {@code patch}) and the template's own keys, named by
 * {@code model=} in its properties (reclaim-stress: {@code gfp}). A template that mentions anything else fails to
 * render rather than printing nothing.
 */
public final class ModuleTemplates {
    /** Where the templates sit on the class path. */
    public static final String ROOT = "/kmod-templates";

    // The kinds of value a template's own model keys may hold; each is checked before it reaches C source.
    private static final Pattern GFP_TERM = Pattern.compile("_*GFP_[A-Z0-9_]+|0x[0-9a-fA-F]{1,8}");
    private static final Pattern SERIES = Pattern.compile("(\\d+)\\.(\\d+)");
    private static final Pattern TEMPLATE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,40}");

    /** Made on first use: most commands never render a module, and FreeMarker's start costs every lab start. */
    private Configuration freemarker;
    private final Map<String, TemplateInfo> infos = new ConcurrentHashMap<>();

    public ModuleTemplates() {}

    private synchronized Configuration freemarker() {
        if (freemarker == null) {
            freemarker = configure();
        }
        return freemarker;
    }

    /** What a template's {@code template.properties} says. */
    public record TemplateInfo(
            String name,
            String description,
            String module,
            String source,
            int[] min,
            int[] max,
            List<String> checked,
            Optional<String> arch,
            List<String> model) {
        public TemplateInfo {
            checked = List.copyOf(checked);
            model = List.copyOf(model);
        }


        /** {@code "4.18 to 7.2"}. */
        public String range() {
            return min[0] + "." + min[1] + " to " + max[0] + "." + max[1];
        }

        /** Whether {@code kernel}'s series lies in {@code kernels.min..kernels.max}. */
        public boolean supports(KernelRelease kernel) {
            return kernel.compareSeries(min[0], min[1]) >= 0 && kernel.compareSeries(max[0], max[1]) <= 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TemplateInfo t && t.name.equals(name);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }

        @Override
        public String toString() {
            return name + " (kernels " + range() + arch.map(a -> ", " + a + " only").orElse("") + ")";
        }
    }

    /**
     * Reads a template's properties.
     *
     * @throws ModuleTemplateException when there is no template of that name, or its properties are incomplete
     */
    public TemplateInfo info(String template) {
        if (template == null || !TEMPLATE_NAME.matcher(template).matches()) {
            throw new ModuleTemplateException("not a kernel module template name: " + template
                    + " (expected a folder name under kmod-templates/, e.g. reclaim-stress or insn-patch)");
        }
        return infos.computeIfAbsent(template, ModuleTemplates::readInfo);
    }

    /**
     * Refuses a kernel outside the template's {@code kernels.min..kernels.max}, or one whose release names another
     * architecture than the template's {@code arch} (when the release names none, only {@link #checkArch} can tell).
     *
     * @throws UnsupportedTargetException saying what the template supports and what the host runs
     */
    public void checkKernel(String template, KernelRelease kernel) {
        TemplateInfo info = info(template);
        if (!info.supports(kernel)) {
            throw new UnsupportedTargetException(info.name() + " supports kernels " + info.range()
                    + "; this host runs " + kernel.release() + " (" + kernel.series() + ")");
        }
        if (info.arch().isPresent()) {
            Optional<String> named = kernel.archFromRelease();
            if (named.isPresent() && !named.get().equals(info.arch().get())) {
                throw new UnsupportedTargetException(info.name() + " is for " + info.arch().get()
                        + " kernels only; this host runs " + kernel.release() + " (" + named.get() + ")");
            }
        }
    }

    /**
     * Refuses a host whose machine ({@code uname -m}: {@code aarch64}, {@code x86_64}, ...) is not the template's
     * {@code arch}; templates without {@code arch} run anywhere. Also applies {@link #checkKernel}.
     *
     * @throws UnsupportedTargetException saying what the template needs and what the host is
     */
    public void checkArch(String template, KernelRelease kernel, String machine) {
        TemplateInfo info = info(template);
        checkKernel(template, kernel);
        if (info.arch().isPresent()) {
            String arch = KernelRelease.normalizeArch(machine);
            if (!arch.equals(info.arch().get())) {
                throw new UnsupportedTargetException(info.name() + " is for " + info.arch().get()
                        + " kernels only; this host is " + machine.strip() + " (kernel " + kernel.release() + ")");
            }
        }
    }

    /** {@link #checkArch} for the host's machine, then {@link #render(String, KernelRelease, Map)}. */
    public ModuleSource render(String template, KernelRelease kernel, String machine, Map<String, ?> extra) {
        checkArch(template, kernel, machine);
        return render(template, kernel, extra);
    }

    /**
     * Renders a template for {@code kernel}: {@code <module>.c} and {@code Kbuild}.
     *
     * @param extra the template's own model keys (reclaim-stress: {@code gfp}); {@code module} may be given too, to
     *              name the module otherwise than the template's default
     * @throws UnsupportedTargetException for a kernel the template does not support
     * @throws ModuleTemplateException    for a missing, unknown or malformed model value, or a template that fails
     */
    public ModuleSource render(String template, KernelRelease kernel, Map<String, ?> extra) {
        TemplateInfo info = info(template);
        checkKernel(template, kernel);

        Map<String, Object> model = new HashMap<>();
        String module = info.module();
        for (Map.Entry<String, ?> e : extra.entrySet()) {
            String key = e.getKey();
            if (key.equals("module")) {
                module = String.valueOf(e.getValue());
            } else if (info.model().contains(key)) {
                model.put(key, checkValue(info, key, e.getValue()));
            } else {
                throw new ModuleTemplateException(info.name() + " has no model value \"" + key + "\" (it takes "
                        + (info.model().isEmpty() ? "only module" : "module, " + String.join(", ", info.model()))
                        + ")");
            }
        }
        for (String key : info.model()) {
            if (!model.containsKey(key)) {
                throw new ModuleTemplateException(info.name() + " needs the model value \"" + key + "\"");
            }
        }
        if (!module.matches("[a-z_][a-z0-9_]{0,55}")) {
            throw new ModuleTemplateException("not a module name: \"" + module
                    + "\" (a lower-case C identifier, at most 56 characters, e.g. lab_reclaim_stress)");
        }
        model.put("module", module);
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("release", kernel.release());
        k.put("major", kernel.major());
        k.put("minor", kernel.minor());
        k.put("patch", kernel.patch());
        model.put("kernel", k);

        Map<String, String> files = new LinkedHashMap<>();
        files.put(module + ".c", process(info.name() + "/" + info.source(), model));
        files.put("Kbuild", process(info.name() + "/Kbuild.ftl", model));
        return new ModuleSource(module, kernel.release(), files);
    }

    private static Object checkValue(TemplateInfo info, String key, Object value) {
        if (key.equals("gfp")) {
            return gfp(value);
        }
        throw new ModuleTemplateException(info.name() + ": no check is known for the model value \"" + key + "\"");
    }

    /**
     * A gfp mask as C source: {@code GFP_KERNEL}, {@code GFP_KERNEL | __GFP_NOWARN}, {@code 0x6000c0}; only
     * {@code GFP_*} names (optionally with leading underscores), hex numbers and {@code |}. Returned with single
     * spaces around each {@code |}.
     */
    static String gfp(Object value) {
        String text = value == null ? "" : value.toString().strip();
        List<String> terms = new ArrayList<>();
        for (String term : text.split("\\|", -1)) {
            String t = term.strip();
            if (!GFP_TERM.matcher(t).matches()) {
                throw new ModuleTemplateException("not a gfp mask: \"" + text
                        + "\" (expected GFP_* names or hex numbers joined by |, e.g. GFP_KERNEL | __GFP_NOWARN or 0x6000c0)");
            }
            terms.add(t);
        }
        return String.join(" | ", terms);
    }

    private String process(String name, Map<String, Object> model) {
        StringWriter out = new StringWriter();
        try {
            freemarker().getTemplate(name).process(model, out);
        } catch (TemplateException e) {
            throw new ModuleTemplateException("cannot render " + name + ": " + e.getMessageWithoutStackTop(), e);
        } catch (IOException e) {
            throw new ModuleTemplateException("cannot read " + ROOT + "/" + name + ": " + e.getMessage(), e);
        }
        return out.toString();
    }

    private static TemplateInfo readInfo(String template) {
        String path = ROOT + "/" + template + "/template.properties";
        Properties p = new Properties();
        try (InputStream in = ModuleTemplates.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new ModuleTemplateException("no kernel module template named " + template + " (no " + path
                        + " on the class path)");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ModuleTemplateException("cannot read " + path + ": " + e.getMessage(), e);
        }
        String name = required(p, path, "name");
        if (!name.equals(template)) {
            throw new ModuleTemplateException(path + ": name=" + name + " does not match its folder " + template);
        }
        return new TemplateInfo(
                name,
                required(p, path, "description"),
                required(p, path, "module"),
                required(p, path, "source"),
                series(p, path, "kernels.min"),
                series(p, path, "kernels.max"),
                list(p.getProperty("kernels.checked", "")),
                Optional.ofNullable(p.getProperty("arch")).map(String::strip).filter(s -> !s.isEmpty()),
                list(p.getProperty("model", "")));
    }

    private static String required(Properties p, String path, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new ModuleTemplateException(path + " has no " + key + "=");
        }
        return v.strip();
    }

    private static int[] series(Properties p, String path, String key) {
        String v = required(p, path, key);
        var m = SERIES.matcher(v);
        if (!m.matches()) {
            throw new ModuleTemplateException(path + ": " + key + "=" + v + " is not a kernel series like 4.18");
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    private static List<String> list(String v) {
        return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static Configuration configure() {
        Configuration config = new Configuration(Configuration.VERSION_2_3_34);
        config.setClassForTemplateLoading(ModuleTemplates.class, ROOT);
        config.setDefaultEncoding("UTF-8");
        // C source: nothing is escaped; values are checked before they reach the model instead.
        config.setOutputFormat(PlainTextOutputFormat.INSTANCE);
        config.setAutoEscapingPolicy(Configuration.DISABLE_AUTO_ESCAPING_POLICY);
        // ${...} only: "#{" may appear in C and must stay text.
        config.setInterpolationSyntax(Configuration.DOLLAR_INTERPOLATION_SYNTAX);
        // A missing or null value is an error, never an empty string.
        config.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        config.setLogTemplateExceptions(false);
        config.setWrapUncheckedExceptions(true);
        config.setFallbackOnNullLoopVariable(false);
        config.setLocalizedLookup(false);
        config.setNumberFormat("computer");
        config.setBooleanFormat("c");
        return config;
    }

    /** A template that cannot be found, read or rendered, or a model value it does not accept. */
    public static class ModuleTemplateException extends RuntimeException {
        public ModuleTemplateException(String message) {
            super(message);
        }

        public ModuleTemplateException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A kernel or machine the template does not support; the message names both sides. */
    public static final class UnsupportedTargetException extends ModuleTemplateException {
        public UnsupportedTargetException(String message) {
            super(message);
        }
    }
}
