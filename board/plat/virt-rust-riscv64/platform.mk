# QEMU virt, RV64GC, S-mode under QEMU's default OpenSBI, MMU off: the demo
# kernel in Rust, on the ksym crate (runtime/rust), nothing in C;
# virt-riscv64's linker script.  Patched with --demangle, so its table
# holds rkernel::demo::level1, as nm -C and addr2line -f -C print it.  The
# gnu build links with GNU ld and legacy mangling, the llvm one with ld.lld
# and v0 mangling.  -X: drop the assembler's temporary labels (LLVM's
# assembler leaves a .Lpcrel_hiN at every auipc of the global_asm!'s la and
# call, ld.lld keeps them, and addr2line would name one instead of _start).
virt-rust-riscv64_ARCH        := riscv64
virt-rust-riscv64_RUST        := riscv64gc-unknown-none-elf
virt-rust-riscv64_LDS         := linker_scripts/virt-riscv64.ld
# virt-riscv64's addresses (the boot option's, for make run and the tests)
virt-rust-riscv64_INC         := board/plat/virt-riscv64
virt-rust-riscv64_MACHINE     := -M virt -smp 1 -m 128M -bios default
virt-rust-riscv64_WHAT        := QEMU virt, RV64GC, S-mode under OpenSBI, MMU off, the demo kernel in Rust (ksym crate), SBI SRST power-off
virt-rust-riscv64_FAULTS      := dabort undef brk none nested panic
virt-rust-riscv64_PATCH_FLAGS := --demangle
virt-rust-riscv64_LDFLAGS_gnu  := -X
virt-rust-riscv64_LDFLAGS_llvm := -m elf64lriscv -X
