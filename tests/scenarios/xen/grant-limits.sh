#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Grant table exhaustion: dom0 offers domu1 two 8K XRGB frames (32,400
# pages each); dom0's grant table holds one. The second import fails with
# ENOSPC and a message that says so, and leaves nothing half-shared; once
# the first export is gone the second is shared in full.
. /lab/guest/testlib.sh

d1=$(lab-channel domid domu1)
size=132710400
base=$(grants_in_use 0)
export_id "dom0 exports the first 8K frame" \
	hdmabuf-test-xen serve --to "$d1" --size $size --seed 91 --persistent
id1=$id
export_id "dom0 exports the second 8K frame" \
	hdmabuf-test-xen serve --to "$d1" --size $size --seed 92 --persistent
id2=$id
expect_ok "domu1 imports the first 8K frame" \
	on domu1 hdmabuf-test-xen check "$id1" --size $size --seed 91
expect_ok "the second: ENOSPC, dom0's grant table is full" \
	on domu1 hdmabuf-test-xen import-fails "$id2" ENOSPC
out=$(on domu1 hyper-dmabuf import "$id2" --out /dev/null 2>&1)
case $out in
*"grant table is full"*) ok "the CLI says the grant table is full" ;;
*) not_ok "the CLI says the grant table is full: got '$out'" ;;
esac
expect_eq "nothing of the second is mapped" "$base" "$(grants_in_use 0)"
expect_ok "unexport the first" hyper-dmabuf unexport "$id1"
expect_ok "now the second is shared in full" \
	on domu1 hdmabuf-test-xen check "$id2" --size $size --seed 92
expect_ok "unexport the second" hyper-dmabuf unexport "$id2"
expect_zero "dom0: counters back at zero"
expect_zero "domu1: counters back at zero" domu1
lab_done
