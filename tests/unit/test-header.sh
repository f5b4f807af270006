#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# include/hyperdmabuf.h stands alone: it compiles on its own as strict C99
# and includes nothing beyond <stdbool.h>, <stddef.h> and <stdint.h>.

CC=${CC:-cc}
header=$top_srcdir/include/hyperdmabuf.h
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

extra=$(grep '^#[[:space:]]*include' "$header" |
	grep -v -e '<stdbool\.h>' -e '<stddef\.h>' -e '<stdint\.h>')
if [ -n "$extra" ]; then
	echo "FAIL: hyperdmabuf.h includes more than the C standard types:"
	echo "$extra"
	exit 1
fi

echo '#include <hyperdmabuf.h>' >"$tmp/header.c"
if ! $CC -std=c99 -pedantic -Werror -Wall -Wextra -Wstrict-prototypes \
		-I"$top_srcdir/include" -c "$tmp/header.c" -o "$tmp/header.o"; then
	echo "FAIL: hyperdmabuf.h does not compile alone as C99"
	exit 1
fi
echo "PASS: hyperdmabuf.h compiles alone as C99"
