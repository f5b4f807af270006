#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# include/hyperdmabuf.h compiles as C++ too. Skips (77) without a C++
# compiler; $CXX names one, default c++.

CXX=${CXX:-c++}
if ! command -v "${CXX%% *}" >/dev/null 2>&1; then
	echo "SKIP: no C++ compiler ($CXX)"
	exit 77
fi

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

echo '#include <hyperdmabuf.h>' >"$tmp/header.cc"
if ! $CXX -std=c++11 -pedantic -Werror -Wall -Wextra \
		-I"$top_srcdir/include" -c "$tmp/header.cc" -o "$tmp/header.o"; then
	echo "FAIL: hyperdmabuf.h does not compile as C++11"
	exit 1
fi
echo "PASS: hyperdmabuf.h compiles as C++11"
