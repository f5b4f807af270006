#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The core over the loopback transport inside Xen domains, its messages
# included: dom0 (PV, with
# vgem) and each domU, PV and PVH. vgem stays out of the domUs: its mappings
# hang a PV domU on this kernel (see docs/lab.md).
. /lab/guest/testlib.sh

expect_ok "dom0: vgem loaded" modprobe vgem
expect_ok "dom0: hdmabuf-test-share" hdmabuf-test-share
expect_ok "dom0: hdmabuf-test-sync" hdmabuf-test-sync
# ids there name the domain (0, 1, ...), not the loopback's 0x7FF0
expect_ok "dom0: hdmabuf-test-peer" hdmabuf-test-peer
# and as a peer, the domain is SELF wherever it is reported
expect_ok "dom0: hdmabuf-test-names" hdmabuf-test-names
for d in $LAB_DOMUS; do
	for t in "hdmabuf-test-share --no-vgem" hdmabuf-test-sync hdmabuf-test-peer \
		hdmabuf-test-names; do
		out=$(on -t 120 $d $t 2>&1)
		rc=$?
		echo "$out" | grep -E '^(not ok|# skip|# [0-9]+ passed)' | sed "s/^/$d: $t: /"
		expect_eq "$d: $t" 0 $rc
		if [ $rc != 0 ]; then
			# what a stuck test was doing, for the record
			echo "$out" | tail -n 5 | sed "s/^/# $d: /"
			on -t 20 $d "for p in \$(pidof ${t%% *}); do cat /proc/\$p/stack; done; dmesg | tail -n 30" 2>&1 |
				sed "s/^/# $d: /"
		fi
	done
done
lab_done
