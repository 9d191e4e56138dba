# ksympatch for a kernel's Makefile, from an installed copy:
#
#     KSYMPATCH_DIR := /usr/local/share/ksympatch
#     include $(KSYMPATCH_DIR)/ksympatch.mk
#
# gives
#   KSYM_SRC      the runtime source, to compile into the kernel
#   KSYM_CFLAGS   what it needs: <ksym/...> on the include path, -ffreestanding,
#                 and general registers only where the compiler needs telling
#                 (AArch64, x86, and 32-bit ARM with GCC)
#   KSYM_LDFLAGS  -L for `INCLUDE kernel_symbols.ld` in the linker script
#   KSYMPATCH     the installed tool
#   KSYM_PATCH    the post-link recipe line: link to $@.unpatched, then
#                 $(KSYM_PATCH) writes the patched $@ (no $@ if it fails, so
#                 make never takes an unpatched kernel for an up-to-date one)
#
# Uses CC (for its target, `$(CC) -dumpmachine`).

KSYMPATCH_DIR ?= $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
KSYM_PREFIX   := $(abspath $(KSYMPATCH_DIR)/../..)
KSYMPATCH     ?= $(KSYM_PREFIX)/bin/ksympatch
KSYM_SRC      := $(KSYMPATCH_DIR)/ksym.c
KSYM_MACHINE  := $(shell $(CC) -dumpmachine)
KSYM_CFLAGS   := -I$(KSYM_PREFIX)/include -ffreestanding \
	$(if $(filter aarch64% x86_64% i386% i486% i586% i686%,$(KSYM_MACHINE)),-mgeneral-regs-only) \
	$(if $(filter arm%,$(KSYM_MACHINE)),$(if $(findstring clang,$(CC)),,-mgeneral-regs-only))
KSYM_LDFLAGS  := -L$(KSYMPATCH_DIR)
KSYM_PATCH     = $(KSYMPATCH) patch $@.unpatched -o $@
