#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# An IMPORT whose reply comes too late: the importer gives up (ETIMEDOUT)
# while the exporter lends the buffer all the same. The importer must tell
# the exporter to let go (RELEASE), or each such import holds a lend for
# good: the pages stay pinned after unexport, and repeated, the lends run
# out (EDQUOT for everyone).
. /lab/guest/testlib.sh

d1=$(lab-channel domid domu1)
param=/sys/module/hyper_dmabuf/parameters/request_timeout_ms
importers() { hyper-dmabuf info --json "$1" | jq -r .importers; }
none_left() { [ "$(importers "$1")" = 0 ]; }

# an 8K frame: granting 32,400 pages takes the exporter far longer than 1 ms
export_id "dom0 exports an 8K frame to domu1" hdmabuf-test-xen serve \
	--to "$d1" --size 132710400 --seed 51 --persistent
was=$(on domu1 cat $param)
expect_ok "domu1 waits 1 ms for replies" on domu1 "echo 1 >$param"
expect_ok "domu1's IMPORT times out" \
	on domu1 hdmabuf-test-xen import-fails "$id" ETIMEDOUT
on domu1 "echo $was >$param"
wait_for -t 30 "dom0 lets go of what the import was lent" none_left "$id"
expect_ok "domu1 imports it once replies may take their time" \
	on domu1 hdmabuf-test-xen check "$id" --size 132710400 --seed 51
expect_ok "dom0 unexports it" hyper-dmabuf unexport "$id"
expect_zero "dom0: counters back at zero"
lab_done
