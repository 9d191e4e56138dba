#!/bin/sh
# The runtime's linked size per target at -Os, for `make bench`.
#
# usage: runtime_size.sh OUTDIR
#
# Links runtime/ksym.c into the firmware stub tests/bench/fw_size.c with
# -Os -ffunction-sections -fdata-sections -Wl,--gc-sections, with the
# flags of tests/test_runtime_targets.c for each GCC target, three ways
# (fw_size.c: fault = open + describe, all = everything but ksym_verify,
# verify = everything), and prints per target one line
#   "target fault_bytes all_bytes verify_bytes biggest"
# where the bytes are the code + read-only data of ksym.o's input sections
# the linker kept (from its map; .text*, .rodata*), and biggest lists the
# largest functions of the "all" link (nm --size-sort), "name:bytes,...".
# A target whose compiler is missing is skipped with a line on stderr.
set -eu
out=$1
mkdir -p "$out"
ARM="arm-none-eabi-gcc -mthumb"
GRO=-mgeneral-regs-only
# name|compiler and flags|binutils prefix|link flags
targets="cortex-m0|$ARM -mcpu=cortex-m0 -mfloat-abi=soft|arm-none-eabi-|
cortex-m3|$ARM -mcpu=cortex-m3 -mfloat-abi=soft|arm-none-eabi-|
cortex-m4f|$ARM -mcpu=cortex-m4 -mfloat-abi=hard -mfpu=fpv4-sp-d16 $GRO|arm-none-eabi-|
cortex-m7|$ARM -mcpu=cortex-m7 -mfloat-abi=hard -mfpu=fpv5-d16 $GRO|arm-none-eabi-|
cortex-m23|$ARM -mcpu=cortex-m23 -mfloat-abi=soft|arm-none-eabi-|
cortex-m33|$ARM -mcpu=cortex-m33 -mfloat-abi=hard -mfpu=fpv5-sp-d16 $GRO|arm-none-eabi-|
armv7a-thumb|arm-linux-gnueabihf-gcc -march=armv7-a+fp -mthumb $GRO|arm-linux-gnueabihf-|
aarch64|aarch64-linux-gnu-gcc $GRO|aarch64-linux-gnu-|
rv64gc|riscv64-linux-gnu-gcc -march=rv64gc -mabi=lp64d -mcmodel=medany|riscv64-linux-gnu-|
x86_64|gcc -fno-pie -mno-red-zone -mcmodel=kernel $GRO||-Wl,-Ttext=0xffffffff80000000"
echo "$targets" | while IFS='|' read -r name cc bu ldflags; do
	set -- $cc
	if ! command -v "$1" >/dev/null 2>&1; then
		echo "runtime_size: no $1, $name skipped" >&2
		continue
	fi
	d=$out/$name
	mkdir -p "$d"
	inc=$("$1" -print-file-name=include)
	common="-Os -ffreestanding -nostdinc -isystem $inc -Wall -Wextra -Werror -Iruntime/include -ffunction-sections -fdata-sections"
	# shellcheck disable=SC2086
	"$@" $common -c runtime/ksym.c -o "$d/ksym.o"
	line=$name
	for kind in fault all verify; do
		def=$(echo "FW_$kind" | tr a-z A-Z)
		# shellcheck disable=SC2086
		"$@" $common -D$def -c tests/bench/fw_size.c -o "$d/fw-$kind.o"
		# shellcheck disable=SC2086
		"$@" -nostdlib -static -no-pie -Wl,--gc-sections -Wl,-e,fw_entry -Wl,-Map,"$d/fw-$kind.map" $ldflags \
			-o "$d/fw-$kind.elf" "$d/fw-$kind.o" "$d/ksym.o"
		# The input sections of ksym.o the link kept: a line " .text.f 0xADDR 0xSIZE .../ksym.o",
		# or the name alone on a line and the rest on the next.  The map's discarded list comes first.
		bytes=$(awk -v obj="$d/ksym.o" '
			function hex(s,   i, n) {
				n = 0; s = tolower(substr(s, 3))
				for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
				return n
			}
			/^Discarded input sections/ { skip = 1 }
			/^Memory map|^Linker script and memory map/ { skip = 0 }
			skip { next }
			$1 ~ /^\.(text|rodata)/ && NF == 1 { pending = $1; next }
			{
				sec = pending; pending = ""
				if ($1 ~ /^\.(text|rodata)/ && NF >= 4) { sec = $1; sz = $3; f = $4 }
				else if (sec != "" && $1 ~ /^0x/ && NF >= 3) { sz = $2; f = $3 }
				else next
				if (f == obj && sz ~ /^0x/) n += hex(sz)
			}
			END { print n + 0 }' "$d/fw-$kind.map")
		line="$line $bytes"
	done
	big=$("${bu}nm" --size-sort -S -r "$d/fw-all.elf" | awk '
		function hex(s,   i, n) {
			n = 0; s = tolower(substr(s, 3))
			for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return n
		}
		$3 ~ /^[tTrR]$/ && $4 !~ /^fw_/ {
		printf "%s%s:%d", n++ ? "," : "", $4, hex("0x" $2) } n == 6 { exit }')
	echo "$line $big"
done
