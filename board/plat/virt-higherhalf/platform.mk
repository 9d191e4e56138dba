# QEMU virt, AArch64 little-endian, MMU on, the kernel linked in the higher
# half (0xffffffffc0000000 + offset) and loaded at its physical address.
# The board's boot.S and the generic MMU enable (board/arch/aarch64/mmu.S)
# replace the architecture's boot.S; the vectors and the report are
# aarch64's.
virt-higherhalf_ARCH      := aarch64
virt-higherhalf_ARCH_SRCS := board/plat/virt-higherhalf/boot.S board/arch/aarch64/mmu.S \
	board/arch/aarch64/vectors.S board/arch/aarch64/exception.c
virt-higherhalf_SRCS      := board/plat/virt-higherhalf/plat.c board/drivers/pl011.c
virt-higherhalf_LDS       := linker_scripts/virt-higherhalf.ld
virt-higherhalf_MACHINE   := -M virt -cpu cortex-a57 -m 128M
virt-higherhalf_WHAT      := QEMU virt, AArch64 little-endian, MMU on, higher-half kernel, PSCI power-off
