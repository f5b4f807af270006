#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The keys of a channel are another domain's input. domu1 owns the
# directory of its channel with dom0, so it can write anything there: with
# its module unloaded it plays a peer that lies, announcing itself ready
# with a ring reference that is empty, negative, not a number, too large,
# one of the entries every domain reserves for its console and xenstore
# rings, or gone, and with states and generations that mean nothing. dom0
# must refuse each (counted in debugfs as "xenstore"), map nothing, stay
# where it was, write back its own keys when domu1 writes over them, and
# connect again at once when the real module is back.
. /lab/guest/testlib.sh

d1=$(lab-channel domid domu1)
dir=/local/domain/$d1/data/hyper_dmabuf/peer/0
dbg=/sys/kernel/debug/hyper_dmabuf
state_is() { grep -q "^$d1 $1 " $dbg/xen_peers; }
refused() { awk '$1 == "xenstore" { print $2 }' $dbg/refused 2>/dev/null; }
counted_past() { [ "$(refused)" -gt "$1" ]; }

wait_for "the channel with domu1 is up" state_is up
expect_ok "domu1 unloads its module" on domu1 rmmod hyper_dmabuf
wait_for "dom0 offers a channel again" state_is offered

# lie WHAT KEY VALUE|-: domu1 sets KEY (or removes it: -), says it has
# started anew and is ready, and sets KEY again in case that was it; dom0
# must count it and stay at "offered". Each lie starts from a closed,
# well-formed channel directory.
lie='d=$1 key=$2 value=$3 gen=$4
xenstore write -- "$d/hi-ring-ref" 8 "$d/hi-state" 6
if [ "$value" = - ]; then xenstore rm "$d/$key"
else xenstore write -- "$d/$key" "$value"; fi
xenstore write -- "$d/hi-gen" "$gen" "$d/hi-state" 3
[ "$key" = hi-ring-ref ] || xenstore write -- "$d/$key" "$value"'
n=0
lie() {
	local what=$1 before
	n=$((n + 1))
	before=$(refused)
	on domu1 sh -c "$lie" sh "$dir" "$2" "$3" $((7000 + n))
	wait_for -t 10 "$what: dom0 counts it" counted_past "${before:-0}"
	sleep 0.3
	expect_ok "$what: dom0 maps nothing and waits" state_is offered
}

lie "ring-ref empty" hi-ring-ref ""
lie "ring-ref -1" hi-ring-ref -1
lie "ring-ref 0, the console ring's entry" hi-ring-ref 0
lie "ring-ref 1, the xenstore ring's entry" hi-ring-ref 1
lie "ring-ref 7, reserved" hi-ring-ref 7
lie "ring-ref not a number" hi-ring-ref 12abc
lie "ring-ref past 32 bits" hi-ring-ref 4294967296
lie "ring-ref removed" hi-ring-ref -
lie "state not a number" hi-state ready
lie "state out of range" hi-state 99
lie "generation 0" hi-gen 0
lie "generation negative" hi-gen -5

# dom0's own keys written over by domu1, which owns the directory: dom0
# writes each back, or domu1's next module would find garbage for them
for key in lo-ring-ref lo-gen lo-state event-channel; do
	was=$(xenstore-read "$dir/$key")
	on domu1 xenstore write -- "$dir/$key" 12345
	says_again() { [ "$(xenstore-read "$dir/$1")" = "$2" ]; }
	wait_for -t 10 "domu1 overwrote dom0's $key: dom0 writes it back" \
		says_again "$key" "$was"
done

expect_ok "domu1 loads its module again" on domu1 modprobe hyper_dmabuf
wait_for "the channel with domu1 is up again" state_is up
export_id "dom0 exports to domu1" hdmabuf-test-xen serve --to "$d1" \
	--size 65536 --seed 31 --persistent
expect_ok "domu1 imports it and checks its bytes" \
	on domu1 hdmabuf-test-xen check "$id" --size 65536 --seed 31
expect_ok "dom0 unexports it" hyper-dmabuf unexport "$id"
lab_done
