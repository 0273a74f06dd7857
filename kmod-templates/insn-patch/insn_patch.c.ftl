<#--
  insn-patch: replaces a few AArch64 instruction words at symbol+offset while loaded, after checking what is
  there, and puts the original words back when unloaded.

  Data model (given by the orchestrator):
    module  the module name, a C identifier (also the dmesg prefix and /sys/module/<module>)
    kernel  { release, major, minor, patch } of the target kernel

  Differences across kernel series (see template.properties for where each was checked):
    kallsyms_lookup_name   exported before 5.7; from 5.7 its address comes from a kprobe
    reading kernel text    probe_kernel_read before 5.8, copy_from_kernel_nofault from 5.8
    aarch64_insn_patch_text(void *addrs[], u32 insns[], int cnt): the same in every supported series; declared
                           in asm/insn.h, later asm/patching.h, later asm/text-patching.h
-->
<#function atLeast major minor>
  <#return kernel.major gt major || (kernel.major == major && kernel.minor gte minor)>
</#function>
<#assign kprobeLookup = atLeast(5, 7)>
<#assign nofault = atLeast(5, 8)>
// SPDX-License-Identifier: GPL-2.0
/*
 * ${module}: patches AArch64 kernel text while loaded, rendered by reclaim-lab for ${kernel.release}.
 *
 *   insmod ${module}.ko symbol=shrink_slab offset=0 expect=aa1e03e9,d503201f replace=d2800000,d65f03c0
 *
 * (aa1e03e9 d503201f, "mov x9, x30; nop", is what ftrace leaves at a function's entry on arm64 kernels with
 * DYNAMIC_FTRACE_WITH_REGS, e.g. Debian 6.1; the vmlinux on disk has two NOPs there.)
 *
 * At load the words at symbol+offset must equal expect= (hex words as objdump prints them, 0x optional), else
 * nothing is written and the load fails. Then all replace= words are written at once through the kernel's own
 * aarch64_insn_patch_text() (stop_machine: every CPU waits while the words change, and the instruction cache is
 * made coherent), read back and checked. At unload the original words are written back the same way, but only
 * if the replacement is still there. /sys/module/${module}/parameters/state tells where it stands.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/cpu.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/kallsyms.h>
<#if kprobeLookup>
#include <linux/kprobes.h>
</#if>
#include <asm/byteorder.h>
#include <asm/insn.h>
#if __has_include(<asm/patching.h>)
#include <asm/patching.h>
#endif
#if __has_include(<asm/text-patching.h>)
#include <asm/text-patching.h>
#endif

#ifndef CONFIG_ARM64
#error "insn-patch writes AArch64 instructions: it builds for arm64 kernels only"
#endif

#define LAB_MAX_WORDS 16

typedef int (*lab_patch_fn)(void *addrs[], u32 insns[], int cnt);
typedef unsigned long (*lab_lookup_fn)(const char *name);

/* The kernel declares the routine although it does not export it: stop the build if its form differs. */
_Static_assert(__builtin_types_compatible_p(typeof(&aarch64_insn_patch_text), lab_patch_fn),
	       "aarch64_insn_patch_text() on this kernel is not int (void *addrs[], u32 insns[], int cnt)");

/* ---- parameters ---- */

static char *symbol;
module_param(symbol, charp, 0444);
MODULE_PARM_DESC(symbol, "kernel text symbol, as /proc/kallsyms names it");

static unsigned long offset;
module_param(offset, ulong, 0444);
MODULE_PARM_DESC(offset, "bytes from the symbol, a multiple of 4");

struct lab_words {
	unsigned int n;
	u32 w[LAB_MAX_WORDS];
};

static struct lab_words expect;
static struct lab_words replace;

/* Comma-separated hex words, "d503233f,a9bc7bfd" or "0xd503233f,0xa9bc7bfd": always hex, as objdump prints them. */
static int lab_words_set(const char *val, const struct kernel_param *kp)
{
	struct lab_words *words = kp->arg;
	struct lab_words parsed = { 0 };
	const char *p = val;

	while (*p && *p != '\n') {
		char digits[11];
		size_t len = strcspn(p, ",\n");
		unsigned int word;

		if (parsed.n == LAB_MAX_WORDS) {
			pr_err("%s: at most %d words\n", kp->name, LAB_MAX_WORDS);
			return -EINVAL;
		}
		if (len == 0 || len >= sizeof(digits)) {
			pr_err("%s: \"%s\" is not a list of hex instruction words like d2800000,d65f03c0\n", kp->name, val);
			return -EINVAL;
		}
		memcpy(digits, p, len);
		digits[len] = '\0';
		if (kstrtouint(digits, 16, &word)) {
			pr_err("%s: \"%s\" is not a hex instruction word like d2800000\n", kp->name, digits);
			return -EINVAL;
		}
		parsed.w[parsed.n++] = word;
		p += len;
		if (*p == ',')
			p++;
	}
	*words = parsed;
	return 0;
}

static int lab_words_get(char *buffer, const struct kernel_param *kp)
{
	const struct lab_words *words = kp->arg;
	unsigned int i;
	int len = 0;

	for (i = 0; i < words->n; i++)
		len += scnprintf(buffer + len, PAGE_SIZE - len, "%s%08x", i ? "," : "", words->w[i]);
	len += scnprintf(buffer + len, PAGE_SIZE - len, "\n");
	return len;
}

static const struct kernel_param_ops lab_words_ops = {
	.set = lab_words_set,
	.get = lab_words_get,
};

module_param_cb(expect, &lab_words_ops, &expect, 0444);
MODULE_PARM_DESC(expect, "the words that must be at symbol+offset now (hex, at most 16)");
module_param_cb(replace, &lab_words_ops, &replace, 0444);
MODULE_PARM_DESC(replace, "the words written instead (hex, as many as expect)");

static const char *lab_state = "loading";

static int lab_state_set(const char *val, const struct kernel_param *kp)
{
	pr_err("state is a read-only status, not a setting\n");
	return -EPERM;
}

static int lab_state_get(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, PAGE_SIZE, "%s\n", lab_state);
}

static const struct kernel_param_ops lab_state_ops = {
	.set = lab_state_set,
	.get = lab_state_get,
};

module_param_cb(state, &lab_state_ops, NULL, 0444);
MODULE_PARM_DESC(state, "patched while the replacement is in place (read-only)");

/* ---- state ---- */

static lab_patch_fn lab_patch_text;
static struct mutex *lab_text_mutex;
static unsigned long lab_addr;
static void *lab_addrs[LAB_MAX_WORDS];
static u32 lab_original[LAB_MAX_WORDS];

/* ---- symbols ---- */

<#if kprobeLookup>
/* "0x1c/0x90" as sprint_symbol prints an offset: the hex number before the '/'. */
static int lab_parse_offset(const char *s, unsigned long *out)
{
	char num[24];
	size_t n = strcspn(s, "/");

	if (n == 0 || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, n);
	num[n] = '\0';
	return kstrtoul(num, 16, out);
}

/* kallsyms_lookup_name is not exported since 5.7: a kprobe on it resolves its address. */
static unsigned long lab_find_lookup(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	char where[KSYM_SYMBOL_LEN];
	unsigned long addr, off = 0;
	const char *plus;
	int ret;

	ret = register_kprobe(&kp);
	if (ret < 0) {
		pr_err("cannot find kallsyms_lookup_name: register_kprobe failed (%d); is CONFIG_KPROBES set?\n", ret);
		return 0;
	}
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);

	sprint_symbol(where, addr);
	plus = strchr(where, '+');
	if (strncmp(where, "kallsyms_lookup_name+", strlen("kallsyms_lookup_name+")) != 0 || !plus ||
	    lab_parse_offset(plus + 1, &off)) {
		pr_err("the kprobe on kallsyms_lookup_name landed at %px (%s), not in it\n", (void *)addr, where);
		return 0;
	}
	return addr - off;
}
<#else>
/* kallsyms_lookup_name is exported to modules before 5.7. */
static unsigned long lab_find_lookup(void)
{
	return (unsigned long)&kallsyms_lookup_name;
}
</#if>

/* ---- reading and writing the words ---- */

static int lab_read(u32 *out, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		__le32 raw;

<#if nofault>
		if (copy_from_kernel_nofault(&raw, lab_addrs[i], sizeof(raw)))
<#else>
		if (probe_kernel_read(&raw, lab_addrs[i], sizeof(raw)))
</#if>
			return -EFAULT;
		/* AArch64 instructions are little-endian in memory whatever the data endianness. */
		out[i] = le32_to_cpu(raw);
	}
	return 0;
}

/* Writes all n words at once (stop_machine inside), with the locks kprobes take around the same routine. */
static int lab_write(const u32 *words, unsigned int n)
{
	u32 insns[LAB_MAX_WORDS];
	int ret;

	memcpy(insns, words, n * sizeof(u32));
	cpus_read_lock();
	if (lab_text_mutex)
		mutex_lock(lab_text_mutex);
	ret = lab_patch_text(lab_addrs, insns, n);
	if (lab_text_mutex)
		mutex_unlock(lab_text_mutex);
	cpus_read_unlock();
	return ret;
}

static void lab_format(char *buf, size_t size, const u32 *words, unsigned int n)
{
	unsigned int i;
	int len = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		len += scnprintf(buf + len, size - len, "%s%08x", i ? " " : "", words[i]);
}

#define LAB_WORDS_TEXT (LAB_MAX_WORDS * 9 + 1)

static int __init lab_init(void)
{
	char found_text[LAB_WORDS_TEXT], want_text[LAB_WORDS_TEXT], new_text[LAB_WORDS_TEXT];
	char where[KSYM_SYMBOL_LEN];
	u32 now[LAB_MAX_WORDS];
	unsigned long lookup_addr, sym;
	lab_lookup_fn lookup;
	unsigned int i, n = expect.n;
	size_t symlen;
	int ret;

	if (!symbol || !*symbol) {
		pr_err("symbol= is missing: name the kernel function to patch, e.g. symbol=shrink_slab\n");
		return -EINVAL;
	}
	if (n == 0 || replace.n != n) {
		pr_err("expect= and replace= need the same number of words, 1 to %d (got %u and %u)\n", LAB_MAX_WORDS,
		       expect.n, replace.n);
		return -EINVAL;
	}
	if (offset % 4) {
		pr_err("offset=%lu is not a multiple of 4: AArch64 instructions are 4-byte aligned\n", offset);
		return -EINVAL;
	}

	lookup_addr = lab_find_lookup();
	if (!lookup_addr)
		return -ENOENT;
	lookup = (lab_lookup_fn)lookup_addr;
	lab_patch_text = (lab_patch_fn)lookup("aarch64_insn_patch_text");
	if (!lab_patch_text) {
		pr_err("symbol aarch64_insn_patch_text not found in kallsyms\n");
		return -ENOENT;
	}
	/* Taken when it can be found (kallsyms lists data only with CONFIG_KALLSYMS_ALL), as kprobes do. */
	lab_text_mutex = (struct mutex *)lookup("text_mutex");
	sym = lookup(symbol);
	if (!sym) {
		pr_err("symbol %s not found in kallsyms\n", symbol);
		return -ENOENT;
	}
	lab_addr = sym + offset;

	/* Every word must lie inside the symbol, not run into the next function. */
	symlen = strlen(symbol);
	for (i = 0; i < n; i++) {
		lab_addrs[i] = (void *)(lab_addr + 4 * i);
		sprint_symbol(where, (unsigned long)lab_addrs[i]);
		if (strncmp(where, symbol, symlen) != 0 || where[symlen] != '+') {
			pr_err("%s+0x%lx: word %u (%px) is not inside %s but at %s; kernel text not changed\n", symbol,
			       offset, i + 1, lab_addrs[i], symbol, where);
			return -EINVAL;
		}
	}
	pr_info("symbols: kallsyms_lookup_name %px (%s), aarch64_insn_patch_text %px, text_mutex %s; %s+0x%lx at %px\n",
		(void *)lookup_addr, <#if kprobeLookup>"via kprobe"<#else>"exported"</#if>, (void *)lab_patch_text,
		lab_text_mutex ? "found" : "not in kallsyms", symbol, offset, (void *)lab_addr);

	ret = lab_read(lab_original, n);
	if (ret) {
		pr_err("%s+0x%lx: cannot read the kernel text (%d); kernel text not changed\n", symbol, offset, ret);
		return ret;
	}
	lab_format(found_text, sizeof(found_text), lab_original, n);
	lab_format(want_text, sizeof(want_text), expect.w, n);
	lab_format(new_text, sizeof(new_text), replace.w, n);
	if (memcmp(lab_original, expect.w, n * sizeof(u32)) != 0) {
		pr_err("%s+0x%lx: found %s, expected %s; kernel text not changed\n", symbol, offset, found_text,
		       want_text);
		return -EINVAL;
	}

	ret = lab_write(replace.w, n);
	if (ret == 0)
		ret = lab_read(now, n);
	if (ret || memcmp(now, replace.w, n * sizeof(u32)) != 0) {
		char now_text[LAB_WORDS_TEXT];

		lab_format(now_text, sizeof(now_text), now, ret ? 0 : n);
		pr_err("%s+0x%lx: writing %s failed (%d, read back: %s); putting %s back\n", symbol, offset, new_text,
		       ret, ret ? "nothing" : now_text, found_text);
		if (lab_write(lab_original, n) || lab_read(now, n) || memcmp(now, lab_original, n * sizeof(u32)))
			pr_err("%s+0x%lx: could not put the original words back: the kernel text may be changed\n",
			       symbol, offset);
		return ret ? ret : -EIO;
	}
	lab_state = "patched";
	pr_info("%s+0x%lx: %s -> %s (patched, read back and verified)\n", symbol, offset, found_text, new_text);
	return 0;
}

static void __exit lab_exit(void)
{
	char now_text[LAB_WORDS_TEXT], old_text[LAB_WORDS_TEXT], new_text[LAB_WORDS_TEXT];
	u32 now[LAB_MAX_WORDS];
	unsigned int n = expect.n;
	int ret;

	lab_format(old_text, sizeof(old_text), lab_original, n);
	lab_format(new_text, sizeof(new_text), replace.w, n);
	ret = lab_read(now, n);
	if (ret) {
		pr_err("%s+0x%lx: cannot read the kernel text (%d); left as it is\n", symbol, offset, ret);
		return;
	}
	lab_format(now_text, sizeof(now_text), now, n);
	if (memcmp(now, replace.w, n * sizeof(u32)) != 0) {
		lab_state = "changed by someone else";
		pr_err("%s+0x%lx: found %s, expected the patched %s; someone else changed it: left as it is (original was %s)\n",
		       symbol, offset, now_text, new_text, old_text);
		return;
	}
	ret = lab_write(lab_original, n);
	if (ret == 0)
		ret = lab_read(now, n);
	if (ret || memcmp(now, lab_original, n * sizeof(u32)) != 0) {
		lab_format(now_text, sizeof(now_text), now, ret ? 0 : n);
		pr_err("%s+0x%lx: restoring %s failed (%d, read back: %s)\n", symbol, offset, old_text, ret,
		       ret ? "nothing" : now_text);
		return;
	}
	lab_state = "restored";
	pr_info("%s+0x%lx: %s -> %s (restored, read back and verified)\n", symbol, offset, new_text, old_text);
}

module_init(lab_init);
module_exit(lab_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("reclaim-lab: checked AArch64 text patch while loaded (rendered for ${kernel.release?j_string})");
