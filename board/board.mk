# The demo kernel for QEMU virt (aarch64), included from the top Makefile.
#
# Strategy: compile board/ and the ksym runtime for the target, link once
# (kernel.unpatched.elf), then let ksympatch write the symbol table into
# the copy that boots (kernel.elf).  Both toolchains get their own build
# directory, so both kernels can be built and compared in one make run.
#
#   make kernel [TOOLCHAIN=gnu|llvm]   $(BUILD)/kernel-$(TOOLCHAIN)/kernel.elf
#                                      ($(BUILD)/kernel.elf is the gnu one)
#   make patch                         only the post-link ksympatch step
#   make run [FAULT=dabort|undef|brk|none|nested]   boot it in QEMU
#
# Tests can boot any kernel the same way: $(call kernel_qemu,ELF,FAULT).

KERNEL_BUILD := $(BUILD)/kernel-$(TOOLCHAIN)
KERNEL_ELF   := $(KERNEL_BUILD)/kernel.elf
KERNEL_SRCS  := board/boot.S board/vectors.S board/main.c board/exception.c \
	board/pl011.c board/plat.c runtime/ksym.c
KERNEL_LDS   := linker_scripts/virt.ld linker_scripts/kernel_symbols.ld

# -mstrict-align: with the MMU off all data accesses are Device memory,
# where an unaligned access faults.  No sibling calls: every caller keeps
# its frame record, so backtraces show every level.
KERNEL_CFLAGS := -ffreestanding -nostdlib -fno-pie -fno-pic -mgeneral-regs-only \
	-mstrict-align -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-optimize-sibling-calls -fno-asynchronous-unwind-tables \
	-O2 -g -Wall -Wextra -Werror -std=gnu11 -Iruntime/include -Iboard -MMD -MP
KERNEL_LDFLAGS := -nostdlib -static -L linker_scripts -T linker_scripts/virt.ld

KERNEL_CC_gnu  := $(CROSS_COMPILE)gcc
KERNEL_LD_gnu  := $(CROSS_COMPILE)ld --no-warn-rwx-segments
KERNEL_CC_llvm := clang --target=aarch64-none-elf
KERNEL_LD_llvm := ld.lld

ifeq ($(filter gnu llvm,$(TOOLCHAIN)),)
$(error TOOLCHAIN=$(TOOLCHAIN): use gnu or llvm)
endif

# $(call kernel_rules,toolchain): objects, link and patch for one toolchain.
define kernel_rules
$(BUILD)/kernel-$(1)/%.o: % | deps
	$$(call msg,CC,$$<)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(KERNEL_CC_$(1)) $$(KERNEL_CFLAGS) -c $$< -o $$@

$(BUILD)/kernel-$(1)/kernel.unpatched.elf: $(KERNEL_SRCS:%=$(BUILD)/kernel-$(1)/%.o) $(KERNEL_LDS)
	$$(call msg,LD,$$@)
	$$(Q)$$(KERNEL_LD_$(1)) $$(KERNEL_LDFLAGS) -o $$@ $$(filter %.o,$$^)

$(BUILD)/kernel-$(1)/kernel.elf: $(BUILD)/kernel-$(1)/kernel.unpatched.elf $(BUILD)/ksympatch
	$$(call msg,PATCH,$$@)
	$$(Q)$(BUILD)/ksympatch patch -v $$< -o $$@

-include $(KERNEL_SRCS:%=$(BUILD)/kernel-$(1)/%.d)
endef
$(foreach tc,gnu llvm,$(eval $(call kernel_rules,$(tc))))

$(BUILD)/kernel.elf: $(BUILD)/kernel-gnu/kernel.elf
	$(call msg,CP,$@)
	$(Q)cp $< $@

kernel: $(KERNEL_ELF) $(if $(filter gnu,$(TOOLCHAIN)),$(BUILD)/kernel.elf)

patch: $(KERNEL_BUILD)/kernel.unpatched.elf $(BUILD)/ksympatch
	$(call msg,PATCH,$(KERNEL_ELF))
	$(Q)$(BUILD)/ksympatch patch -v $< -o $(KERNEL_ELF)
	$(Q)$(if $(filter gnu,$(TOOLCHAIN)),cp $(KERNEL_ELF) $(BUILD)/kernel.elf)

# FAULT reaches the kernel as a word QEMU's loader stores in RAM.  The
# address and the numbers are read from board/platform_def.h, where the
# board's constants live.
FAULT ?= dabort
plat_def = $(shell sed -n 's/^\#define[[:space:]]*$(1)[[:space:]][[:space:]]*//p' board/platform_def.h)
KERNEL_FAULT_dabort = $(call plat_def,PLAT_FAULT_DABORT)
KERNEL_FAULT_undef  = $(call plat_def,PLAT_FAULT_UNDEF)
KERNEL_FAULT_brk    = $(call plat_def,PLAT_FAULT_BRK)
KERNEL_FAULT_none   = $(call plat_def,PLAT_FAULT_NONE)
KERNEL_FAULT_nested = $(call plat_def,PLAT_FAULT_NESTED)

QEMU       ?= qemu-system-aarch64
QEMU_FLAGS := -M virt -cpu cortex-a57 -m 128M -nographic -nic none
# $(call kernel_qemu,elf,fault): the command that boots elf with fault.
kernel_qemu = $(QEMU) $(QEMU_FLAGS) -kernel $(1) \
	-device loader,addr=$(call plat_def,PLAT_BOOT_OPTION_ADDR),data=$(KERNEL_FAULT_$(2)),data-len=4

run: kernel
	$(if $(KERNEL_FAULT_$(FAULT)),,$(error FAULT=$(FAULT): use dabort, undef, brk, none or nested))
	$(call msg,QEMU,$(KERNEL_ELF) FAULT=$(FAULT))
	$(Q)$(call kernel_qemu,$(KERNEL_ELF),$(FAULT))

.PHONY: kernel patch run
