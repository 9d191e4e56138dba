# QEMU virt, AArch64 little-endian, MMU off: the demo kernel in Rust, on the
# ksym crate (runtime/rust), nothing in C; virt's linker script.  Patched
# with --demangle, so its table holds rkernel::demo::level1, as nm -C and
# addr2line -f -C print it.  The gnu build links with GNU ld and legacy
# mangling, the llvm one with ld.lld and v0 mangling.
virt-rust_ARCH        := aarch64
virt-rust_RUST        := aarch64-unknown-none-softfloat
virt-rust_LDS         := linker_scripts/virt.ld
# virt's addresses (the boot option's, for make run and the tests)
virt-rust_INC         := board/plat/virt
virt-rust_MACHINE     := -M virt -cpu cortex-a57 -m 128M
virt-rust_WHAT        := QEMU virt, AArch64, MMU off, the demo kernel in Rust (ksym crate), PSCI power-off
virt-rust_FAULTS      := dabort undef brk none nested panic
virt-rust_PATCH_FLAGS := --demangle
virt-rust_LDFLAGS_llvm := -m aarch64elf
