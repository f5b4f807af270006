#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hyper-dmabuf signal and wait (also --sync-file) on the loopback
# transport: the timeline of an export, through the CLI, in text and JSON,
# waits that other processes end, and the message for each error.
. /lab/guest/testlib.sh
. /lab/guest/clilib.sh

head -c 8192 /dev/urandom >data.raw
unknown=32752:4000000000:0123456789abcdeffedcba9876543210
max=18446744073709551615

# has_fd PID TARGET: process PID holds TARGET open
has_fd() {
	local fd
	for fd in /proc/"$1"/fd/*; do
		[ "$(readlink "$fd" 2>/dev/null)" = "$2" ] && return 0
	done
	return 1
}

a=$(hyper-dmabuf share --to self data.raw)
b=$(hyper-dmabuf share --to self data.raw)
expect_eq "two shares" 0 $?

# signal
run signal "$a" 5
expect_exit "signal exits 0" 0
expect_empty "signal prints nothing in text" out
run signal --json "$a" 6
expect_exit "signal --json exits 0" 0
expect_json "signal --json: id" .id "\"$a\""
expect_json "signal --json: value" .value 6
run info --json "$a"
expect_json "info shows the timeline signalled" .timeline 6
run signal "$a" 6
expect_exit "signal to the current value exits 1" 1
expect_in "signal to the current value says so" err \
	"the timeline of $a is at 6 or past it already: a signal must move it forward"
run signal "$a" "$max"
expect_exit "signal to the largest value exits 0" 0
run signal "$unknown" 1
expect_exit "signal of an unknown id exits 1" 1
expect_in "signal of an unknown id says so" err \
	"no such buffer: $unknown is not an export of this domain"
run signal "$(wrong_key "$b")" 1
expect_exit "signal with a wrong key exits 1" 1
expect_in "signal with a wrong key says so" err "key does not match"

# wait, on b
run signal "$b" 6
start=$(ms)
run wait "$b" 5 --timeout 10000
took=$(($(ms) - start))
expect_exit "wait for a value passed exits 0" 0
expect_line "wait prints the value reached" out "6"
expect_lines "wait prints it alone" 1
# at once: far from the 10 s timeout, even in a slow emulator
if [ "$took" -lt 3000 ]; then ok "wait for a value reached returns at once ($took ms)"
else not_ok "wait for a value reached returns at once: $took ms"; fi
run wait "$b" 0
expect_line "wait for 0 prints the value" out "6"
run wait --json "$b" 6 --timeout 0
expect_exit "wait --json exits 0" 0
expect_json "wait --json: id" .id "\"$b\""
expect_json "wait --json: value" .value 6
expect_json "wait --json: current_value" .current_value 6
run wait --json "$a" 1
# (jq reads numbers as doubles: the text itself)
expect_eq "wait --json: the largest value" 1 \
	"$(grep -c -E "\"current_value\": ?$max[,}]" "$CLI_OUT")"
start=$(ms)
run wait "$b" 9 --timeout 200
took=$(($(ms) - start))
expect_exit "wait that times out exits 1" 1
expect_in "wait that times out says so" err "timed out: the timeline of $b is at 6, short of 9"
expect_empty "wait that times out prints nothing" out
if [ "$took" -ge 190 ]; then ok "wait waits its timeout: $took ms"
else not_ok "wait waits its timeout: $took ms"; fi
run wait "$b" 9 --timeout 0
expect_exit "wait --timeout 0 only looks" 1
expect_in "wait --timeout 0 times out" err "timed out"
run wait "$unknown" 1
expect_exit "wait on an unknown id exits 1" 1
expect_in "wait on an unknown id says so" err "no such buffer: $unknown"
run wait "$(wrong_key "$b")" 1
expect_exit "wait with a wrong key exits 1" 1
expect_in "wait with a wrong key says so" err "key does not match"
run wait "$b" x
expect_exit "wait with a bad value is a usage error" 2

# wait --sync-file
run wait --sync-file "$b" 6 --timeout 1000
expect_exit "wait --sync-file for a value reached exits 0" 0
expect_line "wait --sync-file prints the value" out "6"
start=$(ms)
run wait --sync-file "$b" 7 --timeout 150
took=$(($(ms) - start))
expect_exit "wait --sync-file that times out exits 1" 1
expect_in "wait --sync-file that times out says so" err \
	"timed out: the timeline of $b is at 6, short of 7"
if [ "$took" -ge 140 ]; then ok "wait --sync-file waits its timeout: $took ms"
else not_ok "wait --sync-file waits its timeout: $took ms"; fi
run wait --sync-file "$unknown" 1
expect_exit "wait --sync-file on an unknown id exits 1" 1
expect_in "wait --sync-file on an unknown id says so" err "no such buffer"

# waits that a signal of another process ends
hyper-dmabuf wait --sync-file "$b" 7 --timeout 20000 >bg-sync 2>&1 &
bg_sync=$!
hyper-dmabuf wait --json "$b" 8 --timeout 20000 >bg-wait 2>&1 &
bg_wait=$!
wait_for "wait --sync-file holds a sync_file" has_fd "$bg_sync" anon_inode:sync_file
run signal "$b" 7
wait "$bg_sync"
expect_eq "wait --sync-file ends when another process signals" 0 $?
expect_eq "wait --sync-file prints the value signalled" 7 "$(cat bg-sync)"
run signal "$b" 8
wait "$bg_wait"
expect_eq "wait ends when another process signals" 0 $?
expect_eq "wait prints the value signalled" 8 "$(jq -r .current_value <bg-wait)"

# a sync_file signals when the export goes: the wait says it is gone
d=$(hyper-dmabuf share --to self data.raw)
hyper-dmabuf wait --sync-file "$d" 3 --timeout 20000 >bg-gone 2>&1 &
bg_gone=$!
wait_for "a wait on d holds a sync_file" has_fd "$bg_gone" anon_inode:sync_file
run unexport "$d"
wait "$bg_gone"
expect_eq "wait --sync-file on an export that goes exits 1" 1 $?
expect_eq "wait --sync-file says the export is gone" 1 "$(grep -c -F "no such buffer: $d" bg-gone)"

expect_ok "unexport a" hyper-dmabuf unexport "$a"
expect_ok "unexport b" hyper-dmabuf unexport "$b"
expect_zero "counters back at zero"
lab_done
