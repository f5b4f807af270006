#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hyper-dmabuf list / info / watch / signal / wait / revoke on the loopback
# transport: what the module answers, through the CLI.
. /lab/guest/testlib.sh

size=1048576
head -c "$size" /dev/urandom >data.raw

# has_fd PID TARGET: wait up to 5 s for process PID to hold TARGET open
has_fd() {
	tries=0
	while [ "$tries" -lt 50 ]; do
		for fd in /proc/"$1"/fd/*; do
			[ "$(readlink "$fd" 2>/dev/null)" = "$2" ] && return 0
		done
		sleep 0.1
		tries=$((tries + 1))
	done
	return 1
}

# importers_are ID N: wait up to 5 s for the export ID to have N importers
importers_are() {
	tries=0
	while [ "$tries" -lt 50 ]; do
		[ "$(hyper-dmabuf info --json "$1" 2>/dev/null | jq -r .importers)" = "$2" ] &&
			return 0
		sleep 0.1
		tries=$((tries + 1))
	done
	return 1
}

# gone ID: wait up to 5 s for ID to be neither exported nor imported here
gone() {
	tries=0
	while [ "$tries" -lt 50 ]; do
		hyper-dmabuf info "$1" >/dev/null 2>&1 || return 0
		sleep 0.1
		tries=$((tries + 1))
	done
	return 1
}

# centiseconds since boot
now_cs() {
	read -r up _ </proc/uptime
	echo "${up%.*}${up#*.}" | sed 's/^0*//; s/^$/0/'
}

# the events of the share and import, from a device opened before them
hyper-dmabuf watch --json --count 3 --timeout 20000 >events.json 2>watch.err &
watcher=$!
if has_fd "$watcher" /dev/hyper_dmabuf; then ok "watch opened the device"
else not_ok "watch opened the device"; fi

id=$(hyper-dmabuf share --to self --name managed data.raw)
expect_eq "share prints an id" 0 $?
domid=${id%%:*}
bad=$(echo "$id" | sed 's/.$/0/; t; s/.$/1/')
[ "$bad" = "$id" ] && bad=$(echo "$id" | sed 's/.$/1/')

# list
list=$(hyper-dmabuf list --json)
expect_eq "list --json exits 0" 0 $?
entry() { echo "$list" | jq -r --arg id "$id" "[.[] | select(.id == \$id)] | $1"; }
expect_eq "list --json: the share, once" 1 "$(entry length)"
expect_eq "list --json: an export" export "$(entry '.[0].role')"
expect_eq "list --json: offered" offered "$(entry '.[0].state')"
expect_eq "list --json: to this domain" 32752 "$(entry '.[0].peer')"
expect_eq "list --json: its size" "$size" "$(entry '.[0].size')"
expect_eq "list --json: no importers" 0 "$(entry '.[0].importers')"
expect_eq "list --json: read-only" false "$(entry '.[0].read_write')"
expect_eq "list --json: persistent" true "$(entry '.[0].persistent')"
expect_eq "list: a row in text" 1 "$(hyper-dmabuf list |
	grep -c -E "^$id +export +offered +self +$size +0 +no +yes\$")"

# info
info=$(hyper-dmabuf info --json "$id")
expect_eq "info --json exits 0" 0 $?
expect_eq "info --json: role" export "$(echo "$info" | jq -r .role)"
expect_eq "info --json: state" offered "$(echo "$info" | jq -r .state)"
expect_eq "info --json: peer" 32752 "$(echo "$info" | jq -r .peer)"
expect_eq "info --json: size" "$size" "$(echo "$info" | jq -r .size)"
expect_eq "info --json: importers" 0 "$(echo "$info" | jq -r .importers)"
expect_eq "info --json: timeline" 0 "$(echo "$info" | jq -r .timeline)"
text=$(hyper-dmabuf info "$id")
expect_eq "info: size in text" 1 "$(echo "$text" | grep -c -x "size: *$size")"
expect_eq "info: peer in text" 1 "$(echo "$text" | grep -c -x "peer: *self")"
expect_eq "info: state in text" 1 "$(echo "$text" | grep -c -x "state: *offered")"
out=$(hyper-dmabuf info "$bad" 2>&1)
expect_eq "info with a wrong key fails" 1 $?
case $out in *"key does not match"*) ok "info with a wrong key: key does not match" ;;
*) not_ok "info with a wrong key: key does not match: got '$out'" ;; esac

# an import while the watch runs
expect_ok "import --out" hyper-dmabuf import "$id" --out copy.raw
expect_eq "the copy has the bytes shared" "$(md5sum <data.raw | cut -d' ' -f1)" \
	"$(md5sum <copy.raw | cut -d' ' -f1)"
wait "$watcher"
expect_eq "watch --count 3 exits 0" 0 $?
expect_eq "watch: offered, imported, released" "offered imported released" \
	"$(jq -r .type events.json | tr '\n' ' ' | sed 's/ $//')"
expect_eq "watch: every event names the share" "$id" "$(jq -r .id events.json | sort -u)"
expect_eq "watch: every event names this domain" 32752 \
	"$(jq -r .peer events.json | sort -u)"
expect_eq "watch: every event has its time" 3 \
	"$(jq -r '.timestamp_ns | select(. > 0)' events.json | wc -l)"

# the timeline
expect_ok "signal 5" hyper-dmabuf signal "$id" 5
start=$(now_cs)
out=$(hyper-dmabuf wait "$id" 5 --timeout 10000)
expect_eq "wait 5 after signal 5" 0 $?
took=$(($(now_cs) - start))
expect_eq "wait prints the value reached" 5 "$out"
# at once: far from the 10 s timeout, even in a slow emulator
if [ "$took" -lt 300 ]; then ok "wait for a value reached returns at once (${took}0 ms)"
else not_ok "wait for a value reached returns at once: ${took}0 ms"; fi
expect_eq "wait for a lower value prints the value reached" 5 \
	"$(hyper-dmabuf wait "$id" 3 --timeout 0)"
expect_eq "wait --json: current_value" 5 \
	"$(hyper-dmabuf wait --json "$id" 5 | jq -r .current_value)"
expect_eq "info: the timeline" 5 "$(hyper-dmabuf info --json "$id" | jq -r .timeline)"
start=$(now_cs)
out=$(hyper-dmabuf wait "$id" 9 --timeout 200 2>&1)
expect_eq "wait 9 --timeout 200 fails" 1 $?
took=$(($(now_cs) - start))
case $out in *"timed out: the timeline of $id is at 5, short of 9"*) ok "wait 9: timed out" ;;
*) not_ok "wait 9: timed out: got '$out'" ;; esac
if [ "$took" -ge 19 ]; then ok "wait 9 waited its timeout (${took}0 ms)"
else not_ok "wait 9 waited its timeout: ${took}0 ms"; fi
out=$(hyper-dmabuf signal "$id" 5 2>&1)
expect_eq "signal to the current value fails" 1 $?
case $out in *"a signal must move it forward"*) ok "signal 5 again: must move forward" ;;
*) not_ok "signal 5 again: must move forward: got '$out'" ;; esac

# a sync_file, signalled by another process
hyper-dmabuf wait --sync-file "$id" 7 --timeout 20000 >sync.out 2>sync.err &
waiter=$!
if has_fd "$waiter" anon_inode:sync_file; then ok "wait --sync-file holds a sync_file"
else not_ok "wait --sync-file holds a sync_file"; fi
expect_ok "signal 7" hyper-dmabuf signal "$id" 7
wait "$waiter"
expect_eq "wait --sync-file ends with the signal" 0 $?
expect_eq "wait --sync-file prints the value reached" 7 "$(cat sync.out)"
expect_eq "wait --sync-file for a value reached" 7 \
	"$(hyper-dmabuf wait --sync-file "$id" 6 --timeout 1000)"
out=$(hyper-dmabuf wait --sync-file "$id" 8 --timeout 200 2>&1)
expect_eq "wait --sync-file 8 --timeout 200 fails" 1 $?
case $out in *"timed out"*) ok "wait --sync-file 8: timed out" ;;
*) not_ok "wait --sync-file 8: timed out: got '$out'" ;; esac

# revoke, while an importer holds the buffer: it blocks writing the data
# to a pipe that is not read until release.fifo says so
mkfifo release.fifo
hyper-dmabuf import "$id" 2>hold.err | (read -r _ <release.fifo) &
holder=$!
if importers_are "$id" 1; then ok "an importer holds the buffer"
else not_ok "an importer holds the buffer"; fi
list=$(hyper-dmabuf list --json)
expect_eq "list: the export and its import here" "export import" \
	"$(entry '.[].role' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "list: the import is imported" imported \
	"$(echo "$list" | jq -r --arg id "$id" '.[] | select(.id == $id and .role == "import") | .state')"
out=$(hyper-dmabuf revoke "$id" 2>revoke.err)
expect_eq "revoke exits 0" 0 $?
expect_eq "revoke: one importer left" 1 "$(echo "$out" | grep -c -x "remaining: *1")"
case $(cat revoke.err) in *"1 importer did not let go within 0 ms"*)
	ok "revoke says the importer did not let go" ;;
*) not_ok "revoke says the importer did not let go: got '$(cat revoke.err)'" ;; esac
out=$(hyper-dmabuf revoke "$id" 2>&1)
expect_eq "revoke again fails" 1 $?
case $out in *"already revoked"*) ok "revoke again: already revoked" ;;
*) not_ok "revoke again: already revoked: got '$out'" ;; esac
info=$(hyper-dmabuf info --json "$id")
expect_eq "info of a revoked export still imported" 0 $?
expect_eq "a revoked export is withdrawn" withdrawn "$(echo "$info" | jq -r .state)"
expect_eq "its importer is still counted" 1 "$(echo "$info" | jq -r .importers)"
out=$(hyper-dmabuf import "$id" --out x.raw 2>&1)
expect_eq "import of a revoked export fails" 1 $?
case $out in *"no such buffer"*) ok "import of a revoked export: no such buffer" ;;
*) not_ok "import of a revoked export: no such buffer: got '$out'" ;; esac

# the importer goes (killed by SIGPIPE): the export goes with it
echo go >release.fifo
wait "$holder"
if gone "$id"; then ok "the revoked export is gone once released"
else not_ok "the revoked export is gone once released"; fi
out=$(hyper-dmabuf info "$id" 2>&1)
expect_eq "info of a revoked export, released, fails" 1 $?
case $out in *"no such buffer"*) ok "info of a revoked export, released: no such buffer" ;;
*) not_ok "info of a revoked export, released: no such buffer: got '$out'" ;; esac
out=$(hyper-dmabuf revoke "$id" 2>&1)
expect_eq "revoke of an export gone fails" 1 $?
case $out in *"no such buffer"*) ok "revoke of an export gone: no such buffer" ;;
*) not_ok "revoke of an export gone: no such buffer: got '$out'" ;; esac
out=$(hyper-dmabuf info "$domid:4000000000:0123456789abcdeffedcba9876543210" 2>&1)
expect_eq "info of an unknown id fails" 1 $?
case $out in *"no such buffer"*) ok "info of an unknown id: no such buffer" ;;
*) not_ok "info of an unknown id: no such buffer: got '$out'" ;; esac
expect_status "info of a malformed id is a usage error" 2 hyper-dmabuf info 12:ab
expect_status "wait with a bad value is a usage error" 2 hyper-dmabuf wait "$id" x
wait

# PEERS on the real module: off Xen, the loopback is the one peer, and the
# shares above went through it as messages
peers=$(hyper-dmabuf peers --json)
expect_eq "peers: only the loopback, up" "self loopback up" \
	"$(echo "$peers" | jq -r 'if length == 1 then .[0] | [(if .domid == 32752 then "self" else .domid end), .transport, .state] | join(" ") else "\(length) peers" end')"
expect_eq "peers: messages went through it, none dropped" "true 0" \
	"$(echo "$peers" | jq -r '.[0] | [(.sent > 0), .dropped] | map(tostring) | join(" ")')"

expect_zero "counters back at zero"
expect_ok "rmmod" rmmod hyper_dmabuf
expect_ok "modprobe" modprobe hyper_dmabuf
lab_done
