#!/bin/sh
# The arrows between the patcher's objects point one way: no object uses,
# through any chain of others, a symbol of an object that uses one of its
# own.  Usage: no_cycles.sh OBJ...
# An edge A B is "A uses a symbol B defines"; tsort finds any cycle in the
# graph.  Prints the cycle and exits 1 if there is one.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for o in "$@"; do
	b=$(basename "$o" .o)
	nm "$o" | awk -v b="$b" '$2 ~ /^[TDRB]$/ { print $3, b }' >>"$tmp/defs"
	nm -u "$o" | awk -v b="$b" '{ print $2, b }' >>"$tmp/uses"
done
sort -o "$tmp/defs" "$tmp/defs"
sort -o "$tmp/uses" "$tmp/uses"
# user definer, for every symbol one object uses and another defines
join "$tmp/uses" "$tmp/defs" | awk '$2 != $3 { print $2, $3 }' | sort -u >"$tmp/edges"
# every object a node of its own, so tsort sees them all
for o in "$@"; do b=$(basename "$o" .o); echo "$b $b"; done >>"$tmp/edges"
if ! tsort "$tmp/edges" >/dev/null 2>"$tmp/err"; then
	echo "patcher objects that use each other, through a chain:"
	sed -n 's/^tsort: //p' "$tmp/err"
	exit 1
fi
exit 0
