#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Build test-uapi-layout.c for 32-bit x86: the module gives 32-bit callers
# no compat translation, so their view of the uAPI must be the same.
# Skips (77) when the compiler cannot build 32-bit code against the kernel
# headers (Debian: apt-get install gcc-multilib).

CC=${CC:-cc}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

printf '#include <linux/ioctl.h>\n#include <linux/types.h>\nint probe;\n' \
	>"$tmp/probe.c"
if ! $CC -m32 -c "$tmp/probe.c" -o "$tmp/probe.o" 2>"$tmp/err"; then
	echo "SKIP: '$CC -m32' cannot compile against the kernel headers:"
	cat "$tmp/err"
	exit 77
fi

if ! $CC -m32 -std=c11 -Wall -Wextra -Werror \
		-I"$top_srcdir/include/uapi" \
		-c "$srcdir/test-uapi-layout.c" -o "$tmp/layout.o"; then
	echo "FAIL: the uAPI layout differs for -m32"
	exit 1
fi
echo "PASS: the uAPI layout is the same for -m32"
