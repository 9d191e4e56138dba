# QEMU virt, AArch64, little-endian, MMU off: the default board.
virt_ARCH    := aarch64
virt_SRCS    := board/plat/virt/plat.c board/drivers/pl011.c
virt_LDS     := linker_scripts/virt.ld
virt_MACHINE := -M virt -cpu cortex-a57 -m 128M
virt_WHAT    := QEMU virt, AArch64 little-endian, MMU off, PSCI power-off
