#!/bin/sh
# usage: table-end.sh SECTION
# The bytes in use of the table at the start of SECTION (a .kernel_symbols
# section extracted with objcopy -O binary): the header's end field (offset
# 44), in the table's byte order (offset 5: 1 little, 2 big).
set -eu
set -- $(od -An -tu1 -j5 -N1 "$1") $(od -An -tu1 -j44 -N4 "$1")
if [ "$1" = 2 ]; then
	echo $(($2 << 24 | $3 << 16 | $4 << 8 | $5))
else
	echo $(($5 << 24 | $4 << 16 | $3 << 8 | $2))
fi
