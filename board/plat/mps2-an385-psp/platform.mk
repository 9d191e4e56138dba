# Arm MPS2 AN385 as mps2-an385, with Thread mode on the process stack
# (PSP), as an RTOS task runs: every fault is stacked on PSP, and the
# report reads its frame from there (EXC_RETURN bit 2) while it runs on MSP.
mps2-an385-psp_ARCH    := cortex-m
mps2-an385-psp_INC     := board/plat/mps2-an385
mps2-an385-psp_SRCS    := board/drivers/cmsdk_uart.c
mps2-an385-psp_LDS     := linker_scripts/mps2-an385.ld
mps2-an385-psp_CFLAGS  := -mcpu=cortex-m3 -DCORTEXM_THREAD_PSP=4096
mps2-an385-psp_LDFLAGS := -z noexecstack
mps2-an385-psp_CLANG   := thumbv7m-none-eabi
mps2-an385-psp_MACHINE := -M mps2-an385 -no-reboot
mps2-an385-psp_WHAT    := Arm MPS2 AN385 as mps2-an385, Thread mode on PSP (as an RTOS task)
# The placeholder ends its flash segment: cut it to the table, so the
# firmware flashed carries no 32 KiB of zeros (ksympatch patch --shrink).
mps2-an385-psp_PATCH_FLAGS := --shrink
