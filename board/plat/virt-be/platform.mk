# QEMU virt, AArch64 big-endian: the virt board's glue and script, built
# with -mbig-endian and linked -EB.  boot.S sets SCTLR_EL1.EE and .E0E
# before the first data access; QEMU loads the big-endian ELF as it is, and
# the table is written on a little-endian host in the target's order.
virt-be_ARCH    := aarch64
virt-be_INC     := board/plat/virt
virt-be_SRCS    := board/plat/virt/plat.c board/drivers/pl011.c
virt-be_LDS     := linker_scripts/virt.ld
virt-be_MACHINE := -M virt -cpu cortex-a57 -m 128M
virt-be_CFLAGS  := -mbig-endian
virt-be_LDFLAGS := -EB
virt-be_CLANG   := aarch64_be-none-elf
# QEMU's AArch64 GDB stub sends registers little-endian whatever SCTLR_EL1.EE
# says; GDB, seeing a big-endian ELF, would read them swapped.  (Memory
# that GDB shows as data is then byte-swapped; code and symbols are right.)
virt-be_GDB_INIT := set endian little
virt-be_WHAT    := QEMU virt, AArch64 big-endian, MMU off, PSCI power-off
