# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers of the lab's self-tests (run on the host by ./lab check).
LAB=$1
FAILED=0
TMP=$(mktemp -d /tmp/lab-selftest.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# lab_expect WHAT STATUS PATTERN LIMIT ./lab ARGS...: ./lab exits with
# STATUS within LIMIT seconds and its output matches the regex PATTERN.
lab_expect() {
	local what=$1 want=$2 pattern=$3 limit=$4 out rc t0=$SECONDS
	shift 4
	out=$(timeout -k 10 "$limit" "$LAB" "$@" 2>&1)
	rc=$?
	LAB_OUTPUT=$out
	if [ $rc -ne "$want" ]; then
		echo "not ok - $what: exit status $rc, expected $want"
	elif ! grep -qE -- "$pattern" <<<"$out"; then
		echo "not ok - $what: output does not match /$pattern/"
	else
		echo "ok - $what ($((SECONDS - t0))s)"
		return 0
	fi
	FAILED=$((FAILED + 1))
	printf '%s\n' "$out" | tail -n 30 | sed 's/^/    /'
	return 1
}

# expect_output WHAT PATTERN: the output of the last lab_expect matches.
expect_output() {
	if grep -qE -- "$2" <<<"$LAB_OUTPUT"; then
		echo "ok - $1"
	else
		echo "not ok - $1: output does not match /$2/"
		FAILED=$((FAILED + 1))
	fi
}

selftest_done() {
	[ $FAILED -eq 0 ]
}
