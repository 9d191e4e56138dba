# QEMU virt with a 32-bit Cortex-A15, ARMv7-A Thumb-2, little-endian, MMU
# off, PSCI power-off.
virt-arm32_ARCH    := arm32
# The memory map is the aarch64 virt board's: same machine, another CPU.
virt-arm32_INC     := board/plat/virt
virt-arm32_SRCS    := board/plat/virt-arm32/plat.c board/drivers/pl011.c
virt-arm32_LDS     := linker_scripts/virt-arm32.ld
virt-arm32_MACHINE := -M virt -cpu cortex-a15 -m 128M
virt-arm32_WHAT    := QEMU virt, ARMv7-A Thumb-2 little-endian, MMU off, PSCI power-off
