# ksympatch: single-link kernel symbol tables.
#
#   make            build ksympatch and the patched demo kernel build/kernel.elf
#   make patch      the post-link step alone: ksympatch on the linked kernel
#   make run        boot the demo kernel in QEMU (BOARD=virt|virt-be|virt-riscv64|...,
#                   FAULT=dabort|undef|brk|none|nested|shell)
#   make debug      the same, stopped, with gdb-multiarch attached
#   make test       all tests: unit, CLI and QEMU (Criterion), sanitizers, fuzz smoke
#   make fuzz       fuzz each target FUZZ_SECONDS (default 60)
#   make bench      the benchmark table (docs/bench-results.md)
#   make install    ksympatch, its manual page, the runtime, the linker and make fragments,
#                   the CMake package (lib/cmake/ksympatch), the Rust crate (share/ksympatch/rust)
#                   under $(DESTDIR)$(PREFIX) (PREFIX=/usr/local); make uninstall
#   make clean      remove build/
#
# Quiet by default; V=1 prints every command.  Missing Debian packages are
# installed by the `deps` step (apt-get, as root or through sudo).

CROSS_COMPILE ?= aarch64-linux-gnu-
HOSTCC        ?= cc
BUILD         ?= build
TOOLCHAIN     ?= gnu

Q   := $(if $(V),,@)
msg  = $(if $(V),,@printf '  %-8s %s\n' '$(1)' '$(2)';)

HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iruntime/include -MMD -MP
HOST_LIBS   := -lbfd

all: $(BUILD)/ksympatch kernel

include tests/deps.mk

# ---- ksympatch (host) ----------------------------------------------------

# The pure core (no I/O: the unit tests link it alone) and the I/O side.
CORE_SRCS    := patcher/select.c patcher/encode.c patcher/name_sort.c patcher/tokens.c patcher/fit.c patcher/alloc.c
IO_SRCS      := patcher/main.c patcher/cli.c patcher/cmd_patch.c patcher/cmd_dump.c patcher/cmd_lookup.c \
	patcher/cmd_verify.c patcher/table.c \
	patcher/build.c patcher/elf_file.c patcher/elf_raw.c patcher/elf_symbols.c patcher/elf_place.c \
	patcher/raw_image.c patcher/input.c patcher/write.c patcher/cleanup.c patcher/diag.c patcher/demangle.c
PATCHER_SRCS := $(CORE_SRCS) $(IO_SRCS)
CORE_OBJS    := $(CORE_SRCS:%.c=$(BUILD)/host/%.o)
RUNTIME_SRCS := runtime/ksym.c
HOST_OBJS    := $(PATCHER_SRCS:%.c=$(BUILD)/host/%.o) $(RUNTIME_SRCS:%.c=$(BUILD)/host/%.o)

define host_cc
	$(call msg,HOSTCC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@
endef

$(BUILD)/host/%.o: %.c | deps
	$(host_cc)

# The same objects with AddressSanitizer and UndefinedBehaviorSanitizer.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
$(BUILD)/san/%.o: HOST_CFLAGS += $(SAN_FLAGS)
$(BUILD)/san/%.o: %.c | deps
	$(host_cc)

# The runtime is freestanding on the host too: the same code the kernel runs;
# its addresses in 64 bits whatever the host's: the tool reads every kernel's table.
$(BUILD)/host/runtime/%.o $(BUILD)/san/runtime/%.o: HOST_CFLAGS += -ffreestanding -DKSYM_ADDR_BITS=64

$(BUILD)/ksympatch: $(HOST_OBJS)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOSTCC) -o $@ $^ $(HOST_LIBS)

$(BUILD)/san/ksympatch: $(HOST_OBJS:$(BUILD)/host/%=$(BUILD)/san/%)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOSTCC) $(SAN_FLAGS) -o $@ $^ $(HOST_LIBS)

# ---- demo kernel and tests ------------------------------------------------

include runtime/rust/rust.mk
include board/board.mk
include tests/tests.mk
include tests/fuzz.mk
include tests/bench.mk

# ---- make test -------------------------------------------------------------

# Everything the runs need is built first (in parallel); then the sanitizer
# run and the fuzz runs go side by side, one a core; the plain run goes
# last: its Criterion summary closes the output.
TEST_JOBS ?= $(shell nproc)
test-prereqs: test-lint $(BUILD)/san/tests/ksym_tests $(BUILD)/san/ksympatch $(BUILD)/tests/ksym_tests \
		$(BUILD)/ksympatch fixtures $(TEST_KERNELS) $(CRASH_PREREQS) $(FUZZ_TARGETS:%=$(FUZZ)/fuzz_%) \
		$(FUZZ)/seeds/.done $(BUILD)/rust/probe $(BUILD)/rust/probe_c $(BUILD)/rust/probe_c32 test-rust-crate
	@:

test:
	$(Q)$(MAKE) --no-print-directory -j$(TEST_JOBS) test-prereqs
	$(Q)$(MAKE) --no-print-directory -j$(TEST_JOBS) test-san test-fuzz
	$(Q)$(MAKE) --no-print-directory test-unit

.PHONY: test test-prereqs

# ---- install ---------------------------------------------------------------

PREFIX  ?= /usr/local
DESTDIR ?=
INSTALL_ROOT := $(DESTDIR)$(PREFIX)
RUNTIME_HEADERS := $(wildcard runtime/include/ksym/*.h)
RUST_CRATE_FILES := runtime/rust/Cargo.toml $(wildcard runtime/rust/src/*.rs)
INSTALLED := bin/ksympatch share/man/man1/ksympatch.1 $(RUNTIME_HEADERS:runtime/%=%) \
	share/ksympatch/ksym.c share/ksympatch/kernel_symbols.ld share/ksympatch/ksympatch.mk \
	lib/cmake/ksympatch/ksympatchConfig.cmake $(RUST_CRATE_FILES:runtime/%=share/ksympatch/%)

install: $(BUILD)/ksympatch
	$(call msg,INSTALL,$(INSTALL_ROOT))
	$(Q)install -D -m 755 $(BUILD)/ksympatch $(INSTALL_ROOT)/bin/ksympatch
	$(Q)install -D -m 644 docs/ksympatch.1 $(INSTALL_ROOT)/share/man/man1/ksympatch.1
	$(Q)install -D -m 644 -t $(INSTALL_ROOT)/include/ksym $(RUNTIME_HEADERS)
	$(Q)install -D -m 644 -t $(INSTALL_ROOT)/share/ksympatch runtime/ksym.c linker_scripts/kernel_symbols.ld \
		runtime/ksympatch.mk
	$(Q)install -D -m 644 cmake/ksympatchConfig.cmake $(INSTALL_ROOT)/lib/cmake/ksympatch/ksympatchConfig.cmake
	$(Q)install -D -m 644 runtime/rust/Cargo.toml $(INSTALL_ROOT)/share/ksympatch/rust/Cargo.toml
	$(Q)install -D -m 644 -t $(INSTALL_ROOT)/share/ksympatch/rust/src $(filter %.rs,$(RUST_CRATE_FILES))

uninstall:
	$(call msg,UNINSTALL,$(INSTALL_ROOT))
	$(Q)rm -f $(INSTALLED:%=$(INSTALL_ROOT)/%)
	$(Q)rmdir $(INSTALL_ROOT)/include/ksym $(INSTALL_ROOT)/share/ksympatch/rust/src $(INSTALL_ROOT)/share/ksympatch/rust \
		$(INSTALL_ROOT)/share/ksympatch $(INSTALL_ROOT)/lib/cmake/ksympatch \
		2>/dev/null || true

.PHONY: install uninstall

clean:
	$(call msg,CLEAN,$(BUILD))
	$(Q)rm -rf $(BUILD)

.PHONY: all clean

# Header dependencies of every host object, plain and sanitized (board.mk has the kernel's).
HOST_DEPS := $(patsubst %.o,%.d,$(HOST_OBJS) $(filter $(BUILD)/host/%,$(TEST_OBJS)))
-include $(HOST_DEPS) $(HOST_DEPS:$(BUILD)/host/%=$(BUILD)/san/%)
