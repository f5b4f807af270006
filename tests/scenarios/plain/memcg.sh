#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The memory a user's ALLOC takes is charged to that user's memory cgroup:
# in a cgroup of 16 MB, ALLOC of 64 MB of system memory fails (ENOMEM, or
# the cgroup's OOM killer ends the program), and nothing stays allocated;
# so does ALLOC of 4 MB of DMA memory (in one piece: the DMA layer has no
# more) in a cgroup of 3 MB. Outside them, the same ALLOCs work.
. /lab/guest/testlib.sh

cg=/sys/fs/cgroup
mount -t cgroup2 none $cg 2>/dev/null
if ! grep -qw memory $cg/cgroup.controllers 2>/dev/null; then
	skip "memory cgroup" "no cgroup v2 memory controller in this kernel"
	lab_done
	exit 0
fi
echo +memory >$cg/cgroup.subtree_control
mkdir -p $cg/lab-alloc
echo $((16 << 20)) >$cg/lab-alloc/memory.max
expect_eq "the cgroup's limit is 16 MB" $((16 << 20)) "$(cat $cg/lab-alloc/memory.max)"

expect_ok "ALLOC of 64 MB outside the cgroup" \
	hdmabuf-test-grefs alloc-mem --mem system --size $((64 << 20)) --seed 3
out=$(sh -c "echo \$\$ >$cg/lab-alloc/cgroup.procs &&
	exec hdmabuf-test-grefs alloc-mem --mem system --size $((64 << 20)) \
		--seed 3 --expect-errno ENOMEM" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
# 137: killed by the cgroup's OOM killer, which counts as charged too
expect_eq "ALLOC of 64 MB in the 16 MB cgroup is refused" yes \
	"$([ $rc -eq 0 ] || [ $rc -eq 137 ] && echo yes || echo "no (exit $rc)")"

mkdir -p $cg/lab-dma
echo $((3 << 20)) >$cg/lab-dma/memory.max
expect_ok "ALLOC of 4 MB of DMA memory outside the cgroup" \
	hdmabuf-test-grefs alloc-mem --mem coherent --size $((4 << 20)) --seed 4
out=$(sh -c "echo \$\$ >$cg/lab-dma/cgroup.procs &&
	exec hdmabuf-test-grefs alloc-mem --mem coherent --size $((4 << 20)) \
		--seed 4 --expect-errno ENOMEM" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
expect_eq "ALLOC of 4 MB of DMA memory in the 3 MB cgroup is refused" yes \
	"$([ $rc -eq 0 ] || [ $rc -eq 137 ] && echo yes || echo "no (exit $rc)")"
expect_zero "counters back at zero"
rmdir $cg/lab-alloc $cg/lab-dma 2>/dev/null
lab_done
