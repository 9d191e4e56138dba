# Arm MPS2 AN385 (QEMU -M mps2-an385): Cortex-M3, ARMv7-M, firmware in
# flash with .data copied to RAM, CMSDK UART, reset through AIRCR
# (-no-reboot makes QEMU exit then).
mps2-an385_ARCH    := cortex-m
mps2-an385_SRCS    := board/drivers/cmsdk_uart.c
mps2-an385_LDS     := linker_scripts/mps2-an385.ld
mps2-an385_CFLAGS  := -mcpu=cortex-m3
mps2-an385_CLANG   := thumbv7m-none-eabi
mps2-an385_MACHINE := -M mps2-an385 -no-reboot
mps2-an385_WHAT    := Arm MPS2 AN385, Cortex-M3 (ARMv7-M), XIP flash firmware, CMSDK UART, AIRCR reset
mps2-an385_LDFLAGS := -z noexecstack
# The placeholder ends its flash segment: cut it to the table, so the
# firmware flashed carries no 32 KiB of zeros (ksympatch patch --shrink).
mps2-an385_PATCH_FLAGS := --shrink
