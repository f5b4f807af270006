#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A peer that stops consuming what dom0 sends it must stall nobody else:
# domu2 floods dom0 with requests (SIGNAL from 32 processes) and is then
# paused, so dom0's answers fill its ring and stay there. Meanwhile domu1
# must still be served at once: it imports a buffer of dom0's and checks
# it, within the module's 5 s request timeout.
. /lab/guest/testlib.sh

d1=$(lab-channel domid domu1)
d2=$(lab-channel domid domu2)

export_id "dom0 exports to domu2" hdmabuf-test-xen serve --to "$d2" \
	--size 4096 --seed 91 --persistent
flooded=$id
export_id "dom0 exports to domu1" hdmabuf-test-xen serve --to "$d1" \
	--size 65536 --seed 92 --persistent
served=$id
on domu2 "hdmabuf-test-xen flood $flooded --count 32 >/tmp/flood.out 2>&1 </dev/null &"
wait_for "domu2 floods dom0" on domu2 grep -q ^flooding /tmp/flood.out
sleep 3
expect_ok "domu2 is paused mid-flood" xl pause domu2
sleep 1
expect_ok "domu1 is served while domu2 consumes nothing" \
	on -t 60 domu1 hdmabuf-test-xen check "$served" --size 65536 --seed 92
expect_ok "domu2 runs again" xl unpause domu2
on -t 60 domu2 'killall hdmabuf-test-xen; sleep 1; killall -9 hdmabuf-test-xen' >/dev/null 2>&1
expect_ok "dom0 unexports domu1's buffer" hyper-dmabuf unexport "$served"
expect_ok "dom0 unexports domu2's buffer" hyper-dmabuf unexport "$flooded"
lab_done
