#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A rogue peer: domu1 swaps its module for the lab's rogue build
# (tests/rogue/rogue.c), which speaks the protocol badly on purpose, one
# class of wrong at a time. dom0 must refuse each and count it by kind
# (debugfs hyper_dmabuf/refused), act on none (no import of a buffer that
# is not the rogue's, no timeline moved, no spoofed revoke), keep serving
# domu2 throughout, and hold nothing of the rogue's once it is gone. Last,
# linked to domu2, the rogue goes on after dom0 unlinks the two.
. /lab/guest/testlib.sh

d1=$(lab-channel domid domu1)
d2=$(lab-channel domid domu2)
dbg=/sys/kernel/debug/hyper_dmabuf
refused() { awk -v k="$1" '$1 == k { print $2 }' $dbg/refused; }
up() { grep -q "^$1 up " $dbg/xen_peers; }
json() { hyper-dmabuf info "$1" --json | jq -r ".$2"; }
t0=$(date +%s)
took() { echo "# $1: at $(($(date +%s) - t0)) s"; }

# the rogue build is no product: without the test's word it does not load
expect_ok "domu1 unloads its module" on domu1 rmmod hyper_dmabuf
expect_status "the rogue build refuses to load without i_am_a_test=1" 1 \
	on domu1 insmod /lab/rogue/hyper_dmabuf.ko
expect_ok "the rogue loads with i_am_a_test=1" \
	on domu1 insmod /lab/rogue/hyper_dmabuf.ko i_am_a_test=1
wait_for -t 30 "dom0 and the rogue are connected" up "$d1"
wait_for -t 30 "dom0 and domu2 are connected" up "$d2"

export_id "dom0 exports a buffer to domu2" hdmabuf-test-xen serve --to "$d2" \
	--size 65536 --seed 41 --persistent
theirs=$id
export_id "dom0 exports a buffer to the rogue" hdmabuf-test-xen serve --to "$d1" \
	--size 4096 --seed 42 --persistent
ours=$id
export_id "domu2 exports a buffer to dom0" on domu2 hdmabuf-test-xen serve \
	--to 0 --size 8192 --seed 43 --persistent
domu2s=$id
timeline=$(json "$theirs" timeline)

# served WHEN: domu2 imports dom0's buffer and checks every byte
served() {
	expect_ok "$1: domu2 is served" on -t 60 domu2 \
		hdmabuf-test-xen check "$theirs" --size 65536 --seed 41
}

# rogue CLASS...: domu1 does each "CLASS DOMID [ID]" to dom0, in order,
# and prints what the last one leaves in its fake file
do_classes='for c in "$@"; do
	echo "$c" >/sys/kernel/debug/hyper_dmabuf_rogue/do || { echo "$c failed" >&2; exit 1; }
done
cat /sys/kernel/debug/hyper_dmabuf_rogue/fake'
rogue() { on -t 120 domu1 sh -c "$do_classes" sh "$@"; }

# counted KIND N: dom0 refused at least N more as KIND than in $before
snapshot() { cat $dbg/refused; }
more() { echo $(($(refused "$1") - $(echo "$before" | awk -v k="$1" '$1 == k { print $2 }')));  }
at_least() { [ "$(more "$1")" -ge "$2" ]; }
counted() {
	wait_for -t 20 "dom0 refused at least $2 as $1" at_least "$1" "$2" ||
		echo "# $1: $(more "$1") more"
}

# a flood is what the rate allows: made small, for a flood to be one
# however slowly the lab runs
rate=/sys/module/hyper_dmabuf/parameters/offers_per_sec
expect_eq "dom0 takes 256 offers a second from a peer by default" 256 "$(cat $rate)"
echo 8 >$rate
before=$(snapshot)
expect_ok "the rogue's messages: 17 classes" rogue \
	"garbage 0" "truncated 0" "bad-type 0" "bad-version 0" \
	"unsolicited 0" "replay 0" "wrong-type 0" \
	"offer-spoof 0 $domu2s" "revoke-spoof 0 $domu2s" \
	"signalled-spoof 0 $domu2s" \
	"import-unknown 0" "import-foreign 0 $theirs" \
	"signal-foreign 0 $theirs" "release-unknown 0 $ours" \
	"import-replay 0 $ours" "import-flood 0 $ours" "offer-flood 0"
counted malformed 3	# garbage, truncated, bad-type
counted version 1
counted unsolicited 3	# unsolicited, replay, wrong-type
counted not-owner 3	# offer, revoke and signalled of domu2's buffer
counted unknown 4	# import-unknown, import-, signal-foreign, release-unknown
counted replay 1
counted quota 104	# 4,200 imports, 4,096 lends an export at most
counted flood 1
echo 256 >$rate
expect_ok "spoofed notices changed nothing: dom0 imports domu2's buffer" \
	hdmabuf-test-xen check "$domu2s" --size 8192 --seed 43
expect_eq "the buffer of domu2's was lent to nobody" 0 "$(json "$theirs" importers)"
expect_eq "its timeline did not move" "$timeline" "$(json "$theirs" timeline)"
served "after the floods"
took "messages"

# fake-*: the rogue offers a buffer and answers dom0's import of it
# wrongly: a grant it never made, a directory that lists itself, a page
# granted to domu2, 2^40 pages, a size its pages do not cover. The first,
# well-formed, shows the test would see a wrong answer taken for right.
head -c 4096 /dev/zero | tr '\0' 'Z' >/tmp/fake.want
expect_ok "a well-formed fake buffer imports" \
	hyper-dmabuf import "$(rogue "fake-good 0")" --out /tmp/fake.got
expect_ok "with the bytes the rogue put in it" cmp /tmp/fake.want /tmp/fake.got
before=$(snapshot)
for how in ungranted loop foreign huge size; do
	if [ $how = foreign ]; then
		fake=$(rogue "fake-foreign 0 $domu2s")
	else
		fake=$(rogue "fake-$how 0")
	fi
	expect_status "fake-$how: dom0's import fails" 1 \
		hyper-dmabuf import "$fake" --out /tmp/fake.bad
	expect_ok "fake-$how: no file is left" test ! -e /tmp/fake.bad
done
counted buffer 5
took "fakes"

before=$(snapshot)
expect_ok "the rogue's ring: 4 classes" rogue "overrun 0" "answer-overrun 0" \
	"long 0" "storm 0"
counted ring 3	# overrun, answer-overrun, long; a storm is no refusal
served "after the ring's abuse"
took "rings"

# deaf: the rogue takes nothing for 10 s while dom0 tells it its buffer's
# timeline moved, more often than its ring holds (each signal past that
# waits 5 s for room, then gives up); domu2 must not notice
expect_ok "the rogue goes deaf" rogue "deaf 0"
(for v in $(seq 1 10); do hyper-dmabuf signal "$ours" $v; done) >/dev/null 2>&1 &
signaller=$!
served "while the rogue takes nothing"
wait $signaller
took "deaf"

# stale: the rogue sends 40 imports dom0 cannot answer (it takes none of
# dom0's messages), then starts its side anew: what dom0 still holds of
# them is dropped unhandled, and what was handled goes with the old peer
before=$(snapshot)
expect_ok "the rogue leaves imports waiting and restarts" rogue "stale 0 $ours"
counted stale 1
# both sides start over, and meet again: neither connects to what the
# other had before the restart (that was a ping-pong of restarts once)
wait_for -t 30 "dom0 and the rogue are connected again" up "$d1" ||
	sed 's/^/# dom0: /' $dbg/xen_peers
no_importers() { [ "$(json "$ours" importers)" = 0 ]; }
wait_for "the lends of the rogue's last start are gone" no_importers
served "after the rogue's restart"
took "stale"

# restart: the rogue starts its side anew while connected, five times
# in a row; each time both sides meet again and stay so: no side keeps
# starting over (the keys of both, generations included, hold still)
keys="/local/domain/$d1/data/hyper_dmabuf/peer/0"
gens() { echo "$(xenstore-read "$keys/lo-gen") $(xenstore-read "$keys/hi-gen")"; }
met_again() { [ "$(xenstore-read "$keys/hi-gen")" != "$1" ] && up "$d1"; }
for i in 1 2 3 4 5; do
	g0=$(xenstore-read "$keys/hi-gen")
	expect_ok "the rogue restarts ($i)" rogue "restart 0"
	if wait_for -t 30 "dom0 and the rogue meet again ($i)" met_again "$g0"; then
		g1=$(gens)
		sleep 5
		expect_eq "and stay connected, neither starting over ($i)" "$g1" "$(gens)"
	else
		sed 's/^/# dom0: /' $dbg/xen_peers
	fi
done
served "after the rogue's restarts"
took "restarts"

# the keys of the channel rewritten at random, both sides' (domu1 owns
# the directory); dom0 refuses them, domu1's own module too
before=$(snapshot)
expect_ok "the rogue rewrites its channel's keys 100 times" on -t 300 domu1 sh -c '
	d=/local/domain/$1/data/hyper_dmabuf/peer/0
	for i in $(seq 100); do
		case $((RANDOM % 6)) in
		0) v=$RANDOM$RANDOM ;; 1) v=-1 ;; 2) v= ;; 3) v=abc ;;
		4) v=4 ;; 5) v=99999999999 ;;
		esac
		k=$(echo hi-ring-ref hi-gen hi-state lo-ring-ref lo-gen lo-state event-channel |
			cut -d" " -f$((RANDOM % 7 + 1)))
		if [ $((RANDOM % 8)) = 0 ]; then xenstore rm "$d/$k"
		else xenstore write -- "$d/$k" "$v"; fi
	done' sh "$d1"
counted xenstore 1
took "keys"
served "after the key storm"

# after-unlink: linked to domu2, the rogue piles up imports of domu2's
# buffer and takes none of the answers; dom0 unlinks the two; the rogue
# holds on to its side of the channel and sends more. domu2 drops what it
# had not handled (stale), lends nothing past the unlink, hears nothing
# after it, and goes on serving dom0.
hyper-dmabuf unlink "$d1" "$d2" >/dev/null 2>&1
expect_ok "dom0 links the rogue and domu2" hyper-dmabuf link "$d1" "$d2"
linked() { on domu2 grep -q "^$d1 up " $dbg/xen_peers; }
wait_for -t 60 "domu2 and the rogue are connected" linked
export_id "domu2 exports a buffer to the rogue" on domu2 hdmabuf-test-xen serve \
	--to "$d1" --size 4096 --seed 44 --persistent
linkeds=$id
refused_in_domu2() { on domu2 cat $dbg/refused; }
before=$(refused_in_domu2)
expect_ok "the rogue piles up imports of domu2's buffer" rogue "pile $d2 $linkeds"
sleep 2
expect_ok "dom0 unlinks the rogue and domu2" hyper-dmabuf unlink "$d1" "$d2"
unlinked() { ! on domu2 grep -q "^$d1 " $dbg/xen_peers; }
wait_for -t 60 "domu2 lets go of the channel" unlinked
stale_in_domu2() {
	[ $(($(refused_in_domu2 | awk '$1 == "stale" { print $2 }') -
		$(echo "$before" | awk '$1 == "stale" { print $2 }'))) -ge 1 ]
}
wait_for "domu2 dropped what it had not handled (stale)" stale_in_domu2
before=$(refused_in_domu2)
expect_ok "the rogue sends on after the unlink" rogue "after-unlink $d2 $linkeds"
sleep 2
expect_eq "domu2 heard none of it" "$before" "$(refused_in_domu2)"
importers_in_domu2() { on domu2 hyper-dmabuf info "$linkeds" --json | jq -r .importers; }
expect_eq "domu2 lent its buffer to nobody past the unlink" 0 "$(importers_in_domu2)"
expect_ok "domu2 unexports it" on domu2 hyper-dmabuf unexport "$linkeds"
served "after the unlink"
took "unlink"

# the rogue goes; the honest module comes back and connects
expect_ok "the rogue unloads" on -t 60 domu1 rmmod hyper_dmabuf
gone() { ! up "$1"; }
wait_for -t 60 "dom0 sees it go" gone "$d1"
expect_ok "domu1 loads the honest module" on domu1 modprobe hyper_dmabuf
wait_for -t 60 "dom0 and domu1 are connected again" up "$d1"
domu1_up() { on domu1 grep -q '^0 up ' "$dbg/xen_peers"; }
wait_for -t 60 "domu1 says so too" domu1_up
wait_for "the rogue's lends went with it" no_importers
expect_ok "domu1 imports dom0's buffer for it" \
	on -t 60 domu1 hdmabuf-test-xen check "$ours" --size 4096 --seed 42
expect_ok "dom0 unexports its buffers" sh -c \
	"hyper-dmabuf unexport $theirs && hyper-dmabuf unexport $ours"
expect_ok "domu2 unexports its buffer" on domu2 hyper-dmabuf unexport "$domu2s"
expect_zero "dom0: counters back at zero"
expect_zero "domu2: counters back at zero" domu2
expect_zero "domu1: counters back at zero" domu1
lab_done
