# SPDX-License-Identifier: GPL-2.0-or-later
# One line per test result in $LAB_RESULTS: lane, name, status, detail.

lab_results_init() {
	LAB_RESULTS=$LAB_LOGS/results-$(date +%Y%m%d-%H%M%S).tsv
	: >"$LAB_RESULTS"
}

# lab_result LANE NAME pass|fail|skip|timeout [DETAIL]
lab_result() {
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$LAB_RESULTS"
	case $3 in
	pass) say "$1: PASS $2" ;;
	skip) say "$1: SKIP $2${4:+ ($4)}" ;;
	*) say "$1: FAIL $2${4:+ ($4)}" ;;
	esac
}

# Per-lane counts, then the closing line the CI reads.
lab_summary() {
	local lanes lane p f s
	lanes=$(cut -f1 "$LAB_RESULTS" | awk '!seen[$0]++')
	echo
	for lane in $lanes; do
		p=$(awk -F'\t' -v l="$lane" '$1 == l && $3 == "pass"' "$LAB_RESULTS" | wc -l)
		s=$(awk -F'\t' -v l="$lane" '$1 == l && $3 == "skip"' "$LAB_RESULTS" | wc -l)
		f=$(awk -F'\t' -v l="$lane" '$1 == l && $3 != "pass" && $3 != "skip"' "$LAB_RESULTS" | wc -l)
		printf '%-10s %3d tests: %d passed, %d failed, %d skipped\n' \
			"$lane" $((p + f + s)) "$p" "$f" "$s"
	done
	awk -F'\t' '$3 == "skip" { printf "skipped: %s %s: %s\n", $1, $2, $4 }' "$LAB_RESULTS"
	awk -F'\t' '$3 != "pass" && $3 != "skip" { printf "failed: %s %s: %s\n", $1, $2, $4 }' "$LAB_RESULTS"
	p=$(awk -F'\t' '$3 == "pass"' "$LAB_RESULTS" | wc -l)
	s=$(awk -F'\t' '$3 == "skip"' "$LAB_RESULTS" | wc -l)
	f=$(awk -F'\t' '$3 != "pass" && $3 != "skip"' "$LAB_RESULTS" | wc -l)
	echo "results: $LAB_RESULTS"
	echo "$s skipped"
	echo "$p passed, $f failed"
	[ "$f" -eq 0 ]
}
