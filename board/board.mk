# The demo kernel, for every board under board/plat; included from the top
# Makefile.
#
# Strategy: compile the board's architecture code (board/arch/ARCH), its
# glue (board/plat/BOARD), the shared demo (board/common) and the ksym
# runtime for the target, link once (kernel.unpatched.elf), then let
# ksympatch write the symbol table into the copy that boots (kernel.elf).
# Each board and toolchain gets its own build directory,
# $(BUILD)/BOARD-TOOLCHAIN, so all kernels can be built and compared in
# one make run.
#
#   make kernel [BOARD=virt] [TOOLCHAIN=gnu|llvm]   build and patch one kernel
#                                    ($(BUILD)/kernel.elf is virt's, gnu)
#   make kernels                     every board with every toolchain it has
#   make patch                       only the post-link ksympatch step (and the
#                                    raw image, for a board that boots one)
#   make run [BOARD=...] [FAULT=...] boot it in QEMU
#   make debug [BOARD=...]           ... stopped, with gdb-multiarch attached
#   make boards                      list the boards
#
# A board is a folder board/plat/NAME with a platform.mk that sets
#   NAME_ARCH, NAME_SRCS, NAME_LDS   its architecture, glue and linker script
#   NAME_MACHINE                     QEMU's machine options
#   NAME_WHAT                        a line for `make boards`
# and may set
#   NAME_REPLACES      architecture sources it brings its own of (in NAME_SRCS)
#   NAME_CFLAGS, NAME_LDFLAGS
#   NAME_LDLIBS        archives to link after the objects (expanded when it links)
#   NAME_INC           where its platform_def.h is (default: the folder)
#   NAME_TOOLCHAINS    default gnu llvm
#   NAME_IMAGE         a raw image to boot instead of the ELF (kernel8.img),
#                      made with objcopy -O binary from the patched kernel.elf
#   NAME_GDB_INIT      a GDB command `make debug` gives first
#   NAME_EXIT_STATUS   QEMU's exit status at the board's power-off, when
#                      it is not 0 (isa-debug-exit on a PC)
#   NAME_PATCH_FLAGS   options for its `ksympatch patch` (firmware: --shrink,
#                      so the flash image carries only the table's bytes)
#   NAME_RUST          a kernel in Rust: the Rust target it is built for.  The
#                      folder is then a Cargo package whose static library
#                      (lib<package>.a, crate-type staticlib) is the whole
#                      kernel, built by Debian's cargo against the sysroot of
#                      runtime/rust/rust.mk and linked as a C kernel is, with
#                      gnu: GNU ld and legacy symbol mangling, llvm: ld.lld and
#                      v0 mangling; NAME_SRCS, the architecture's sources and
#                      the monitor do not apply (no `shell` fault)
#   NAME_LDFLAGS_gnu, NAME_LDFLAGS_llvm  linker options of one toolchain
#                      (ld.lld needs -m EMULATION for a link of archives only)
# or override its architecture's ARCH_CROSS, ARCH_CLANG, ARCH_QEMU,
# ARCH_FAULTS and ARCH_CAUSE_* (board/arch/ARCH/arch.mk).  CROSS_COMPILE,
# when you give it, applies to the BOARD you build.

BOARD ?= virt
BOARDS := $(sort $(patsubst board/plat/%/platform.mk,%,$(wildcard board/plat/*/platform.mk)))
include $(BOARDS:%=board/plat/%/platform.mk)
ARCHES := $(sort $(foreach b,$(BOARDS),$($(b)_ARCH)))
include $(ARCHES:%=board/arch/%/arch.mk)

ifeq ($(filter $(BOARD),$(BOARDS)),)
$(error BOARD=$(BOARD): use one of $(BOARDS))
endif
ifeq ($(filter gnu llvm,$(TOOLCHAIN)),)
$(error TOOLCHAIN=$(TOOLCHAIN): use gnu or llvm)
endif

# $(call bvar,board,NAME): the board's NAME, or else its architecture's.
bvar = $(if $(filter undefined,$(origin $(1)_$(2))),$($($(1)_ARCH)_$(2)),$($(1)_$(2)))
board_inc   = $(or $($(1)_INC),board/plat/$(1))
board_cross = $(if $(and $(filter $(1),$(BOARD)),$(filter environment command line,$(origin CROSS_COMPILE))),$(CROSS_COMPILE),$(call bvar,$(1),CROSS))
board_tcs   = $(or $($(1)_TOOLCHAINS),gnu llvm)
board_dir   = $(BUILD)/$(1)-$(2)
# The file QEMU boots: the raw image, or else the patched ELF.
board_boot  = $(call board_dir,$(1),$(2))/$(or $($(1)_IMAGE),kernel.elf)
board_exit  = $(or $(call bvar,$(1),EXIT_STATUS),0)

# No sibling calls and frame pointers everywhere: every caller keeps its
# frame record, so backtraces show every level.
KERNEL_CFLAGS := -ffreestanding -nostdlib -fno-pie -fno-pic -fno-omit-frame-pointer \
	-fno-optimize-sibling-calls -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-O2 -g -Wall -Wextra -Werror -std=gnu11 -Iruntime/include -Iboard/common -Iboard/drivers -MMD -MP
KERNEL_LDFLAGS := -nostdlib -static -L linker_scripts

# The GNU linker warns about the demo's one RWX segment; ld.lld does not.
kernel_cc_gnu  = $(call board_cross,$(1))gcc
kernel_ld_gnu  = $(call board_cross,$(1))ld --no-warn-rwx-segments
kernel_cc_llvm = clang --target=$(call bvar,$(1),CLANG)
kernel_ld_llvm = ld.lld

COMMON_SRCS := board/common/main.c board/common/monitor.c board/common/console.c board/common/report.c \
	runtime/ksym.c
board_srcs   = $(filter-out $($(1)_REPLACES),$($($(1)_ARCH)_SRCS)) $($(1)_SRCS) $(COMMON_SRCS)

# $(call kernel_rules,board,toolchain): objects, link and patch of one kernel.
kernel_rules = $(if $($(1)_RUST),$(rust_kernel_rules),$(c_kernel_rules))$(newline)$(patch_rules)
define newline


endef

define c_kernel_rules
$(call board_dir,$(1),$(2))/%.o: % | deps
	$$(call msg,CC,$$<  [$(1) $(2)])
	$$(Q)mkdir -p $$(@D)
	$$(Q)$(call kernel_cc_$(2),$(1)) $$(KERNEL_CFLAGS) $($($(1)_ARCH)_CFLAGS) $($(1)_CFLAGS) \
		-Iboard/arch/$($(1)_ARCH) -I$(call board_inc,$(1)) -c $$< -o $$@

$(call board_dir,$(1),$(2))/kernel.unpatched.elf: $(patsubst %,$(call board_dir,$(1),$(2))/%.o,$(call board_srcs,$(1))) \
		$($(1)_LDS) linker_scripts/kernel_symbols.ld linker_scripts/demo_ram.ld
	$$(call msg,LD,$$@)
	$$(Q)$(call kernel_ld_$(2),$(1)) $$(KERNEL_LDFLAGS) $($(1)_LDFLAGS) -T $($(1)_LDS) -o $$@ $$(filter %.o,$$^) $$($(1)_LDLIBS)

-include $(patsubst %,$(call board_dir,$(1),$(2))/%.d,$(call board_srcs,$(1)))
endef

# A Rust kernel: cargo builds the package's static library, the linker
# keeps what _start reaches of it.  RUSTC_BOOTSTRAP=1: rustc 1.63 takes
# -C symbol-mangling-version=v0 only with -Z unstable-options.
RUST_MANGLING_gnu  :=
RUST_MANGLING_llvm := -Z unstable-options -C symbol-mangling-version=v0
RUST_KERNEL_FLAGS  := -C force-frame-pointers=yes -D warnings --remap-path-prefix=$(CURDIR)/=
RUST_BOARD_COMMON := board/common/rust/Cargo.toml $(wildcard board/common/rust/src/*.rs)
rust_package = $(subst -,_,$(shell sed -n 's/^name *= *"\(.*\)"/\1/p' board/plat/$(1)/Cargo.toml | head -n 1))
rust_staticlib = $(call board_dir,$(1),$(2))/cargo/$($(1)_RUST)/release/lib$(call rust_package,$(1)).a

define rust_kernel_rules
$(call rust_staticlib,$(1),$(2)): board/plat/$(1)/Cargo.toml $(wildcard board/plat/$(1)/src/*.rs) $(RUST_BOARD_COMMON) \
		$(RUST_CRATE_SRCS) $(call rust_sysroot,$($(1)_RUST)) | deps
	$$(call msg,CARGO,$$@)
	$$(Q)cd board/plat/$(1) && RUSTC_BOOTSTRAP=1 RUSTFLAGS="--sysroot $(RUST_SYSROOT) $(RUST_KERNEL_FLAGS) \
		$(RUST_MANGLING_$(2))" $(CARGO_DEB) build -q --offline --release --target $($(1)_RUST) \
		--target-dir $(abspath $(call board_dir,$(1),$(2)))/cargo && touch $$(abspath $$@)

$(call board_dir,$(1),$(2))/kernel.unpatched.elf: $(call rust_staticlib,$(1),$(2)) $($(1)_LDS) \
		linker_scripts/kernel_symbols.ld linker_scripts/demo_ram.ld
	$$(call msg,LD,$$@)
	$$(Q)$(call kernel_ld_$(2),$(1)) $$(KERNEL_LDFLAGS) $($(1)_LDFLAGS_$(2)) --gc-sections -u _start -T $($(1)_LDS) -o $$@ $$<
endef

define patch_rules
$(call board_dir,$(1),$(2))/kernel.elf: $(call board_dir,$(1),$(2))/kernel.unpatched.elf $(BUILD)/ksympatch
	$$(call msg,PATCH,$$@)
	$$(Q)$(BUILD)/ksympatch patch -v $($(1)_PATCH_FLAGS) $$< -o $$@

$(if $($(1)_IMAGE),$(call board_dir,$(1),$(2))/$($(1)_IMAGE): $(call board_dir,$(1),$(2))/kernel.elf
	$$(call msg,OBJCOPY,$$@)
	$$(Q)$(call board_cross,$(1))objcopy -O binary $$< $$@)
endef
$(foreach b,$(BOARDS),$(foreach tc,$(call board_tcs,$(b)),$(eval $(call kernel_rules,$(b),$(tc)))))

KERNEL_ELF  := $(call board_dir,$(BOARD),$(TOOLCHAIN))/kernel.elf
KERNEL_BOOT := $(call board_boot,$(BOARD),$(TOOLCHAIN))
# Every patched ELF, and every raw image made from one.
ALL_KERNELS := $(sort $(foreach b,$(BOARDS),$(foreach tc,$(call board_tcs,$(b)),\
	$(call board_dir,$(b),$(tc))/kernel.elf $(call board_boot,$(b),$(tc)))))

$(BUILD)/kernel.elf: $(call board_dir,virt,gnu)/kernel.elf
	$(call msg,CP,$@)
	$(Q)cp $< $@

kernel: $(KERNEL_BOOT) $(if $(filter virt-gnu,$(BOARD)-$(TOOLCHAIN)),$(BUILD)/kernel.elf)
kernels: $(ALL_KERNELS) $(BUILD)/kernel.elf

patch: $(KERNEL_ELF:.elf=.unpatched.elf) $(BUILD)/ksympatch
	$(call msg,PATCH,$(KERNEL_ELF))
	$(Q)$(BUILD)/ksympatch patch -v $($(BOARD)_PATCH_FLAGS) $< -o $(KERNEL_ELF)
	$(if $($(BOARD)_IMAGE),$(call msg,OBJCOPY,$(KERNEL_BOOT)) $(call board_cross,$(BOARD))objcopy -O binary $(KERNEL_ELF) $(KERNEL_BOOT))
	$(Q)$(if $(filter virt-gnu,$(BOARD)-$(TOOLCHAIN)),cp $(KERNEL_ELF) $(BUILD)/kernel.elf)

# FAULT reaches the kernel as a word QEMU's loader stores in RAM, at the
# board's PLAT_BOOT_OPTION_ADDR; the numbers are board/common/demo.h's.
FAULT ?= dabort
header_def  = $(shell sed -n 's/^\#define[[:space:]]*$(2)[[:space:]][[:space:]]*\([^[:space:]]*\).*/\1/p' $(1))
plat_def    = $(call header_def,$(call board_inc,$(1))/platform_def.h,$(2))
fault_code  = $(call header_def,board/common/demo.h,DEMO_FAULT_$(shell echo $(1) | tr a-z A-Z))
board_faults = $(call bvar,$(1),FAULTS) $(if $($(1)_RUST),,shell)

# $(call kernel_qemu,board,image,fault): the command that boots image with fault.
board_qemu  = $(call bvar,$(1),QEMU) $($(1)_MACHINE) -nographic -nic none
# The loader stores the word little-endian, whatever the kernel's byte order.
kernel_qemu = $(call board_qemu,$(1)) -kernel $(2) -device loader,addr=$(call \
	plat_def,$(1),PLAT_BOOT_OPTION_ADDR),data=$(call fault_code,$(3)),data-len=4

check_fault = $(if $(filter $(FAULT),$(call board_faults,$(BOARD))),,$(error FAULT=$(FAULT): BOARD=$(BOARD) has $(call board_faults,$(BOARD))))

run: kernel
	$(check_fault)
	$(call msg,QEMU,$(KERNEL_BOOT) FAULT=$(FAULT))
	$(Q)$(call kernel_qemu,$(BOARD),$(KERNEL_BOOT),$(FAULT)); status=$$?; \
		[ $$status = $(call board_exit,$(BOARD)) ] || exit $$status

# make debug: QEMU stopped before the first instruction, waiting for GDB on
# GDB_PORT, its UART in uart.log beside the kernel; gdb-multiarch attached
# with the ELF's symbols, a breakpoint at the ELF's entry (less Thumb's bit
# 0) and run to it.
# GDBFLAGS=-batch runs that and quits (the tests do); QEMU goes with GDB.
GDB      ?= gdb-multiarch
GDB_PORT ?= 1234
GDBFLAGS ?=
KERNEL_GDB := $(KERNEL_ELF:.elf=.gdb)

debug: kernel
	$(check_fault)
	$(Q)entry=$$($(call board_cross,$(BOARD))readelf -h $(KERNEL_ELF) | awk '/Entry point/ {print $$4}'); \
	printf '%s\n' $(if $(call bvar,$(BOARD),GDB_INIT),'$(call bvar,$(BOARD),GDB_INIT)') \
		'target remote localhost:$(GDB_PORT)' "break *($$entry & ~1)" \
		"if \$$pc != ($$entry & ~1)" '  continue' 'end' 'info symbol $$pc' > $(KERNEL_GDB)
	$(call msg,QEMU,$(KERNEL_BOOT) FAULT=$(FAULT) waiting for GDB on port $(GDB_PORT); UART: $(KERNEL_ELF:.elf=.uart.log))
	$(Q)$(call kernel_qemu,$(BOARD),$(KERNEL_BOOT),$(FAULT)) -S -gdb tcp:localhost:$(GDB_PORT) \
		-monitor none -serial file:$(KERNEL_ELF:.elf=.uart.log) </dev/null & qemu=$$!; \
	$(GDB) -q $(GDBFLAGS) -x $(KERNEL_GDB) $(KERNEL_ELF); status=$$?; \
	kill $$qemu 2>/dev/null; wait $$qemu 2>/dev/null; exit $$status

# What the QEMU tests need to know of each board: build/boards/BOARD.env.
define board_env
cross=$(call board_cross,$(1))
toolchains=$(call board_tcs,$(1))
qemu=$(call board_qemu,$(1))
option_addr=$(call plat_def,$(1),PLAT_BOOT_OPTION_ADDR)
faults=$(call board_faults,$(1))
pc_line=$(call bvar,$(1),PC_LINE)
call_size=$(call bvar,$(1),CALL_SIZE)
image=$($(1)_IMAGE)
exit_status=$(call board_exit,$(1))
language=$(if $($(1)_RUST),rust,c)
endef

$(BUILD)/boards/%.env: board/board.mk board/plat/%/platform.mk $(ARCHES:%=board/arch/%/arch.mk) \
		$(wildcard board/plat/*/platform_def.h) board/common/demo.h | $(BUILD)/boards/
	$(file >$@.tmp,$(call board_env,$*))
	$(foreach f,$(call board_faults,$*),$(if $(call bvar,$*,CAUSE_$(f)),$(file >>$@.tmp,cause_$(f)=$(call bvar,$*,CAUSE_$(f)))))
	$(Q)mv $@.tmp $@

$(BUILD)/boards/:
	$(Q)mkdir -p $@

BOARD_ENVS := $(BOARDS:%=$(BUILD)/boards/%.env)

# make boards: the boards, a line each (NAME_WHAT).
boards:
	@$(foreach b,$(BOARDS),printf '%-16s %s\n' '$(b)' '$($(b)_WHAT)';)

.PHONY: kernel kernels patch run debug boards
