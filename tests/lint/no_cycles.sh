#!/bin/sh
# No two objects reference each other's symbols: the arrows between the
# patcher's files point one way.  Usage: no_cycles.sh OBJ...
# Prints each pair that does and exits 1 if there is one.
status=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for o in "$@"; do
	b=$(basename "$o" .o)
	nm "$o" | awk '$2 ~ /^[TDRB]$/ { print $3 }' | sort >"$tmp/$b.def"
	nm -u "$o" | awk '{ print $2 }' | sort >"$tmp/$b.und"
done
for a in "$@"; do
	for b in "$@"; do
		x=$(basename "$a" .o) y=$(basename "$b" .o)
		[ "$x" \< "$y" ] || continue
		if [ -n "$(comm -12 "$tmp/$x.und" "$tmp/$y.def")" ] && [ -n "$(comm -12 "$tmp/$y.und" "$tmp/$x.def")" ]; then
			echo "$x.o and $y.o reference each other: $(comm -12 "$tmp/$x.und" "$tmp/$y.def" | head -1), $(comm -12 "$tmp/$y.und" "$tmp/$x.def" | head -1)"
			status=1
		fi
	done
done
exit $status
