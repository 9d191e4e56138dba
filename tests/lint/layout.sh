#!/bin/sh
# The layout rules of the code (issue "one job per file"), checked:
#   no patcher source file over 500 lines, no function in patcher/ or
#   runtime/ over 80 lines, exit() only in patcher/main.c, no test helper
#   defined in two test files (shared ones go in tests/helpers.c).
# Prints each offence and exits 1 if there is one.
status=0
for f in patcher/*.c patcher/*.h; do
	n=$(wc -l <"$f")
	[ "$n" -le 500 ] || { echo "$f: $n lines (at most 500)"; status=1; }
done
# A function body runs from a "{" alone at column 0 to the next "}" at column 0.
awk 'FNR == 1 { start = 0 }
     /^\{$/ { start = FNR; name = prev }
     /^\}/ && start { if (FNR - start - 1 > 80) { printf "%s:%d: %s: %d lines (at most 80)\n", FILENAME, start, name, FNR - start - 1; bad = 1 } start = 0 }
     { prev = $0 }
     END { exit bad }' patcher/*.c runtime/*.c || status=1
if grep -n '\bexit *(' patcher/*.c | grep -v '^patcher/main\.c:'; then
	echo "exit() outside patcher/main.c (return -1 to main instead)"
	status=1
fi
# A helper: a static function (or macro) defined at the top of a test file.
dups=$(for f in tests/test_*.c; do
	sed -n 's/^static [^(=]*[ *]\([a-z_][a-z_0-9]*\)(.*/\1/p; s/^#define \([A-Za-z_][A-Za-z_0-9]*\)(.*/\1/p' "$f" | sort -u
done | grep -v -x -e setup -e teardown | sort | uniq -d) # a suite's own fixtures may share a name
if [ -n "$dups" ]; then
	echo "test helpers defined in more than one test file (move them to tests/helpers.c):" $dups
	status=1
fi
exit $status
