#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The ABI of libhyperdmabuf.so: it exports exactly the functions that
# hyperdmabuf.h declares and libhyperdmabuf.map lists, all named hdmabuf_*
# and all carrying a version node of the map.

NM=${NM:-nm}
so=$top_builddir/libhyperdmabuf/.libs/libhyperdmabuf.so
map=$top_srcdir/libhyperdmabuf/libhyperdmabuf.map
header=$top_srcdir/include/hyperdmabuf.h

if ! command -v "${NM%% *}" >/dev/null 2>&1; then
	echo "SKIP: no nm ($NM)"
	exit 77
fi
if [ ! -f "$so" ]; then
	echo "FAIL: $so was not built"
	exit 1
fi

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
failed=0

fail() {
	echo "FAIL: $1"
	cat "$2"
	failed=1
}

nodes=$(sed -n 's/^\(HDMABUF_[0-9_.]*\)[[:space:]]*{.*/\1/p' "$map")
# defined dynamic symbols, without the absolute symbols naming the nodes
$NM -D --defined-only "$so" | awk '{ print $NF }' |
	grep -v -x -F "$nodes" | sort >"$tmp/exported"

# every export is hdmabuf_*, with a default version from the map
for node in $nodes; do
	echo "@@$node"
done >"$tmp/versions"
sed 's/^hdmabuf_[a-z0-9_]*//' "$tmp/exported" |
	grep -v -x -F -f "$tmp/versions" >"$tmp/bad"
[ -s "$tmp/bad" ] && fail "exports that are not versioned hdmabuf_* symbols:" \
	"$tmp/bad"

sed 's/@.*//' "$tmp/exported" | sort >"$tmp/from-so"
sed -n 's/^[[:space:]]*\(hdmabuf_[a-z0-9_]*\);$/\1/p' "$map" | sort >"$tmp/from-map"
sed -n 's/^[a-z].*[ *]\(hdmabuf_[a-z0-9_]*\)(.*/\1/p' "$header" |
	sort >"$tmp/from-header"

diff -u "$tmp/from-header" "$tmp/from-map" >"$tmp/diff" ||
	fail "hyperdmabuf.h and libhyperdmabuf.map disagree:" "$tmp/diff"
diff -u "$tmp/from-map" "$tmp/from-so" >"$tmp/diff" ||
	fail "libhyperdmabuf.map and the exports of the library disagree:" "$tmp/diff"

[ "$failed" = 0 ] || exit 1
echo "PASS: $(wc -l <"$tmp/from-so") symbols, all declared, listed and versioned"
