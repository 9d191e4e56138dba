# Benchmark: ksympatch against binutils on large synthetic kernels, and the
# runtime's lookup in process.
#
#   make bench [BENCH_RUNS=5] [BENCH_A2L_RUNS=3] [BENCH_NS="1000 10000 100000 1000000"]
#
# Prints one Markdown table (medians, the compared commands alternating run
# by run), writes it to $(BUILD)/bench/results.md, plots the scaling to
# $(BUILD)/bench/scaling.png, and copies both to docs/ as bench-results.md
# and bench-scaling.png.  The generated kernels stay in $(BUILD)/bench; the
# driver is tests/bench/run.sh.

BENCH          := $(BUILD)/bench
BENCH_NS       ?= 1000 10000 100000 1000000
BENCH_LOOKUP_N ?= 100000
BENCH_RUNS     ?= 5
BENCH_A2L_RUNS ?= 3
BENCH_CFLAGS   := -std=gnu11 -O2 -Wall -Wextra -Werror -Iruntime/include -Ipatcher
BENCH_TOOLS    := $(BENCH)/bin/gen_kernel $(BENCH)/bin/gen_lk $(BENCH)/bin/gen_addrs $(BENCH)/bin/runstat \
	$(BENCH)/bin/bench_lookup $(BENCH)/bin/density $(BENCH)/bin/insns $(BENCH)/bin/kallsyms

$(BENCH)/bin/%: tests/bench/%.c | deps
	$(call msg,HOSTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(BENCH_CFLAGS) -o $@ $<

$(BENCH)/bin/gen_kernel $(BENCH)/bin/bench_lookup: tests/bench/names.h
$(BENCH)/bin/bench_lookup $(BENCH)/bin/insns: tests/bench/bare_search.h
$(BENCH)/bin/density $(BENCH)/bin/insns: tests/bench/blob.h

# The runtime and encoder objects ksympatch itself is built from (-O2).
$(BENCH)/bin/bench_lookup: tests/bench/bench_lookup.c $(BUILD)/host/runtime/ksym.o $(CORE_OBJS) \
		patcher/ksympatch.h | deps
	$(call msg,HOSTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(BENCH_CFLAGS) -o $@ $(filter %.c %.o,$^)

$(BENCH)/bin/density $(BENCH)/bin/insns: $(BENCH)/bin/%: tests/bench/%.c $(BUILD)/host/runtime/ksym.o | deps
	$(call msg,HOSTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(BENCH_CFLAGS) -o $@ $^

# kernel-N.elf: N functions, left unpatched, with a placeholder of the
# table's size plus 50% (rounded up to 4 KiB; issue 17's case): linked first
# with gen_kernel's upper bound (version 1's 22 bytes a symbol and the name),
# patched once to learn the table's size (`patch -v`), linked again.
# kernel16m-N.elf: the same N functions with a 16 MiB placeholder.  The
# assembly (260 MB at N = 1M) and the object are deleted once linked.
BENCH_LD = $(CROSS_COMPILE)ld --no-warn-rwx-segments -L linker_scripts -T tests/fixtures/fixture.ld
$(BENCH)/kernel-%.elf: $(BENCH)/bin/gen_kernel tests/fixtures/fixture.ld linker_scripts/kernel_symbols.ld \
		tests/bench.mk | $(BUILD)/ksympatch
	$(call msg,GEN,$@)
	$(Q)size=$$($(BENCH)/bin/gen_kernel $* $(BENCH)/kernel-$*.S) && \
	$(CROSS_COMPILE)gcc -c $(BENCH)/kernel-$*.S -o $(BENCH)/kernel-$*.o && \
	$(BENCH_LD) --defsym KSYM_TABLE_SIZE=$$size -o $@.tmp $(BENCH)/kernel-$*.o && \
	table=$$($(BUILD)/ksympatch patch -v $@.tmp -o $@.probe | sed -n 's/.* symbols, \([0-9]*\) of .*/\1/p') && \
	[ -n "$$table" ] && \
	$(BENCH_LD) --defsym KSYM_TABLE_SIZE=$$(( (table * 3 / 2 + 4095) / 4096 * 4096 )) -o $@.tmp \
		$(BENCH)/kernel-$*.o && mv $@.tmp $@; \
	status=$$?; rm -f $(BENCH)/kernel-$*.S $(BENCH)/kernel-$*.o $@.tmp $@.probe; exit $$status

$(BENCH)/kernel16m-%.elf: $(BENCH)/bin/gen_kernel tests/fixtures/fixture.ld linker_scripts/kernel_symbols.ld \
		tests/bench.mk
	$(call msg,GEN,$@)
	$(Q)$(BENCH)/bin/gen_kernel $* $(BENCH)/kernel16m-$*.S >/dev/null && \
	$(CROSS_COMPILE)gcc -c $(BENCH)/kernel16m-$*.S -o $(BENCH)/kernel16m-$*.o && \
	$(BENCH_LD) --defsym KSYM_TABLE_SIZE=16777216 -o $@.tmp $(BENCH)/kernel16m-$*.o && mv $@.tmp $@; \
	status=$$?; rm -f $(BENCH)/kernel16m-$*.S $(BENCH)/kernel16m-$*.o $@.tmp; exit $$status

# lk.elf: the lk-like set of the density table (2,500 symbols, a third C++), unpatched.
$(BENCH)/lk.elf: $(BENCH)/bin/gen_lk tests/fixtures/fixture.ld linker_scripts/kernel_symbols.ld
	$(call msg,GEN,$@)
	$(Q)$(BENCH)/bin/gen_lk $(BENCH)/lk.S >/dev/null && \
	$(CROSS_COMPILE)gcc -c $(BENCH)/lk.S -o $(BENCH)/lk.o && \
	$(CROSS_COMPILE)ld --no-warn-rwx-segments -L linker_scripts -T tests/fixtures/fixture.ld \
		--defsym KSYM_TABLE_SIZE=32768 -o $@ $(BENCH)/lk.o; \
	status=$$?; rm -f $(BENCH)/lk.S $(BENCH)/lk.o; exit $$status

# cxx.elf: the mangled C++ set of the density table, as issue 17 measured it:
# 3,000 of libLLVM-14's mangled function names (every 7th, sorted; 70 bytes
# on average), from Debian's llvm package (tests/deps.mk), unpatched.
BENCH_LLVM_LIB := /usr/lib/llvm-14/lib/libLLVM-14.so
$(BENCH)/cxx.names: | deps
	$(call msg,GEN,$@)
	$(Q)nm -D --defined-only $(BENCH_LLVM_LIB) | \
	awk '$$2 == "T" { sub(/@.*/, "", $$3); if ($$3 ~ /^_Z[A-Za-z0-9_]*$$/ && length($$3) < 1000) print $$3 }' | \
	LC_ALL=C sort -u | awk 'NR % 7 == 0' | head -n 3000 >$@.tmp && mv $@.tmp $@

$(BENCH)/cxx.elf: $(BENCH)/bin/gen_lk $(BENCH)/cxx.names tests/fixtures/fixture.ld linker_scripts/kernel_symbols.ld
	$(call msg,GEN,$@)
	$(Q)size=$$($(BENCH)/bin/gen_lk $(BENCH)/cxx.S $(BENCH)/cxx.names) && \
	$(CROSS_COMPILE)gcc -c $(BENCH)/cxx.S -o $(BENCH)/cxx.o && \
	$(CROSS_COMPILE)ld --no-warn-rwx-segments -L linker_scripts -T tests/fixtures/fixture.ld \
		--defsym KSYM_TABLE_SIZE=$$size -o $@ $(BENCH)/cxx.o; \
	status=$$?; rm -f $(BENCH)/cxx.S $(BENCH)/cxx.o; exit $$status

# The real-name set of the density table: the static glibc fixture (tests.mk).
bench: $(BUILD)/ksympatch $(BENCH_TOOLS) $(BENCH_NS:%=$(BENCH)/kernel-%.elf) $(FIX)/glibc.elf $(BENCH)/lk.elf \
		$(BENCH)/cxx.elf $(BENCH)/kernel16m-$(BENCH_LOOKUP_N).elf
	$(Q)sh tests/bench/run.sh -k $(BUILD)/ksympatch -b $(BENCH)/bin -c $(CROSS_COMPILE) \
		-o $(BENCH) -d docs -r $(BENCH_RUNS) -a $(BENCH_A2L_RUNS) -l $(BENCH_LOOKUP_N) \
		-g $(FIX)/glibc.elf -x $(BENCH)/lk.elf -p $(BENCH)/cxx.elf -m $(BENCH)/kernel16m-$(BENCH_LOOKUP_N).elf $(BENCH_NS)

.PHONY: bench
