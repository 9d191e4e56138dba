/*
 * Kernel-like symbol names for the benchmark's generated kernels and tables:
 * 20 to 60 bytes, subsystem prefixes shared by many names, a unique number
 * at the end.  Shared by gen_kernel.c and bench_lookup.c so both measure the
 * same names.
 */
#ifndef BENCH_NAMES_H
#define BENCH_NAMES_H

#include <stdio.h>

static const char *const bench_prefixes[] = {
	"drivers_net_ethernet_", "kernel_sched_fair_", "mm_page_alloc_", "fs_ext4_inode_",
	"arch_arm64_kernel_", "net_ipv4_tcp_", "lib_crypto_sha256_", "drivers_gpu_drm_",
	"kernel_irq_chip_", "fs_proc_base_", "block_blk_mq_", "sound_soc_codecs_",
};
static const char *const bench_words[] = {
	"update_curr", "enqueue_entity", "alloc_pages", "free_one_page", "handle_irq",
	"xmit_frame", "read_folio", "write_begin", "set_next_buddy", "probe",
	"remove_device", "init_module", "get_link_ksettings", "poll_controller",
	"do_page_fault", "sync_inode_metadata", "queue_rq", "complete_request",
};

/* Name number i into buf (at least 96 bytes); returns its length. */
static inline int bench_name(char *buf, size_t len, unsigned long i)
{
	size_t np = sizeof(bench_prefixes) / sizeof(bench_prefixes[0]);
	size_t nw = sizeof(bench_words) / sizeof(bench_words[0]);
	const char *p = bench_prefixes[i % np], *w = bench_words[(i / np) % nw];

	/* Vary the length: every third name repeats its word. */
	return i % 3 ? snprintf(buf, len, "%s%s_%lu", p, w, i)
		     : snprintf(buf, len, "%s%s_%s_%lu", p, w, w, i);
}

#endif
