# QEMU virt, AArch64 little-endian, MMU on, the kernel linked in the higher
# half (0xffffffffc0000000 + offset) and loaded at its physical address.
# The board's early.S (the page tables, the MMU on, the jump high) with the
# generic MMU enable (board/arch/aarch64/mmu.S) replaces the
# architecture's early.S; the rest is aarch64's.  The glue is virt's plat.c:
# the UART, PSCI and the boot-option word keep their physical addresses,
# reached through early.S's TTBR0 identity map, which stays in place after
# the kernel runs high.
virt-higherhalf_ARCH      := aarch64
virt-higherhalf_REPLACES  := board/arch/aarch64/early.S
virt-higherhalf_SRCS      := board/plat/virt-higherhalf/early.S board/arch/aarch64/mmu.S \
	board/plat/virt/plat.c board/drivers/pl011.c
virt-higherhalf_LDS       := linker_scripts/virt-higherhalf.ld
virt-higherhalf_MACHINE   := -M virt -cpu cortex-a57 -m 128M
virt-higherhalf_WHAT      := QEMU virt, AArch64 little-endian, MMU on, higher-half kernel, PSCI power-off
