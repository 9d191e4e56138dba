# A PC (QEMU -M pc), i386: a multiboot ELF32 loaded at 1 MiB by QEMU's
# -kernel, protected mode, flat segments, paging on (an identity map of
# the first GiB), COM1, power-off through QEMU's isa-debug-exit device.
pc-i386_ARCH    := i386
pc-i386_SRCS    := board/plat/pc-i386/plat.c board/drivers/ns16550_pio.c
pc-i386_LDS     := linker_scripts/pc-i386.ld
pc-i386_LDFLAGS := -m elf_i386
# -no-reboot: a triple fault ends QEMU (with status 0, which the tests do
# not take for a power-off) instead of rebooting forever.
# etc/sercon-port: with -nographic, SeaBIOS 1.16 mirrors its console to COM1
# and reads COM1 as its keyboard while it boots, eating what the monitor
# tests type; a 3-byte value is no integer to SeaBIOS (romfile_loadint),
# which then keeps off COM1 altogether (QEMU warns that the name lacks
# "opt/").
pc-i386_MACHINE := -M pc -m 128M -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-fw_cfg name=etc/sercon-port,string=off
# isa-debug-exit ends QEMU with (PLAT_EXIT_VALUE << 1) | 1 (platform_def.h):
# make run and the tests take that status for a power-off.
pc-i386_EXIT_STATUS = $(shell echo $$((($(call plat_def,pc-i386,PLAT_EXIT_VALUE) << 1) | 1)))
pc-i386_WHAT    := QEMU pc, i386 multiboot ELF32 at 1 MiB, protected mode, paging, COM1, isa-debug-exit power-off
