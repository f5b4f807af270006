#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A peer destroyed while buffers are shared with it. The importer dies:
# dom0, the exporter, gets its pages back and Xen's grant table shows no
# grant of them left. The exporter dies while dom0 maps its buffer: dom0's
# mapping raises SIGBUS, and once dom0 lets go the dead domain is gone. A
# recreated domU reconnects and shares again. (domu1 is recreated twice:
# later scenarios see a new domain id, by name.)
. /lab/guest/testlib.sh

dbg=$HD_DEBUGFS
zero=$HD_ZERO



channel_up() { grep -q "^$1 up " $dbg/xen_peers; }
channel_down() { ! channel_up "$1"; }
no_channel() { ! grep -q "^$1 " $dbg/xen_peers; }
importers_of() { awk -v s="$1" '$1 == "export" && $3 ~ (":" s "$") { print $7 }' $dbg/buffers; }
has_importers() { [ "$(importers_of "$1")" = "$2" ]; }

# recreate domu1 and wait for its agent and its channel
recreate() {
	xl create /etc/xen/domu1.cfg >/dev/null 2>&1
	expect_ok "domu1 recreated" lab-channel wait-ready -t 150 domu1
	d1=$(lab-channel domid domu1)
	wait_for "the new domu1 ($d1) connects" channel_up "$d1"
}

d1=$(lab-channel domid domu1)
base=$(grants_in_use 0)
echo "# dom0 grants in use at the start: $base"

# --- the importer dies ------------------------------------------------------
# small enough for Xen's grant dump to fit its console ring
out=$(hdmabuf-test-xen serve --to "$d1" --size 65536 --seed 41 --persistent)
id=$(echo "$out" | sed -n 's/^id //p')
serial=${id#*:}
serial=${serial%%:*}
on domu1 "hdmabuf-test-xen hold $id --size 65536 --seed 41 >/tmp/hold.out 2>&1 </dev/null &"
wait_for "domu1 imports and maps the buffer" has_importers "$serial" 1
used=$(grants_in_use 0)
# the dump lists grants in use: the 16 pages domu1 maps (it read the
# directory pages and let go of them)
expect_eq "Xen shows dom0's 16 pages mapped by domu1" $((base + 16)) "$used"
xl destroy domu1
wait_for "dom0 sees domu1 gone and drops its channel" no_channel "$d1"
wait_for "its import is released" has_importers "$serial" 0
expect_ok "the export can still be unexported" hyper-dmabuf unexport "$id"
expect_eq "dom0: counters back at zero" "$zero" "$(tr '\n' ' ' <$dbg/counters | sed 's/ $//')"
expect_eq "no grant of dom0 in use but the other channel's ring" \
	$((base - 1)) "$(grants_in_use 0)"

# --- it comes back ----------------------------------------------------------
recreate
case_name="dom0 -> the new domu1"
out=$(hdmabuf-test-xen serve --to "$d1" --size 4096 --seed 42 --persistent)
id=$(echo "$out" | sed -n 's/^id //p')
expect_ok "$case_name: the importer's checks" \
	on domu1 hdmabuf-test-xen check "$id" --size 4096 --seed 42
expect_ok "$case_name: unexport" hyper-dmabuf unexport "$id"

# --- the exporter dies while dom0 maps its buffer ---------------------------
out=$(on domu1 hdmabuf-test-xen serve --to 0 --size 8294400 --seed 43 --persistent)
id=$(echo "$out" | sed -n 's/^id //p')
hdmabuf-test-xen hold "$id" --size 8294400 --seed 43 --expect-sigbus >/tmp/hold.out 2>&1 &
hold=$!
wait_for "dom0 imports and maps domu1's buffer" grep -q '^held' /tmp/hold.out
xl destroy domu1
wait_for "dom0 sees domu1 gone" channel_down "$d1"
kill -USR1 $hold
wait $hold
expect_eq "dom0's mapping raises SIGBUS once the exporter is gone" 0 $?
grep '^not ok' /tmp/hold.out
wait_for "dom0's import is gone" sh -c "grep -q '^imports 0' $dbg/counters"
wait_for "the destroyed domain is gone from Xen" \
	sh -c "! xl list | grep -q '^domu1 '"
wait_for "and its channel with it" no_channel "$d1"
expect_eq "dom0: counters back at zero" "$zero" "$(tr '\n' ' ' <$dbg/counters | sed 's/ $//')"

recreate
expect_eq "no kernel warning in dom0" "" "$(dmesg | grep -E 'WARNING|BUG|Oops' | head -n 3)"
lab_done
