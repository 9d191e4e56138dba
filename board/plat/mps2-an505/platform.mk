# Arm MPS2 AN505 (QEMU -M mps2-an505): Cortex-M33, ARMv8-M Mainline,
# Secure state, firmware in flash with .data copied to RAM, CMSDK UART,
# reset through AIRCR (-no-reboot makes QEMU exit then).
mps2-an505_ARCH    := cortex-m
mps2-an505_SRCS    := board/drivers/cmsdk_uart.c
mps2-an505_LDS     := linker_scripts/mps2-an505.ld
mps2-an505_CFLAGS  := -mcpu=cortex-m33
mps2-an505_LDFLAGS := -z noexecstack
mps2-an505_CLANG   := thumbv8m.main-none-eabi
mps2-an505_MACHINE := -M mps2-an505 -no-reboot
mps2-an505_WHAT    := Arm MPS2 AN505, Cortex-M33 (ARMv8-M Mainline, Secure), XIP flash firmware, CMSDK UART, AIRCR reset
# The placeholder ends its flash segment: cut it to the table, so the
# firmware flashed carries no 32 KiB of zeros (ksympatch patch --shrink).
mps2-an505_PATCH_FLAGS := --shrink
