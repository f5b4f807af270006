#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Fuzz the decoder of the messages between peers for FUZZ_SECONDS (20 by
# default) with libFuzzer, AddressSanitizer and UBSan, starting from the
# corpus kept in the tree (tests/proto/corpus: the seeds and inputs
# earlier runs found) and one valid message of each kind, written anew by
# the encoder. Needs clang with its fuzzer runtime (Debian: clang,
# libclang-rt-14-dev); skipped without. ./lab fuzz runs it for long.
#
# FUZZ_WORK: the folder to work in (default fuzz-wire.d, emptied first).
# FUZZ_MERGE_INTO: a corpus folder to which the inputs of this run that
# reach code it does not are added, minimised (-merge=1).
# The last lines are the run's figures: "fuzz: NAME VALUE".
set -u
: "${top_srcdir:?}"
CLANG=${CLANG:-clang}
work=${FUZZ_WORK:-fuzz-wire.d}
src="$top_srcdir/tests/proto/fuzz-wire.c $top_srcdir/kernel/proto/wire.c"
inc="-I$top_srcdir/tests/proto -I$top_srcdir/kernel/proto -I$top_srcdir/include/uapi"
kept=$top_srcdir/tests/proto/corpus

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
mkdir -p "$work/seeds.d" || exit 99
"$work/seeds" "$work/seeds.d" || exit 99
echo "seeds: $(ls "$work/seeds.d" | wc -l) messages; kept corpus: $(ls "$kept" | wc -l) inputs"
# new inputs go into the first folder; the others are only read
"$work/fuzz-wire" -max_total_time="${FUZZ_SECONDS:-20}" -max_len=480 \
	-print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" \
	"$kept" "$work/seeds.d" >"$work/fuzz.log" 2>&1
status=$?
grep -v '^#[0-9]*[[:space:]]*\(NEW\|REDUCE\|pulse\)' "$work/fuzz.log"
if [ $status -ne 0 ]; then
	echo "FAIL: the fuzzer stopped with status $status; inputs are in $work/"
	exit 1
fi
if [ -n "${FUZZ_MERGE_INTO:-}" ]; then
	before=$(ls "$FUZZ_MERGE_INTO" | wc -l)
	"$work/fuzz-wire" -merge=1 -max_len=480 "$FUZZ_MERGE_INTO" \
		"$work/seeds.d" "$work/corpus" >"$work/merge.log" 2>&1 || {
		tail -n 20 "$work/merge.log"
		echo "FAIL: the merge into $FUZZ_MERGE_INTO failed"
		exit 1
	}
	echo "merged into $FUZZ_MERGE_INTO: $before inputs before, $(ls "$FUZZ_MERGE_INTO" | wc -l) after"
fi
# the figures: libFuzzer's last status line and its final stats
last=$(grep '^#[0-9]' "$work/fuzz.log" | tail -n 1)
echo "fuzz: seconds ${FUZZ_SECONDS:-20}"
echo "fuzz: execs $(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log")"
echo "fuzz: execs-per-second $(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/fuzz.log")"
echo "fuzz: coverage-edges $(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')"
echo "fuzz: features $(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')"
echo "fuzz: corpus-found $(ls "$work/corpus" | wc -l) inputs, $(cat "$work"/corpus/* 2>/dev/null | wc -c) bytes"
echo "fuzz: corpus-kept $(ls "$kept" | wc -l) inputs, $(cat "$kept"/* 2>/dev/null | wc -c) bytes"
