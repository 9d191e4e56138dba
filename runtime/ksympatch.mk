# ksympatch for a kernel's Makefile, from an installed copy or a checkout:
#
#     KSYMPATCH_DIR := /usr/local/share/ksympatch   # installed (make install)
#     KSYMPATCH_DIR := $(HOME)/src/ksympatch/runtime # or a checkout, after `make`
#     include $(KSYMPATCH_DIR)/ksympatch.mk
#
# gives
#   KSYM_SRC      the runtime source, to compile into the kernel
#   KSYM_CFLAGS   what it needs: <ksym/...> on the include path, -ffreestanding,
#                 and general registers only where the compiler needs telling
#                 (AArch64, x86, and 32-bit ARM with GCC)
#   KSYM_LDFLAGS  -L for `INCLUDE kernel_symbols.ld` in the linker script
#   KSYMPATCH     the tool
#   KSYM_PATCH    the post-link recipe line: link to $@.unpatched, then
#                 $(KSYM_PATCH) removes the old $@ and writes the patched one,
#                 so after a failed patch there is no $@ at all: make never
#                 takes an unpatched or a stale kernel for an up-to-date one,
#                 and nobody boots one by hand
#
# The fragment may come anywhere, before CC is set too: KSYM_CFLAGS asks
# $(CC) -dumpmachine for the target each time it is expanded, so use it in
# the recipe that compiles $(KSYM_SRC), or in a CFLAGS defined with = or +=.

KSYMPATCH_DIR ?= $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
ifneq ($(wildcard $(KSYMPATCH_DIR)/include/ksym/ksym.h),)
# A checkout: runtime/ beside linker_scripts/ and the build's tool.
KSYM_INCLUDE  := $(abspath $(KSYMPATCH_DIR)/include)
KSYMPATCH     ?= $(abspath $(KSYMPATCH_DIR)/../build/ksympatch)
KSYM_LDFLAGS  := -L$(abspath $(KSYMPATCH_DIR)/../linker_scripts)
else
# An installed copy: PREFIX/share/ksympatch, PREFIX/include, PREFIX/bin.
KSYM_INCLUDE  := $(abspath $(KSYMPATCH_DIR)/../../include)
KSYMPATCH     ?= $(abspath $(KSYMPATCH_DIR)/../../bin/ksympatch)
KSYM_LDFLAGS  := -L$(abspath $(KSYMPATCH_DIR))
endif
KSYM_SRC      := $(abspath $(KSYMPATCH_DIR)/ksym.c)

# $(call ksym_regs_only,MACHINE,CC): the flag that keeps the compiler off FP/SIMD registers.
ksym_regs_only = $(if $(filter aarch64% x86_64% i386% i486% i586% i686% $(if $(findstring clang,$(2)),,arm%),$(1)),-mgeneral-regs-only)
KSYM_CFLAGS    = -I$(KSYM_INCLUDE) -ffreestanding \
	$(call ksym_regs_only,$(shell $(CC) -dumpmachine 2>/dev/null),$(CC))
KSYM_PATCH     = rm -f $@ && $(KSYMPATCH) patch $@.unpatched -o $@
