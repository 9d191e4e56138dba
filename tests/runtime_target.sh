#!/bin/sh
# usage: runtime_target.sh DIR BINUTILS_PREFIX ARCH CC [FLAGS...]
#
# Compile runtime/ksym.c with CC FLAGS (the -O level among them) as a
# kernel would (-ffreestanding, nothing but the compiler's own headers) into
# DIR, and print what would stop it from linking alone or running in any
# handler, one finding a line, then its sizes:
#   undefined SYM       a symbol it uses but does not define (nm -u)
#   fp INSN             an instruction on an FP/SIMD register (fp_insns.sh ARCH)
#   dynamic FN          a frame of dynamic size (-fstack-usage)
#   recursion FN        a call cycle through FN
#   stack FN BYTES      each public function's worst stack: its frame plus the
#                       deepest chain of callees, frames from -fstack-usage
#                       (GCC and clang), calls from the relocations between
#                       functions (one section each: -ffunction-sections)
#   text BYTES          code and read-only data of the object, as `size` counts
#                       them (compiled again without -ffunction-sections)
# Exit status 0 unless the compiler or a tool fails.
#
# The findings are kept in DIR with a key made of everything they depend on
# (the runtime's sources, these scripts, the compiler's version and the
# command line): run again on the same inputs, the script prints them from
# there instead of compiling again.
set -e
dir=$1 bu=$2 arch=$3
shift 3
mkdir -p "$dir"
key=$({ cat runtime/ksym.c runtime/include/ksym/*.h tests/runtime_target.sh tests/fp_insns.sh
	"$1" --version 2>&1 | head -n 1; echo "$bu $arch $*"; } | cksum)
if [ -f "$dir/findings" ] && [ "$(cat "$dir/key" 2>/dev/null)" = "$key" ]; then
	cat "$dir/findings"
	exit 0
fi
rm -f "$dir/key"
exec 3>&1 >"$dir/findings.new"
inc=$("$1" -print-file-name=include)
"$@" -ffreestanding -nostdinc -isystem "$inc" -Wall -Wextra -Werror -Iruntime/include \
	-ffunction-sections -fstack-usage -c runtime/ksym.c -o "$dir/ksym.o"
"$@" -ffreestanding -nostdinc -isystem "$inc" -Wall -Wextra -Werror -Iruntime/include \
	-c runtime/ksym.c -o "$dir/ksym-size.o"
"${bu}nm" -u "$dir/ksym.o" | awk '{ print "undefined " $NF }'
sh tests/fp_insns.sh "${bu}objdump" "$dir/ksym.o" "$arch" | sed 's/^/fp /'
"${bu}nm" --defined-only -g "$dir/ksym.o" | awk '$2 == "T" { print $3 }' >"$dir/public"
"${bu}objdump" -dr "$dir/ksym.o" >"$dir/ksym.dis"
"${bu}size" -A "$dir/ksym-size.o" | awk '$1 ~ /^\.(text|rodata)/ { n += $2 } END { print "text " n }' >"$dir/size"
awk -v su="$dir/ksym.su" -v pub="$dir/public" '
	BEGIN {
		while ((getline line < su) > 0) {
			split(line, col, "\t")
			n = split(col[1], loc, ":")
			frame[loc[n]] = col[2]
			if (col[3] !~ /^static/ && col[3] !~ /bounded/)
				print "dynamic " loc[n]
		}
	}
	# A function starts at its symbol; a local label (.L*, which RISC-V
	# objects keep for their branch relocations) is inside one.
	/^[0-9a-f]+ <[^>]+>:$/ { f = $2; gsub(/[<>:]/, "", f); if (f !~ /^\.L/) fn = f; next }
	/R_[A-Z0-9_]+/ {
		sym = $NF
		sub(/^\.text\./, "", sym)
		sub(/[+-]0x[0-9a-f]+$/, "", sym)
		if (fn != "" && sym in frame && sym != fn && !((fn, sym) in edge)) {
			edge[fn, sym] = 1
			calls[fn] = calls[fn] " " sym
		} else if (sym == fn && $0 ~ /CALL|JUMP|PLT|JAL/) {
			self[fn] = 1
		}
	}
	# The deepest stack from f, with the functions on the current path in onpath.
	function deepest(f,    list, n, i, d, best) {
		if (f in memo)
			return memo[f]
		if (onpath[f] || self[f]) {
			print "recursion " f
			return 0
		}
		onpath[f] = 1
		best = 0
		n = split(calls[f], list, " ")
		for (i = 1; i <= n; i++)
			if ((d = deepest(list[i])) > best)
				best = d
		onpath[f] = 0
		return memo[f] = frame[f] + best
	}
	END {
		while ((getline f < pub) > 0)
			print "stack " f " " deepest(f)
	}' "$dir/ksym.dis"
cat "$dir/size"
exec 1>&3
mv "$dir/findings.new" "$dir/findings"
echo "$key" >"$dir/key"
cat "$dir/findings"
