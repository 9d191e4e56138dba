#!/bin/sh
# Seed corpora for the fuzz targets, made from the test fixtures:
#   runtime/  count + flags + the first KiB of each patched placeholder, or
#             the whole table where it is longer (the llvm fixture's, with
#             two-byte name codes, is 31 KiB)
#   patcher/  each fixture ELF as linked (good and bad ones)
# usage: make-seeds.sh KSYMPATCH OBJCOPY OUTDIR FIXTURE.elf...
set -eu
tool=$1 objcopy=$2 out=$3
shift 3
mkdir -p "$out/runtime" "$out/patcher"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for elf in "$@"; do
	name=$(basename "$elf" .elf)
	cp "$elf" "$out/patcher/$name"
	cp "$elf" "$tmp/k.elf"
	"$tool" patch "$tmp/k.elf" 2>/dev/null || continue
	# (this objcopy reads its own architecture only: other fixtures seed the patcher alone)
	"$objcopy" -O binary --only-section=.kernel_symbols "$tmp/k.elf" "$tmp/sec" 2>/dev/null || continue
	n=$("$tool" dump "$tmp/k.elf" | wc -l)
	{
		# count, little-endian u64; flags 0: the file as it is
		printf "$(printf '\\%03o\\%03o\\000\\000\\000\\000\\000\\000' $((n % 256)) $((n / 256)))"
		printf '\000'
		end=$(sh "$(dirname "$0")/../table-end.sh" "$tmp/sec")
		head -c $(( end > 1024 ? end : 1024 )) "$tmp/sec"
	} >"$out/runtime/$name"
done
