#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Fuzz the decoder of the messages between peers for FUZZ_SECONDS (20 by
# default) with libFuzzer, AddressSanitizer and UBSan. Needs clang with
# its fuzzer runtime (Debian: clang, libclang-rt-14-dev); skipped without.
set -u
: "${top_srcdir:?}"
CLANG=${CLANG:-clang}
work=fuzz-wire.d
src="$top_srcdir/tests/proto/fuzz-wire.c $top_srcdir/kernel/proto/wire.c"
inc="-I$top_srcdir/tests/proto -I$top_srcdir/kernel/proto -I$top_srcdir/include/uapi"

rm -rf "$work" && mkdir -p "$work/corpus" || exit 99
# no clang or no fuzzer runtime: skipped; our code not building: failed
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ return 0; }\n' \
	>"$work/probe.c"
if ! "$CLANG" -fsanitize=fuzzer "$work/probe.c" -o "$work/probe" \
	>"$work/probe.log" 2>&1; then
	echo "SKIP: $CLANG cannot build a libFuzzer target:"
	cat "$work/probe.log"
	exit 77
fi
"$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	$inc $src -o "$work/fuzz-wire" || exit 99
"$CLANG" -DWIRE_SEEDS $inc $src -o "$work/seeds" || exit 99
"$work/seeds" "$work/corpus" || exit 99
echo "seeds: $(ls "$work/corpus" | wc -l) messages"
"$work/fuzz-wire" -max_total_time="${FUZZ_SECONDS:-20}" -max_len=480 \
	-print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" \
	>"$work/fuzz.log" 2>&1
status=$?
grep -v '^#[0-9]*[[:space:]]*\(NEW\|REDUCE\|pulse\)' "$work/fuzz.log"
if [ $status -ne 0 ]; then
	echo "FAIL: the fuzzer stopped with status $status; inputs are in $work/"
	exit 1
fi
