#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A control run: each domU writes its own xenstore keys in a loop for
# seven minutes, the load under which PVH domUs of this lab have been seen
# to triple-fault. Run it with --no-module to see whether a crash needs the
# module (docs/lab.md, "PVH domUs and QEMU's emulation of SVM"):
#   ./lab run --no-module --domus 3 --domu-type pvh --timeout 600 \
#	tests/lab/controls/pvh-under-load.sh
# It fails when Xen killed a domU (a triple fault) at any time in the boot.
. /lab/guest/testlib.sh

seconds=420
loaded() { grep -q '^hyper_dmabuf ' /proc/modules; }
where=
loaded && where=dom0
for d in $LAB_DOMUS; do
	on $d grep -q '^hyper_dmabuf ' /proc/modules && where="$where $d"
done
echo "# hyper_dmabuf loaded in: ${where:-no domain}"

load="end=\$((\$(date +%s) + $seconds)); i=0
while [ \$(date +%s) -lt \$end ]; do
	xenstore write -- data/lab-load/k\$((i % 7)) \$i && i=\$((i + 1))
done
echo \$i"
for d in $LAB_DOMUS; do
	on -t $((seconds + 60)) $d sh -c "$load" >"/tmp/load-$d" 2>&1 &
done
wait
for d in $LAB_DOMUS; do
	echo "# $d: $(cat "/tmp/load-$d") xenstore writes"
done
faults=$(xl dmesg | grep -c 'Triple fault')
xl dmesg | grep 'Triple fault' | sed 's/^/# /'
expect_eq "no domU triple-faulted (Xen's log)" 0 "$faults"
lab_done
