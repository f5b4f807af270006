#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A scenario that hangs is killed at its time limit and reported, and the
# run ends in bounded time with a non-zero status.
. "$(dirname "$0")/lib.bash"
printf 'echo hanging\nsleep 100000\n' >"$TMP/hang.sh"

lab_expect "hanging scenario killed" 137 "FAIL hang.sh \(killed after 10s\)" 180 \
	run --lane plain --timeout 10 "$TMP/hang.sh"
selftest_done
