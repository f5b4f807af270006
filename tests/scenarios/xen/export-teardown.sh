#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# An export that ends while its peer still maps the pages: domu1 exports a
# buffer of its own ALLOC to domu2, which maps it; dom0 unlinks the two, so
# domu1 counts domu2 gone while domu2's kernel still maps the grants, and
# domu1 unexports. The buffer must stay held (ALLOC counts it) for as long
# as a grant of it is mapped: an exporter that reuses its pages whatever
# their count (DMA memory, pools) would otherwise hand them to someone else
# while the peer writes them. Once domu2 lets go, all of it goes.
. /lab/guest/testlib.sh

d1=$(lab-channel domid domu1)
d2=$(lab-channel domid domu2)

# counter NAME DOMU: one of the module's counters in DOMU
counter() { on "$2" cat $HD_DEBUGFS/counters | sed -n "s/^$1 //p"; }
peer_up() {
	[ "$(on "$1" hyper-dmabuf peers --json |
		jq -r ".[] | select(.domid == $2) | .state")" = up ]
}
peer_known() {
	on "$1" hyper-dmabuf peers --json | jq -e ".[] | select(.domid == $2)"
}

hyper-dmabuf unlink "$d1" "$d2" >/dev/null 2>&1
expect_ok "dom0 links domu1 and domu2" hyper-dmabuf link "$d1" "$d2"
wait_for "domu1 sees domu2 up" peer_up domu1 "$d2"
wait_for "domu2 sees domu1 up" peer_up domu2 "$d1"

# --persistent: the program closes its buffer; the export alone holds it
export_id "domu1 exports its buffer to domu2" \
	on domu1 hdmabuf-test-xen serve --to "$d2" --size 65536 --seed 31 --persistent
on domu2 "hdmabuf-test-xen hold $id --size 65536 --seed 31 --expect-sigbus >/tmp/hold.out 2>&1 </dev/null &"
wait_for "domu2 maps it" on domu2 grep -q ^held /tmp/hold.out

expect_ok "dom0 unlinks them" hyper-dmabuf unlink "$d1" "$d2"
is_gone() { ! peer_known domu1 "$d2"; }
wait_for "domu1 counts domu2 gone" is_gone
expect_ok "domu1 unexports the buffer" on domu1 hyper-dmabuf unexport "$id"
# give the module time to do wrong: the release is asynchronous
sleep 2
grants=$(counter xen_share_grants domu1)
expect_eq "domu1: the grants domu2 maps are not ended" yes \
	"$([ "${grants:-0}" -gt 0 ] && echo yes || echo no)"
expect_eq "domu1: the buffer is still held while they are mapped" 1 \
	"$(counter allocs domu1)"

on domu2 'kill -USR1 $(pidof hdmabuf-test-xen)'
wait_for "domu2's program ends" on domu2 "grep -q '^# .* passed' /tmp/hold.out"
expect_eq "domu2's checks (SIGBUS once unlinked)" "" \
	"$(on domu2 "grep '^not ok' /tmp/hold.out")"
expect_zero "domu1: all of it goes once domu2 lets go" domu1
expect_zero "domu2: nothing left" domu2
lab_done
