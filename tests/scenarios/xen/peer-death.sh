#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A peer destroyed while buffers are shared with it. The importer dies,
# PVH domu1 and then PV domu2: dom0, the exporter, ends every grant it made
# (its counter of share grants back at zero) and gets its pages back. The
# PV domU was linked with domu1: dom0 removes the dead domain's link. The
# exporter dies while dom0 maps its buffer: dom0's mapping raises SIGBUS,
# and once dom0 lets go the dead domain leaves Xen for good. Each domU is
# recreated, reconnects and shares again (later scenarios find the domUs
# by name: their ids change).
. /lab/guest/testlib.sh

dbg=$HD_DEBUGFS

channel_up() { grep -q "^$1 up " $dbg/xen_peers; }
channel_down() { ! channel_up "$1"; }
no_channel() { ! grep -q "^$1 " $dbg/xen_peers; }
importers_of() { awk -v s="$1" '$1 == "export" && $3 ~ (":" s "$") { print $7 }' $dbg/buffers; }
has_importers() { [ "$(importers_of "$1")" = "$2" ]; }
serial_of() { local s=${1#*:}; echo "${s%%:*}"; }
exists() { xenstore-exists "$1" 2>/dev/null; }
gone() { ! exists "$1"; }

# recreate DOMU: create it again, wait for its agent and its channel
recreate() {
	expect_ok "$1 recreated" xl create "/etc/xen/$1.cfg"
	expect_ok "$1's agent answers" lab-channel wait-ready -t 150 "$1"
	dd=$(lab-channel domid "$1")
	wait_for "the new $1 ($dd) connects" channel_up "$dd"
}

# --- the importer dies: PVH, then PV ----------------------------------------
for d in domu1 domu2; do
	dd=$(lab-channel domid $d)
	base=$(grants_in_use 0)
	echo "# dom0 grants in use before $d imports: $base"
	if [ $d = domu2 ]; then
		d1=$(lab-channel domid domu1)
		expect_ok "dom0 links domu1 and domu2" hyper-dmabuf link "$d1" "$dd"
		link=/local/domain/$d1/data/hyper_dmabuf/peer/$dd
		expect_ok "domu1 has its link to domu2" exists "$link"
	fi
	# small enough for Xen's grant dump to stay short
	export_id "dom0 exports 64 KiB to $d" \
		hdmabuf-test-xen serve --to "$dd" --size 65536 --seed 41 --persistent ||
		continue
	on $d "hdmabuf-test-xen hold $id --size 65536 --seed 41 >/tmp/hold.out 2>&1 </dev/null &"
	wait_for "$d imports and maps the buffer" has_importers "$(serial_of "$id")" 1
	# the 16 pages (it read the directory pages and let go of them)
	expect_eq "Xen shows dom0's 16 pages mapped by $d" $((base + 16)) \
		"$(grants_in_use 0)"
	expect_eq "dom0 has granted 18 references (16 pages, a directory, the top)" \
		"xen_share_grants 18" "$(grep '^xen_share_grants ' $dbg/counters)"
	# a command running there when it dies: 'on' says so, not its time limit
	on -t 100 $d sleep 90 >/dev/null 2>&1 &
	running=$!
	wait_for "a command runs in $d" on $d pidof sleep
	expect_ok "xl destroy $d" xl destroy $d
	wait $running
	expect_eq "'on' in the destroyed $d: 125, the domain went away" 125 $?
	wait_for "dom0 sees $d gone and drops its channel" no_channel "$dd"
	wait_for "its import is released" has_importers "$(serial_of "$id")" 0
	expect_ok "the export can still be unexported" hyper-dmabuf unexport "$id"
	expect_zero "dom0: every grant to the dead $d ended, counters at zero"
	wait_for "the dead $d is gone from Xen" domain_gone "$dd"
	if [ $d = domu2 ]; then
		wait_for "dom0 removed the dead domu2's link from domu1" gone "$link"
	fi
	recreate $d
	export_id "dom0 -> the new $d: export" \
		hdmabuf-test-xen serve --to "$dd" --size 4096 --seed 42 --persistent &&
		expect_ok "dom0 -> the new $d: the importer's checks" \
			on $d hdmabuf-test-xen check "$id" --size 4096 --seed 42 &&
		expect_ok "dom0 -> the new $d: unexport" hyper-dmabuf unexport "$id"
done

# --- the exporter dies while dom0 maps its buffer ---------------------------
d1=$(lab-channel domid domu1)
if export_id "domu1 exports 1080p to dom0" \
	on domu1 hdmabuf-test-xen serve --to 0 --size 8294400 --seed 43 --persistent; then
	hdmabuf-test-xen hold "$id" --size 8294400 --seed 43 --expect-sigbus >/tmp/hold.out 2>&1 &
	hold=$!
	wait_for "dom0 imports and maps domu1's buffer" grep -q '^held' /tmp/hold.out
	expect_ok "xl destroy domu1" xl destroy domu1
	wait_for "dom0 sees domu1 gone" channel_down "$d1"
	kill -USR1 $hold
	wait $hold
	expect_eq "dom0's mapping raises SIGBUS once the exporter is gone" 0 $?
	expect_eq "dom0's hold: nothing failed" "" "$(grep '^not ok' /tmp/hold.out)"
	wait_for "dom0's import is gone" sh -c "grep -q '^imports 0' $dbg/counters"
	wait_for "the destroyed domain is gone from Xen, not even dying" domain_gone "$d1"
	wait_for "and its channel with it" no_channel "$d1"
	expect_zero "dom0: counters back at zero"
fi
lab-channel wait-ready -t 1 domu1 >/dev/null 2>&1 || recreate domu1
lab_done
