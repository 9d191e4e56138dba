/*
 * The differential probes: tests/probe/probe.c (the C runtime, built as the
 * host tool builds it, probe_c, and for 32-bit addresses, probe_c32) and
 * runtime/rust/examples/probe.rs (the crate, probe) each print what their
 * reader answers on one input, line for line alike, so that two readers of
 * one table can be compared (test_rust.c, test_runtime_addr32.c).
 */
#ifndef TESTS_PROBES_H
#define TESTS_PROBES_H

#include <stddef.h>
#include <stdint.h>

/* The probe input for a patched ELF: its count (u64, little-endian), flags, the placeholder. */
unsigned char *probe_input(const char *elf, size_t *len);

/* The table in a probe input. */
#define PROBE_TABLE(in) ((in) + 9)

/* The patched ELFs: every fixture the patcher handles, the C++ one demangled, every board kernel. */
size_t patched_elfs(char **elfs, size_t max);

/* Probes a and b (build/rust/a, build/rust/b) on file: equal output, both exiting 0; a's output. */
char *probes_agree(const char *a, const char *b, const char *file);

/*
 * Into m, input in (len bytes) with one to four bytes of its table changed
 * and the flag set that has the probes reseal its checksum, so that open
 * accepts many; *seed drives a small deterministic generator, so that a
 * failure names a mutant that can be made again.
 */
void probe_damage(unsigned char *m, const unsigned char *in, size_t len, uint32_t *seed);

#endif
