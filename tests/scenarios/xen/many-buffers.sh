#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# 1,000 one-page buffers: domu1 exports them to dom0, dom0 imports each,
# checks its bytes and releases it; then domu1 unexports them all. Both
# sides end where they began: counters at zero, and no grant of domu1's
# in use but its channel's ring.
. /lab/guest/testlib.sh

n=1000
base=$(grants_in_use "$(lab-channel domid domu1)")
on domu1 "hdmabuf-test-xen serve-many --to 0 --count $n --size 4096 --seed 9000 >/tmp/ids 2>&1 </dev/null &"
made() { [ "$(on domu1 grep -c '^id ' /tmp/ids)" = $n ]; }
wait_for -t 180 "domu1 exports $n buffers" made || on domu1 cat /tmp/ids
on domu1 cat /tmp/ids >/tmp/ids
expect_eq "dom0 has their $n ids" $n "$(grep -c '^id ' /tmp/ids)"
expect_ok "dom0 imports, checks and releases each" \
	hdmabuf-test-xen check-many /tmp/ids --size 4096 --seed 9000
done_serving() { on domu1 "grep -q '^# .* passed' /tmp/ids"; }
wait_for -t 60 "domu1 unexports them all" done_serving
expect_eq "domu1's exporter passed" "" "$(on domu1 grep '^not ok' /tmp/ids)"
expect_zero "dom0: counters back at zero"
expect_zero "domu1: counters back at zero" domu1
expect_eq "Xen: no grant of domu1 in use but its ring" "$base" \
	"$(grants_in_use "$(lab-channel domid domu1)")"
lab_done
