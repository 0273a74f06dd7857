<#--
  reclaim-stress: kernel threads bound to chosen CPUs that call memcg reclaim on one cgroup in a loop.

  Data model (given by the orchestrator):
    module  the module name, a C identifier (also the dmesg prefix and /sys/module/<module>)
    kernel  { release, major, minor, patch } of the target kernel
    gfp     the gfp mask as a C expression (GFP_* names, hex numbers and |), already validated

  The call's form depends on the kernel series (see template.properties for where each was checked):
    up to 5.19    try_to_free_mem_cgroup_pages(memcg, nr_pages, gfp_mask, bool may_swap)
    6.0 to 6.10   try_to_free_mem_cgroup_pages(memcg, nr_pages, gfp_mask, unsigned int reclaim_options)
    6.11 and on   try_to_free_mem_cgroup_pages(memcg, nr_pages, gfp_mask, unsigned int reclaim_options,
                                               int *swappiness)
  kallsyms_lookup_name is exported to modules before 5.7 only; from 5.7 its address comes from a kprobe.
-->
<#function atLeast major minor>
  <#return kernel.major gt major || (kernel.major == major && kernel.minor gte minor)>
</#function>
<#assign reclaimOptions = atLeast(6, 0)>
<#assign swappinessArg = atLeast(6, 11)>
<#assign kprobeLookup = atLeast(5, 7)>
// SPDX-License-Identifier: GPL-2.0
/*
 * ${module}: memcg reclaim storm generator, rendered by reclaim-lab for ${kernel.release}.
 *
 * One kernel thread per CPU in cpus=, bound to that CPU and named lab_stress/<cpu>, calls
 * try_to_free_mem_cgroup_pages() on the memory cgroup at cgroup= nodes= times per loop, for loops=
 * loops (0: no limit) or duration_ms= milliseconds (0: no limit), whichever ends first, then idles
 * until the module is removed. Removing the module stops every thread between two calls.
 *
 *   insmod ${module}.ko cgroup=/sys/fs/cgroup/lab-x/kubepods cpus=1,3 loops=50 nodes=8 nr_pages=100
 *
 * Status, read-only: /sys/module/${module}/parameters/{running,calls,reclaimed}.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/cpumask.h>
#include <linux/cgroup.h>
#include <linux/memcontrol.h>
#include <linux/swap.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/kallsyms.h>
<#if kprobeLookup>
#include <linux/kprobes.h>
</#if>

#ifndef CONFIG_MEMCG
#error "this kernel is built without memory cgroups (CONFIG_MEMCG): there is nothing to reclaim from"
#endif

/* The gfp mask every reclaim call passes, as the plan wrote it. */
#define LAB_GFP ((__force gfp_t)(${gfp}))
#define LAB_GFP_TEXT "${gfp?j_string}"

#define LAB_MAX_CPUS 64

<#if reclaimOptions>
#ifndef MEMCG_RECLAIM_MAY_SWAP
#define MEMCG_RECLAIM_MAY_SWAP (1 << 1)
#endif
</#if>
<#if swappinessArg>
/* ${kernel.major}.${kernel.minor} (6.11 and later): reclaim_options, then a swappiness override (NULL: the memcg's own) */
typedef unsigned long (*lab_reclaim_fn)(struct mem_cgroup *memcg, unsigned long nr_pages, gfp_t gfp_mask,
					unsigned int reclaim_options, int *swappiness);
#define LAB_RECLAIM(fn, memcg, nr) (fn)((memcg), (nr), LAB_GFP, MEMCG_RECLAIM_MAY_SWAP, NULL)
#define LAB_CALL_FORM "try_to_free_mem_cgroup_pages(memcg, nr_pages, gfp, MEMCG_RECLAIM_MAY_SWAP, NULL)"
<#elseif reclaimOptions>
/* ${kernel.major}.${kernel.minor} (6.0 to 6.10): the 4th argument is a set of MEMCG_RECLAIM_* flags */
typedef unsigned long (*lab_reclaim_fn)(struct mem_cgroup *memcg, unsigned long nr_pages, gfp_t gfp_mask,
					unsigned int reclaim_options);
#define LAB_RECLAIM(fn, memcg, nr) (fn)((memcg), (nr), LAB_GFP, MEMCG_RECLAIM_MAY_SWAP)
#define LAB_CALL_FORM "try_to_free_mem_cgroup_pages(memcg, nr_pages, gfp, MEMCG_RECLAIM_MAY_SWAP)"
<#else>
/* ${kernel.major}.${kernel.minor} (up to 5.19): the 4th argument is bool may_swap */
typedef unsigned long (*lab_reclaim_fn)(struct mem_cgroup *memcg, unsigned long nr_pages, gfp_t gfp_mask,
					bool may_swap);
#define LAB_RECLAIM(fn, memcg, nr) (fn)((memcg), (nr), LAB_GFP, true)
#define LAB_CALL_FORM "try_to_free_mem_cgroup_pages(memcg, nr_pages, gfp, true)"
</#if>
typedef struct cgroup_subsys_state *(*lab_css_from_dir_fn)(struct dentry *dentry, struct cgroup_subsys *ss);
typedef unsigned long (*lab_lookup_fn)(const char *name);

/*
 * The kernel's headers declare both functions even though they are not exported: if this kernel's
 * declaration differs from the form chosen above for ${kernel.major}.${kernel.minor} (a distribution
 * backport, say), the build stops here instead of the module calling a function the wrong way.
 */
_Static_assert(__builtin_types_compatible_p(typeof(&try_to_free_mem_cgroup_pages), lab_reclaim_fn),
	       "try_to_free_mem_cgroup_pages() on this kernel does not have the form rendered for ${kernel.major}.${kernel.minor}: " LAB_CALL_FORM);
_Static_assert(__builtin_types_compatible_p(typeof(&css_tryget_online_from_dir), lab_css_from_dir_fn),
	       "css_tryget_online_from_dir() on this kernel does not have the expected form");

/* ---- parameters ---- */

static char *cgroup;
module_param(cgroup, charp, 0444);
MODULE_PARM_DESC(cgroup, "absolute path of the memory cgroup's directory (cgroup v1 memory hierarchy or v2)");

static int cpus[LAB_MAX_CPUS];
static int nr_cpus_given;
module_param_array(cpus, int, &nr_cpus_given, 0444);
MODULE_PARM_DESC(cpus, "CPUs to run one reclaim thread on each, e.g. 1,3 (at most 64)");

static unsigned long loops = 50;
module_param(loops, ulong, 0444);
MODULE_PARM_DESC(loops, "loops per thread; 0 = no limit");

static unsigned int nodes = 8;
module_param(nodes, uint, 0444);
MODULE_PARM_DESC(nodes, "reclaim calls per loop");

static unsigned long nr_pages = 100;
module_param(nr_pages, ulong, 0444);
MODULE_PARM_DESC(nr_pages, "pages asked for per reclaim call");

static unsigned long duration_ms;
module_param(duration_ms, ulong, 0444);
MODULE_PARM_DESC(duration_ms, "how long each thread runs at most, in ms; 0 = no limit");

/* Read-only status: set only by the module, readable under /sys/module/<module>/parameters/. */
static atomic_t lab_running = ATOMIC_INIT(0);
static atomic_long_t lab_calls = ATOMIC_LONG_INIT(0);
static atomic_long_t lab_reclaimed = ATOMIC_LONG_INIT(0);

static int lab_status_set(const char *val, const struct kernel_param *kp)
{
	pr_err("%s is a read-only status, not a setting\n", kp->name);
	return -EPERM;
}

static int lab_running_get(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, PAGE_SIZE, "%d\n", atomic_read(&lab_running));
}

static int lab_counter_get(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, PAGE_SIZE, "%ld\n", atomic_long_read((atomic_long_t *)kp->arg));
}

static const struct kernel_param_ops lab_running_ops = {
	.set = lab_status_set,
	.get = lab_running_get,
};

static const struct kernel_param_ops lab_counter_ops = {
	.set = lab_status_set,
	.get = lab_counter_get,
};

module_param_cb(running, &lab_running_ops, NULL, 0444);
MODULE_PARM_DESC(running, "threads that have not finished their loops or duration (read-only)");
module_param_cb(calls, &lab_counter_ops, &lab_calls, 0444);
MODULE_PARM_DESC(calls, "reclaim calls made by all threads (read-only)");
module_param_cb(reclaimed, &lab_counter_ops, &lab_reclaimed, 0444);
MODULE_PARM_DESC(reclaimed, "pages reclaimed by all threads (read-only)");

/* ---- state ---- */

struct lab_worker {
	struct task_struct *task;
	int cpu;
};

static struct lab_worker *lab_workers;
static int lab_nr_workers;
static struct cgroup_subsys_state *lab_css;
static struct mem_cgroup *lab_memcg;
static lab_reclaim_fn lab_try_to_free;
static lab_css_from_dir_fn lab_css_from_dir;

/* ---- symbols ---- */

<#if kprobeLookup>
/* "0x1c/0x90" or "1c/0x90" as sprint_symbol prints an offset: the hex number before the '/'. */
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

/*
 * kallsyms_lookup_name is not exported since 5.7: a kprobe on it resolves its address. Some
 * architectures place the probe past the function's first instruction (x86 with IBT skips endbr64),
 * so the symbol's offset is taken off again before the address is used as a function.
 */
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

#ifdef CONFIG_X86_KERNEL_IBT
/*
 * With IBT the kernel seals the functions nobody takes the address of: their ENDBR64 becomes a NOP, and
 * calling one through a pointer faults. Refuse to load rather than call such a function.
 */
static bool lab_callable(unsigned long addr, const char *name)
{
	u32 insn;

	if (copy_from_kernel_nofault(&insn, (void *)addr, sizeof(insn)) || insn != 0xfa1e0ff3) {
		pr_err("%s at %px does not start with ENDBR64 (sealed by IBT): a module cannot call it on this kernel\n",
		       name, (void *)addr);
		return false;
	}
	return true;
}
#else
static bool lab_callable(unsigned long addr, const char *name)
{
	return true;
}
#endif

static int lab_find_symbols(void)
{
	lab_lookup_fn lookup;
	unsigned long lookup_addr = lab_find_lookup();

	if (!lookup_addr || !lab_callable(lookup_addr, "kallsyms_lookup_name"))
		return -ENOENT;
	lookup = (lab_lookup_fn)lookup_addr;

	lab_try_to_free = (lab_reclaim_fn)lookup("try_to_free_mem_cgroup_pages");
	if (!lab_try_to_free) {
		pr_err("symbol try_to_free_mem_cgroup_pages not found in kallsyms\n");
		return -ENOENT;
	}
	lab_css_from_dir = (lab_css_from_dir_fn)lookup("css_tryget_online_from_dir");
	if (!lab_css_from_dir) {
		pr_err("symbol css_tryget_online_from_dir not found in kallsyms\n");
		return -ENOENT;
	}
	if (!lab_callable((unsigned long)lab_try_to_free, "try_to_free_mem_cgroup_pages") ||
	    !lab_callable((unsigned long)lab_css_from_dir, "css_tryget_online_from_dir"))
		return -ENOENT;
	pr_info("symbols: kallsyms_lookup_name %px (%s), try_to_free_mem_cgroup_pages %px, css_tryget_online_from_dir %px\n",
		(void *)lookup_addr, <#if kprobeLookup>"via kprobe"<#else>"exported"</#if>,
		(void *)lab_try_to_free, (void *)lab_css_from_dir);
	return 0;
}

/* ---- the cgroup ---- */

static int lab_open_memcg(void)
{
	struct path path;
	struct cgroup_subsys_state *css;
	const char *fs;
	int ret;

	if (!cgroup || cgroup[0] != '/') {
		pr_err("cgroup= must be the absolute path of a cgroup directory, e.g. /sys/fs/cgroup/lab-x (got %s)\n",
		       cgroup ? cgroup : "nothing");
		return -EINVAL;
	}
	ret = kern_path(cgroup, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &path);
	if (ret) {
		pr_err("cgroup %s: cannot open that directory (%d)\n", cgroup, ret);
		return ret;
	}
	fs = path.dentry->d_sb->s_type->name;
	css = lab_css_from_dir(path.dentry, &memory_cgrp_subsys);
	path_put(&path);
	if (IS_ERR_OR_NULL(css)) {
		ret = css ? PTR_ERR(css) : -ENOENT;
		if (ret == -EBADF)
			pr_err("cgroup %s: not a directory of a cgroup file system (it is on %s)\n", cgroup, fs);
		else
			pr_err("cgroup %s: not a memory cgroup (%d): on cgroup v1 use the memory hierarchy's directory, on v2 enable +memory in the parent's cgroup.subtree_control\n",
			       cgroup, ret);
		return ret;
	}
	lab_css = css;
	lab_memcg = mem_cgroup_from_css(css);
	pr_info("memcg %s (%s), held until unload\n", cgroup,
		strcmp(fs, "cgroup2") == 0 ? "cgroup v2" : "cgroup v1 memory hierarchy");
	return 0;
}

/* ---- the threads ---- */

static int lab_worker_fn(void *data)
{
	struct lab_worker *w = data;
	unsigned long deadline = jiffies + msecs_to_jiffies(duration_ms);
	unsigned long loops_done = 0, calls = 0, reclaimed = 0;
	unsigned int node;
	u64 start = ktime_get_ns();
	const char *why = "loops done";

	while (loops == 0 || loops_done < loops) {
		for (node = 0; node < nodes; node++) {
			unsigned long got;

			if (kthread_should_stop()) {
				why = "stopped by unload";
				goto done;
			}
			if (duration_ms && time_after_eq(jiffies, deadline)) {
				why = "duration reached";
				goto done;
			}
			got = LAB_RECLAIM(lab_try_to_free, lab_memcg, nr_pages);
			calls++;
			reclaimed += got;
			atomic_long_inc(&lab_calls);
			atomic_long_add(got, &lab_reclaimed);
			cond_resched();
		}
		loops_done++;
	}
done:
	pr_info("cpu%d: %lu loops, %lu calls, %lu pages reclaimed in %llu ms (%s)\n", w->cpu, loops_done, calls,
		reclaimed, (unsigned long long)div_u64(ktime_get_ns() - start, NSEC_PER_MSEC), why);
	atomic_dec(&lab_running);

	/* Finished: idle until the module is removed. */
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static void lab_stop_workers(void)
{
	int i;

	for (i = 0; i < lab_nr_workers; i++) {
		if (lab_workers[i].task)
			kthread_stop(lab_workers[i].task);
		lab_workers[i].task = NULL;
	}
}

static int lab_check_cpus(char *list, size_t size)
{
	int i, j, len = 0;

	if (nr_cpus_given == 0) {
		pr_err("cpus= is empty: name the CPUs to run reclaim threads on, e.g. cpus=0,1\n");
		return -EINVAL;
	}
	for (i = 0; i < nr_cpus_given; i++) {
		int cpu = cpus[i];

		if (cpu < 0 || cpu >= nr_cpu_ids) {
			pr_err("cpu %d is out of range (this kernel has CPU ids 0..%u)\n", cpu, nr_cpu_ids - 1);
			return -EINVAL;
		}
		if (!cpu_online(cpu)) {
			pr_err("cpu %d is offline\n", cpu);
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (cpus[j] == cpu) {
				pr_err("cpu %d is named twice in cpus=\n", cpu);
				return -EINVAL;
			}
		}
		len += scnprintf(list + len, size - len, "%s%d", i ? "," : "", cpu);
	}
	return 0;
}

static int __init lab_init(void)
{
	char cpu_list[LAB_MAX_CPUS * 5];
	int i, ret;

	ret = lab_check_cpus(cpu_list, sizeof(cpu_list));
	if (ret)
		return ret;
	if (nodes == 0) {
		pr_err("nodes=0 would make no reclaim calls: give at least 1\n");
		return -EINVAL;
	}
	ret = lab_find_symbols();
	if (ret)
		return ret;
	ret = lab_open_memcg();
	if (ret)
		return ret;

	pr_info("rendered for %s; %s\n", "${kernel.release?j_string}", LAB_CALL_FORM);
	pr_info("cpus %s, loops %lu%s, nodes %u, nr_pages %lu, duration_ms %lu%s, gfp %s (%#x)\n", cpu_list, loops,
		loops ? "" : " (no limit)", nodes, nr_pages, duration_ms, duration_ms ? "" : " (no limit)",
		LAB_GFP_TEXT, (unsigned int)(__force unsigned int)LAB_GFP);

	lab_workers = kcalloc(nr_cpus_given, sizeof(*lab_workers), GFP_KERNEL);
	if (!lab_workers) {
		ret = -ENOMEM;
		goto put_css;
	}
	for (i = 0; i < nr_cpus_given; i++) {
		struct task_struct *t;

		lab_workers[i].cpu = cpus[i];
		t = kthread_create(lab_worker_fn, &lab_workers[i], "lab_stress/%d", cpus[i]);
		if (IS_ERR(t)) {
			ret = PTR_ERR(t);
			pr_err("cannot create the thread for cpu %d (%d)\n", cpus[i], ret);
			goto stop;
		}
		kthread_bind(t, cpus[i]);
		lab_workers[i].task = t;
		lab_nr_workers = i + 1;
	}
	atomic_set(&lab_running, lab_nr_workers);
	for (i = 0; i < lab_nr_workers; i++)
		wake_up_process(lab_workers[i].task);
	pr_info("%d threads started\n", lab_nr_workers);
	return 0;

stop:
	/* Threads not yet woken exit without running lab_worker_fn. */
	lab_stop_workers();
	kfree(lab_workers);
	lab_workers = NULL;
put_css:
	css_put(lab_css);
	return ret;
}

static void __exit lab_exit(void)
{
	lab_stop_workers();
	kfree(lab_workers);
	css_put(lab_css);
	pr_info("unloaded: %ld calls, %ld pages reclaimed in all\n", atomic_long_read(&lab_calls),
		atomic_long_read(&lab_reclaimed));
}

module_init(lab_init);
module_exit(lab_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("reclaim-lab: memcg reclaim threads on chosen CPUs (rendered for ${kernel.release?j_string})");
