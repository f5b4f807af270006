#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Buffers shared between domains over the Xen transport: dom0 exports,
# domu1 (PVH) imports and checks every byte through mmap, from one page to
# an 8K XRGB frame; a read-write export carries the importer's writes back;
# the importer's SIGNAL crosses to the exporter. Importing into a PV domain
# (domu2, and dom0 itself) is refused with EOPNOTSUPP for now. Counters and
# channel counts are checked on both sides at the end.
. /lab/guest/testlib.sh

mount -t debugfs none /sys/kernel/debug 2>/dev/null
d1=$(lab-channel domid domu1)
d2=$(lab-channel domid domu2)
counters=/sys/kernel/debug/hyper_dmabuf/counters
zero="exports 0 imports 0 allocs 0 pages 0"

# serve_start DOMID SIZE SEED [ARGS...]: dom0 exports in the background;
# sets $id and $serve_pid, $serve_out names its output
serve_start() {
	serve_out=/tmp/serve.$$.$3
	hdmabuf-test-xen serve --to "$1" --size "$2" --seed "$3" "$@" \
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

# into PV domains: refused, and nothing left behind
head -c 65536 /dev/urandom >/tmp/small.raw
id=$(hyper-dmabuf share --to "$d2" /tmp/small.raw)
expect_ok "dom0 -> domu2 (PV): IMPORT refused" \
	on domu2 hdmabuf-test-xen import-fails "$id" EOPNOTSUPP
expect_ok "unexport the export to domu2" hyper-dmabuf unexport "$id"
on domu1 dd if=/dev/urandom of=/tmp/small.raw bs=4096 count=4 2>/dev/null
id=$(on domu1 hyper-dmabuf share --to 0 /tmp/small.raw)
expect_eq "domu1 shares with dom0" 0 $?
expect_ok "domu1 -> dom0 (PV): IMPORT refused" \
	hdmabuf-test-xen import-fails "$id" EOPNOTSUPP
expect_ok "domu1 unexports" on domu1 hyper-dmabuf unexport "$id"

sleep 1
expect_eq "dom0: counters back at zero" "$zero" "$(tr '\n' ' ' <$counters | sed 's/ $//')"
for d in domu1 domu2; do
	expect_eq "$d: counters back at zero" "$zero" \
		"$(on $d cat $counters | tr '\n' ' ' | sed 's/ $//')"
done
peers=$(cat /sys/kernel/debug/hyper_dmabuf/xen_peers)
echo "$peers" | sed 's/^/# dom0 channel: /'
expect_eq "dom0: both channels up, no bad message" 2 \
	"$(echo "$peers" | grep -c ' up .* bad 0$')"
expect_eq "no kernel warning in dom0" "" "$(dmesg | grep -E 'WARNING|BUG|Oops' | head -n 3)"
lab_done
