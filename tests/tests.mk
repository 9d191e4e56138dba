# Tests: fixture ELFs built from tests/fixtures with every toolchain and
# target, the Criterion test binary, and `make test`.
#
# Which test file covers which source (each suite is named after its file):
#   test_cli.c              patcher/cli.c            the command line, usage errors, output reaching stdout
#   test_cmd_patch.c        patcher/cmd_patch.c      what patch writes and refuses; --shrink
#   test_cmd_dump.c         patcher/cmd_dump.c       dump = nm -n -S
#   test_cmd_lookup.c       patcher/cmd_lookup.c     lookup = addr2line -f; -r, --name, --annotate
#   test_cmd_verify.c       patcher/cmd_verify.c     verify; raw, Intel HEX and S-record images
#   test_table.c            patcher/table.c          unusable tables in words; names whole, one line each
#   test_build.c            patcher/build.c          a table that does not fit
#   test_elf.c              patcher/elf_*.c, input.c reading the ELF; bad input, one line each
#   test_write.c            patcher/write.c          atomic, metadata-keeping writes, under faults
#   test_cleanup.c          patcher/cleanup.c        signals and a shrinking input leave nothing behind
#   test_select.c           patcher/select.c         which symbols go in, sizes of labels
#   test_x86_select.c       patcher/select.c         the same on i386 and x86_64 ELFs, against nm
#   test_encode.c           patcher/encode.c         density on a real program
#   test_fit.c              patcher/fit.c            --functions-only and --fit
#   test_demangle.c         patcher/demangle.c       --demangle = nm -C
#   test_runtime.c          runtime/ksym.c           open, lookups, round trips through encode.c
#   test_runtime_open.c     runtime/ksym.c           what ksym_open checks, what ksym_verify proves
#   test_runtime_api.c      runtime/ksym.c, ksym.h   names of any length, ksym_describe, the helpers
#   test_runtime_work.c     runtime/ksym.c           bounded work: records decoded among aliases
#   test_runtime_targets.c  runtime/ksym.c           links alone, no FP, stack, on every target
#   test_runtime_addr32.c   runtime/ksym.c           built for 32-bit addresses: the 64-bit build's answers
#   test_monitor.c          board/common/monitor.c   the console monitor, x NAME
#   test_kernel_symbols.c   linker_scripts/kernel_symbols.ld
#   test_gc_sections.c      linker_scripts/kernel_symbols.ld, kernel.h: the count kept by --gc-sections
#   test_install.c          make install, runtime/ksympatch.mk: an adopter outside the tree
#   test_cmake.c            cmake/ksympatchConfig.cmake: a firmware built through the package
#   test_qemu.c             board/                   every board booted, its reports against binutils
#   test_qemu_double_fault.c board/arch/x86          #DF on its own stack
#   test_cortexm_psp.c      board/arch/cortex-m      the frame read from the stack EXC_RETURN names
#   test_rust.c             runtime/rust             the crate and the C runtime: the same answers
#   test_qemu_rust.c        board/plat/virt-rust     the Rust kernel booted, its reports against binutils
#   runtime/rust/tests/     runtime/rust             cargo test: the crate on fixture tables, against nm
#   tests/lint/             the layout rules: file and function length, exit(), no cycles, helpers once
# Shared helpers live once, in helpers.c (commands, files, fixtures),
# damage.c (damaged tables) and probes.c (the differential probes); tests
# named inject_* inject faults or kill patches, and run in the plain run
# only.

FIX := $(BUILD)/fixtures

FIX_SRCS  := tests/fixtures/fixture.c tests/fixtures/fixture_b.c tests/fixtures/entry.S
FIX_CFLAGS = -O2 -ffreestanding -nostdlib -fno-pie -fno-pic -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -falign-functions=64 -Iruntime/include -Wall -Wextra -Werror $(FIX_EXTRA)

GNU_CC   := $(CROSS_COMPILE)gcc -mgeneral-regs-only
GNU_LD   := $(CROSS_COMPILE)ld --no-warn-rwx-segments
LLVM_CC  := clang --target=aarch64-none-elf -mgeneral-regs-only
LLVM_LD  := ld.lld

# Fixtures the patcher must handle: name -> compiler, linker, script.
FIXTURES := gnu-le gnu-be lld-le lld-be gnu-lma lld-lma lld-arm32 gnu-stale lld-thumb gnu-rv64 \
	gnu-local-count gnu-gc lld-gc gnu-bss-first
# Fixtures it must reject, each with its one-line error.
BAD_FIXTURES := gnu-nobits gnu-unloaded gnu-nosection gnu-count-bss gnu-count-u32 \
	gnu-nocount gnu-small lld-small gnu-two-local-counts

$(FIX)/%.elf: FIX_CC = $(GNU_CC)
$(FIX)/%.elf: FIX_LD = $(GNU_LD)
$(FIX)/%.elf: FIX_SCRIPT = fixture.ld
$(FIX)/gnu-be.elf:        FIX_CC = $(GNU_CC) -mbig-endian
$(FIX)/gnu-be.elf:        FIX_LD = $(GNU_LD) -EB
$(FIX)/lld-le.elf:        FIX_CC = $(LLVM_CC)
$(FIX)/lld-le.elf:        FIX_LD = $(LLVM_LD)
$(FIX)/lld-be.elf:        FIX_CC = clang --target=aarch64_be-none-elf -mgeneral-regs-only
$(FIX)/lld-be.elf:        FIX_LD = $(LLVM_LD)
$(FIX)/gnu-lma.elf:       FIX_SCRIPT = fixture_lma.ld
$(FIX)/lld-lma.elf:       FIX_CC = $(LLVM_CC)
$(FIX)/lld-lma.elf:       FIX_LD = $(LLVM_LD)
$(FIX)/lld-lma.elf:       FIX_SCRIPT = fixture_lma.ld
$(FIX)/lld-arm32.elf:     FIX_CC = clang --target=armv7a-none-eabi -marm -mfloat-abi=soft
$(FIX)/lld-arm32.elf:     FIX_LD = $(LLVM_LD)
$(FIX)/lld-thumb.elf:     FIX_CC = clang --target=armv7a-none-eabi -mthumb -mfloat-abi=soft
$(FIX)/lld-thumb.elf:     FIX_LD = $(LLVM_LD)
$(FIX)/gnu-rv64.elf:      FIX_CC = riscv64-linux-gnu-gcc -march=rv64gc -mabi=lp64d -mcmodel=medany
$(FIX)/gnu-rv64.elf:      FIX_LD = riscv64-linux-gnu-ld --no-warn-rwx-segments
$(FIX)/gnu-nobits.elf:    FIX_SCRIPT = fixture_nobits.ld
$(FIX)/gnu-unloaded.elf:  FIX_SCRIPT = fixture_unloaded.ld
$(FIX)/gnu-nosection.elf: FIX_SCRIPT = fixture_nosection.ld
$(FIX)/gnu-count-bss.elf: FIX_EXTRA = -DCOUNT_IN_BSS
$(FIX)/gnu-count-u32.elf: FIX_EXTRA = -DCOUNT_U32
$(FIX)/gnu-nocount.elf:   FIX_EXTRA = -DNO_COUNT
$(FIX)/gnu-stale.elf:     FIX_EXTRA = -DSTALE
$(FIX)/gnu-local-count.elf: FIX_EXTRA = -DLOCAL_COUNT
$(FIX)/gnu-bss-first.elf: FIX_SCRIPT = fixture_bss_first.ld
$(FIX)/gnu-gc.elf:        FIX_EXTRA = -ffunction-sections -fdata-sections
$(FIX)/gnu-gc.elf:        FIX_LD = $(GNU_LD) --gc-sections
$(FIX)/lld-gc.elf:        FIX_CC = $(LLVM_CC)
$(FIX)/lld-gc.elf:        FIX_EXTRA = -ffunction-sections -fdata-sections
$(FIX)/lld-gc.elf:        FIX_LD = $(LLVM_LD) --gc-sections
$(FIX)/gnu-two-local-counts.elf: FIX_EXTRA = -DLOCAL_COUNT -DNO_COUNT
$(FIX)/gnu-small.elf:     FIX_LD = $(GNU_LD) --defsym KSYM_TABLE_SIZE=256
$(FIX)/lld-small.elf:     FIX_LD = $(LLVM_LD) --defsym KSYM_TABLE_SIZE=256
$(FIX)/lld-small.elf:     FIX_CC = $(LLVM_CC)

$(FIX)/%.elf: $(FIX_SRCS) tests/fixtures/*.ld linker_scripts/kernel_symbols.ld runtime/include/ksym/*.h | deps
	$(call msg,FIXTURE,$@)
	$(Q)mkdir -p $(FIX)/$*
	$(Q)for s in $(FIX_SRCS); do \
		$(FIX_CC) $(FIX_CFLAGS) -c $$s -o $(FIX)/$*/$$(basename $$s).o || exit 1; done
	$(Q)$(FIX_LD) -L linker_scripts -T tests/fixtures/$(FIX_SCRIPT) -o $@ $(FIX)/$*/*.o

# A real program's symbols: static AArch64 glibc with a placeholder (32 KiB,
# and 16 KiB, where they do not all fit).
GLIBC_FIXTURES := glibc glibc-16k
$(FIX)/glibc-16k.elf: GLIBC_EXTRA = -DKSYM_TABLE_SIZE=16384
$(GLIBC_FIXTURES:%=$(FIX)/%.elf): tests/fixtures/glibc_main.c tests/fixtures/glibc_placeholder.c \
		runtime/include/ksym/*.h | deps
	$(call msg,FIXTURE,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CROSS_COMPILE)gcc -static -O2 -Wall -Wextra -Werror -Iruntime/include $(GLIBC_EXTRA) -o $@ \
		tests/fixtures/glibc_main.c tests/fixtures/glibc_placeholder.c

# A C++ kernel with Rust-mangled labels, on the virt board's code (GCC
# build), for the demangling tests: linked once, patched by the tests.
CXX_BOARD_OBJS := $(patsubst %,$(call board_dir,virt,gnu)/%.o,$(aarch64_SRCS) $(virt_SRCS) board/common/console.c \
	board/common/report.c runtime/ksym.c)
# The demo kernel's flags (board.mk), in C++ and without C's -std and -MMD.
CXX_FLAGS := $(filter-out -std=% -MMD -MP,$(KERNEL_CFLAGS)) $(aarch64_CFLAGS) -fno-exceptions -fno-rtti \
	-fno-threadsafe-statics -Iboard/arch/aarch64 -Iboard/plat/virt
$(FIX)/cxx.elf: tests/fixtures/cxx/kernel.cc tests/fixtures/cxx/rust.S $(CXX_BOARD_OBJS) linker_scripts/virt.ld \
		linker_scripts/demo_ram.ld \
		runtime/include/ksym/*.h | deps
	$(call msg,FIXTURE,$@)
	$(Q)mkdir -p $(FIX)/cxx
	$(Q)$(CROSS_COMPILE)g++ $(CXX_FLAGS) -c tests/fixtures/cxx/kernel.cc -o $(FIX)/cxx/kernel.o
	$(Q)$(CROSS_COMPILE)gcc -c tests/fixtures/cxx/rust.S -o $(FIX)/cxx/rust.o
	$(Q)$(GNU_LD) -nostdlib -static -L linker_scripts -T linker_scripts/virt.ld -o $@ \
		$(FIX)/cxx/kernel.o $(FIX)/cxx/rust.o $(CXX_BOARD_OBJS)

# Long mangled C++ names, more tokens than fit in a byte (format.h's
# two-byte codes, which a table takes where they save a tenth of it): 1,000
# of the benchmark's libLLVM names (every 3rd), as functions with gen_lk's
# sizes, in a placeholder of 64 KiB.
$(FIX)/llvm.elf: $(BUILD)/bench/bin/gen_lk $(BUILD)/bench/cxx.names tests/fixtures/fixture.ld linker_scripts/kernel_symbols.ld
	$(call msg,FIXTURE,$@)
	$(Q)mkdir -p $(FIX)/llvm
	$(Q)awk 'NR % 3 == 0' $(BUILD)/bench/cxx.names >$(FIX)/llvm/names && \
	$(BENCH)/bin/gen_lk $(FIX)/llvm/kernel.S $(FIX)/llvm/names >/dev/null && \
	$(CROSS_COMPILE)gcc -c $(FIX)/llvm/kernel.S -o $(FIX)/llvm/kernel.o && \
	$(CROSS_COMPILE)ld --no-warn-rwx-segments -L linker_scripts -T tests/fixtures/fixture.ld \
		--defsym KSYM_TABLE_SIZE=65536 -o $@ $(FIX)/llvm/kernel.o

include tests/x86_fixtures.mk

fixtures: $(FIX)/llvm.elf $(FIX)/cxx.elf $(FIXTURES:%=$(FIX)/%.elf) $(BAD_FIXTURES:%=$(FIX)/%.elf) $(GLIBC_FIXTURES:%=$(FIX)/%.elf)

# ---- Criterion tests -----------------------------------------------------

TEST_SRCS := $(wildcard tests/*.c)
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/host/%.o) $(CORE_OBJS) $(BUILD)/host/runtime/ksym.o \
	$(BUILD)/host/board/common/monitor.o

TEST_CFLAGS := -Ipatcher -Iboard/common $(shell pkg-config --cflags criterion 2>/dev/null)
$(BUILD)/host/tests/%.o $(BUILD)/san/tests/%.o: HOST_CFLAGS += $(TEST_CFLAGS)

$(BUILD)/tests/ksym_tests: $(TEST_OBJS)
	$(call msg,HOSTLD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) -o $@ $^ $$(pkg-config --libs criterion)

$(BUILD)/san/tests/ksym_tests: $(TEST_OBJS:$(BUILD)/host/%=$(BUILD)/san/%)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOSTCC) $(SAN_FLAGS) -o $@ $^ $$(pkg-config --libs criterion)

# Crash-safety helpers: the fault-injection shim and a large kernel to kill patches of.
$(BUILD)/tests/fault_inject.so: tests/fault_inject.c | deps
	$(call msg,HOSTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -Werror -shared -fPIC -o $@ $< -ldl

KILL_TEST_SYMBOLS := 20000
# The benchmark's generator (tests/bench.mk builds it).
$(BUILD)/tests/big.elf: $(BUILD)/bench/bin/gen_kernel tests/fixtures/fixture.ld linker_scripts/kernel_symbols.ld
	$(call msg,GEN,$@ ($(KILL_TEST_SYMBOLS) symbols))
	$(Q)mkdir -p $(@D) && size=$$($< $(KILL_TEST_SYMBOLS) $(@:.elf=.S)) && \
	$(CROSS_COMPILE)gcc -c $(@:.elf=.S) -o $(@:.elf=.o) && \
	$(GNU_LD) --defsym KSYM_TABLE_SIZE=$$size -L linker_scripts -T tests/fixtures/fixture.ld \
		-o $@ $(@:.elf=.o)

CRASH_PREREQS := $(BUILD)/tests/fault_inject.so $(BUILD)/tests/big.elf

TEST_ENV := KSYM_BUILD=$(BUILD) CROSS_COMPILE=$(CROSS_COMPILE)
TEST_KERNELS := $(ALL_KERNELS) $(ALL_KERNELS:.elf=.unpatched.elf) $(BOARD_ENVS)
# A sanitizer report must fail the run: distinct exit codes no test expects.
SAN_ENV  := ASAN_OPTIONS=exitcode=86:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=87

# Unit and CLI tests again (not the ones that boot QEMU: qemu, cmake,
# cortexm_psp), tests and tool both built with ASan and UBSan (the
# plain tool too: the install test installs it, and must not build it meanwhile).
test-san: $(BUILD)/san/tests/ksym_tests $(BUILD)/san/ksympatch fixtures $(BUILD)/ksympatch
	$(call msg,TEST,$< (ASan+UBSan))
	$(Q)$(TEST_ENV) $(SAN_ENV) KSYM_TOOL=$(BUILD)/san/ksympatch $< --filter='!(qemu*/*|cmake/*|cortexm_psp/*|*/inject_*)' $(TEST_ARGS)

test-unit: $(BUILD)/tests/ksym_tests $(BUILD)/ksympatch fixtures $(TEST_KERNELS) $(CRASH_PREREQS)
	$(call msg,TEST,$<)
	$(Q)$(TEST_ENV) $< $(TEST_ARGS)

# The layout rules (tests/lint): no patcher file over 500 lines, no function
# over 80, exit() only in main.c, no two patcher objects using each other.
test-lint: $(PATCHER_SRCS:%.c=$(BUILD)/host/%.o)
	$(call msg,LINT,patcher runtime)
	$(Q)tests/lint/layout.sh
	$(Q)tests/lint/no_cycles.sh $^

.PHONY: fixtures test-lint test-san test-unit
