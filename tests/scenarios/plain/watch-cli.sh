#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hyper-dmabuf watch on the loopback transport: the module's events about
# shares made by other processes, in text and JSON, in order and with their
# time, an overflowed queue, and watches that time out.
. /lab/guest/testlib.sh
. /lab/guest/clilib.sh

head -c 1048576 /dev/urandom >data.raw

has_device() {
	local fd
	for fd in /proc/"$1"/fd/*; do
		[ "$(readlink "$fd" 2>/dev/null)" = /dev/hyper_dmabuf ] && return 0
	done
	return 1
}

# watch_bg ARGS...: hyper-dmabuf watch ARGS in the background, into
# watch.out and watch.err, once it has the device open; its pid in $watcher
watch_bg() {
	hyper-dmabuf watch "$@" >watch.out 2>watch.err &
	watcher=$!
	wait_for "watch $* opened the device" has_device "$watcher"
}

# watch_end WHAT: the background watch ended with 0; its output is stdout
watch_end() {
	wait "$watcher"
	status=$?
	cp watch.out "$CLI_OUT"
	cp watch.err "$CLI_ERR"
	expect_exit "$1" 0
}

# quiet watches
start=$(ms)
run watch --timeout 100
took=$(($(ms) - start))
expect_exit "a quiet watch with a timeout exits 0" 0
expect_empty "a quiet watch prints nothing" out
if [ "$took" -ge 90 ]; then ok "watch waits its timeout: $took ms"
else not_ok "watch waits its timeout: $took ms"; fi
run watch --count 1 --timeout 100
expect_exit "a watch that times out before its count exits 1" 1
expect_in "it says so" err "timed out after 0 of 1 events"

# a share's life, from another process
watch_bg --json --count 5 --timeout 30000
g=$(hyper-dmabuf share --to self data.raw)
hyper-dmabuf import --out /dev/null "$g" >/dev/null
hyper-dmabuf signal "$g" 3
hyper-dmabuf unexport "$g"
watch_end "watch --json --count 5 exits 0"
expect_lines "watch --json prints an event a line" 5
expect_eq "offered, imported, released, signalled, unexported" \
	"offered imported released signalled unexported" \
	"$(jq -r .type <"$CLI_OUT" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "every event names the share" "$g" "$(jq -r .id <"$CLI_OUT" | sort -u)"
expect_eq "every event names this domain" 32752 "$(jq -r .peer <"$CLI_OUT" | sort -u)"
expect_event "the offer's value is 0" 1 .value 0
expect_event "the signal carries the value" 4 .value 3
first=$(sed -n 1p "$CLI_OUT" | jq .timestamp_ns)
last=$(sed -n 5p "$CLI_OUT" | jq .timestamp_ns)
if [ "$first" -gt 0 ] && [ "$last" -ge "$first" ]; then ok "events carry their time, in order"
else not_ok "events carry their time, in order: $first, $last"; fi

# the same in text
watch_bg --count 2 --timeout 30000
h=$(hyper-dmabuf share --to self data.raw)
hyper-dmabuf signal "$h" 2
watch_end "watch --count 2 exits 0"
expect_lines "watch prints an event a line" 2
expect_line "watch: an offer in text" out "offered id=$h peer=self"
expect_line "watch: a signal in text" out "signalled id=$h peer=self value=2"

# a revocation while an importer holds the buffer
mkfifo release.fifo
hyper-dmabuf import "$h" 2>/dev/null | (read -r _ <release.fifo) &
importers_one() { [ "$(hyper-dmabuf info --json "$h" | jq .importers)" = 1 ]; }
wait_for "an importer holds the buffer" importers_one
watch_bg --json --count 2 --timeout 30000
hyper-dmabuf revoke "$h" >/dev/null 2>&1
watch_end "watch of a revocation exits 0"
expect_eq "a revocation: the import is revoked, the export goes off offer" \
	"revoked unexported" "$(jq -r .type <"$CLI_OUT" | tr '\n' ' ' | sed 's/ $//')"
expect_event "a revocation: the import's exporter" 1 .peer 32752
expect_eq "both name the export" "$h" "$(jq -r .id <"$CLI_OUT" | sort -u)"
watch_bg --json --count 1 --timeout 30000
echo go >release.fifo
watch_end "watch of the release exits 0"
expect_event "the importer let go: released" 1 .type '"released"'
expect_event "the import that went" 1 .id "\"$h\""
wait_for "the revoked export is gone" sh -c "! hyper-dmabuf info $h"

# an overflowed queue: a watch stopped while four events come, with room
# for two
param=/sys/module/hyper_dmabuf/parameters/event_queue_len
was=$(cat $param)
echo 2 >$param
i=$(hyper-dmabuf share --to self data.raw)
watch_bg --json --count 3 --timeout 30000
kill -STOP "$watcher"
for v in 1 2 3 4; do
	hyper-dmabuf signal "$i" "$v"
done
kill -CONT "$watcher"
watch_end "watch of an overflowed queue exits 0"
expect_event "an overflow comes first" 1 .type '"overflow"'
expect_event "an overflow says how many were lost" 1 .value 2
expect_event "an overflow names no id" 1 .id null
expect_event "an overflow names no peer" 1 .peer null
expect_event "then what was queued" 2 .value 1
expect_event "in order" 3 .value 2
watch_bg --count 3 --timeout 30000
kill -STOP "$watcher"
for v in 5 6 7; do
	hyper-dmabuf signal "$i" "$v"
done
kill -CONT "$watcher"
watch_end "watch of an overflowed queue in text exits 0"
expect_line "an overflow in text says how many were lost" out "overflow lost=1"
expect_line "the events kept, in text" out "signalled id=$i peer=self value=6"
echo "$was" >$param

# fewer events than the count
watch_bg --count 2 --timeout 3000
hyper-dmabuf signal "$i" 9
wait "$watcher"
status=$?
cp watch.out "$CLI_OUT"
cp watch.err "$CLI_ERR"
expect_exit "a watch that gets fewer events than its count exits 1" 1
expect_lines "it prints those it got" 1
expect_in "and says how many" err "timed out after 1 of 2 events"

expect_ok "unexport" hyper-dmabuf unexport "$i"
expect_zero "counters back at zero"
lab_done
