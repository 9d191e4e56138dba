# Raspberry Pi 3B (QEMU -M raspi3b), AArch64 little-endian, MMU off, the
# AArch64 code of board/arch/aarch64.  The Pi's firmware boots a raw image,
# so the board boots kernel8.img, objcopy -O binary of the patched ELF
# (board/board.mk).  -no-reboot turns the watchdog reset that powers off
# into QEMU's exit (platform_def.h); -nographic already puts the first
# serial port, PL011 UART0, on stdio.
raspi3b_ARCH    := aarch64
raspi3b_SRCS    := board/plat/raspi3b/plat.c board/drivers/pl011.c
raspi3b_LDS     := linker_scripts/raspi3b.ld
raspi3b_MACHINE := -M raspi3b -no-reboot
raspi3b_IMAGE   := kernel8.img
raspi3b_WHAT    := Raspberry Pi 3B, AArch64 little-endian, MMU off, raw kernel8.img, watchdog power-off
