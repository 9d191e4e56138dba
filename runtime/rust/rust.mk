# The Rust side: the ksym crate's tests, the differential probes, and the
# bare-metal sysroot that the Rust boards build against.  Included from the
# top Makefile.
#
# Debian's rustc 1.63 and cargo 1.65 (tests/deps.mk installs them) build
# everything here, named by path: rustup's rustc, where there is one, comes
# first in PATH and has no bare-metal core.  `cargo -Z build-std` cannot
# work offline (Debian's rust-src has no Cargo.lock), so the sysroot's two
# crates are built with rustc directly, once, under $(RUST_SYSROOT):
#   core               from rust-src, with frame pointers (a backtrace
#                      through a panic passes core::panicking)
#   compiler_builtins  0.1.70 from librust-compiler-builtins-dev, with the
#                      cfgs its build.rs gives a *-none target (mem: memcpy
#                      and friends) but mem-unaligned: the boards run with
#                      the MMU off, where an unaligned access faults
# Where rustup's stable toolchain is installed too, the crate's tests run
# under it as well.

RUSTC_DEB    := /usr/bin/rustc
# (cargo gets no jobserver from make here: without MAKEFLAGS it runs its own jobs, and does not warn)
CARGO_DEB    := env -u MAKEFLAGS -u MFLAGS RUSTC=$(RUSTC_DEB) /usr/bin/cargo
RUST_SYSROOT := $(abspath $(BUILD))/rust/sysroot
RUST_SRC     := /usr/lib/rustlib/src/rust/library/core/src/lib.rs
RUST_CB_SRC  := /usr/share/cargo/registry/compiler_builtins-0.1.70/src/lib.rs
RUST_CRATE_SRCS := $(wildcard runtime/rust/src/*.rs) runtime/rust/Cargo.toml
RUST_CB_CFGS := --cfg 'feature="compiler-builtins"' --cfg 'feature="mem"' --cfg 'feature="unstable"'
rust_lib     = $(RUST_SYSROOT)/lib/rustlib/$(1)/lib

$(RUST_SYSROOT)/lib/rustlib/%/lib/libcore.rlib: | deps
	$(call msg,RUSTC,core for $*)
	$(Q)mkdir -p $(@D)
	$(Q)RUSTC_BOOTSTRAP=1 $(RUSTC_DEB) --edition 2021 -Z force-unstable-if-unmarked --crate-type rlib \
		--crate-name core --target $* -C panic=abort -C opt-level=2 -C debuginfo=1 \
		-C force-frame-pointers=yes $(RUST_SRC) --out-dir $(@D)

$(RUST_SYSROOT)/lib/rustlib/%/lib/libcompiler_builtins.rlib: $(RUST_SYSROOT)/lib/rustlib/%/lib/libcore.rlib
	$(call msg,RUSTC,compiler_builtins for $*)
	$(Q)RUSTC_BOOTSTRAP=1 $(RUSTC_DEB) --edition 2015 -Z force-unstable-if-unmarked --crate-type rlib \
		--crate-name compiler_builtins --target $* -C panic=abort -C opt-level=2 $(RUST_CB_CFGS) \
		--sysroot $(RUST_SYSROOT) $(RUST_CB_SRC) --out-dir $(@D)

rust_sysroot = $(call rust_lib,$(1))/libcompiler_builtins.rlib
# (a pattern rule's product, but kept: make would take it for an intermediate file)
.PRECIOUS: $(RUST_SYSROOT)/lib/rustlib/%/lib/libcore.rlib $(RUST_SYSROOT)/lib/rustlib/%/lib/libcompiler_builtins.rlib

# The probes: the same table through the crate and through runtime/ksym.c (tests/test_rust.c).
$(BUILD)/rust/probe: runtime/rust/examples/probe.rs $(RUST_CRATE_SRCS) | deps
	$(call msg,CARGO,$@)
	$(Q)cd runtime/rust && $(CARGO_DEB) build -q --offline --release --example probe \
		--target-dir $(abspath $(BUILD))/rust/target
	$(Q)cp $(BUILD)/rust/target/release/examples/probe $@

# The C one twice: as the host tool builds the runtime, and for 32-bit addresses as a
# 32-bit core does (tests/test_runtime_addr32.c).
$(BUILD)/rust/probe_c: PROBE_ADDR_BITS := 64
$(BUILD)/rust/probe_c32: PROBE_ADDR_BITS := 32
$(BUILD)/rust/probe_c $(BUILD)/rust/probe_c32: tests/probe/probe.c tests/fuzz/fuzz_input.h $(RUNTIME_SRCS) \
		runtime/include/ksym/*.h | deps
	$(call msg,HOSTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iruntime/include -DKSYM_ADDR_BITS=$(PROBE_ADDR_BITS) \
		$(SAN_FLAGS) -o $@ tests/probe/probe.c $(RUNTIME_SRCS)

# cargo test --offline, under Debian's toolchain and rustup's stable where there is one.
RUSTUP_CARGO := $(wildcard $(HOME)/.cargo/bin/cargo)
cargo_test = cd runtime/rust && $(1) test -q --offline --target-dir $(abspath $(BUILD))/rust/$(2) 2>&1 | \
	grep -E '^(test result|error|warning|thread|---- )' | grep -v ' 0 passed; 0 failed'; exit $${PIPESTATUS[0]}

test-rust-crate: SHELL := /bin/bash
test-rust-crate: | deps
	$(call msg,CARGO,test runtime/rust (rustc 1.63, Debian))
	$(Q)$(call cargo_test,$(CARGO_DEB),target)
ifneq ($(RUSTUP_CARGO),)
	$(call msg,CARGO,test runtime/rust (rustup stable))
	$(Q)$(call cargo_test,env -u MAKEFLAGS -u MFLAGS $(RUSTUP_CARGO),stable)
endif

# The test data of the crate's own tests (runtime/rust/tests/data, checked
# in; written by its make.sh): tables ksympatch wrote into fixtures, and
# nm -n -S (-C) of the same ELFs.
RUST_DATA := runtime/rust/tests/data
rust-test-data: $(BUILD)/ksympatch fixtures
	$(Q)for f in gnu-le:aarch64-linux-gnu- gnu-be:aarch64-linux-gnu- lld-arm32:arm-none-eabi- \
		glibc:aarch64-linux-gnu- llvm:aarch64-linux-gnu- cxx:aarch64-linux-gnu-:--demangle=full; do \
		set -- $$(echo $$f | tr : ' '); \
		$(RUST_DATA)/make.sh $(BUILD)/ksympatch $$2 $(FIX)/$$1.elf $$1 $$3 || exit 1; done

.PHONY: test-rust-crate rust-test-data
