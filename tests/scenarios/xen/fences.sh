#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A sync_file of an import's timeline waits for another domain, which may
# never signal: when the exporter revokes the buffer, it signals at once
# with ENODEV (and WAIT fails so), instead of waiting for its deadline.
# (The deadline itself is checked by hdmabuf-test-sync in the plain lane.)
. /lab/guest/testlib.sh

d1=$(lab-channel domid domu1)
export_id "dom0 exports to domu1" hdmabuf-test-xen serve --to "$d1" \
	--size 4096 --seed 71 --persistent
on domu1 "hdmabuf-test-xen fence-revoked $id >/tmp/fence.out 2>&1 </dev/null &"
wait_for "domu1 waits on a sync_file of its import" \
	on domu1 grep -q ^waiting /tmp/fence.out
expect_ok "dom0 revokes it" hyper-dmabuf revoke --timeout 5000 "$id"
wait_for -t 40 "domu1's program ends" on domu1 "grep -q '^# .* passed' /tmp/fence.out"
out=$(on domu1 cat /tmp/fence.out)
echo "$out" | sed 's/^/# domu1: /'
expect_eq "domu1's checks" "" "$(echo "$out" | grep '^not ok')"
lab_done
