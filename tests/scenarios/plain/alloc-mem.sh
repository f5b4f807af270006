#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# On a bare kernel: ALLOC of DMA memory (write-combined, coherent) next to
# system pages, each mapped, filled and read back; the Xen grant-reference
# calls (EXP_FROM_REFS and friends) answer ENODEV; the counters end at zero.
. /lab/guest/testlib.sh

for mem in wc coherent system; do
	expect_ok "ALLOC of $mem memory: size, mmap, filled and read back" \
		hdmabuf-test-grefs alloc-mem --mem $mem --size 1048575 --seed 17
done
expect_ok "the four Xen grant-reference calls -> ENODEV" hdmabuf-test-grefs not-xen
sleep 1
expect_eq "counters back at zero" "$HD_ZERO" "$(hd_counters)"
lab_done
