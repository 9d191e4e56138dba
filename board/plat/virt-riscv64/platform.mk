# QEMU virt, RV64GC, S-mode under QEMU's default OpenSBI (-bios default),
# MMU off, SBI SRST power-off.  -kernel takes the ELF: QEMU loads it by its
# program headers and hands its entry to OpenSBI as the next stage.
virt-riscv64_ARCH    := riscv64
virt-riscv64_SRCS    := board/plat/virt-riscv64/plat.c board/drivers/ns16550.c
virt-riscv64_LDS     := linker_scripts/virt-riscv64.ld
# -X: drop the assembler's temporary labels.  clang's assembler leaves one
# (.Lpcrel_hiN) at every auipc of a la/call and ld.lld 14 keeps them; in
# assembly without DWARF functions (boot.S) addr2line would name the label
# instead of _start.  GNU ld drops them anyway.
virt-riscv64_LDFLAGS := -X
virt-riscv64_MACHINE := -M virt -smp 1 -m 128M -bios default
virt-riscv64_WHAT    := QEMU virt, RV64GC, S-mode under OpenSBI, MMU off, SBI SRST power-off
