# BBC micro:bit (QEMU -M microbit): nRF51822, Cortex-M0, ARMv6-M, firmware
# in flash with .data copied to RAM, nRF51 UART, reset through AIRCR
# (-no-reboot makes QEMU exit then).  HardFault is its only fault.
microbit_ARCH    := cortex-m
microbit_SRCS    := board/drivers/nrf51_uart.c
microbit_LDS     := linker_scripts/microbit.ld
microbit_CFLAGS  := -mcpu=cortex-m0
microbit_LDFLAGS := -z noexecstack
# No libgcc and no memcpy or memset: the runtime and the board code call
# none on ARMv6-M (the runtime's matrix test checks it), so the firmware
# links with nothing but its own objects.
microbit_CLANG   := thumbv6m-none-eabi
microbit_MACHINE := -M microbit -no-reboot
microbit_WHAT    := BBC micro:bit, nRF51822 Cortex-M0 (ARMv6-M), XIP flash firmware, nRF51 UART, AIRCR reset
# ARMv6-M has no fault status registers: the report names the instruction at PC.
microbit_CAUSE_dabort := (HardFault: this profile has no fault status registers)
microbit_CAUSE_undef  := (udf, an undefined instruction)
# QEMU's console multiplexer holds piped input that arrives before the
# UART's receiver starts until more comes in: piped to `make run
# FAULT=shell`, a script shorter than its 32-byte buffer can wait for
# good (nrf51_uart.c).
# The placeholder ends its flash segment: cut it to the table, so the
# firmware flashed carries no 32 KiB of zeros (ksympatch patch --shrink).
microbit_PATCH_FLAGS := --shrink
