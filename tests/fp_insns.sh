#!/bin/sh
# usage: fp_insns.sh OBJDUMP OBJECT ARCH
# Print every instruction in OBJECT that touches a floating-point or SIMD
# register (ARCH: aarch64, arm, riscv64 or x86), from OBJDUMP's disassembly.
# Branch targets are addresses, not registers, and are left out.
"$1" -d --no-show-raw-insn "$2" | awk -F'\t' 'NF >= 3 { print $2 " " $3 } NF == 2 { print $2 }' | sed 's/<.*//' |
	grep -vE '^(b|bl|bx|blx|cb|cbz|cbnz|tb|tbz|tbnz)(\.[a-z]+)? ' |
	case "$3" in
	aarch64) grep -E '(^|[][ ,{])[qdsbhv][0-9]+([].,} ]|$)' ;;
	arm) grep -E '^v' ;;
	riscv64) grep -E '^(f|v)[a-z0-9.]* ' ;;
	x86) grep -E '%(x|y|z)?mm[0-9]|%st|^f[a-z0-9]* ' ;;
	esac
exit 0
