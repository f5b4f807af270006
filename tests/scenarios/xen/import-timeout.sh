#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# An IMPORT whose reply comes too late: the importer gives up (ETIMEDOUT)
# while the exporter lends the buffer all the same. The importer must tell
# the exporter to let go (RELEASE), or each such import holds a lend for
# good: the pages stay pinned after unexport, and repeated, the lends run
# out (EDQUOT for everyone). The exporter, domu1, is paused while dom0
# imports, so the answer surely comes late: once it runs again it serves
# the IMPORT first, then the RELEASE behind it.
. /lab/guest/testlib.sh

param=/sys/module/hyper_dmabuf/parameters/request_timeout_ms
importers() { on domu1 hyper-dmabuf info --json "$1" | jq -r .importers; }
none_left() { [ "$(importers "$1")" = 0 ]; }

export_id "domu1 exports to dom0" \
	on domu1 hdmabuf-test-xen serve --to 0 --size 65536 --seed 51 --persistent
was=$(cat $param)
echo 1000 >$param
expect_ok "domu1 is paused" xl pause domu1
expect_ok "dom0's IMPORT times out meanwhile" \
	hdmabuf-test-xen import-fails "$id" ETIMEDOUT
echo "$was" >$param
expect_ok "domu1 runs again" xl unpause domu1
wait_for -t 30 "domu1 lets go of what the import was lent" none_left "$id"
expect_ok "dom0 imports it once the exporter answers" \
	hdmabuf-test-xen check "$id" --size 65536 --seed 51
expect_ok "domu1 unexports it" on domu1 hyper-dmabuf unexport "$id"
expect_zero "domu1: counters back at zero" domu1
lab_done
