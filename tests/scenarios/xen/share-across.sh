#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Buffers shared between domains over the Xen transport: dom0 exports,
# domu1 (PVH) imports and checks every byte through mmap, from one page to
# an 8K XRGB frame; a read-write export carries the importer's writes back;
# the importer's SIGNAL crosses to the exporter. The same into a PV domU
# (domu2), up to an 8K frame written back, and from each domU into dom0
# (PV), up to an 8K frame, by the test program and by the CLI. A buffer of another driver, a vgem
# dumb buffer of a 1080p XRGB frame (vgem is in dom0 only), goes from dom0
# to both domUs. Counters and channel counts are checked on every side at
# the end.
. /lab/guest/testlib.sh

expect_ok "dom0: modprobe vgem" modprobe vgem
d1=$(lab-channel domid domu1) || not_ok "domu1's domain id: $d1"
d2=$(lab-channel domid domu2) || not_ok "domu2's domain id: $d2"
# bad messages of each channel so far: an earlier scenario's rogue peer
# leaves its count behind
bad_of() { awk -v d="$1" '$1 == d { print $NF }' /sys/kernel/debug/hyper_dmabuf/xen_peers; }
bad1=$(bad_of "$d1")
bad2=$(bad_of "$d2")

# serve_start DOMID SIZE SEED [ARGS...]: dom0 exports in the background;
# sets $id and $serve_pid, $serve_out names its output
serve_start() {
	local to=$1 size=$2 seed=$3
	shift 3
	serve_out=/tmp/serve.$$.$seed
	hdmabuf-test-xen serve --to "$to" --size "$size" --seed "$seed" "$@" \
		>"$serve_out" 2>&1 &
	serve_pid=$!
	id=
	for _ in $(seq 300); do
		id=$(sed -n 's/^id //p' "$serve_out")
		[ -n "$id" ] && return 0
		kill -0 $serve_pid 2>/dev/null || break
		sleep 0.1
	done
	cat "$serve_out"
	return 1
}

# serve_end WHAT: the exporter's own checks passed
serve_end() {
	wait $serve_pid
	rc=$?
	grep '^not ok' "$serve_out"
	expect_eq "$1: the exporter's checks" 0 $rc
}

for size in 4096 8294400 33177600 132710400; do
	case_name="dom0 -> domu1, $size bytes"
	if ! serve_start "$d1" "$size" 7; then
		not_ok "$case_name: export"
		continue
	fi
	expect_ok "$case_name: the importer's checks" \
		on domu1 hdmabuf-test-xen check "$id" --size "$size" --seed 7 --signal 1
	serve_end "$case_name"
done

case_name="dom0 -> domu1, read-write"
if serve_start "$d1" 8294400 11 --rw --expect-seed 12; then
	expect_ok "$case_name: the importer writes" \
		on domu1 hdmabuf-test-xen check "$id" --size 8294400 --seed 11 \
		--write 12 --signal 1
	serve_end "$case_name"
else
	not_ok "$case_name: export"
fi

# the timeline both ways: the importer signals 1, the exporter 2 and 3;
# the importer waits for 2 (blocking) and 3 (a sync_file, polled)
for d in domu1 domu2; do
	case_name="signals dom0 <-> $d"
	if serve_start "$(lab-channel domid $d)" 4096 61 --then-signal; then
		expect_ok "$case_name: the importer's side" \
			on $d hdmabuf-test-xen check "$id" --size 4096 --seed 61 \
			--signal 1 --wait-remote
		serve_end "$case_name"
	else
		not_ok "$case_name: export"
	fi
done

# a page-backed dma-buf of another driver: a vgem dumb buffer, a 1080p
# XRGB frame filled through vgem's own mapping, into PVH and PV
for d in domu1 domu2; do
	case_name="dom0 -> $d, a vgem 1920x1080 XRGB buffer, 8294400 bytes"
	if serve_start "$(lab-channel domid $d)" 8294400 41 --vgem --width 1920; then
		expect_ok "$case_name: the importer's checks, byte for byte" \
			on $d hdmabuf-test-xen check "$id" --size 8294400 --seed 41 \
			--signal 1
		serve_end "$case_name"
	else
		not_ok "$case_name: export"
	fi
done

# into a PV domain: its process mappings are made by grant operations; up
# to an 8K XRGB frame, which the importer rewrites whole (the exporter
# waits long enough for that under emulation)
for size in 4096 8294400 132710400; do
	case_name="dom0 -> domu2 (PV), $size bytes, read-write"
	if serve_start "$d2" "$size" 21 --rw --expect-seed 22; then
		expect_ok "$case_name: the importer's checks" \
			on domu2 hdmabuf-test-xen check "$id" --size "$size" \
			--seed 21 --write 22 --signal 1
		serve_end "$case_name"
	else
		not_ok "$case_name: export"
	fi
done

# a domU exports, dom0 (PV) imports: the display backend's direction
for pair in domu1:8294400 domu1:132710400 domu2:8294400 domu2:132710400; do
	d=${pair%:*}
	size=${pair#*:}
	case_name="$d -> dom0, $size bytes"
	out=$(on $d hdmabuf-test-xen serve --to 0 --size "$size" --seed 31 \
		--persistent)
	rc=$?
	id=$(echo "$out" | sed -n 's/^id //p')
	if [ $rc -ne 0 ] || [ -z "$id" ]; then
		not_ok "$case_name: export: exited $rc: $out"
		continue
	fi
	expect_ok "$case_name: dom0's checks; vgem imports it too (attached, mapped for DMA)" \
		hdmabuf-test-xen check "$id" --size "$size" --seed 31 --vgem
	expect_ok "$case_name: unexport" on $d hyper-dmabuf unexport "$id"
done

# from the shell, as a user would
expect_ok "domu1: a random 8 MB frame" \
	on domu1 "dd if=/dev/urandom of=/tmp/frame.raw bs=4096 count=2025 2>/dev/null"
out=$(on domu1 md5sum /tmp/frame.raw)
expect_eq "domu1: md5sum of it" 0 $?
want=$(echo "$out" | cut -d' ' -f1)
id=$(on domu1 hyper-dmabuf share --to 0 /tmp/frame.raw)
expect_eq "domu1: hyper-dmabuf share --to 0" 0 $?
expect_ok "dom0: hyper-dmabuf import --out" hyper-dmabuf import "$id" --out /tmp/copy.raw
expect_eq "dom0 received what domu1 shared" "$want" "$(md5sum </tmp/copy.raw | cut -d' ' -f1)"
rm -f /tmp/copy.raw
expect_ok "domu1: unexport" on domu1 hyper-dmabuf unexport "$id"

expect_zero "dom0: counters back at zero"
for d in domu1 domu2; do
	expect_zero "$d: counters back at zero" $d
done
peers=$(cat /sys/kernel/debug/hyper_dmabuf/xen_peers)
echo "$peers" | sed 's/^/# dom0 channel: /'
expect_eq "dom0: both channels up" 2 "$(echo "$peers" | grep -c ' up ')"
expect_eq "dom0: no bad message from domu1 or domu2 meanwhile" \
	"$bad1 $bad2" "$(bad_of "$d1") $(bad_of "$d2")"
lab_done
