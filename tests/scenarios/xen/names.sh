#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# One name per domain: wherever the module reports a domain as a peer (LIST,
# QUERY, PEERS and every kind of event, through the library and the CLI),
# the domain itself is SELF (32752), never its own number, and every other
# domain is its number. Across dom0 and domu1: a Xen export each way,
# imported and held by the other side, signalled and revoked; a loopback
# export in each, imported and held there, signalled and revoked; domu2's
# module reloaded for PEER_DOWN and PEER_UP.
. /lab/guest/testlib.sh

SELF=32752
d1=$(lab-channel domid domu1) || not_ok "domu1's domain id: $d1"
d2=$(lab-channel domid domu2) || not_ok "domu2's domain id: $d2"
head -c 1048576 /dev/urandom >/tmp/names.raw
on domu1 "head -c 1048576 /dev/urandom >/tmp/names.raw"

# ON DOMAIN CMD: CMD here (dom0) or in a domU
ON() {
	if [ "$1" = dom0 ]; then
		shift
		sh -c "$*"
	else
		on "$@"
	fi
}

# opened DOMAIN PIDFILE: the process whose pid PIDFILE holds has the
# device open
opened() {
	ON "$1" "ls -l /proc/\$(cat $2)/fd | grep -q hyper_dmabuf"
}

# watch_start DOMAIN: a watch in DOMAIN, each event flushed as it comes,
# until watch_stop DOMAIN KINDS: once every one of KINDS came
watch_start() {
	ON "$1" "hyper-dmabuf watch --json >/tmp/names.ev 2>&1 </dev/null &
		echo \$! >/tmp/names.watch"
	wait_for "$1: the watch opened the device" opened "$1" /tmp/names.watch
}

# hold DOMAIN ID NAME: an importer of ID in DOMAIN that keeps it until
# let_go DOMAIN NAME
hold() {
	ON "$1" "rm -f /tmp/$3.fifo; mkfifo /tmp/$3.fifo
		(hyper-dmabuf import $2 </dev/null 2>/dev/null |
			(read -r _ </tmp/$3.fifo)) >/dev/null 2>&1 &"
}

let_go() { ON "$1" "echo go >/tmp/$2.fifo"; }

importers() { hyper-dmabuf info --json "$1" | jq -r .importers; }
importers_on() { ON "$1" "hyper-dmabuf info --json $2" | jq -r .importers; }
has_importers() { [ "$(importers_on "$1" "$2")" = "$3" ]; }

# list_peers DOMAIN ID: "role:peer" of each LIST entry of ID in DOMAIN;
# info_peer DOMAIN ID: the peer QUERY reports for ID there
list_peers() {
	ON "$1" "hyper-dmabuf list --json" |
		jq -r --arg id "$2" '[.[] | select(.id == $id) | "\(.role):\(.peer)"] | sort | join(" ")'
}
info_peer() { ON "$1" "hyper-dmabuf info --json $2" | jq -r .peer; }

watch_start dom0
watch_start domu1

# the shares: a Xen export each way, a loopback export in each
x=$(hyper-dmabuf share --to "$d1" /tmp/names.raw)
expect_eq "dom0 shares with domu1" 0 $?
l0=$(hyper-dmabuf share --to self /tmp/names.raw)
expect_eq "dom0 shares with itself" 0 $?
expect_ok "dom0 imports its own share" hyper-dmabuf import --out /dev/null "$l0"
hold dom0 "$l0" l0
wait_for "dom0 holds its own share" has_importers dom0 "$l0" 1
y=$(on domu1 hyper-dmabuf share --to 0 /tmp/names.raw)
expect_eq "domu1 shares with dom0" 0 $?
l1=$(on domu1 hyper-dmabuf share --to self /tmp/names.raw)
expect_eq "domu1 shares with itself" 0 $?
expect_ok "domu1 imports its own share" on domu1 hyper-dmabuf import --out /dev/null "$l1"
hold domu1 "$l1" l1
wait_for "domu1 holds its own share" has_importers domu1 "$l1" 1
hold domu1 "$x" x
wait_for "domu1 holds dom0's share" has_importers dom0 "$x" 1
hold dom0 "$y" y
wait_for "dom0 holds domu1's share" has_importers domu1 "$y" 1

# LIST and QUERY
expect_eq "dom0 list: its export to domu1, peer domu1" "export:$d1" "$(list_peers dom0 "$x")"
expect_eq "dom0 list: its loopback export and its import, SELF" \
	"export:$SELF import:$SELF" "$(list_peers dom0 "$l0")"
expect_eq "dom0 list: its import of domu1's share, peer domu1" "import:$d1" "$(list_peers dom0 "$y")"
expect_eq "domu1 list: its export to dom0, peer 0" "export:0" "$(list_peers domu1 "$y")"
expect_eq "domu1 list: its loopback export and its import, SELF" \
	"export:$SELF import:$SELF" "$(list_peers domu1 "$l1")"
expect_eq "domu1 list: its import of dom0's share, peer 0" "import:0" "$(list_peers domu1 "$x")"
expect_eq "dom0 info: the export to domu1" "$d1" "$(info_peer dom0 "$x")"
expect_eq "dom0 info: the loopback export" "$SELF" "$(info_peer dom0 "$l0")"
expect_eq "dom0 info: the import from domu1" "$d1" "$(info_peer dom0 "$y")"
expect_eq "domu1 info: the export to dom0" 0 "$(info_peer domu1 "$y")"
expect_eq "domu1 info: the loopback export" "$SELF" "$(info_peer domu1 "$l1")"
expect_eq "domu1 info: the import from dom0" 0 "$(info_peer domu1 "$x")"

# PEERS
peers_of() {
	ON "$1" "hyper-dmabuf peers --json" |
		jq -r '[.[] | "\(.domid):\(.transport)"] | sort | join(" ")'
}
expect_eq "dom0 peers: SELF on the loopback, the domUs on Xen" \
	"$(printf '%s\n' "$SELF:loopback" "$d1:xen" "$d2:xen" | sort | tr '\n' ' ' | sed 's/ $//')" \
	"$(peers_of dom0)"
expect_eq "domu1 peers: SELF on the loopback, dom0 on Xen" \
	"$(printf '%s\n' "$SELF:loopback" "0:xen" | sort | tr '\n' ' ' | sed 's/ $//')" \
	"$(peers_of domu1)"

# user space may name this domain by its number or SELF: one name comes back
z=$(hyper-dmabuf share --to 0 /tmp/names.raw)
expect_eq "dom0 shares with domain 0, itself" 0 $?
expect_eq "dom0 list: a share to its own number is to SELF" "export:$SELF" "$(list_peers dom0 "$z")"
expect_ok "dom0 unexports it" hyper-dmabuf unexport "$z"
y_self=$SELF:${y#*:}
expect_eq "domu1 info: its export by SELF, answered by number" "$y" \
	"$(on domu1 hyper-dmabuf info --json "$y_self" | jq -r .id)"

# signals, revokes, unexports
expect_ok "dom0 signals its export to domu1" hyper-dmabuf signal "$x" 1
expect_ok "dom0 signals its loopback export" hyper-dmabuf signal "$l0" 1
expect_ok "domu1 signals its export to dom0, by SELF" on domu1 hyper-dmabuf signal "$y_self" 1
expect_ok "domu1 signals its loopback export" on domu1 hyper-dmabuf signal "$l1" 1
expect_ok "dom0 revokes its export, domu1 holding it" hyper-dmabuf revoke "$x"
expect_ok "domu1 revokes its export, dom0 holding it" on domu1 hyper-dmabuf revoke "$y"
expect_ok "dom0 revokes its loopback export, held" hyper-dmabuf revoke "$l0"
expect_ok "domu1 revokes its loopback export, held" on domu1 hyper-dmabuf revoke "$l1"
let_go domu1 x
let_go domu1 l1
let_go dom0 y
let_go dom0 l0

# domu2's module reloaded: its channel to dom0 goes down and comes up
channel_up() { grep -q "^$1 up " $HD_DEBUGFS/xen_peers; }
expect_ok "domu2 reloads the module" on domu2 "rmmod hyper_dmabuf && modprobe hyper_dmabuf"
wait_for -t 60 "dom0's channel to domu2 is up again" channel_up "$d2"

has_kinds() {
	local dom=$1 kind
	shift
	for kind in "$@"; do
		ON "$dom" "grep -q '\"type\":\"$kind\"' /tmp/names.ev" || return 1
	done
}
watch_stop() {
	wait_for -t 60 "$1: every kind of event came" has_kinds "$@"
	ON "$1" 'kill $(cat /tmp/names.watch)'
}

# every event's peer: by the id it names, or domu2 for PEER_UP/DOWN
# events DOMAIN MAP: "type:peer:expected" for each event; MAP is a jq
# object from id to the peer expected
events() {
	ON "$1" "cat /tmp/names.ev" | jq -r --argjson want "$2" --arg d2 "$d2" '
		"\(.type):\(.peer):\(if .id then ($want[.id] // "an id of no share here")
			elif (.type | startswith("peer-")) then ($d2 | tonumber)
			else "no id" end)"'
}
check_events() {
	local dom=$1 map=$2 kinds=$3 ev bad kind
	watch_stop "$dom" $kinds
	ev=$(events "$dom" "$map")
	bad=$(echo "$ev" | awk -F: '$2 != $3')
	expect_eq "$dom: $(echo "$ev" | grep -c .) events, each names the expected peer" "" "$bad"
	for kind in $kinds; do
		echo "$ev" | grep -q "^$kind:" && ok "$dom: $kind seen" ||
			not_ok "$dom: no $kind among: $(echo "$ev" | cut -d: -f1 | sort -u | tr '\n' ' ')"
	done
}
check_events dom0 "{\"$x\": $d1, \"$y\": $d1, \"$l0\": $SELF, \"$z\": $SELF}" \
	"offered imported released signalled unexported revoked peer-down peer-up"
check_events domu1 "{\"$x\": 0, \"$y\": 0, \"$l1\": $SELF}" \
	"offered imported released signalled unexported revoked"

expect_zero "dom0: counters back at zero"
expect_zero "domu1: counters back at zero" domu1
lab_done
