#!/bin/sh
# The benchmark driver behind `make bench`: measures everything in one run,
# prints one Markdown table (also written to OUTDIR/results.md), and plots
# the scaling to OUTDIR/scaling.png.  Progress goes to stderr.
#
# usage: run.sh -k KSYMPATCH -b BINDIR -c CROSS_COMPILE -o OUTDIR [-d DOCSDIR]
#               [-r RUNS] [-a ADDR2LINE_RUNS] [-l LOOKUP_N] [-g GLIBC_ELF] [-x LK_ELF]
#               [-p CXX_ELF] [-m ELF_16M] N...
#
#   KSYMPATCH       the ksympatch binary under test
#   BINDIR          holds runstat, gen_addrs, bench_lookup, density and kallsyms (tests/bench/*.c)
#   CROSS_COMPILE   prefix of the binutils compared against (nm, addr2line)
#   OUTDIR          holds kernel-N.elf for every N (unpatched); results go here
#   DOCSDIR         if given, results.md and scaling.png are copied there as
#                   bench-results.md and bench-scaling.png
#   RUNS            runs per measurement, medians reported (default 5)
#   ADDR2LINE_RUNS  runs of addr2line, the slow side (default 3)
#   LOOKUP_N        the N of the batch lookup comparison (default 100000)
#   GLIBC_ELF       an unpatched program with real names, for the density table
#   LK_ELF          (-x) the lk-like set of tests/bench/gen_lk.c, unpatched, for the same
#   CXX_ELF         (-p) the mangled C++ set (3,000 of libLLVM's names), unpatched, for the same
#   ELF_16M         (-m) the kernel of LOOKUP_N functions with a 16 MiB placeholder, unpatched
#
# Also counts the runtime's instructions with valgrind --tool=callgrind
# (tests/bench/insns.c) when valgrind is there, and links the runtime per
# target at -Os (tests/bench/runtime_size.sh) into OUTDIR/size.
#
# Commands compared are alternated run by run (patch, nm, patch, nm, ...) so
# that a drift in machine load hits both sides alike.  Every patch run writes
# a fresh copy with -o from the unpatched ELF, which stays unpatched.
set -eu

runs=5 a2l_runs=3 lookup_n=100000 docs='' ksympatch='' bindir='' cross='' out='' glibc='' lk='' cxx='' big=''
while getopts k:b:c:o:d:r:a:l:g:x:p:m: opt; do
	case $opt in
	k) ksympatch=$OPTARG ;;
	b) bindir=$OPTARG ;;
	c) cross=$OPTARG ;;
	o) out=$OPTARG ;;
	d) docs=$OPTARG ;;
	r) runs=$OPTARG ;;
	a) a2l_runs=$OPTARG ;;
	l) lookup_n=$OPTARG ;;
	g) glibc=$OPTARG ;;
	x) lk=$OPTARG ;;
	p) cxx=$OPTARG ;;
	m) big=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ -z "$ksympatch" ] || [ -z "$bindir" ] || [ -z "$out" ] || [ $# -eq 0 ]; then
	sed -n '6,8p' "$0" >&2
	exit 2
fi
ns=$*
nm=${cross}nm
addr2line=${cross}addr2line
runstat=$bindir/runstat
kv=$out/medians.txt
work=$out/work
mkdir -p "$work"
: >"$kv"

say() { printf 'bench: %s\n' "$*" >&2; }

# median FILE COLUMN: the median of a column of numbers.
median() {
	awk -v c="$2" '{ print $c }' "$1" | sort -g |
		awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# spread A B: the least and the greatest of A's run i over B's run i (column 1;
# the two run one after the other), as "lo–hi"
spread() {
	paste "$1" "$2" | awk '{ x = $1 / $3; if (NR == 1 || x < lo) lo = x; if (NR == 1 || x > hi) hi = x }
		END { printf "%.2f–%.2f", lo, hi }'
}

# record KEY VALUE
record() { printf '%s %s\n' "$1" "$2" >>"$kv"; }

# ---- 1. patch vs nm, and 4. bytes per symbol ------------------------------

for n in $ns; do
	elf=$out/kernel-$n.elf
	patched=$out/kernel-$n.patched.elf
	[ -f "$elf" ] || { echo "bench: missing $elf" >&2; exit 1; }
	: >"$work/patch-$n" && : >"$work/nm-$n"
	i=1
	while [ "$i" -le "$runs" ]; do
		say "N=$n: ksympatch patch vs nm -n -S, run $i/$runs"
		rm -f "$patched"
		"$runstat" -o "$work/patch-$n.log" "$ksympatch" patch -v "$elf" -o "$patched" >>"$work/patch-$n"
		"$runstat" "$nm" -n -S "$elf" >>"$work/nm-$n"
		i=$((i + 1))
	done
	record "patch_t_$n" "$(median "$work/patch-$n" 1)"
	record "tspread_$n" "$(spread "$work/patch-$n" "$work/nm-$n")"
	record "patch_rss_$n" "$(median "$work/patch-$n" 2)"
	record "nm_t_$n" "$(median "$work/nm-$n" 1)"
	record "nm_rss_$n" "$(median "$work/nm-$n" 2)"
	bps=$(sed -n 's/.*, \([0-9.]*\) bytes\/symbol$/\1/p' "$work/patch-$n.log")
	[ -n "$bps" ] || { echo "bench: no bytes/symbol in: $(cat "$work/patch-$n.log")" >&2; exit 1; }
	record "bps_$n" "$bps"
	record "syms_$n" "$(awk '{ print $3 }' "$work/patch-$n.log")"
	# "N symbols, TABLE of PLACEHOLDER bytes": the placeholder over the table
	record "place_$n" "$(sed -n 's/.* symbols, \([0-9]*\) of \([0-9]*\) bytes.*/\1 \2/p' "$work/patch-$n.log" |
		awk '{ print $2 / $1 }')"
done

# ---- 1b. patch vs nm with a 16 MiB placeholder at LOOKUP_N ----------------

if [ -n "$big" ]; then
	patched=$out/kernel16m.patched.elf
	: >"$work/patch16m" && : >"$work/nm16m"
	i=1
	while [ "$i" -le "$runs" ]; do
		say "N=$lookup_n, 16 MiB placeholder: ksympatch patch vs nm -n -S, run $i/$runs"
		rm -f "$patched"
		"$runstat" "$ksympatch" patch "$big" -o "$patched" >>"$work/patch16m"
		"$runstat" "$nm" -n -S "$big" >>"$work/nm16m"
		i=$((i + 1))
	done
	record patch16m_t "$(median "$work/patch16m" 1)"
	record t16mspread "$(spread "$work/patch16m" "$work/nm16m")"
	record nm16m_t "$(median "$work/nm16m" 1)"
	# What the patched copy holds on disk (a placeholder's zeros need not be written).
	record patch16m_disk "$(du -k "$patched" | awk '{ print $1 / 1024 }')"
	record patch16m_size "$(wc -c <"$patched" | awk '{ print $1 / 1048576 }')"
fi

# ---- 2. batch lookup vs addr2line at LOOKUP_N ------------------------------

elf=$out/kernel-$lookup_n.elf
patched=$out/kernel-$lookup_n.patched.elf
[ -f "$patched" ] || { echo "bench: LOOKUP_N=$lookup_n is not one of the N: $ns" >&2; exit 1; }
range=$("$nm" -n "$elf" | awk '$2 == "T" || $2 == "t" { if (lo == "") lo = $1; hi = $1 } END { print lo, hi }')
# shellcheck disable=SC2086 # two words on purpose
"$bindir/gen_addrs" $range 10000 >"$work/addrs-10k"
# shellcheck disable=SC2086
"$bindir/gen_addrs" $range 1000000 >"$work/addrs-1M"

: >"$work/lookup-10k" && : >"$work/a2l-10k"
i=1
while [ "$i" -le "$runs" ] || [ "$i" -le "$a2l_runs" ]; do
	if [ "$i" -le "$runs" ]; then
		say "N=$lookup_n: ksympatch lookup of 10,000 addresses, run $i/$runs"
		"$runstat" -i "$work/addrs-10k" -o "$work/lookup-10k.out" \
			"$ksympatch" lookup "$patched" >>"$work/lookup-10k"
	fi
	if [ "$i" -le "$a2l_runs" ]; then
		say "N=$lookup_n: addr2line -f of 10,000 addresses, run $i/$a2l_runs (slow)"
		"$runstat" -i "$work/addrs-10k" -o "$work/a2l-10k.out" \
			"$addr2line" -f -e "$patched" >>"$work/a2l-10k"
	fi
	i=$((i + 1))
done
# Both must name the same functions, or the comparison means nothing.
bad=$(awk 'NR == FNR { if (FNR % 2) a2l[(FNR + 1) / 2] = $1; next }
	{ name = $2; sub(/\+0x.*/, "", name); if (name != a2l[FNR]) bad++ }
	END { print bad + 0 }' "$work/a2l-10k.out" "$work/lookup-10k.out")
[ "$bad" = 0 ] || { echo "bench: ksympatch lookup and addr2line disagree on $bad of 10,000 addresses" >&2; exit 1; }
record lookup10k_t "$(median "$work/lookup-10k" 1)"
record a2l10k_t "$(median "$work/a2l-10k" 1)"

: >"$work/lookup-1M" && : >"$work/lookup-0"
i=1
while [ "$i" -le "$runs" ]; do
	say "N=$lookup_n: ksympatch lookup of 1,000,000 addresses and of none, run $i/$runs"
	"$runstat" -i "$work/addrs-1M" "$ksympatch" lookup "$patched" >>"$work/lookup-1M"
	"$runstat" "$ksympatch" lookup "$patched" >>"$work/lookup-0"
	i=$((i + 1))
done
record lookup1M_t "$(median "$work/lookup-1M" 1)"
record lookup0_t "$(median "$work/lookup-0" 1)"

# Start-up: one address, against a process that reads the whole file (cat).
head -n 1 "$work/addrs-10k" >"$work/addrs-1"
: >"$work/lookup-1" && : >"$work/cat"
i=1
while [ "$i" -le $((runs * 2 + 1)) ]; do
	say "N=$lookup_n: ksympatch lookup of one address vs cat of the file, run $i/$((runs * 2 + 1))"
	"$runstat" -i "$work/addrs-1" "$ksympatch" lookup "$patched" >>"$work/lookup-1"
	"$runstat" cat "$patched" >>"$work/cat"
	i=$((i + 1))
done
record lookup1_t "$(median "$work/lookup-1" 1)"
record cat_t "$(median "$work/cat" 1)"

# ---- 3. in-process lookup -----------------------------------------------

say "in-process lookup: ksym_lookup_addr vs bare binary search vs linear scan, N = $ns"
# shellcheck disable=SC2086
"$bindir/bench_lookup" -r "$runs" $ns >"$work/inproc"
while read -r n k b l _ name gap nested ka ba kblo kbhi kbalo kbahi; do
	record "kbspread_$n" "$kblo–$kbhi"
	record "kbaspread_$n" "$kbalo–$kbahi"
	record "ksym_ns_$n" "$k"
	record "bare_ns_$n" "$b"
	record "ksymasc_ns_$n" "$ka"
	record "bareasc_ns_$n" "$ba"
	record "linear_ns_$n" "$l"
	record "name_ns_$n" "$name"
	record "gap_ns_$n" "$gap"
	record "nested_ns_$n" "$nested"
done <"$work/inproc"

# ---- 5. density: where a table's bytes go ---------------------------------

# density LABEL PATCHED_ELF: one line of tests/bench/density.c, then the
# bytes of kallsyms' encoding of the same symbols (tests/bench/kallsyms.c).
density() {
	"${cross}objcopy" -O binary --only-section=.kernel_symbols "$2" "$work/$1.blob"
	kallsyms=$("$ksympatch" dump "$2" | "$bindir/kallsyms" 8 | awk '{ print $2 }')
	printf '%s %s\n' "$("$bindir/density" "$1" "$work/$1.blob")" "$kallsyms" >>"$work/density"
}
: >"$work/density"
for n in $ns; do
	density "bench-names-N=$n" "$out/kernel-$n.patched.elf"
done
if [ -n "$glibc" ]; then
	say "density: the static glibc program $glibc"
	"$ksympatch" patch "$glibc" -o "$work/glibc.elf"
	density "static-glibc-aarch64" "$work/glibc.elf"
fi
if [ -n "$lk" ]; then
	say "density: the lk-like set $lk"
	"$ksympatch" patch "$lk" -o "$work/lk.elf"
	density "lk-like-aarch64" "$work/lk.elf"
fi
if [ -n "$cxx" ]; then
	say "density: the mangled C++ set $cxx"
	"$ksympatch" patch "$cxx" -o "$work/cxx.elf"
	density "llvm-cxx-aarch64" "$work/cxx.elf"
fi

# ---- 6. instructions (callgrind) ------------------------------------------

# insns LABEL BLOB: instructions per call of each runtime function measured,
# one line "LABEL count open_per_symbol name addr bare lname".
insns() {
	line="$1"
	for m in open name addr bare lname; do
		case $m in
		open) fn=ksym_open k=1 ;;
		name) fn=ksym_name k=2000 ;;
		addr) fn=ksym_lookup_addr k=2000 ;;
		bare) fn=bare_search k=2000 ;;
		lname) fn=ksym_lookup_name k=500 ;;
		esac
		valgrind --tool=callgrind --callgrind-out-file="$work/cg.$m" --toggle-collect="$fn" \
			"$bindir/insns" "$m" "$2" "$k" >"$work/cg.$m.out" 2>"$work/cg.$m.err" ||
			{ cat "$work/cg.$m.err" >&2; exit 1; }
		ir=$(sed -n 's/^summary: *//p' "$work/cg.$m")
		count=$(awk '{ print $3 }' "$work/cg.$m.out")
		if [ "$m" = open ]; then
			line="$line $count $(awk -v ir="$ir" -v n="$count" 'BEGIN { print ir / n }')"
		else
			line="$line $(awk -v ir="$ir" -v k="$k" 'BEGIN { print ir / k }')"
		fi
	done
	echo "$line" >>"$work/insns"
}
: >"$work/insns"
if command -v valgrind >/dev/null 2>&1; then
	say "instructions: callgrind on the glibc, lk-like and N=$lookup_n tables"
	[ -z "$glibc" ] || insns static-glibc-aarch64 "$work/static-glibc-aarch64.blob"
	[ -z "$lk" ] || insns lk-like-aarch64 "$work/lk-like-aarch64.blob"
	insns "bench-names-N=$lookup_n" "$work/bench-names-N=$lookup_n.blob"
else
	say "valgrind not found: no instruction counts"
fi
while read -r label _ open name addr bare lname; do
	case $label in bench-names-N=*) key=bench ;; static-glibc*) key=glibc ;; *) key=lk ;; esac
	record "ir_open_$key" "$open"
	record "ir_name_$key" "$name"
	record "ir_addr_$key" "$addr"
	record "ir_bare_$key" "$bare"
	record "ir_lname_$key" "$lname"
done <"$work/insns"

# ---- 7. the runtime's linked size per target ------------------------------

say "the runtime's linked size per target at -Os (tests/bench/runtime_size.sh)"
sh "$(dirname "$0")/runtime_size.sh" "$out/size" >"$work/size"

# ---- the table ------------------------------------------------------------

cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
machine="$(uname -sm), ${cpu:-unknown CPU}, $(getconf _NPROCESSORS_ONLN) CPUs"
binutils=$("$nm" --version | sed -n '1s/.*) *//p')

awk -v ns="$ns" -v lookup_n="$lookup_n" -v runs="$runs" -v a2l_runs="$a2l_runs" \
	-v machine="$machine" -v binutils="$binutils" -v dat="$out/scaling.dat" '
function fmt(x) {
	if (x == "") return ""
	if (x >= 1e7) return sprintf("%.3g", x)
	if (x >= 100) return sprintf("%.0f", x)
	if (x >= 10) return sprintf("%.1f", x)
	return sprintf("%.2f", x)
}
function commas(n,   s) {
	s = sprintf("%d", n)
	while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
	return s
}
function short(n) { return n >= 1e6 && n % 1e6 == 0 ? n / 1e6 "M" : n >= 1000 && n % 1000 == 0 ? n / 1000 "k" : n }
function mark(ok) { return ok ? "✓" : "✗" }
# row(label, key prefix, scale, target, met): one value per N
function row(label, key, scale, target, met,   i, s) {
	s = "| " label
	for (i = 1; i <= nn; i++)
		s = s " | " ((key "_" N[i]) in v ? fmt(v[key "_" N[i]] * scale) : "")
	print s " | " target " | " met " |"
}
# srow(label, key): a row of text values per N (a spread "lo–hi")
function srow(label, key,   i, s) {
	s = "| " label
	for (i = 1; i <= nn; i++)
		s = s " | " ((key "_" N[i]) in v ? v[key "_" N[i]] : "")
	print s " |  |  |"
}
# one(label, N, value, target, met): a single value in the column of N
function one(label, n, x, target, met,   i, s) {
	s = "| " label
	for (i = 1; i <= nn; i++) s = s " | " (N[i] == n ? x : "")
	print s " | " target " | " met " |"
}
# growth(key): the exponent of t ~ N^k between the two largest N
function growth(key) {
	return log(v[key "_" N[nn]] / v[key "_" N[nn - 1]]) / log(N[nn] / N[nn - 1])
}
# ratio rows: key = a / b per N
function ratio(a, b, out,   i) {
	for (i = 1; i <= nn; i++)
		if ((a "_" N[i]) in v && (b "_" N[i]) in v)
			v[out "_" N[i]] = v[a "_" N[i]] / v[b "_" N[i]]
}
# all(key, op, limit, from): the ratio meets the limit at every N >= from
function all(key, op, limit, from,   i, ok) {
	ok = 1
	for (i = 1; i <= nn; i++) {
		if (N[i] < from || !((key "_" N[i]) in v)) continue
		if (op == "<=" && v[key "_" N[i]] > limit) ok = 0
		if (op == ">=" && v[key "_" N[i]] < limit) ok = 0
	}
	return ok
}
NR == FNR { v[$1] = $2; next }
END {
	nn = split(ns, N, " ")
	ratio("patch_t", "nm_t", "tratio"); ratio("patch_rss", "nm_rss", "mratio")
	ratio("ksym_ns", "bare_ns", "kb"); ratio("linear_ns", "ksym_ns", "lk")
	ratio("ksymasc_ns", "bareasc_ns", "kba")
	for (i = 1; i <= nn; i++)
		v["fit_" N[i]] = int(32768 / v["bps_" N[i]])
	big = N[nn] >= 100000 ? 100000 : N[nn]

	print "## ksympatch benchmark"
	print ""
	printf "Medians of %d runs (addr2line: %d), the compared commands alternating run by run; ", runs, a2l_runs
	printf "wall time and peak RSS from wait4; under a ratio, the least and the greatest ratio of one run of each "
	printf "side and the other run just after it. %s; binutils %s.\n", machine, binutils
	print ""
	s = "| Measure"; t = "|---"
	for (i = 1; i <= nn; i++) { s = s " | N = " commas(N[i]); t = t "|--:" }
	print s " | Target | Met |"; print t "|---|:-:|"

	row("`ksympatch patch -o` time (ms)", "patch_t", 1000, "", "")
	row("`nm -n -S` time (ms)", "nm_t", 1000, "", "")
	row("patch / nm, time", "tratio", 1, "≤ 1.0 at N ≥ 10,000", mark(all("tratio", "<=", 1.0, 10000)))
	srow("the same, least–greatest of the run pairs", "tspread")
	row("`ksympatch patch` peak RSS (MiB)", "patch_rss", 1 / 1024, "", "")
	row("`nm -n -S` peak RSS (MiB)", "nm_rss", 1 / 1024, "", "")
	row("patch / nm, peak RSS", "mratio", 1, "≤ 1.2 at N = 1,000,000", mark(all("mratio", "<=", 1.2, 1000000)))
	row("table bytes/symbol (`patch -v`)", "bps", 1, "", "")
	row("placeholder / table, bytes", "place", 1, "table + 50%, 4 KiB pages", "")
	row("symbols that fit in 32 KiB", "fit", 1, "", "")

	L = lookup_n
	if ("patch16m_t" in v) {
		one("`ksympatch patch -o`, 16 MiB placeholder (ms)", L, fmt(v["patch16m_t"] * 1000), "", "")
		one("`nm -n -S`, the same file (ms)", L, fmt(v["nm16m_t"] * 1000), "", "")
		x = v["patch16m_t"] / v["nm16m_t"]
		one("patch / nm, time, 16 MiB placeholder", L, fmt(x), "≤ 1.0", mark(x <= 1.0))
		one("the same, least–greatest of the run pairs", L, v["t16mspread"], "", "")
		one("the patched copy: size / on disk (MiB)", L, fmt(v["patch16m_size"]) " / " fmt(v["patch16m_disk"]), "zeros not written", mark(v["patch16m_disk"] < v["patch16m_size"] / 2))
	}
	one("`ksympatch lookup`, 10,000 addresses (ms)", L, fmt(v["lookup10k_t"] * 1000), "", "")
	one("`addr2line -f`, 10,000 addresses (ms)", L, fmt(v["a2l10k_t"] * 1000), "", "")
	x = v["a2l10k_t"] / v["lookup10k_t"]
	one("addr2line / ksympatch lookup, time", L, fmt(x), "≥ 100", mark(x >= 100))
	one("`ksympatch lookup`, no address: startup (ms)", L, fmt(v["lookup0_t"] * 1000), "", "")
	one("`ksympatch lookup`, one address (ms)", L, fmt(v["lookup1_t"] * 1000), "", "")
	one("`cat` of the file: reading it (ms)", L, fmt(v["cat_t"] * 1000), "", "")
	x = (v["lookup1_t"] - v["cat_t"]) * 1000
	one("one address, beyond reading the file (ms)", L, fmt(x), "≤ 1", mark(x <= 1))
	one("`ksympatch lookup`, 1,000,000 addresses (ms)", L, fmt(v["lookup1M_t"] * 1000), "", "")
	one("`ksympatch lookup` rate (addresses/s)", L, commas(1e6 / v["lookup1M_t"]), "", "")

	row("in process: `ksym_lookup_addr` (ns/lookup)", "ksym_ns", 1, "", "")
	row("in process: bare binary search + containment (ns/lookup)", "bare_ns", 1, "", "")
	row("in process: linear scan (ns/lookup)", "linear_ns", 1, "", "")
	row("ksym / bare search, time, random addresses", "kb", 1, "≤ 1.5 at N = " commas(L), mark(v["kb_" L] <= 1.5))
	srow("the same, least–greatest of the run pairs", "kbspread")
	row("in process, ascending addresses: `ksym_lookup_addr` (ns/lookup)", "ksymasc_ns", 1, "", "")
	row("in process, ascending addresses: bare search (ns/lookup)", "bareasc_ns", 1, "", "")
	row("ksym / bare search, time, ascending addresses", "kba", 1, "≤ 1.5 at N = " commas(L), mark(v["kba_" L] <= 1.5))
	srow("the same, least–greatest of the run pairs", "kbaspread")
	row("linear scan / ksym, time", "lk", 1, "≥ 100 at N = " commas(L), mark(v["lk_" L] >= 100))
	row("in process: `ksym_lookup_name` (ns/lookup)", "name_ns", 1, "", "")
	row("in process: address in a gap (ns/lookup)", "gap_ns", 1, "", "")
	row("the same, one symbol spanning all (ns/lookup)", "nested_ns", 1, "", "")
	ratio("nested_ns", "gap_ns", "ng")
	row("spanning symbol / none, gap lookups", "ng", 1, "≤ 3.0 (two block decodes, no walk)", mark(all("ng", "<=", 3.0, 0)))

	if (nn >= 2) {
		lbl = "growth k (t ∝ N^k), " short(N[nn - 1]) " → " short(N[nn])
		# N log N between the two largest N, as an exponent
		nlogn = 1 + log(log(N[nn]) / log(N[nn - 1])) / log(N[nn] / N[nn - 1])
		x = growth("patch_t"); one(lbl ": patch", N[nn], fmt(x), sprintf("≤ %.2f (N log N)", nlogn), mark(x <= nlogn))
		x = growth("nm_t"); one(lbl ": nm", N[nn], fmt(x), "", "")
		# per lookup: log N
		x = growth("ksym_ns"); one(lbl ": ksym ns/lookup", N[nn], fmt(x), sprintf("≤ %.2f (log N)", nlogn - 1), mark(x <= nlogn - 1))
		x = growth("bare_ns"); one(lbl ": bare search ns/lookup", N[nn], fmt(x), "", "")
		x = growth("linear_ns"); one(lbl ": linear scan ns/lookup", N[nn], fmt(x), "", "")
	}
	print ""
	print "Files: `gen_kernel N` AArch64 assembly, assembled and linked with GNU binutils against"
	print "tests/fixtures/fixture.ld.  `patch` writes a patched copy (`-o`) of the unpatched ELF on every run;"
	print "the addresses for the lookups are uniform over the text, from a fixed seed, at N = " commas(L) "."
	print "Each kernel is linked with a placeholder of the size of its table plus 50% (the row above), the"
	print "16 MiB rows with a 16 MiB one; \"on disk\" is what `du` says the patched copy occupies."
	print "Start-up: `lookup` of one address from stdin minus `cat` of the same file (both whole processes)."
	print "In process: a table encoded in memory by ksp_encode(), random addresses (or the same sorted"
	print "ascending), -O2; the bare search is a plain binary search over a uint64_t array of starts and"
	print "a containment check against an array of sizes;"
	print "the linear scan reads the records through ksym_symbol_at().  A growth exponent of 1 is linear."
	print "Gap lookups: the first byte after a function where no other starts; the spanning symbol covers the"
	print "whole text, so only it contains them."

	for (i = 1; i <= nn; i++)
		printf "%d %s %s %s %s %s\n", N[i], v["patch_t_" N[i]], v["nm_t_" N[i]],
			v["ksym_ns_" N[i]], v["bare_ns_" N[i]], v["linear_ns_" N[i]] >dat
}' "$kv" >"$out/results.md"

# The density table: bytes per symbol, and the share of each part of the format.
awk '
function part(x) { return sprintf("%.2f (%.0f%%)", x / $2, 100 * x / $3) }
BEGIN {
	print ""
	print "### Table density (format v4)"
	print ""
	print "Bytes per symbol, and per part of the format (docs/FORMAT.md): its share of the table in brackets."
	print "\"Fits\" is how many such symbols a 32 KiB placeholder holds.  Index: the name hints and the"
	print "record-to-name permutation.  kallsyms: the bytes Linux kallsyms (6.2 and later) emits for the same"
	print "symbols, names, offsets and its name index, without sizes (tests/bench/kallsyms.c); the C++ set"
	print "is 3,000 of libLLVM-14'\''s mangled function names (every 7th, sorted), as issue 17 measured."
	print ""
	print "| Symbol set | Symbols | Bytes/symbol | kallsyms | x kallsyms | Target | Met | Fits in 32 KiB | Header + tokens | Addresses | Sizes | Names | Index |"
	print "|---|--:|--:|--:|--:|---|:-:|--:|--:|--:|--:|--:|--:|"
}
{
	b = $3 / $2
	x = $3 / $9
	if ($1 ~ /glibc/)
		{ target = "≤ 11"; met = b <= 11 }
	else if ($1 ~ /^lk/)
		{ target = "≤ 13"; met = b <= 13 }
	else if ($1 ~ /cxx/)
		{ target = "≤ 0.70x kallsyms"; met = x <= 0.70 }
	else
		{ target = ""; met = -1 }
	printf "| %s | %d | %.2f | %.2f | %.2f | %s | %s | %d | %s | %s | %s | %s | %s |\n", $1, $2, b, $9 / $2, x,
		target, met < 0 ? "" : met ? "✓" : "✗", int(32768 * $2 / $3),
		part($4), part($5), part($6), part($7), part($8)
}' "$work/density" >>"$out/results.md"

# Instructions per call, from callgrind.
if [ -s "$work/insns" ]; then
	awk '
	function mark(ok) { return ok ? "✓" : "✗" }
	BEGIN {
		print ""
		print "### Instructions (callgrind)"
		print ""
		print "Instructions of each call (valgrind --tool=callgrind --toggle-collect, inclusive; tests/bench/insns.c,"
		print "x86_64 -O2) on the tables of the patched ELFs: `ksym_open` once, per symbol of the table; `ksym_name`"
		print "of 2,000 symbols spread over the table; lookups of 2,000 random addresses and 500 names of the table."
		print "The bare search is a binary search over an array of starts with a containment check."
		print ""
		print "| Table | Symbols | `ksym_open` / symbol | `ksym_name` | `ksym_lookup_addr` | bare search | lookup / bare | `ksym_lookup_name` |"
		print "|---|--:|--:|--:|--:|--:|--:|--:|"
	}
	{
		printf "| %s | %d | %.1f | %.0f | %.0f | %.0f | %.2f | %.0f |\n", $1, $2, $3, $4, $5, $6, $5 / $6, $7
		if ($3 > open_max) open_max = $3
		if ($4 > name_max) name_max = $4
	}
	END {
		printf "| target (issue 17) | | ≤ 200: %s | ≤ 2,000: %s | | | (time: ≤ 1.5) | reported |\n",
			mark(open_max <= 200), mark(name_max <= 2000)
	}' "$work/insns" >>"$out/results.md"
fi

# The runtime linked into a firmware, per target.
if [ -s "$work/size" ]; then
	awk '
	BEGIN {
		print ""
		print "### The runtime linked into a firmware, per target (-Os)"
		print ""
		print "Bytes of code and read-only data that runtime/ksym.c adds to a firmware linked with"
		print "`-ffunction-sections -fdata-sections -Wl,--gc-sections` (what the link map keeps of ksym.o;"
		print "tests/bench/runtime_size.sh, the flags of tests/test_runtime_targets.c, GCC): a fault reporter"
		print "(`ksym_open` + `ksym_describe`), every lookup (open, `lookup_addr`, `lookup_name`, `name`,"
		print "`format`, `describe`), and everything (with `ksym_verify`). Issue 20 aims at 4 KB on Cortex-M3"
		print "with every lookup. Largest: the biggest functions of the every-lookup link (`nm --size-sort`)."
		print ""
		print "| Target | open + describe | every lookup | everything | ≤ 4,096 with every lookup | Largest functions (bytes) |"
		print "|---|--:|--:|--:|:-:|---|"
	}
	function commas(n,   s) {
		s = sprintf("%d", n)
		while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
		return s
	}
	{
		big = $5; gsub(/,/, ", ", big); gsub(/:/, " ", big)
		met = $1 == "cortex-m3" ? ($3 <= 4096 ? "✓" : "✗") : ""
		printf "| %s | %s | %s | %s | %s | %s |\n", $1, commas($2), commas($3), commas($4), met, big
	}' "$work/size" >>"$out/results.md"
fi
cat "$out/results.md"

# ---- the plot -------------------------------------------------------------

if command -v gnuplot >/dev/null 2>&1; then
	say "plotting $out/scaling.png"
	gnuplot <<EOF
set terminal pngcairo size 1200,500 font ",10"
set output "$out/scaling.png"
set multiplot layout 1,2 title "ksympatch scaling ($machine)" noenhanced
set logscale xy
set grid
set key top left
set format x "10^{%L}"
set autoscale xfix
set offsets graph 0.05, graph 0.05, 0, 0
set xlabel "N (symbols)"
set ylabel "wall time (s)"
set format y "%g"
set title "Patch vs nm -n -S, median of $runs"
plot "$out/scaling.dat" using 1:2 with linespoints lw 2 pt 7 title "ksympatch patch", \
     "$out/scaling.dat" using 1:3 with linespoints lw 2 pt 5 title "nm -n -S"
set ylabel "ns per lookup"
set format y "10^{%L}"
set title "Address lookup in process, median of $runs"
plot "$out/scaling.dat" using 1:4 with linespoints lw 2 pt 7 title "ksym_lookup_addr" noenhanced, \
     "$out/scaling.dat" using 1:5 with linespoints lw 2 pt 5 title "bare binary search", \
     "$out/scaling.dat" using 1:6 with linespoints lw 2 pt 9 title "linear scan"
unset multiplot
EOF
else
	say "gnuplot not found: no plot (make deps installs gnuplot-nox)"
fi

if [ -n "$docs" ]; then
	mkdir -p "$docs"
	cp "$out/results.md" "$docs/bench-results.md"
	[ ! -f "$out/scaling.png" ] || cp "$out/scaling.png" "$docs/bench-scaling.png"
	say "copied to $docs/bench-results.md and $docs/bench-scaling.png"
fi
