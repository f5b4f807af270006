#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# On a bare kernel: ALLOC of DMA memory (HDMABUF_MEM_WC, _COHERENT) next to
# system pages, through libhyperdmabuf, each mapped, filled and read back.
# While mapped, the memory type of each mapping as x86's PAT tracks it:
# for RAM in the page's flags (/proc/kpageflags), for other memory in
# debugfs x86/pat_memtype_list; by the frames behind the mapping
# (/proc/self/pagemap) or, for a mapping of PFNs that pagemap does not
# show, by what became write-combining since before the ALLOC. A WC
# buffer's mapping must be write-combining. The Xen grant-reference calls
# (EXP_FROM_REFS and friends) answer ENODEV; the counters end at zero.
. /lab/guest/testlib.sh

dmesg | grep -m 1 'x86/PAT' | sed 's/^/# /'
for mem in wc coherent system; do
	expect_ok_shown "ALLOC of $mem memory: size, mmap, memory type, filled and read back" \
		hdmabuf-test-grefs alloc-mem --mem $mem --size 1048575 --seed 17 --memtype
done
# x86 says here when a mapping asked for a type the memory does not have
dmesg | grep 'x86/PAT: .*map pfn' | tail -n 3 | sed 's/^/# /'
expect_ok "the four Xen grant-reference calls -> ENODEV" hdmabuf-test-grefs not-xen
expect_zero "counters back at zero"
lab_done
