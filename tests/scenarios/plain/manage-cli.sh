#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hyper-dmabuf list / info / revoke / peers on the loopback transport: what
# the module answers, through the CLI, in text and JSON, and the message for
# each error. (signal and wait: timeline-cli.sh; watch: watch-cli.sh.)
. /lab/guest/testlib.sh
. /lab/guest/clilib.sh

size=1048576
head -c "$size" /dev/urandom >data.raw
unknown=32752:4000000000:0123456789abcdeffedcba9876543210

# hold NAME ID: an importer of ID that keeps it, blocked writing the data
# to a pipe nobody reads until `let_go NAME`; waits until it holds it
hold() {
	local before
	before=$(hyper-dmabuf info --json "$2" | jq -r .importers)
	mkfifo "$1.fifo"
	hyper-dmabuf import "$2" 2>"$1.err" | (read -r _ <"$1.fifo") &
	wait_for "$1 holds $2" importers_are "$2" $((before + 1))
}

# let_go NAME: the holder's reader goes, the importer dies of SIGPIPE
let_go() {
	echo go >"$1.fifo"
	rm -f "$1.fifo"
}

importers_are() {
	[ "$(hyper-dmabuf info --json "$1" 2>/dev/null | jq -r .importers)" = "$2" ]
}

# gone ID: ID is neither exported nor imported here
gone() { ! hyper-dmabuf info "$1" >/dev/null 2>&1; }

# list, empty
run list
expect_exit "list with nothing shared exits 0" 0
expect_empty "list with nothing shared prints nothing" out
run list --json
expect_json "list --json with nothing shared: an empty array" . "[]"

# a read-only share, a read-write one imported by another process
a=$(hyper-dmabuf share --to self --name managed data.raw)
expect_eq "share prints an id" 0 $?
b=$(hyper-dmabuf share --to self --read-write data.raw)
hold holder1 "$b"

run list
expect_exit "list exits 0" 0
expect_lines "list: a header and three rows" 4
expect_line "list: the header" out \
	"ID +ROLE +STATE +PEER +SIZE +IMPORTERS +READ-WRITE +PERSISTENT"
expect_line "list: the read-only export" out \
	"$a +export +offered +self +$size +0 +no +yes"
expect_line "list: the imported export" out \
	"$b +export +offered +self +$size +1 +yes +yes"
expect_line "list: the import" out \
	"$b +import +imported +self +$size +- +yes +yes"
expect_aligned "list: the columns are aligned, no space at an end"

run list --json
expect_exit "list --json exits 0" 0
expect_json "list --json: three entries" length 3
entry() { echo "[.[] | select(.id == \"$1\" and .role == \"$2\")] | if length == 1 then .[0]$3 else length end"; }
expect_json "list --json: the export's state" "$(entry "$a" export .state)" '"offered"'
expect_json "list --json: to this domain" "$(entry "$a" export .peer)" 32752
expect_json "list --json: its size" "$(entry "$a" export .size)" "$size"
expect_json "list --json: no importers" "$(entry "$a" export .importers)" 0
expect_json "list --json: read-only" "$(entry "$a" export .read_write)" false
expect_json "list --json: persistent" "$(entry "$a" export .persistent)" true
expect_json "list --json: an imported export's importers" "$(entry "$b" export .importers)" 1
expect_json "list --json: a read-write export" "$(entry "$b" export .read_write)" true
expect_json "list --json: the import's state" "$(entry "$b" import .state)" '"imported"'
expect_json "list --json: the import's peer, the exporter" "$(entry "$b" import .peer)" 32752
expect_json "list --json: an import has no importers" "$(entry "$b" import .importers)" null

# info
run info "$a"
expect_exit "info exits 0" 0
expect_line "info: id" out "id: +$a"
expect_line "info: role" out "role: +export"
expect_line "info: state" out "state: +offered"
expect_line "info: peer" out "peer: +self"
expect_line "info: size" out "size: +$size"
expect_line "info: importers" out "importers: +0"
expect_line "info: read-only" out "read-write: +no"
expect_line "info: persistent" out "persistent: +yes"
expect_line "info: timeline" out "timeline: +0"
expect_lines "info: nine fields" 9
run info --json "$b"
expect_exit "info --json exits 0" 0
expect_json "info --json: id" .id "\"$b\""
expect_json "info --json: role" .role '"export"'
expect_json "info --json: state" .state '"offered"'
expect_json "info --json: peer" .peer 32752
expect_json "info --json: importers" .importers 1
expect_json "info --json: read_write" .read_write true
expect_json "info --json: timeline" .timeline 0
run info "$unknown"
expect_exit "info of an unknown id exits 1" 1
expect_in "info of an unknown id says so" err \
	"no such buffer: $unknown is neither exported nor imported by this domain"
expect_empty "info of an unknown id prints nothing" out
run info "$(wrong_key "$a")"
expect_exit "info with a wrong key exits 1" 1
expect_in "info with a wrong key says so" err "key does not match: $(wrong_key "$a")"
run info 12:ab
expect_exit "info of a malformed id is a usage error" 2

# revoke, while an importer holds the buffer
run revoke "$b"
expect_exit "revoke of an imported export exits 0" 0
expect_line "revoke: id" out "id: +$b"
expect_line "revoke: the importer is left" out "remaining: +1"
expect_in "revoke says an importer did not let go" err \
	"1 importer did not let go within 0 ms: it is cut off from the buffer"
run info --json "$b"
expect_json "a revoked export still imported is withdrawn" .state '"withdrawn"'
expect_json "its importer is still counted" .importers 1
run list
expect_line "list shows it withdrawn" out "$b +export +withdrawn +self +$size +1 +yes +yes"
run revoke --timeout 100 "$b"
expect_exit "a second revoke exits 1" 1
expect_in "a second revoke says so" err "already revoked: $b"
expect_empty "a second revoke prints nothing" out
run import "$b" --out x.raw
expect_exit "import of a revoked export exits 1" 1
expect_in "import of a revoked export: no such buffer" err "no such buffer"
let_go holder1
wait_for "the revoked export is gone once released" gone "$b"
run info "$b"
expect_in "info of a revoked export, released: no such buffer" err "no such buffer: $b"
run revoke "$b"
expect_exit "revoke of an export gone exits 1" 1
expect_in "revoke of an export gone: no such buffer" err "no such buffer: $b"

# revoke of an export nobody imported
run revoke --json --timeout 250 "$a"
expect_exit "revoke --json of an export nobody imported exits 0" 0
expect_json "revoke --json: id" .id "\"$a\""
expect_json "revoke --json: timeout_ms" .timeout_ms 250
expect_json "revoke --json: remaining" .remaining 0
expect_empty "revoke with no importer left notes nothing" err
run info "$a"
expect_exit "info of a revoked export nobody imported exits 1" 1
run revoke "$(wrong_key "$a")"
expect_exit "revoke with a wrong key exits 1" 1
run revoke "$unknown"
expect_exit "revoke of an unknown id exits 1" 1
expect_in "revoke of an unknown id says so" err "no such buffer: $unknown"

# importers that let go within the timeout, and two that do not
e=$(hyper-dmabuf share --to self data.raw)
hold holder2 "$e"
hold holder3 "$e"
run revoke "$(wrong_key "$e")"
expect_in "revoke with a wrong key says so" err "key does not match"
hyper-dmabuf revoke --timeout 20000 "$e" >revoke.out 2>revoke.err &
revoker=$!
let_go holder2
let_go holder3
wait "$revoker"
expect_eq "revoke whose importers let go exits 0" 0 $?
expect_eq "none is left" 1 "$(grep -c -x -E 'remaining: +0' revoke.out)"
expect_eq "it notes nothing" "" "$(cat revoke.err)"
wait_for "the export is gone" gone "$e"
f=$(hyper-dmabuf share --to self data.raw)
hold holder4 "$f"
hold holder5 "$f"
run revoke "$f"
expect_in "revoke names the importers left" err "2 importers did not let go within 0 ms"
let_go holder4
let_go holder5
wait

# peers: off Xen, the loopback is the one peer, and the shares above went
# through it as messages
run peers
expect_exit "peers exits 0" 0
expect_lines "peers: a header and the loopback" 2
expect_line "peers: the header" out "DOMAIN +TRANSPORT +STATE +SENT +RECEIVED +DROPPED"
expect_line "peers: the loopback is self, up, nothing dropped" out \
	"self +loopback +up +[1-9][0-9]* +[1-9][0-9]* +0"
expect_aligned "peers: the columns are aligned"
run peers --json
expect_json "peers --json: only the loopback, up" \
	'[.[] | [.domid, .transport, .state]]' '[[32752,"loopback","up"]]'
expect_json "peers --json: messages went through it, none dropped" \
	'.[0] | [.sent > 0, .received > 0, .dropped]' '[true,true,0]'

wait_for "every share is gone" sh -c '[ "$(hyper-dmabuf list --json | jq length)" = 0 ]'
expect_zero "counters back at zero"
expect_ok "rmmod" rmmod hyper_dmabuf
expect_ok "modprobe" modprobe hyper_dmabuf
lab_done
