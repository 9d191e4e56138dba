# A PC (QEMU -M pc), x86_64: a higher-half kernel (linked at
# 0xffffffff80000000 + its load address, loaded at 1 MiB) that QEMU's
# multiboot loader enters in 32-bit mode and that switches to long mode
# with its own page tables; COM1, isa-debug-exit power-off.  QEMU takes no
# ELF64 multiboot kernel, so the board boots kernel.bin, objcopy -O binary
# of the patched ELF, whose multiboot header carries the load addresses
# (board/arch/x86_64/boot.S).  The glue and the constants are pc-i386's.
pc-x86_64_ARCH    := x86_64
pc-x86_64_INC     := board/plat/pc-i386
pc-x86_64_SRCS    := board/plat/pc-i386/plat.c board/drivers/ns16550_pio.c
pc-x86_64_LDS     := linker_scripts/pc-x86_64.ld
pc-x86_64_IMAGE   := kernel.bin
# etc/sercon-port: as on pc-i386 (platform.mk there), SeaBIOS keeps off COM1.
pc-x86_64_MACHINE := -M pc -m 128M -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-fw_cfg name=etc/sercon-port,string=off
pc-x86_64_EXIT_STATUS = $(shell echo $$((($(call plat_def,pc-x86_64,PLAT_EXIT_VALUE) << 1) | 1)))
pc-x86_64_WHAT    := QEMU pc, x86_64 higher-half kernel, multiboot raw image at 1 MiB, long mode, COM1, isa-debug-exit power-off
