# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for scenarios: . /lab/guest/testlib.sh
# Each check prints "ok - what" or "not ok - what: why"; lab_done exits
# non-zero if any check failed, and so does a scenario that ends without it.

LAB_FAILED=0
LAB_CHECKS=0

# A failed check fails the scenario, whatever it exits with.
lab_at_exit() {
	local rc=$?
	if [ "$rc" -eq 0 ] && [ "$LAB_FAILED" -gt 0 ]; then
		echo "# $LAB_FAILED checks failed"
		exit 1
	fi
}
trap lab_at_exit EXIT

ok() { LAB_CHECKS=$((LAB_CHECKS + 1)); echo "ok - $*"; }
not_ok() {
	LAB_CHECKS=$((LAB_CHECKS + 1))
	LAB_FAILED=$((LAB_FAILED + 1))
	echo "not ok - $*"
}

# skip WHAT WHY: WHAT cannot be checked here; the lab reports it as skipped
skip() {
	echo "# skip: $1: $2"
	echo "scenario: $1: $2" >>"${HDMABUF_TEST_SKIPS:-/dev/null}"
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
		return 1
	fi
}

# expect_ok_shown WHAT CMD...: as expect_ok, and the "# " lines CMD prints
# are shown either way (what it measured)
expect_ok_shown() {
	local what=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	echo "$out" | grep '^# '
	if [ $rc -eq 0 ]; then
		ok "$what"
	else
		not_ok "$what: '$*' exited $rc:"
		echo "$out" | grep -v -e '^ok - ' -e '^# ' | sed 's/^/#   /'
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
HD_ZERO="exports 0 imports 0 allocs 0 pages 0 xen_maps 0 xen_grants 0 xen_share_grants 0"
mount -t debugfs none /sys/kernel/debug 2>/dev/null

# hd_counters [DOMU]: the module's counters on one line (here, or in DOMU)
hd_counters() {
	if [ -n "${1:-}" ]; then
		on "$1" cat $HD_DEBUGFS/counters
	else
		cat $HD_DEBUGFS/counters
	fi | tr '\n' ' ' | sed 's/ $//'
}

# wait_zero SECONDS [DOMU]: the module's counters (here, or in DOMU) come
# back to zero within SECONDS; $counters holds what they read last.
# Releases are asynchronous, and a grant the peer still maps is ended up
# to a second after it lets go.
wait_zero() {
	local i
	for i in $(seq $(($1 * 2))); do
		counters=$(hd_counters "${2:-}")
		[ "$counters" = "$HD_ZERO" ] && return 0
		sleep 0.5
	done
	return 1
}

# expect_zero WHAT [DOMU]: wait_zero of 30 s as a check
expect_zero() {
	wait_zero 30 "${2:-}"
	expect_eq "$1" "$HD_ZERO" "$counters"
}

# grants_in_use DOMID...: entries of DOMID's grant table that another
# domain has mapped, from Xen's dump (xl debug-keys g; dom0 only); with
# several DOMIDs, one number for each, from one dump; "incomplete" when
# the dump's end does not show within 10 s
grants_in_use() {
	local i done=
	xl dmesg -c >/dev/null
	xl debug-keys g
	for i in $(seq 100); do
		if xl dmesg | grep -q 'gnttab_usage_print_all \] done'; then
			done=1
			break
		fi
		sleep 0.1
	done
	if [ -z "$done" ]; then
		echo incomplete
		return 1
	fi
	xl dmesg | awk -v doms="$*" '
		BEGIN { nd = split(doms, d, " ") }
		/grant-table for remote d/ {
			on = 0
			for (i = 1; i <= nd; i++)
				if ($0 ~ ("remote d" d[i] " "))
					on = i
		}
		on && /^\(XEN\) \[0x/ { n[on]++ }
		END {
			for (i = 1; i <= nd; i++)
				printf("%s%d", (i > 1 ? " " : ""), n[i])
			print ""
		}'
}

# domain_gone DOMID: Xen lists no domain DOMID, not even a dying one
# (xl list shows those as "(null)")
domain_gone() {
	! xl list | awk -v d="$1" 'NR > 1 && $2 == d { found = 1 } END { exit !found }'
}

# export_id WHAT CMD...: run CMD, an exporter that prints "id ID", and
# set $id; a failed CMD or no id is a failed check named WHAT (and false)
export_id() {
	local what=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	id=$(echo "$out" | sed -n 's/^id //p')
	if [ $rc -ne 0 ] || [ -z "$id" ]; then
		not_ok "$what: '$*' exited $rc: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
		id=
		return 1
	fi
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

# lab_user_setup PREFIX: a user in the device's group, the device made
# the group's as the udev rule (udev/) makes it: $LAB_USER, uid
# $LAB_USER_UID, group hyper-dmabuf ($LAB_USER_GID); PREFIX starts the check.
LAB_USER=hdmabuf-user
LAB_USER_UID=4242
LAB_USER_GID=4243
lab_user_setup() {
	grep -q "^$LAB_USER:" /etc/passwd ||
		echo "$LAB_USER:x:$LAB_USER_UID:$LAB_USER_GID:hyper-dmabuf test user:/tmp:/bin/sh" >>/etc/passwd
	grep -q '^hyper-dmabuf:' /etc/group ||
		echo "hyper-dmabuf:x:$LAB_USER_GID:$LAB_USER" >>/etc/group
	expect_ok "$1the device is the group's, as udev makes it" \
		sh -c 'chgrp hyper-dmabuf /dev/hyper_dmabuf && chmod 0660 /dev/hyper_dmabuf'
}

lab_done() {
	echo "$LAB_CHECKS checks, $LAB_FAILED failed"
	[ "$LAB_CHECKS" -gt 0 ] || { echo "no checks ran"; exit 1; }
	[ "$LAB_FAILED" -eq 0 ]
}
