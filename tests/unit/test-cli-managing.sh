#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# list, info, revoke, signal, wait and watch against fake-module.so, the
# stand-in for the module (see fake-module.c and test-cli-sharing.sh): the
# tool's side of each command, its text, its JSON (read with json-get) and
# the message for each error of the module. The module's side is tested in
# the lab (tests/scenarios/plain/manage-cli.sh).

. "$top_srcdir/tests/unit/fake-cli-lib.sh"

expect_in() {
	if grep -q -F -e "$3" "$tmp/$2"; then ok "$1"; else not_ok "$1: no '$3' on std$2"; fi
}

# expect_line NAME out|err REGEX: a whole line matches the extended regex
expect_line() {
	if grep -q -x -E -e "$3" "$tmp/$2"; then ok "$1"; else not_ok "$1: no line '$3' on std$2"; fi
}

expect_empty() {
	if [ -s "$tmp/$2" ]; then not_ok "$1: std$2 is not empty"; else ok "$1"; fi
}

expect_lines() {
	got=$(wc -l <"$tmp/out")
	if [ "$got" -eq "$2" ]; then ok "$1"; else not_ok "$1: $got lines, not $2"; fi
}

# expect_json NAME PATH VALUE: stdout is one JSON value; PATH in it is VALUE
expect_json() {
	got=$("$json_get" "$2" <"$tmp/out")
	if [ "$got" = "$3" ]; then ok "$1"; else not_ok "$1: $2 is '$got', not '$3'"; fi
}

# expect_event NAME LINE PATH VALUE: as expect_json, for one line of stdout
expect_event() {
	got=$(sed -n "$2p" "$tmp/out" | "$json_get" "$3")
	if [ "$got" = "$4" ]; then ok "$1"; else not_ok "$1: line $2: $3 is '$got', not '$4'"; fi
}

clear_events() {
	rm -f "$FAKE_HDMABUF_DIR/events" "$FAKE_HDMABUF_DIR/lost"
}

# the id with another key: its last digit changed
wrong_key() {
	case $1 in
	*0) echo "${1%?}1" ;;
	*) echo "${1%?}0" ;;
	esac
}

ms() { echo $(($(date +%s%N) / 1000000)); }

unknown=32752:999:0123456789abcdeffedcba9876543210
seq 1 2000 >"$tmp/data"
# the module's buffers are whole pages
size=$((($(wc -c <"$tmp/data") + 4095) / 4096 * 4096))

# list, empty
run list
expect_status "list with nothing shared exits 0" 0
expect_empty "list with nothing shared prints nothing" out
run list --json
expect_status "list --json with nothing shared exits 0" 0
expect_json "list --json with nothing shared: an empty array" "#" 0

# a read-only share, a read-write one imported elsewhere, one to domain 5
a=$(quietly share --to self "$tmp/data")
b=$(quietly share --to self --read-write "$tmp/data")
c=$(LD_PRELOAD=$fake FAKE_HDMABUF_PEERS=5 "$tool" --device "$dev" \
	share --to 5 "$tmp/data" 2>"$tmp/err")
with FAKE_HDMABUF_HOLD=1 import --out /dev/null "$b"
expect_status "an import held by another process" 0

run list
expect_status "list exits 0" 0
expect_lines "list: a header and four rows" 5
expect_line "list: the header" out \
	"ID +ROLE +STATE +PEER +SIZE +IMPORTERS +READ-WRITE +PERSISTENT"
expect_line "list: the read-only export" out \
	"$a +export +offered +self +$size +0 +no +yes"
expect_line "list: the imported export" out \
	"$b +export +offered +self +$size +1 +yes +yes"
expect_line "list: the export to domain 5" out \
	"$c +export +offered +5 +$size +0 +no +yes"
expect_line "list: the import" out \
	"$b +import +imported +self +$size +- +yes +yes"
if grep -q ' $' "$tmp/out"; then not_ok "list: no spaces at the ends of lines"
else ok "list: no spaces at the ends of lines"; fi
# each column starts where its header does
aligned=$(awk 'NR == 1 { for (i = 1; i <= NF; i++) col[i] = index($0, $i); next }
	{ pos = 1; for (i = 1; i <= NF; i++) { at = index(substr($0, pos), $i) + pos - 1
		if (at != col[i]) bad = 1; pos = at + length($i) } }
	END { print bad ? "no" : "yes" }' "$tmp/out")
if [ "$aligned" = yes ]; then ok "list: the columns are aligned"
else not_ok "list: the columns are aligned"; fi

run list --json
expect_status "list --json exits 0" 0
expect_json "list --json: four entries" "#" 4
expect_json "list --json: id" 0.id "\"$a\""
expect_json "list --json: role" 0.role '"export"'
expect_json "list --json: state" 0.state '"offered"'
expect_json "list --json: peer" 0.peer 32752
expect_json "list --json: size" 0.size "$size"
expect_json "list --json: importers" 0.importers 0
expect_json "list --json: read_write" 0.read_write false
expect_json "list --json: persistent" 0.persistent true
expect_json "list --json: an imported export's importers" 1.importers 1
expect_json "list --json: a read-write export" 1.read_write true
expect_json "list --json: the peer of an export to domain 5" 2.peer 5
expect_json "list --json: the import's id" 3.id "\"$b\""
expect_json "list --json: the import's role" 3.role '"import"'
expect_json "list --json: the import's state" 3.state '"imported"'
expect_json "list --json: the import's peer, the exporter" 3.peer 32752
expect_json "list --json: an import has no importers" 3.importers null

# info
run info "$a"
expect_status "info exits 0" 0
expect_in "info: id" out "id:                  $a"
expect_in "info: role" out "role:                export"
expect_in "info: state" out "state:               offered"
expect_in "info: peer" out "peer:                self"
expect_in "info: size" out "size:                $size"
expect_in "info: importers" out "importers:           0"
expect_in "info: read-only" out "read-write:          no"
expect_in "info: persistent" out "persistent:          yes"
expect_in "info: timeline" out "timeline:            0"
expect_lines "info: nine fields" 9
run info --json "$b"
expect_status "info --json exits 0" 0
expect_json "info --json: id" id "\"$b\""
expect_json "info --json: role" role '"export"'
expect_json "info --json: state" state '"offered"'
expect_json "info --json: peer" peer 32752
expect_json "info --json: importers" importers 1
expect_json "info --json: read_write" read_write true
expect_json "info --json: timeline" timeline 0
run info "$c" --json
expect_json "info --json: an export to domain 5" peer 5
run info "$unknown"
expect_status "info of an unknown id exits 1" 1
expect_in "info of an unknown id says so" err \
	"no such buffer: $unknown is neither exported nor imported by this domain"
expect_empty "info of an unknown id prints nothing" out
run info "$(wrong_key "$a")"
expect_status "info with a wrong key exits 1" 1
expect_in "info with a wrong key says so" err "key does not match: $(wrong_key "$a")"

# signal
run signal "$a" 5
expect_status "signal exits 0" 0
expect_empty "signal prints nothing in text" out
run signal --json "$a" 6
expect_status "signal --json exits 0" 0
expect_json "signal --json: id" id "\"$a\""
expect_json "signal --json: value" value 6
run info --json "$a"
expect_json "info shows the timeline signalled" timeline 6
run signal "$a" 6
expect_status "signal to the current value exits 1" 1
expect_in "signal to the current value says so" err \
	"the timeline of $a is at 6 or past it already: a signal must move it forward"
run signal "$a" 18446744073709551615
expect_status "signal to the largest value exits 0" 0
max=18446744073709551615
run signal "$unknown" 1
expect_status "signal of an unknown id exits 1" 1
expect_in "signal of an unknown id says so" err "no such buffer: $unknown is not an export of this domain"
run signal "$(wrong_key "$b")" 1
expect_status "signal with a wrong key exits 1" 1
expect_in "signal with a wrong key says so" err "key does not match"

# wait, on b, whose timeline starts at 0
run signal "$b" 6
run wait "$b" 5
expect_status "wait for a value passed exits 0" 0
expect_line "wait prints the value reached" out "6"
expect_lines "wait prints it alone" 1
run wait "$b" 0
expect_line "wait for 0 prints the value" out "6"
run wait --json "$b" 6 --timeout 0
expect_status "wait --json exits 0" 0
expect_json "wait --json: id" id "\"$b\""
expect_json "wait --json: value" value 6
expect_json "wait --json: current_value" current_value 6
run wait --json "$a" 1
expect_json "wait --json: the largest value" current_value "$max"
start=$(ms)
run wait "$b" 9 --timeout 200
took=$(($(ms) - start))
expect_status "wait that times out exits 1" 1
expect_in "wait that times out says so" err \
	"timed out: the timeline of $b is at 6, short of 9"
expect_empty "wait that times out prints nothing" out
if [ "$took" -ge 200 ]; then ok "wait waits its timeout: $took ms"
else not_ok "wait waits its timeout: $took ms"; fi
run wait "$b" 9 --timeout 0
expect_status "wait --timeout 0 only looks" 1
expect_in "wait --timeout 0 times out" err "timed out"
run wait "$unknown" 1
expect_status "wait on an unknown id exits 1" 1
expect_in "wait on an unknown id says so" err "no such buffer: $unknown"
run wait "$(wrong_key "$b")" 1
expect_status "wait with a wrong key exits 1" 1
expect_in "wait with a wrong key says so" err "key does not match"

# wait --sync-file
run wait --sync-file "$b" 6 --timeout 1000
expect_status "wait --sync-file for a value reached exits 0" 0
expect_line "wait --sync-file prints the value" out "6"
start=$(ms)
run wait --sync-file "$b" 7 --timeout 150
took=$(($(ms) - start))
expect_status "wait --sync-file that times out exits 1" 1
expect_in "wait --sync-file that times out says so" err \
	"timed out: the timeline of $b is at 6, short of 7"
if [ "$took" -ge 150 ]; then ok "wait --sync-file waits its timeout: $took ms"
else not_ok "wait --sync-file waits its timeout: $took ms"; fi
run wait --sync-file "$unknown" 1
expect_status "wait --sync-file on an unknown id exits 1" 1
expect_in "wait --sync-file on an unknown id says so" err "no such buffer"

# waits that a signal of another process ends
LD_PRELOAD=$fake "$tool" --device "$dev" wait --sync-file "$b" 7 \
	--timeout 5000 >"$tmp/bg-sync" 2>&1 &
bg_sync=$!
LD_PRELOAD=$fake "$tool" --device "$dev" wait --json "$b" 8 \
	--timeout 5000 >"$tmp/bg-wait" 2>&1 &
bg_wait=$!
sleep 0.3
run signal "$b" 7
wait "$bg_sync"
status=$?
expect_status "wait --sync-file ends when another process signals" 0
if [ "$(cat "$tmp/bg-sync")" = 7 ]; then ok "wait --sync-file prints the value signalled"
else not_ok "wait --sync-file prints the value signalled: '$(cat "$tmp/bg-sync")'"; fi
run signal "$b" 8
wait "$bg_wait"
status=$?
expect_status "wait ends when another process signals" 0
got=$("$json_get" current_value <"$tmp/bg-wait")
if [ "$got" = 8 ]; then ok "wait prints the value signalled"
else not_ok "wait prints the value signalled: '$(cat "$tmp/bg-wait")'"; fi

# a sync_file signals when the export goes: the wait says it is gone
d=$(quietly share --to self "$tmp/data")
LD_PRELOAD=$fake "$tool" --device "$dev" wait --sync-file "$d" 3 \
	--timeout 5000 >"$tmp/bg-gone" 2>&1 &
bg_gone=$!
sleep 0.3
run unexport "$d"
wait "$bg_gone"
status=$?
expect_status "wait --sync-file on an export that goes exits 1" 1
if grep -q -F "no such buffer: $d" "$tmp/bg-gone"; then ok "wait --sync-file says the export is gone"
else not_ok "wait --sync-file says the export is gone: '$(cat "$tmp/bg-gone")'"; fi

# revoke
run revoke "$b"
expect_status "revoke of an imported export exits 0" 0
expect_in "revoke: id" out "id:                  $b"
expect_in "revoke: the importer left" out "remaining:           1"
expect_in "revoke says an importer did not let go" err \
	"1 importer did not let go within 0 ms: it is cut off from the buffer"
run info --json "$b"
expect_json "a revoked export still imported is withdrawn" state '"withdrawn"'
expect_json "its importer is still there" importers 1
run list
expect_line "list shows it withdrawn" out "$b +export +withdrawn +self +$size +1 +yes +yes"
run revoke --timeout 100 "$b"
expect_status "a second revoke exits 1" 1
expect_in "a second revoke says so" err "already revoked: $b"
expect_empty "a second revoke prints nothing" out
run revoke --json --timeout 250 "$a"
expect_status "revoke --json of an export nobody imported exits 0" 0
expect_json "revoke --json: id" id "\"$a\""
expect_json "revoke --json: timeout_ms" timeout_ms 250
expect_json "revoke --json: remaining" remaining 0
expect_empty "revoke with no importer left notes nothing" err
run info "$a"
expect_status "info of a revoked export nobody imported exits 1" 1
expect_in "info of a revoked export nobody imported: gone" err "no such buffer: $a"
run revoke "$a"
expect_status "revoke of a revoked export that is gone exits 1" 1
expect_in "revoke of an export that is gone: no such buffer" err "no such buffer: $a"
e=$(quietly share --to self "$tmp/data")
with FAKE_HDMABUF_HOLD=1 import --out /dev/null "$e"
with FAKE_HDMABUF_HOLD=1 import --out /dev/null "$e"
run info --json "$e"
expect_json "two importers" importers 2
with FAKE_HDMABUF_NOT_ADMIN=1 revoke "$e"
expect_status "revoke without CAP_SYS_ADMIN exits 1" 1
expect_in "revoke without CAP_SYS_ADMIN says so" err \
	"$e was shared by another process: revoking it needs root (CAP_SYS_ADMIN)"
run revoke "$(wrong_key "$e")"
expect_status "revoke with a wrong key exits 1" 1
expect_in "revoke with a wrong key says so" err "key does not match"
run revoke "$unknown"
expect_status "revoke of an unknown id exits 1" 1
expect_in "revoke of an unknown id says so" err "no such buffer: $unknown"
with FAKE_HDMABUF_LET_GO=1 revoke --timeout 1000 "$e"
expect_status "revoke whose importers let go exits 0" 0
expect_in "revoke whose importers let go: none left" out "remaining:           0"
expect_empty "revoke whose importers let go notes nothing" err
run info "$e"
expect_in "an export revoked and released is gone" err "no such buffer"
f=$(quietly share --to self "$tmp/data")
with FAKE_HDMABUF_HOLD=1 import --out /dev/null "$f"
with FAKE_HDMABUF_HOLD=1 import --out /dev/null "$f"
run revoke "$f"
expect_in "revoke names the importers left" err "2 importers did not let go within 0 ms"

# watch
clear_events
start=$(ms)
run watch --timeout 100
took=$(($(ms) - start))
expect_status "a quiet watch with a timeout exits 0" 0
expect_empty "a quiet watch prints nothing" out
if [ "$took" -ge 100 ]; then ok "watch waits its timeout: $took ms"
else not_ok "watch waits its timeout: $took ms"; fi
run watch --count 1 --timeout 100
expect_status "a watch that times out before its count exits 1" 1
expect_in "it says so" err "timed out after 0 of 1 events"

g=$(quietly share --to self "$tmp/data")
quietly import --out /dev/null "$g" >/dev/null
quietly signal "$g" 3
quietly unexport "$g"
run watch --json --count 5
expect_status "watch --json --count 5 exits 0" 0
expect_lines "watch --json prints an event a line" 5
expect_event "the share is offered" 1 type '"offered"'
expect_event "the offer names the id" 1 id "\"$g\""
expect_event "the offer names the peer" 1 peer 32752
expect_event "the offer's value is 0" 1 value 0
expect_event "the import is imported" 2 type '"imported"'
expect_event "the import names the id" 2 id "\"$g\""
expect_event "the import's end is released" 3 type '"released"'
expect_event "the signal is signalled" 4 type '"signalled"'
expect_event "the signal carries the value" 4 value 3
expect_event "the unexport is unexported" 5 type '"unexported"'
first=$(sed -n 1p "$tmp/out" | "$json_get" timestamp_ns)
last=$(sed -n 5p "$tmp/out" | "$json_get" timestamp_ns)
if [ "$first" -gt 0 ] && [ "$last" -ge "$first" ]; then ok "events carry their time, in order"
else not_ok "events carry their time, in order: $first, $last"; fi
run watch --timeout 50
expect_empty "events are read once" out

h=$(quietly share --to self "$tmp/data")
quietly signal "$h" 2
run watch --count 2
expect_status "watch --count 2 exits 0" 0
expect_lines "watch prints an event a line" 2
expect_line "watch: an offer in text" out "offered id=$h peer=self"
expect_line "watch: a signal in text" out "signalled id=$h peer=self value=2"

with FAKE_HDMABUF_HOLD=1 import --out /dev/null "$h"
clear_events
quietly revoke "$h" >/dev/null
run watch --json --count 2
expect_event "a revocation: the import is revoked" 1 type '"revoked"'
expect_event "a revocation: the import's exporter" 1 peer 32752
expect_event "a revocation: the export goes off offer" 2 type '"unexported"'

i=$(quietly share --to self "$tmp/data")
clear_events
for v in 1 2 3 4; do
	LD_PRELOAD=$fake FAKE_HDMABUF_QUEUE_LEN=2 "$tool" --device "$dev" \
		signal "$i" "$v" 2>"$tmp/err"
done
run watch --json --count 3
expect_status "watch of an overflowed queue exits 0" 0
expect_event "an overflow comes first" 1 type '"overflow"'
expect_event "an overflow says how many were lost" 1 value 2
expect_event "an overflow names no id" 1 id null
expect_event "an overflow names no peer" 1 peer null
expect_event "then what was queued" 2 value 1
expect_event "in order" 3 value 2
for v in 5 6 7; do
	LD_PRELOAD=$fake FAKE_HDMABUF_QUEUE_LEN=2 "$tool" --device "$dev" \
		signal "$i" "$v" 2>"$tmp/err"
done
run watch --count 3
expect_line "an overflow in text says how many were lost" out "overflow lost=1"
expect_line "the events after it in text" out "signalled id=$i peer=self value=6"

LD_PRELOAD=$fake "$tool" --device "$dev" watch --count 1 --timeout 5000 \
	>"$tmp/bg-watch" 2>&1 &
bg_watch=$!
sleep 0.3
run signal "$i" 8
wait "$bg_watch"
status=$?
expect_status "a watch waiting for an event exits 0 when it comes" 0
if [ "$(cat "$tmp/bg-watch")" = "signalled id=$i peer=self value=8" ]; then
	ok "the watch prints the event that came"
else
	not_ok "the watch prints the event that came: '$(cat "$tmp/bg-watch")'"
fi

quietly signal "$i" 9
run watch --count 2 --timeout 100
expect_status "a watch that gets fewer events than its count exits 1" 1
expect_lines "it prints those it got" 1
expect_in "and says how many" err "timed out after 1 of 2 events"

exit $failed
