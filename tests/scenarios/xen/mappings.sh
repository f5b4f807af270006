#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What processes do to a mapping of an import: unmap a page in the middle
# (the mapping splits), mprotect and mremap a piece, fork. In a PV domain
# (dom0, domu2) Xen writes the entries of such a mapping; in a PVH domain
# (domu1) the kernel does. Each importer's pieces keep their bytes, and
# nothing is freed twice or left mapped (the lab checks the kernels'
# reports and the counters after the scenario). And a page of an import
# that a process pins (vmsplice) never shows another buffer's bytes once
# the import is released and the next one mapped.
. /lab/guest/testlib.sh

d1=$(lab-channel domid domu1) || not_ok "domu1's domain id: $d1"
d2=$(lab-channel domid domu2) || not_ok "domu2's domain id: $d2"
size=65536

# domu1 exports to dom0, which maps the import (PV)
if export_id "domu1 exports to dom0" \
	on domu1 hdmabuf-test-xen serve --to 0 --size $size --seed 21 --persistent; then
	expect_ok "dom0 (PV) maps domu1's buffer" \
		hdmabuf-test-xen mappings "$id" --size $size --seed 21
	expect_ok "domu1 unexports it" on domu1 hyper-dmabuf unexport "$id"
fi

# dom0 exports to each domU, which maps it (PVH, then PV)
for d in domu1 domu2; do
	if export_id "dom0 exports to $d" hdmabuf-test-xen serve \
		--to "$(lab-channel domid $d)" --size $size --seed 22 --persistent; then
		expect_ok "$d maps dom0's buffer" \
			on $d hdmabuf-test-xen mappings "$id" --size $size --seed 22
		expect_ok "dom0 unexports it" hyper-dmabuf unexport "$id"
	fi
done
# the pin: two exports of dom0 to each domU, imported one after the other
for d in domu1 domu2; do
	to=$(lab-channel domid $d)
	export_id "dom0 exports a first buffer to $d" hdmabuf-test-xen serve \
		--to "$to" --size $size --seed 23 --persistent || continue
	first=$id
	export_id "dom0 exports a second buffer to $d" hdmabuf-test-xen serve \
		--to "$to" --size $size --seed 24 --persistent || continue
	expect_ok_shown "$d: a pinned page of a released import keeps its bytes" \
		on $d hdmabuf-test-xen pin-reuse "$first" "$id" --size $size \
		--seed 23 --expect-seed 24
	expect_ok "dom0 unexports the first" hyper-dmabuf unexport "$first"
	expect_ok "dom0 unexports the second" hyper-dmabuf unexport "$id"
done
lab_done
