# x86 fixtures for tests/test_x86_select.c: tests/fixtures/x86 built for
# i386 (-m32, -fpic: __x86.get_pc_thunk.*) and x86_64 with GCC and GNU ld
# and with clang and ld.lld, assembler-local labels kept (-Wa,-L), linked
# with tests/fixtures/fixture.ld.
X86_FIXTURES := gnu-i386 lld-i386 gnu-x86_64 lld-x86_64
X86_FIX_SRCS := tests/fixtures/x86/select.c tests/fixtures/x86/entry.S
X86_FIX_CFLAGS := -O2 -ffreestanding -nostdlib -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-mgeneral-regs-only -Wa,-L -Iruntime/include -Wall -Wextra -Werror

$(FIX)/gnu-i386.elf:   X86_CC = gcc -m32 -fpic
$(FIX)/gnu-i386.elf:   X86_LD = ld --no-warn-rwx-segments -m elf_i386
$(FIX)/lld-i386.elf:   X86_CC = clang --target=i686-unknown-none-elf -fpic
$(FIX)/lld-i386.elf:   X86_LD = ld.lld -m elf_i386
$(FIX)/gnu-x86_64.elf: X86_CC = gcc -m64 -fno-pie -mcmodel=kernel -mno-red-zone
$(FIX)/gnu-x86_64.elf: X86_LD = ld --no-warn-rwx-segments
$(FIX)/lld-x86_64.elf: X86_CC = clang --target=x86_64-unknown-none-elf -fno-pie -mcmodel=kernel -mno-red-zone
$(FIX)/lld-x86_64.elf: X86_LD = ld.lld

$(X86_FIXTURES:%=$(FIX)/%.elf): $(X86_FIX_SRCS) tests/fixtures/fixture.ld linker_scripts/kernel_symbols.ld \
		runtime/include/ksym/*.h | deps
	$(call msg,FIXTURE,$@)
	$(Q)mkdir -p $(FIX)/$(basename $(@F))
	$(Q)for s in $(X86_FIX_SRCS); do \
		$(X86_CC) $(X86_FIX_CFLAGS) -c $$s -o $(FIX)/$(basename $(@F))/$$(basename $$s).o || exit 1; done
	$(Q)$(X86_LD) -L linker_scripts -T tests/fixtures/fixture.ld -o $@ $(FIX)/$(basename $(@F))/*.o

fixtures: $(X86_FIXTURES:%=$(FIX)/%.elf)

# tests/test_x86_select.c reads the booted PC kernels too, also in the
# sanitizer run, which does not otherwise need the kernels.
X86_BOOTED := $(foreach b,pc-i386 pc-x86_64,$(foreach tc,$(call board_tcs,$(b)),$(call board_dir,$(b),$(tc))/kernel.elf))
test-san test-unit: $(X86_BOOTED)
