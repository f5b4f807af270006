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

# charged MEM MB LIMIT_MB: ALLOC of MB of MEM memory works outside a
# cgroup of LIMIT_MB and is refused inside it
charged() {
	local mem=$1 mb=$2 limit=$3 g=$cg/lab-$1 out rc
	mkdir -p $g
	echo $((limit << 20)) >$g/memory.max
	expect_eq "the $mem cgroup's limit is $limit MB" $((limit << 20)) \
		"$(cat $g/memory.max)"
	expect_ok "ALLOC of $mb MB of $mem memory outside the cgroup" \
		hdmabuf-test-grefs alloc-mem --mem $mem --size $((mb << 20)) --seed 3
	out=$(sh -c "echo \$\$ >$g/cgroup.procs &&
		exec hdmabuf-test-grefs alloc-mem --mem $mem --size $((mb << 20)) \
			--seed 3 --expect-errno ENOMEM" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
	# 137: killed by the cgroup's OOM killer, which counts as charged too
	expect_eq "ALLOC of $mb MB of $mem memory in the $limit MB cgroup is refused" \
		yes "$([ $rc -eq 0 ] || [ $rc -eq 137 ] && echo yes || echo "no (exit $rc)")"
}

charged system 64 16
charged coherent 4 3
expect_zero "counters back at zero"
rmdir $cg/lab-system $cg/lab-coherent 2>/dev/null
lab_done
