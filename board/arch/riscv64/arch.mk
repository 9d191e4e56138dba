# RISC-V 64: boot, the S-mode trap entry and the trap report
# (board/arch/riscv64).  The kernel runs in S-mode under OpenSBI.
#
# -march=rv64gc -mabi=lp64: the integer calling convention, so no value
# travels in an FP register; the kernel itself turns the FPU off
# (sstatus.FS, boot.S), so an FP instruction would trap.  -mcmodel=medany:
# the image lives at 0x80200000, above medlow's reach.  -mno-relax: ld.lld
# 14 cannot relax and refuses the R_RISCV_ALIGN that a relaxable .balign
# leaves; one setting for both toolchains keeps their code alike (GNU ld's
# relaxation would be fine on its own: ksympatch reads the final symbols).
riscv64_CROSS  := riscv64-linux-gnu-
riscv64_CLANG  := riscv64-unknown-elf
riscv64_SRCS   := board/arch/riscv64/boot.S board/arch/riscv64/trap.S board/arch/riscv64/exception.c
riscv64_CFLAGS := -march=rv64gc -mabi=lp64 -mcmodel=medany -mno-relax
riscv64_QEMU   := qemu-system-riscv64
riscv64_FAULTS := dabort undef brk none nested
# The report's line for the faulting address, and how far before a return
# address its call instruction starts (tests look frames up there): a call
# is 8 (auipc+jalr), 4 (jal, jalr) or 2 (c.jalr) bytes, and - 2 lands
# inside each.
riscv64_PC_LINE := sepc
riscv64_CALL_SIZE := 2
# What the report says of each fault kind (board/common/demo.h): scause 5,
# 2 and 3.
riscv64_CAUSE_dabort := Load access fault
riscv64_CAUSE_undef  := Illegal instruction
riscv64_CAUSE_brk    := Breakpoint

# clang 14 on RISC-V ties its DWARF to unnamed local symbols, even with
# -mno-relax, and ld.lld keeps them.  Inside C functions addr2line names
# the function from DWARF, but for assembly (no DWARF functions) it takes
# the nearest symbol, which is then one of these and prints "??".  So
# clang assembles without debug information (a board also links with -X,
# see board/plat/virt-riscv64/platform.mk, for the .Lpcrel_hi labels).
$(foreach b,$(BOARDS),$(if $(filter riscv64,$($(b)_ARCH)),$(eval $(BUILD)/$(b)-llvm/%.S.o: KERNEL_CFLAGS += -g0)))
