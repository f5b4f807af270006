#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The core over the loopback transport inside Xen domains: dom0 (PV, with
# vgem) and each domU, PV and PVH. vgem stays out of the domUs: its mappings
# hang a PV domU on this kernel (see docs/lab.md).
. /lab/guest/testlib.sh

modprobe vgem
expect_ok "dom0: hdmabuf-test-share" hdmabuf-test-share --quick
for d in $LAB_DOMUS; do
	out=$(on $d hdmabuf-test-share --quick 2>&1)
	rc=$?
	echo "$out" | grep -E '^(not ok|# [0-9]+ passed)' | sed "s/^/$d: /"
	expect_eq "$d: hdmabuf-test-share" 0 $rc
done
lab_done
