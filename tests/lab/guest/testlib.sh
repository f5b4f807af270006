# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for scenarios: . /lab/guest/testlib.sh
# Each check prints "ok - what" or "not ok - what: why"; lab_done exits
# non-zero if any check failed.

LAB_FAILED=0
LAB_CHECKS=0

ok() { LAB_CHECKS=$((LAB_CHECKS + 1)); echo "ok - $*"; }
not_ok() {
	LAB_CHECKS=$((LAB_CHECKS + 1))
	LAB_FAILED=$((LAB_FAILED + 1))
	echo "not ok - $*"
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1: expected '$2', got '$3'"
	fi
}

# expect_ok WHAT CMD...: CMD must succeed
expect_ok() {
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$what"
	else
		not_ok "$what: '$*' failed with $?: $out"
	fi
}

# expect_status WHAT STATUS CMD...: CMD must exit with STATUS
expect_status() {
	local what=$1 want=$2 out
	shift 2
	out=$("$@" 2>&1)
	got=$?
	if [ "$got" = "$want" ]; then
		ok "$what"
	else
		not_ok "$what: '$*' exited $got, expected $want: $out"
	fi
}

lab_done() {
	echo "$LAB_CHECKS checks, $LAB_FAILED failed"
	[ "$LAB_CHECKS" -gt 0 ] || { echo "no checks ran"; exit 1; }
	[ "$LAB_FAILED" -eq 0 ]
}
