#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What one peer may be offered at most: the module's max_exports_per_peer
# and max_pages_per_peer. Each export counts while offered, and no longer
# once unexported; a refused one leaves nothing behind.
. /lab/guest/testlib.sh

p=/sys/module/hyper_dmabuf/parameters
exports0=$(cat $p/max_exports_per_peer)
pages0=$(cat $p/max_pages_per_peer)
head -c 4096 /dev/urandom >one.raw
head -c 12288 /dev/urandom >three.raw
head -c 8192 /dev/urandom >two.raw
share() { hyper-dmabuf share --to self "$@"; }

echo 3 >$p/max_exports_per_peer
a=$(share one.raw) && b=$(share one.raw) && c=$(share one.raw)
expect_eq "three exports within a quota of three" 0 $?
out=$(share one.raw 2>&1)
expect_eq "the fourth is refused" 1 $?
case $out in *"quota for peer"*"max_exports_per_peer"*) ok "the error names the quota" ;;
*) not_ok "the error names the quota: got '$out'" ;; esac
expect_eq "and leaves nothing: three exports listed" 3 \
	"$(hyper-dmabuf list --json | jq '[.[] | select(.role == "export")] | length')"
expect_ok "one is unexported" hyper-dmabuf unexport "$b"
d=$(share one.raw)
expect_eq "its place is free again" 0 $?
expect_status "and taken again" 1 share one.raw
for id in $a $c $d; do
	hyper-dmabuf unexport "$id" || not_ok "unexport $id"
done
echo "$exports0" >$p/max_exports_per_peer

echo 4 >$p/max_pages_per_peer
a=$(share three.raw)
expect_eq "3 pages within a quota of 4" 0 $?
out=$(share two.raw 2>&1)
expect_eq "2 more pages are refused" 1 $?
case $out in *"max_pages_per_peer"*) ok "the error names the page quota" ;;
*) not_ok "the error names the page quota: got '$out'" ;; esac
b=$(share one.raw)
expect_eq "1 more page fits" 0 $?
expect_ok "unexport the 3 pages" hyper-dmabuf unexport "$a"
c=$(share two.raw)
expect_eq "now 2 more fit" 0 $?
hyper-dmabuf unexport "$b" && hyper-dmabuf unexport "$c"
expect_eq "every export ended" 0 $?
echo "$pages0" >$p/max_pages_per_peer

expect_zero "counters back at zero"
lab_done
