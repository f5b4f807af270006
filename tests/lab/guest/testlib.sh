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

# wait_for [-t SECONDS] WHAT CMD...: up to 20 s (or SECONDS) for CMD to
# succeed
wait_for() {
	local secs=20 what i
	if [ "$1" = -t ]; then
		secs=$2
		shift 2
	fi
	what=$1
	shift
	for i in $(seq $((secs * 5))); do
		"$@" >/dev/null 2>&1 && { ok "$what"; return 0; }
		sleep 0.2
	done
	not_ok "$what: still not after $secs s"
	return 1
}

# The module's debugfs files (mounted if need be).
HD_DEBUGFS=/sys/kernel/debug/hyper_dmabuf
HD_ZERO="exports 0 imports 0 allocs 0 pages 0 xen_maps 0 xen_grants 0"
mount -t debugfs none /sys/kernel/debug 2>/dev/null

# hd_counters: the module's counters on one line
hd_counters() { tr '\n' ' ' <$HD_DEBUGFS/counters | sed 's/ $//'; }

# grants_in_use DOMID: entries of DOMID's grant table that another domain
# has mapped, from Xen's dump (xl debug-keys g; dom0 only)
grants_in_use() {
	local i
	xl dmesg -c >/dev/null
	xl debug-keys g
	for i in $(seq 50); do
		xl dmesg | grep -q 'gnttab_usage_print_all \] done' && break
		sleep 0.1
	done
	xl dmesg | awk -v d="$1" '
		/grant-table for remote d/ { on = ($0 ~ ("remote d" d " ")) }
		on && /^\(XEN\) \[0x/ { n++ }
		END { print n + 0 }'
}

# domain_pages DOMID: the pages Xen counts for DOMID (nr_pages, its
# tot_pages), from Xen's domain dump (xl debug-keys q; dom0 only); empty
# when the dump does not show it within 5 s
domain_pages() {
	local i n
	xl dmesg -c >/dev/null
	xl debug-keys q
	for i in $(seq 50); do
		n=$(xl dmesg | awk -v d="$1" '
			/General information for domain / {
				on = ($0 ~ ("for domain " d ":"))
			}
			on && match($0, /nr_pages=[0-9]+/) {
				print substr($0, RSTART + 9, RLENGTH - 9)
				exit
			}')
		[ -n "$n" ] && break
		sleep 0.1
	done
	echo "$n"
}

lab_done() {
	echo "$LAB_CHECKS checks, $LAB_FAILED failed"
	[ "$LAB_CHECKS" -gt 0 ] || { echo "no checks ran"; exit 1; }
	[ "$LAB_FAILED" -eq 0 ]
}
