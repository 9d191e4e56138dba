#!/bin/sh
# Write NAME.table and NAME.nm here from a fixture ELF (make rust-test-data):
# the table ksympatch writes into a copy of ELF (with PATCH_OPTION), in the
# fuzz target's input format (the count as a little-endian u64, a flags
# byte 0, the table's bytes in use), and nm -n -S of the same ELF (-C when
# the option demangles).
# usage: make.sh KSYMPATCH BINUTILS_PREFIX ELF NAME [PATCH_OPTION]
set -eu
tool=$1 bu=$2 elf=$3 name=$4 opt=${5:-}
dir=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$elf" "$tmp/k.elf"
"$tool" patch $opt "$tmp/k.elf"
"${bu}objcopy" -O binary --only-section=.kernel_symbols "$tmp/k.elf" "$tmp/sec"
n=$("$tool" dump "$tmp/k.elf" | wc -l)
end=$(sh "$dir/../../../../tests/table-end.sh" "$tmp/sec")
{
	printf "$(printf '\\%03o\\%03o\\000\\000\\000\\000\\000\\000\\000' $((n % 256)) $((n / 256)))"
	head -c "$end" "$tmp/sec"
} >"$dir/$name.table"
"${bu}nm" ${opt:+-C} -n -S "$tmp/k.elf" >"$dir/$name.nm"
