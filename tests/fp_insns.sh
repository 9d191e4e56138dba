#!/bin/sh
# usage: fp_insns.sh OBJDUMP OBJECT ARCH
# Print every instruction in OBJECT that touches a floating-point or SIMD
# register (ARCH: aarch64, arm, riscv64 (also RV32) or x86 (i386, x86_64)),
# from OBJDUMP's disassembly.  Branch targets are addresses, not registers,
# and are left out.
"$1" -d --no-show-raw-insn "$2" | awk -F'\t' 'NF >= 3 { print $2 " " $3 } NF == 2 && $1 ~ /^ *[0-9a-f]+:$/ { print $2 }' |
	sed 's/<.*//' |
	grep -vE '^(b|bl|bx|blx|cb|cbz|cbnz|tb|tbz|tbnz)(\.[a-z]+)? ' |
	case "$3" in
	aarch64) grep -E '(^|[][ ,{])[qdsbhv][0-9]+([].,} ]|$)' ;;
	arm) grep -E '^v' ;;
	riscv64) grep -E '^(f|v)[a-z0-9.]* ' ;;
	x86) grep -E '%([xyz]mm[0-9]|mm[0-7]|st)|^f[a-z]+( |$)' ;;
	esac
exit 0
