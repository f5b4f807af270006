#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# peers, and the peer events of watch, against fake-module.so, the
# stand-in for the module (see fake-module.c and test-cli-sharing.sh): the
# table, the JSON (read with json-get), a list longer than the library's
# first call holds, and a module too old for the command. The module's
# side is tested in the lab.

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

# post_event TYPE DOMID: queue the module's event record (struct
# hyper_dmabuf_event, 64 bytes, little-endian) of TYPE about DOMID (< 256),
# with no id, value or time
post_event() {
	# shellcheck disable=SC2059 # the format is the bytes, in octal escapes
	printf "\\$(printf %03o "$1")\\000\\000\\000\\$(printf %03o "$2")\\000\\000\\000" \
		>>"$FAKE_HDMABUF_DIR/events"
	head -c 56 /dev/zero >>"$FAKE_HDMABUF_DIR/events"
}

# peers: the loopback alone
run peers
expect_status "peers exits 0" 0
expect_lines "peers: a header and the loopback" 2
expect_line "peers: the header" out \
	"DOMAIN +TRANSPORT +STATE +SENT +RECEIVED +DROPPED"
expect_line "peers: the loopback is self, up" out \
	"self +loopback +up +0 +0 +0"
run peers --json
expect_status "peers --json exits 0" 0
expect_json "peers --json: one peer" "#" 1
expect_json "peers --json: self is 32752" 0.domid 32752
expect_json "peers --json: its transport" 0.transport '"loopback"'
expect_json "peers --json: its state" 0.state '"up"'

# dom0 up, domain 3 connecting, and the loopback's counts
FAKE_HDMABUF_PEERS=0:12:30:2,3:connecting,self:7:7:1
export FAKE_HDMABUF_PEERS
run peers
expect_status "peers with Xen peers exits 0" 0
expect_lines "peers: a header and three rows" 4
expect_line "peers: the loopback first, with its counts" out \
	"self +loopback +up +7 +7 +1"
expect_line "peers: dom0, up, sent, received, dropped" out \
	"0 +xen +up +12 +30 +2"
expect_line "peers: domain 3, connecting" out \
	"3 +xen +connecting +0 +0 +0"
if [ "$(sed -n 2p "$tmp/out" | cut -d' ' -f1)" = self ]; then
	ok "peers: in the module's order"
else
	not_ok "peers: in the module's order"
fi
if grep -q ' $' "$tmp/out"; then not_ok "peers: no spaces at the ends of lines"
else ok "peers: no spaces at the ends of lines"; fi
# each column starts where its header does
aligned=$(awk 'NR == 1 { for (i = 1; i <= NF; i++) col[i] = index($0, $i); next }
	{ pos = 1; for (i = 1; i <= NF; i++) { at = index(substr($0, pos), $i) + pos - 1
		if (at != col[i]) bad = 1; pos = at + length($i) } }
	END { print bad ? "no" : "yes" }' "$tmp/out")
if [ "$aligned" = yes ]; then ok "peers: the columns are aligned"
else not_ok "peers: the columns are aligned"; fi

run peers --json
expect_status "peers --json with Xen peers exits 0" 0
expect_json "peers --json: three peers" "#" 3
expect_json "peers --json: dom0's domid" 1.domid 0
expect_json "peers --json: dom0's transport" 1.transport '"xen"'
expect_json "peers --json: dom0's state" 1.state '"up"'
expect_json "peers --json: sent" 1.sent 12
expect_json "peers --json: received" 1.received 30
expect_json "peers --json: dropped" 1.dropped 2
expect_json "peers --json: domain 3" 2.domid 3
expect_json "peers --json: connecting" 2.state '"connecting"'
expect_json "peers --json: the loopback's sent" 0.sent 7
expect_json "peers --json: the loopback's dropped" 0.dropped 1

# more peers than the library's first call has room for: asked again
many=$(seq -s, 1 40)
with FAKE_HDMABUF_PEERS="$many" peers
expect_status "peers with 41 peers exits 0" 0
expect_lines "peers: all 41, and the header" 42
expect_line "peers: the last of them" out "40 +xen +up +0 +0 +0"
with FAKE_HDMABUF_PEERS="$many" peers --json
expect_json "peers --json: all 41" "#" 41

# a module of uAPI version 2 does not know PEERS
with FAKE_HDMABUF_API=2 peers
expect_status "peers with a module of API 2 exits 1" 1
expect_in "peers says the module is too old, and its version" err \
	"hyper-dmabuf: the module is too old for this command (API 2; it needs API 3)"
expect_empty "peers with an old module prints nothing" out
with FAKE_HDMABUF_API=2 peers --json
expect_status "peers --json with a module of API 2 exits 1" 1
expect_empty "peers --json with an old module prints nothing" out
with FAKE_HDMABUF_API=3 peers
expect_status "peers with a module of API 3 exits 0" 0

# watch: peers that come and go concern no export
rm -f "$FAKE_HDMABUF_DIR/events"
post_event 8 3
post_event 9 3
post_event 8 0
run watch --json --count 3
expect_status "watch --json of peer events exits 0" 0
expect_event "a peer comes up" 1 type '"peer-up"'
expect_event "which peer" 1 peer 3
expect_event "a peer event names no id" 1 id null
expect_event "a peer event's value is 0" 1 value 0
expect_event "a peer goes down" 2 type '"peer-down"'
expect_event "the peer that went" 2 peer 3
expect_event "dom0 comes up" 3 peer 0
post_event 8 5
post_event 9 5
run watch --count 2
expect_status "watch of peer events exits 0" 0
expect_line "watch: a peer up in text" out "peer-up peer=5"
expect_line "watch: a peer down in text" out "peer-down peer=5"

exit $failed
