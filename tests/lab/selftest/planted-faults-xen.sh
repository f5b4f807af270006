#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Faults planted in one Xen boot: a SLUB report in a domU's kernel fails
# the scenario running and names the domU; a check a domU skips is
# reported as skipped; 'on' passes a pattern with a space as one argument;
# a scenario that leaves a buffer shared, its grants live, fails and says
# what it left; the lab then reloads the module, and the next scenario
# starts clean.
. "$(dirname "$0")/lib.bash"
cat >"$TMP/domu-slub.sh" <<'EOS'
on domu1 'echo "<3>BUG kmalloc-128 (Not tainted): Redzone overwritten" >/dev/kmsg'
EOS
cat >"$TMP/domu-skip.sh" <<'EOS'
. /lab/guest/testlib.sh
printf 'ok - a\nnot ok - b\n' >/tmp/lines
on domu1 "printf 'ok - a\nnot ok - b\n' >/tmp/lines"
expect_eq "on passes '^not ok' as one argument" "$(grep '^not ok' /tmp/lines)" \
	"$(on domu1 grep '^not ok' /tmp/lines)"
expect_status "a test program without its device exits 77" 77 \
	on domu1 hdmabuf-test-sync --device /dev/no-such-device
lab_done
EOS
cat >"$TMP/leak.sh" <<'EOS'
. /lab/guest/testlib.sh
d1=$(lab-channel domid domu1)
export_id "dom0 exports to domu1" \
	hdmabuf-test-xen serve --to "$d1" --size 65536 --seed 5 --persistent
on domu1 "hdmabuf-test-xen hold $id --size 65536 --seed 5 >/tmp/hold.out 2>&1 </dev/null &"
wait_for "domu1 maps it" on domu1 grep -q '^held' /tmp/hold.out
lab_done
EOS
cat >"$TMP/clean-after.sh" <<'EOS'
. /lab/guest/testlib.sh
d1=$(lab-channel domid domu1)
expect_eq "dom0 starts with nothing" "$HD_ZERO" "$(hd_counters)"
expect_eq "domu1 starts with nothing" "$HD_ZERO" "$(hd_counters domu1)"
expect_ok "domu1's holder is gone" on domu1 sh -c '! pidof hdmabuf-test-xen'
wait_for "dom0 and domu1 are connected" grep -q "^$d1 up " $HD_DEBUGFS/xen_peers
lab_done
EOS

lab_expect "planted faults, xen lane" 1 \
	"FAIL domu-slub.sh \(.*a kernel reported: domu1: .*BUG kmalloc-128 \(Not tainted\): Redzone overwritten" 600 \
	run --lane xen --domus 1 --timeout 120 "$TMP/domu-slub.sh" "$TMP/domu-skip.sh" "$TMP/leak.sh" "$TMP/clean-after.sh"
expect_output "a check skipped in a domU is reported as skipped" \
	"SKIP domu-skip.sh \(domu1: hdmabuf-test-sync: all: /dev/no-such-device does not exist"
expect_output "and the scenario passes its checks" "PASS domu-skip.sh"
expect_output "a scenario that leaves grants live fails, with the count" \
	"FAIL leak.sh \(left behind: dom0's counters: exports 1 .*xen_share_grants 18"
expect_output "the lab reloads the module where it runs" \
	"# lab: the lab reloaded hyper_dmabuf in: .*domu1"
expect_output "and the next scenario starts clean" "PASS clean-after.sh"
selftest_done
