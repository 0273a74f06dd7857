package dev.reclaimlab.kmod;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reclaimlab.kmod.ModuleTemplates.ModuleTemplateException;
import dev.reclaimlab.kmod.ModuleTemplates.UnsupportedTargetException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModuleTemplatesTest {
    private static final ModuleTemplates TEMPLATES = new ModuleTemplates();
    private static final Map<String, Object> GFP = Map.of("gfp", "GFP_KERNEL | __GFP_NOWARN");

    // The three forms of the reclaim call, as the rendered C spells them.
    private static final String MAY_SWAP_BOOL = "(fn)((memcg), (nr), LAB_GFP, true)";
    private static final String OPTIONS = "(fn)((memcg), (nr), LAB_GFP, MEMCG_RECLAIM_MAY_SWAP)";
    private static final String OPTIONS_SWAPPINESS = "(fn)((memcg), (nr), LAB_GFP, MEMCG_RECLAIM_MAY_SWAP, NULL)";

    private static String stressC(String release) {
        return TEMPLATES.render("reclaim-stress", KernelRelease.parse(release), GFP).files().get("lab_reclaim_stress.c");
    }

    private static String patchC(String release) {
        return TEMPLATES.render("insn-patch", KernelRelease.parse(release), "aarch64", Map.of())
                .files().get("lab_insn_patch.c");
    }

    /** The expected call form of a series: bool may_swap to 5.19, reclaim_options from 6.0, + swappiness from 6.11. */
    private static String callFor(int major, int minor) {
        if (major < 6) {
            return MAY_SWAP_BOOL;
        }
        return major == 6 && minor <= 10 ? OPTIONS : OPTIONS_SWAPPINESS;
    }

    private static String lineOf(String c, String start) {
        return c.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow(() -> new AssertionError(
                "no line starting with " + start));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "4.18.0-372.19.1.el8_6.aarch64; " + MAY_SWAP_BOOL + "; false",
        "5.4.0-150-generic; " + MAY_SWAP_BOOL + "; false",
        "5.6.19; " + MAY_SWAP_BOOL + "; false",
        "5.7.0; " + MAY_SWAP_BOOL + "; true",
        "5.10.0-32-arm64; " + MAY_SWAP_BOOL + "; true",
        "5.15.0-105-generic; " + MAY_SWAP_BOOL + "; true",
        "5.19.17; " + MAY_SWAP_BOOL + "; true",
        "6.0.0-1-arm64; " + OPTIONS + "; true",
        "6.1.0-56-arm64; " + OPTIONS + "; true",
        "6.6.0-28.0.0.34.oe2403.aarch64; " + OPTIONS + "; true",
        "6.10.14; " + OPTIONS + "; true",
        "6.11.0; " + OPTIONS_SWAPPINESS + "; true",
        "6.12.107+deb13-arm64; " + OPTIONS_SWAPPINESS + "; true",
        "6.18.44-fc-v595; " + OPTIONS_SWAPPINESS + "; true",
        "7.2.13+deb14-arm64; " + OPTIONS_SWAPPINESS + "; true",
    })
    void reclaimStressRendersTheCallOfEachSeries(String release, String call, boolean kprobe) {
        String c = stressC(release);
        assertEquals("#define LAB_RECLAIM(fn, memcg, nr) " + call, lineOf(c, "#define LAB_RECLAIM("));
        assertEquals(kprobe, c.contains("register_kprobe(&kp)"), "kallsyms_lookup_name via kprobe");
        assertEquals(!kprobe, c.contains("return (unsigned long)&kallsyms_lookup_name;"), "exported lookup");
        // The rendered form is checked against the kernel's own declaration when the module is built.
        assertTrue(c.contains("_Static_assert(__builtin_types_compatible_p(typeof(&try_to_free_mem_cgroup_pages), lab_reclaim_fn)"));
        assertTrue(c.contains("rendered by reclaim-lab for " + release));
        // x86 kernels with IBT seal functions nobody takes the address of: checked before any is called.
        assertTrue(c.contains("#ifdef CONFIG_X86_KERNEL_IBT"));
        assertFalse(c.contains("${") || c.contains("<#"), "no FreeMarker left in the C source");
    }

    @Test
    void reclaimStressTypedefMatchesTheCall() {
        assertTrue(stressC("5.19.0").contains("unsigned long nr_pages, gfp_t gfp_mask,\n\t\t\t\t\tbool may_swap);"));
        assertTrue(stressC("6.1.0").contains("gfp_t gfp_mask,\n\t\t\t\t\tunsigned int reclaim_options);"));
        assertTrue(stressC("6.11.0").contains("unsigned int reclaim_options, int *swappiness);"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "4.18.0-372.19.1.el8_6.aarch64, probe_kernel_read, false",
        "5.4.0-150-generic, probe_kernel_read, false",
        "5.7.19, probe_kernel_read, true",
        "5.8.0, copy_from_kernel_nofault, true",
        "5.10.0-32-arm64, copy_from_kernel_nofault, true",
        "5.15.0-105-generic, copy_from_kernel_nofault, true",
        "6.1.0-56-arm64, copy_from_kernel_nofault, true",
        "6.6.0-28.0.0.34.oe2403.aarch64, copy_from_kernel_nofault, true",
        "6.12.107+deb13-arm64, copy_from_kernel_nofault, true",
        "6.18.44-fc-v595, copy_from_kernel_nofault, true",
        "7.2.13+deb14-arm64, copy_from_kernel_nofault, true",
    })
    void insnPatchRendersTheReadOfEachSeries(String release, String read, boolean kprobe) {
        String c = patchC(release);
        assertTrue(c.contains("if (" + read + "(&raw, lab_addrs[i], sizeof(raw)))"), read);
        String other = read.equals("probe_kernel_read") ? "copy_from_kernel_nofault(" : "probe_kernel_read(";
        assertFalse(c.contains(other), other);
        assertEquals(kprobe, c.contains("register_kprobe(&kp)"));
        assertTrue(c.contains("ret = lab_patch_text(lab_addrs, insns, n);"));
        assertTrue(c.contains("typedef int (*lab_patch_fn)(void *addrs[], u32 insns[], int cnt);"));
        assertTrue(c.contains("\"%s+0x%lx: found %s, expected %s; kernel text not changed\\n\""));
        assertFalse(c.contains("${") || c.contains("<#"));
    }

    /** Every series a template lists as checked renders, with the right call form for reclaim-stress. */
    @ParameterizedTest
    @ValueSource(strings = {"reclaim-stress", "insn-patch"})
    void everyCheckedSeriesRenders(String template) {
        ModuleTemplates.TemplateInfo info = TEMPLATES.info(template);
        assertFalse(info.checked().isEmpty());
        for (String series : info.checked()) {
            KernelRelease k = KernelRelease.parse(series + ".0");
            assertTrue(info.supports(k), series + " is listed as checked but outside " + info.range());
            Map<String, Object> extra = template.equals("reclaim-stress") ? GFP : Map.of();
            ModuleSource src = TEMPLATES.render(template, k, "aarch64", extra);
            assertEquals(Set.of(info.module() + ".c", "Kbuild"), src.files().keySet());
            if (template.equals("reclaim-stress")) {
                assertEquals("#define LAB_RECLAIM(fn, memcg, nr) " + callFor(k.major(), k.minor()),
                        lineOf(src.files().get("lab_reclaim_stress.c"), "#define LAB_RECLAIM("), series);
            }
        }
    }

    @Test
    void propertiesSayWhatTheBriefAsks() {
        var stress = TEMPLATES.info("reclaim-stress");
        assertEquals("4.18 to 7.2", stress.range());
        assertEquals("lab_reclaim_stress", stress.module());
        assertEquals(List.of("gfp"), stress.model());
        assertTrue(stress.arch().isEmpty());
        var patch = TEMPLATES.info("insn-patch");
        assertEquals("4.18 to 7.2", patch.range());
        assertEquals("arm64", patch.arch().orElseThrow());
        assertEquals("lab_insn_patch", patch.module());
        assertEquals(List.of(), patch.model());
    }

    @Test
    void sourceCarriesNameKernelAndKbuild() {
        ModuleSource src = TEMPLATES.render("reclaim-stress", KernelRelease.parse("6.1.0-56-arm64"), GFP);
        assertEquals("lab_reclaim_stress", src.name());
        assertEquals("6.1.0-56-arm64", src.kernel());
        assertEquals("lab_reclaim_stress.ko", src.koName());
        String kbuild = src.files().get("Kbuild");
        assertTrue(kbuild.contains("\nobj-m := lab_reclaim_stress.o\n"), kbuild);
        String c = src.files().get("lab_reclaim_stress.c");
        assertEquals("#define LAB_GFP ((__force gfp_t)(GFP_KERNEL | __GFP_NOWARN))", lineOf(c, "#define LAB_GFP "));
        assertEquals("#define LAB_GFP_TEXT \"GFP_KERNEL | __GFP_NOWARN\"", lineOf(c, "#define LAB_GFP_TEXT"));
        assertTrue(c.contains("\"lab_stress/%d\""), "thread names");
        for (String param : List.of("module_param(cgroup, charp, 0444);", "module_param_array(cpus, int, &nr_cpus_given, 0444);",
                "module_param(loops, ulong, 0444);", "module_param(nodes, uint, 0444);",
                "module_param(nr_pages, ulong, 0444);", "module_param(duration_ms, ulong, 0444);",
                "module_param_cb(running, &lab_running_ops, NULL, 0444);",
                "module_param_cb(calls, &lab_counter_ops, &lab_calls, 0444);",
                "module_param_cb(reclaimed, &lab_counter_ops, &lab_reclaimed, 0444);")) {
            assertTrue(c.contains(param), param);
        }
        // Same inputs, same source, same cache key.
        assertEquals(src, TEMPLATES.render("reclaim-stress", KernelRelease.parse("6.1.0-56-arm64"), GFP));
        assertEquals(src.checksum("gcc-12"), TEMPLATES.render("reclaim-stress", KernelRelease.parse("6.1.0-56-arm64"),
                GFP).checksum("gcc-12"));
    }

    @Test
    void moduleNameCanBeGiven() {
        ModuleSource src = TEMPLATES.render("insn-patch", KernelRelease.parse("6.1.0-56-arm64"),
                Map.of("module", "lab_patch_a"));
        assertEquals("lab_patch_a", src.name());
        assertEquals(Set.of("lab_patch_a.c", "Kbuild"), src.files().keySet());
        assertTrue(src.files().get("Kbuild").contains("obj-m := lab_patch_a.o"));
        assertTrue(src.files().get("lab_patch_a.c").contains("insmod lab_patch_a.ko symbol=shrink_slab"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "0x6000c0 ; 0x6000c0",
        "GFP_KERNEL|__GFP_NOWARN ; GFP_KERNEL | __GFP_NOWARN",
        "'  __GFP_RECLAIM |  0x40' ; __GFP_RECLAIM | 0x40",
        "GFP_HIGHUSER_MOVABLE ; GFP_HIGHUSER_MOVABLE",
    })
    void gfpIsNormalizedIntoTheDefine(String given, String rendered) {
        String c = TEMPLATES.render("reclaim-stress", KernelRelease.parse("5.10.0-32-arm64"), Map.of("gfp", given))
                .files().get("lab_reclaim_stress.c");
        assertEquals("#define LAB_GFP ((__force gfp_t)(" + rendered + "))", lineOf(c, "#define LAB_GFP "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "GFP_KERNEL;", "GFP_KERNEL || __GFP_NOWARN", "gfp_kernel", "0x", "0x123456789",
        "GFP_KERNEL & ~__GFP_IO", "GFP_KERNEL) | (1", "192", "GFP_KERNEL\n#define X", "\"GFP_KERNEL\""})
    void refusesAGfpThatIsNotNamesAndHex(String gfp) {
        var e = assertThrows(ModuleTemplateException.class, () -> TEMPLATES.render("reclaim-stress",
                KernelRelease.parse("6.1.0-56-arm64"), Map.of("gfp", gfp)));
        assertTrue(e.getMessage().startsWith("not a gfp mask: "), e.getMessage());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "reclaim-stress | 4.14.0-115.el7a.aarch64 | reclaim-stress supports kernels 4.18 to 7.2; this host runs 4.14.0-115.el7a.aarch64 (4.14)",
        "reclaim-stress | 4.17.19 | reclaim-stress supports kernels 4.18 to 7.2; this host runs 4.17.19 (4.17)",
        "reclaim-stress | 7.3.0-rc7-arm64 | reclaim-stress supports kernels 4.18 to 7.2; this host runs 7.3.0-rc7-arm64 (7.3)",
        "reclaim-stress | 8.0.1 | reclaim-stress supports kernels 4.18 to 7.2; this host runs 8.0.1 (8.0)",
        "insn-patch | 3.10.0-1160.el7.aarch64 | insn-patch supports kernels 4.18 to 7.2; this host runs 3.10.0-1160.el7.aarch64 (3.10)",
        "insn-patch | 6.1.0-56-amd64 | insn-patch is for arm64 kernels only; this host runs 6.1.0-56-amd64 (x86_64)",
        "insn-patch | 4.18.0-372.19.1.el8_6.x86_64 | insn-patch is for arm64 kernels only; this host runs 4.18.0-372.19.1.el8_6.x86_64 (x86_64)",
    })
    void refusesKernelsOutsideTheTemplate(String template, String release, String message) {
        Map<String, Object> extra = template.equals("reclaim-stress") ? GFP : Map.of();
        var e = assertThrows(UnsupportedTargetException.class,
                () -> TEMPLATES.render(template, KernelRelease.parse(release), extra));
        assertEquals(message, e.getMessage());
    }

    @Test
    void checksTheMachineWhenTheReleaseDoesNotNameIt() {
        KernelRelease custom = KernelRelease.parse("6.18.44-fc-v595");
        // The release alone says nothing about the architecture: render does not refuse it ...
        assertDoesNotThrow(() -> TEMPLATES.render("insn-patch", custom, Map.of()));
        // ... uname -m does.
        var e = assertThrows(UnsupportedTargetException.class,
                () -> TEMPLATES.checkArch("insn-patch", custom, "x86_64"));
        assertEquals("insn-patch is for arm64 kernels only; this host is x86_64 (kernel 6.18.44-fc-v595)", e.getMessage());
        assertThrows(UnsupportedTargetException.class,
                () -> TEMPLATES.render("insn-patch", custom, "x86_64", Map.of()));
        assertDoesNotThrow(() -> TEMPLATES.checkArch("insn-patch", custom, "aarch64"));
        assertDoesNotThrow(() -> TEMPLATES.checkArch("insn-patch", custom, "arm64\n"));
        // reclaim-stress runs on any architecture.
        assertDoesNotThrow(() -> TEMPLATES.checkArch("reclaim-stress", custom, "x86_64"));
        assertDoesNotThrow(() -> TEMPLATES.render("reclaim-stress", KernelRelease.parse("5.14.0-427.el9.x86_64"),
                "x86_64", GFP));
    }

    @Test
    void refusesMissingUnknownAndMalformedModelValues() {
        KernelRelease k = KernelRelease.parse("6.1.0-56-arm64");
        var missing = assertThrows(ModuleTemplateException.class, () -> TEMPLATES.render("reclaim-stress", k, Map.of()));
        assertEquals("reclaim-stress needs the model value \"gfp\"", missing.getMessage());
        var unknown = assertThrows(ModuleTemplateException.class,
                () -> TEMPLATES.render("insn-patch", k, Map.of("gfp", "GFP_KERNEL")));
        assertEquals("insn-patch has no model value \"gfp\" (it takes only module)", unknown.getMessage());
        var typo = assertThrows(ModuleTemplateException.class,
                () -> TEMPLATES.render("reclaim-stress", k, Map.of("gfp", "GFP_KERNEL", "gpf", "x")));
        assertEquals("reclaim-stress has no model value \"gpf\" (it takes module, gfp)", typo.getMessage());
        var badName = assertThrows(ModuleTemplateException.class,
                () -> TEMPLATES.render("insn-patch", k, Map.of("module", "lab-patch")));
        assertTrue(badName.getMessage().startsWith("not a module name: \"lab-patch\""), badName.getMessage());
    }

    @Test
    void refusesUnknownTemplates() {
        var e = assertThrows(ModuleTemplateException.class, () -> TEMPLATES.info("no-such-template"));
        assertEquals("no kernel module template named no-such-template (no /kmod-templates/no-such-template/"
                + "template.properties on the class path)", e.getMessage());
        var path = assertThrows(ModuleTemplateException.class, () -> TEMPLATES.info("../reports"));
        assertTrue(path.getMessage().startsWith("not a kernel module template name: ../reports"), path.getMessage());
    }

    /** A template that mentions a value the model does not have fails, instead of rendering an empty string. */
    @Test
    void missingVariablesFailTheRender() {
        var e = assertThrows(ModuleTemplateException.class,
                () -> TEMPLATES.render("strict-test", KernelRelease.parse("6.1.0-56-arm64"), Map.of()));
        assertTrue(e.getMessage().startsWith("cannot render strict-test/strict_test.c.ftl: "), e.getMessage());
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    /** C text that looks like FreeMarker's old #{...} interpolation stays text. */
    @Test
    void hashBraceStaysText() {
        ModuleSource src = TEMPLATES.render("strict-test", KernelRelease.parse("6.1.0-56-arm64"),
                Map.of("module", "lab_ok"));
        String c = src.files().get("lab_ok.c");
        assertTrue(c.contains("char s[] = \"#{x}\";"), c);
        assertTrue(c.contains("/* lab_ok for 6.1 (6.1.0-56-arm64) & <stdio.h> */"), c);
    }

    @Test
    void versionComparisonsUseMajorAndMinorTogether() {
        // 7.0 is newer than 6.11 although 0 < 11; 6.9 is older than 6.11 although 9 > 1.
        assertEquals("#define LAB_RECLAIM(fn, memcg, nr) " + OPTIONS_SWAPPINESS,
                lineOf(stressC("7.0.0"), "#define LAB_RECLAIM("));
        assertEquals("#define LAB_RECLAIM(fn, memcg, nr) " + OPTIONS, lineOf(stressC("6.9.12"), "#define LAB_RECLAIM("));
        assertEquals("#define LAB_RECLAIM(fn, memcg, nr) " + MAY_SWAP_BOOL, lineOf(stressC("5.20.0"), "#define LAB_RECLAIM("));
    }
}
