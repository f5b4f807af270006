#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The grant-reference calls, made through libhyperdmabuf's wrappers,
# against Xen's own grant devices (gntalloc and gntdev, through
# libxengnttab). Each domU shares pages and dom0 maps them as a dma-buf
# (EXP_FROM_REFS), sees the domU rewrite them, writes back and waits for
# the release (EXP_WAIT_RELEASED). dom0 grants vgem and ALLOC
# buffers to each domU (IMP_TO_REFS), which maps, reads and writes them.
# PVH domu1 mapping dom0's pages on WC or coherent memory gives as many of
# its own pages back to Xen while the mapping lives, and gets them back
# after; PV domu2 refuses those flags. ALLOC of DMA memory in every domain.
# Then the error cases, among them a ref domu2 granted to domu1, which dom0
# must not be able to map, and an unprivileged user in dom0, refused each
# call; at the end grants, counters and the kernel log are back where they
# began.
. /lab/guest/testlib.sh

expect_ok "dom0: modprobe vgem" modprobe vgem
t=hdmabuf-test-grefs
d1=$(lab-channel domid domu1) || not_ok "domu1's domain id: $d1"
d2=$(lab-channel domid domu2) || not_ok "domu2's domain id: $d2"


# domu_serve DOMU ARGS...: gntshr-serve ARGS in DOMU in the background,
# its output in DOMU's /tmp/gntshr.out; sets $refs, false when none came
domu_serve() {
	local d=$1 out
	shift
	on $d "$t gntshr-serve $* >/tmp/gntshr.out 2>&1 </dev/null &"
	for _ in $(seq 100); do
		out=$(on $d cat /tmp/gntshr.out) || out=
		refs=$(echo "$out" | sed -n 's/^refs //p')
		[ -n "$refs" ] && return 0
		echo "$out" | grep -q '^# ' && break	# it ended
		sleep 0.2
	done
	echo "$out" | sed 's/^/#   /'
	return 1
}

# domu_serve_end DOMU WHAT: the server stops (SIGTERM) and its checks passed
domu_serve_end() {
	on $1 'kill -TERM $(pidof hdmabuf-test-grefs)'
	wait_for "$2: the sharing domain stops" \
		on $1 "grep -q '^# .* passed' /tmp/gntshr.out"
	expect_eq "$2: the sharing domain's checks" "" \
		"$(on $1 "grep '^not ok' /tmp/gntshr.out")"
}

# dom0_serve DOMID ARGS...: gntshr-serve to DOMID in dom0 in the
# background; sets $refs and $serve_pid, false when no refs came
dom0_serve() {
	local to=$1
	shift
	$t gntshr-serve --to "$to" "$@" >/tmp/gntshr.out 2>&1 &
	serve_pid=$!
	refs=
	for _ in $(seq 100); do
		refs=$(sed -n 's/^refs //p' /tmp/gntshr.out)
		[ -n "$refs" ] && return 0
		kill -0 $serve_pid 2>/dev/null || break
		sleep 0.1
	done
	sed 's/^/#   /' /tmp/gntshr.out
	return 1
}

# dom0_serve_end WHAT: dom0's server stops (SIGTERM) and its checks passed
dom0_serve_end() {
	local rc
	kill -TERM $serve_pid
	wait $serve_pid
	rc=$?
	grep '^not ok' /tmp/gntshr.out
	expect_eq "$1: dom0's sharing side passed" 0 $rc
}

# pages_back DOMID WANT: DOMID's page count once it is WANT, or after 5 s
pages_back() {
	local n
	for _ in $(seq 10); do
		n=$(domain_pages "$1")
		[ "$n" = "$2" ] && break
		sleep 0.5
	done
	echo "$n"
}


# --- Xen's grant devices in every domain ------------------------------------
gnt='modprobe xen-gntalloc && modprobe xen-gntdev && test -c /dev/xen/gntalloc && test -c /dev/xen/gntdev'
expect_ok "dom0: xen-gntalloc and xen-gntdev loaded" sh -c "$gnt"
for d in $LAB_DOMUS; do
	expect_ok "$d: xen-gntalloc and xen-gntdev loaded" on $d "$gnt"
done
base0=$(grants_in_use 0)
base1=$(grants_in_use "$d1")
base2=$(grants_in_use "$d2")
echo "# grants in use at the start: dom0 $base0, domu1 $base1, domu2 $base2"

# --- a domU shares, dom0 maps (EXP_FROM_REFS) -------------------------------
for d in $LAB_DOMUS; do
	dd=$(lab-channel domid $d)
	what="$d shares 16 pages, dom0 maps them"
	if ! domu_serve $d --to 0 --pages 16 --seed 101 --expect-seed 110; then
		not_ok "$what: gntshr-serve in $d"
		continue
	fi
	echo "# $d's refs: $refs"
	# run by the test program with its mapping live: the domU rewrites
	rewrite="on -t 30 $d 'kill -USR1 \$(pidof $t) && for i in \$(seq 100); do grep -q ^rewritten /tmp/gntshr.out && exit 0; sleep 0.1; done; exit 1'"
	expect_ok_shown "$what, sees $d rewrite them, writes back, waits for the release" \
		$t map --from "$dd" --refs "$refs" --seed 101 --then "$rewrite" \
		--expect-seed 102 --write 110
	domu_serve_end $d "$what"
done

# --- dom0 grants, a domU maps (IMP_TO_REFS) ---------------------------------
for d in $LAB_DOMUS; do
	dd=$(lab-channel domid $d)
	# the test program puts the refs in place of @REFS@
	check_in="on -t 60 $d $t gnttab-check --from 0 --refs @REFS@"
	expect_ok_shown "dom0 grants a vgem buffer to $d, which maps and reads it" \
		$t imp-to-refs --to "$dd" --pages 16 --seed 201 --vgem \
		--then "$check_in --seed 201"
	expect_ok_shown "$d writes into dom0's vgem buffer through the grants, dom0 reads it" \
		$t imp-to-refs --to "$dd" --pages 16 --seed 202 --vgem \
		--then "$check_in --seed 202 --write 203" --expect-seed 203
	expect_ok_shown "dom0 grants a vgem buffer read-only to $d, which reads it" \
		$t imp-to-refs --to "$dd" --pages 16 --seed 204 --vgem --ro \
		--then "$check_in --seed 204"
	expect_ok_shown "dom0 grants an ALLOC buffer to $d, which reads it" \
		$t imp-to-refs --to "$dd" --pages 4 --seed 205 \
		--then "$check_in --seed 205"
done

# --- IMP_TO_REFS has a limit per open: the grant table is the frontends' too
param=/sys/module/hyper_dmabuf/parameters/max_refs_per_file
expect_eq "max_refs_per_file is automatic by default" 0 "$(cat $param)"
echo 12 >$param
expect_ok_shown "one open may hold max_refs_per_file grants, no more" \
	$t refs-quota --to "$d1" --pages 4
echo 0 >$param

# --- IMP_RELEASE while the domain still maps: the grants end later ---------
# run by imp-to-refs with the refs: domu1 maps them and keeps them mapped
cat >/tmp/start-hold.sh <<EOF
on domu1 "$t gnttab-check --from 0 --refs \$1 --seed 206 --hold >/tmp/hold.out 2>&1 </dev/null &"
for i in \$(seq 100); do
	on domu1 grep -q ^mapped /tmp/hold.out && exit 0
	sleep 0.2
done
exit 1
EOF
what="IMP_RELEASE while domu1 maps the grants"
refcnt_before=$(cat /sys/module/hyper_dmabuf/refcnt)
expect_ok_shown "$what: 0, at once" \
	$t imp-to-refs --to "$d1" --pages 16 --seed 206 --vgem \
	--then "sh /tmp/start-hold.sh @REFS@"
# the program has ended: only the module holds the vgem buffer now
expect_eq "$what: the grants wait to be ended (xen_grants 1)" "xen_grants 1" \
	"$(grep '^xen_grants ' $HD_DEBUGFS/counters)"
expect_eq "$what: still 16 grants of dom0 in use" "$((base0 + 16))" \
	"$(grants_in_use 0)"
refcnt_during=$(cat /sys/module/hyper_dmabuf/refcnt)
echo "# module references: $refcnt_before before, $refcnt_during while the grants wait"
expect_eq "$what: the module is held meanwhile" 1 \
	"$((refcnt_during > refcnt_before))"
dmesg | grep 'still maps' | tail -n 1 | sed 's/^/# dom0: /'
on domu1 'kill -USR1 $(pidof hdmabuf-test-grefs)'
wait_for "$what: domu1 unmaps" on domu1 "grep -q '^# .* passed' /tmp/hold.out"
expect_eq "$what: domu1 read the pattern again after the release, all passed" "" \
	"$(on domu1 "grep '^not ok' /tmp/hold.out")"
expect_zero "$what: the grants end once domu1 unmapped"
expect_eq "$what: dom0's grants as at the start" "$base0" "$(grants_in_use 0)"
expect_eq "$what: the module's references as before" "$refcnt_before" \
	"$(cat /sys/module/hyper_dmabuf/refcnt)"

# --- DMA memory under the mapping: its own frames go back to Xen ------------
for mem in wc coherent; do
	what="domu1 (PVH) maps 256 pages of dom0 on $mem memory"
	if ! dom0_serve "$d1" --pages 256 --seed 301; then
		not_ok "$what: gntshr-serve in dom0"
		continue
	fi
	before=$(domain_pages "$d1")
	on domu1 "$t map --from 0 --refs $refs --seed 301 --mem $mem --hold >/tmp/map.out 2>&1 </dev/null &"
	during=none
	wait_for "$what: mapped" on domu1 "grep -q '^mapped' /tmp/map.out" &&
		during=$(domain_pages "$d1")
	on domu1 'kill -USR1 $(pidof hdmabuf-test-grefs)'
	wait_for "$what: the mapping ends" \
		on domu1 "grep -q '^# .* passed' /tmp/map.out"
	after=$(pages_back "$d1" "$before")
	echo "# domu1's pages in Xen ($mem): before $before, while mapped $during, after $after"
	expect_eq "$what: Xen counts 256 pages fewer for domu1 while mapped" \
		"$((before - 256))" "$during"
	expect_eq "$what: and as many as before once it is gone" "$before" "$after"
	expect_eq "$what: domu1's checks" "" "$(on domu1 "grep '^not ok' /tmp/map.out")"
	dom0_serve_end "$what"
done

for d in $LAB_DOMUS; do
	what="dom0 shares 4 pages with $d"
	if ! dom0_serve "$(lab-channel domid $d)" --pages 4 --seed 311; then
		not_ok "$what: gntshr-serve in dom0"
		continue
	fi
	expect_ok_shown "$d maps dom0's grants on its own pages" \
		on $d $t map --from 0 --refs "$refs" --seed 311
	# the DMA memory of a PV domain cannot go back to Xen and return
	if [ $d = domu2 ]; then
		for mem in wc coherent; do
			expect_ok_shown "domu2 (PV): EXP_FROM_REFS on $mem memory -> EOPNOTSUPP" \
				on domu2 $t map --from 0 --refs "$refs" --seed 311 \
				--mem $mem --expect-errno EOPNOTSUPP
		done
	fi
	dom0_serve_end "$what"
done

# --- ALLOC of DMA memory in each domain -------------------------------------
# Xen refuses cache attributes in the page tables of a PV domU: no WC there
for mem in wc coherent; do
	expect_ok_shown "dom0 (PV): ALLOC of $mem memory, filled and read back" \
		$t alloc-mem --mem $mem --size 1048575 --seed 501
	for d in $LAB_DOMUS; do
		if [ $mem = wc ] && [ $d = domu2 ]; then
			expect_ok_shown "domu2 (PV): ALLOC of wc memory -> EOPNOTSUPP" \
				on $d $t alloc-mem --mem wc --size 1048575 --seed 501 \
				--expect-errno EOPNOTSUPP
			continue
		fi
		expect_ok_shown "$d: ALLOC of $mem memory, filled and read back" \
			on $d $t alloc-mem --mem $mem --size 1048575 --seed 501
	done
done

# Coherent memory of PV dom0 is made machine-contiguous by trading frames
# with Xen, and traded back when freed: pages next to each other for dom0
# need no longer be so in the machine. Exporting them must not depend on
# the DMA layer, which cannot bounce such a run (swiotlb-xen said EIO).
head -c 8294400 /dev/urandom >/tmp/frame.raw
what="dom0 exports an 8 MB frame after its coherent memory went and came back"
if id=$(hyper-dmabuf share --to "$d1" /tmp/frame.raw 2>&1); then
	ok "$what"
	expect_eq "domu1 imports it, the same bytes" "$(md5sum </tmp/frame.raw)" \
		"$(on domu1 "hyper-dmabuf import $id --out /tmp/copy.raw >/dev/null && md5sum </tmp/copy.raw && rm /tmp/copy.raw")"
	expect_ok "dom0 unexports it" hyper-dmabuf unexport "$id"
else
	not_ok "$what: $id"
fi
# and a device importing them maps them one page a segment, never bounced
expect_ok_shown "dom0: vgem imports an 8 MB ALLOC buffer after that" \
	$t alloc-mem --mem system --size 8294400 --seed 503 --vgem

# --- the errors -------------------------------------------------------------
# domu1 grants a page to dom0, the good ref; domu2 grants a page to domu1,
# not to dom0: dom0 must be refused that ref of domu2 (ENOENT)
if domu_serve domu1 --to 0 --pages 1 --seed 401; then
	ref1=$refs
	if domu_serve domu2 --to "$d1" --pages 1 --seed 402; then
		ref2=$refs
		echo "# domu1's ref to dom0: $ref1; domu2's ref to domu1: $ref2"
		expect_ok_shown "dom0: the errors of the four calls, with a ref of domu1 and one domu2 granted to domu1" \
			$t bad-refs --from "$d1" --ref "$ref1" --other "$d2" \
			--other-ref "$ref2"
		expect_eq "no grant of domu2 mapped by the refused call" "$base2" \
			"$(grants_in_use "$d2")"
		domu_serve_end domu2 "the errors (domu2's grant to domu1)"
	else
		not_ok "the errors: gntshr-serve --to domu1 in domu2"
	fi
	expect_eq "no grant of domu1 left mapped by the failed calls" "$base1" \
		"$(grants_in_use "$d1")"
	domu_serve_end domu1 "the errors"
else
	not_ok "the errors: gntshr-serve in domu1"
fi
expect_eq "no grant of dom0 left mapped by the failed calls" "$base0" \
	"$(grants_in_use 0)"
expect_zero "dom0: counters back at zero after the errors"

# --- who may make these calls (issue 12, item 5) ----------------------------
# an unprivileged user in the device's group: EPERM for each call, through
# its own descriptor and through root's; root through the user's: EPERM
if lab_user_setup "dom0: "; then
	expect_ok_shown "dom0: the four calls need CAP_SYS_ADMIN of opener and caller" \
		hdmabuf-test-privilege --uid $LAB_USER_UID --gid $LAB_USER_GID
fi
chmod 0600 /dev/hyper_dmabuf
chgrp root /dev/hyper_dmabuf

# --- everything back where it began -----------------------------------------
# what a failed check may have left running in a domU
for d in $LAB_DOMUS; do
	on $d 'p=$(pidof hdmabuf-test-grefs) && kill $p'
done
expect_zero "dom0: counters back at zero"
for d in $LAB_DOMUS; do
	expect_zero "$d: counters back at zero" $d
done
expect_eq "dom0: grants in use as at the start" "$base0" "$(grants_in_use 0)"
expect_eq "domu1: grants in use as at the start" "$base1" "$(grants_in_use "$d1")"
expect_eq "domu2: grants in use as at the start" "$base2" "$(grants_in_use "$d2")"
lab_done
