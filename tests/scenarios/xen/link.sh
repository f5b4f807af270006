#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hyper-dmabuf link and unlink in dom0, for domu1 and domu2: the xenstore
# nodes the two domUs meet at, with their permissions as xenstore-ls -p
# shows them (each key writable by the side that writes it alone, readable
# by the other, as the domUs find when they try), made in one command and
# removed in one; a second link and a second unlink refused; domains that
# do not exist; usage errors; a domU that may not link. Once linked, the
# two domUs connect and share both ways, a read-write export included;
# once unlinked, their channel goes.
. /lab/guest/testlib.sh

d1=$(lab-channel domid domu1)
d2=$(lab-channel domid domu2)
# the layout puts the channel in the lower domain's home
if [ "$d1" -lt "$d2" ]; then
	a=$d1 b=$d2 ua=domu1 ub=domu2
else
	a=$d2 b=$d1 ua=domu2 ub=domu1
fi
channel=/local/domain/$a/data/hyper_dmabuf/peer/$b
entry=/local/domain/$b/data/hyper_dmabuf/peer/$a
echo "# domu1 is $d1, domu2 is $d2: channel $channel, entry $entry"

# expect_fail WHAT STATUS TEXT CMD...: CMD exits STATUS and says TEXT
expect_fail() {
	local what=$1 want=$2 text=$3 out got
	shift 3
	out=$("$@" 2>&1)
	got=$?
	if [ "$got" = "$want" ] && printf '%s\n' "$out" | grep -q -F -e "$text"; then
		ok "$what"
	else
		not_ok "$what: '$*' exited $got, expected $want and '$text': $out"
	fi
}

# perms_of PATH: the permissions xenstore-ls -p prints for PATH, as
# "(n1,b2)"; its line in the listing of the parent starts with the name
perms_of() {
	xenstore-ls -p "${1%/*}" 2>/dev/null |
		sed -n "s/^${1##*/} = .*  \(([^()]*)\)\$/\1/p"
}

exists() { xenstore-exists "$1" 2>/dev/null; }

# expect_key_perms WHEN: each module's keys are its own, readable by the
# other: lo (a) writes lo-* and event-channel, hi (b) writes hi-*
expect_key_perms() {
	local key
	for key in lo-ring-ref lo-gen lo-state event-channel; do
		expect_eq "$1: $key is $a's, readable by $b" "(n$a,r$b)" \
			"$(perms_of "$channel/$key")"
	done
	for key in hi-ring-ref hi-gen hi-state; do
		expect_eq "$1: $key is $b's, readable by $a" "(n$b,r$a)" \
			"$(perms_of "$channel/$key")"
	done
}

# nothing left from before
hyper-dmabuf unlink "$d1" "$d2" >/dev/null 2>&1
expect_eq "no channel before the link" no "$(exists "$channel" && echo yes || echo no)"

# link, naming the higher domain first: the layout orders them
out=$(hyper-dmabuf link --json "$b" "$a")
expect_eq "link $b $a exits 0" 0 $?
expect_eq "link --json: linked" true "$(echo "$out" | jq -r .linked)"
expect_eq "link --json: a is the lower domain" "$a" "$(echo "$out" | jq -r .a)"
expect_eq "link --json: b" "$b" "$(echo "$out" | jq -r .b)"
expect_eq "link --json: the channel" "$channel" "$(echo "$out" | jq -r .channel)"
xenstore-ls -p "/local/domain/$a/data/hyper_dmabuf" | sed 's/^/# a: /'
xenstore-ls -p "/local/domain/$b/data/hyper_dmabuf" | sed 's/^/# b: /'
expect_eq "the channel exists" yes "$(exists "$channel" && echo yes || echo no)"
expect_eq "the channel is empty" "" "$(xenstore-read "$channel")"
expect_eq "the channel: owned by $a, readable by $b alone" "(n$a,r$b)" \
	"$(perms_of "$channel")"
expect_key_perms "linked"
expect_eq "the entry names the channel" "$channel" "$(xenstore-read "$entry")"
expect_eq "the entry: owned by $b, nobody else" "(n$b)" "$(perms_of "$entry")"

expect_fail "a second link fails" 1 "domains $a and $b are already linked" \
	hyper-dmabuf link "$d1" "$d2"
expect_eq "a second link leaves the channel" "(n$a,r$b)" "$(perms_of "$channel")"
expect_eq "a second link leaves the entry" "$channel" "$(xenstore-read "$entry")"

# linked, the domUs connect and share
peer_up() {
	[ "$(on "$1" hyper-dmabuf peers --json |
		jq -r ".[] | select(.domid == $2) | .state")" = up ]
}
wait_for "domu1 sees domu2 up" peer_up domu1 "$d2"
wait_for "domu2 sees domu1 up" peer_up domu2 "$d1"
expect_key_perms "connected"
# what each domU may do there itself: read the other's keys, not write them
expect_eq "$ub reads $a's state" 4 "$(on "$ub" xenstore read "$channel/lo-state")"
expect_eq "$ua reads $b's state" 4 "$(on "$ua" xenstore read "$channel/hi-state")"
# the value each key holds already, should the write be let through
expect_fail "$ub may not write $a's state" 1 "" \
	on "$ub" xenstore write "$channel/lo-state" 4
expect_fail "$ub may not write the event channel" 1 "" \
	on "$ub" xenstore write "$channel/event-channel" \
	"$(xenstore-read "$channel/event-channel")"
expect_fail "$ua may not write $b's state" 1 "" \
	on "$ua" xenstore write "$channel/hi-state" 4
expect_fail "$ub may not add keys to the channel" 1 "" \
	on "$ub" xenstore write "$channel/extra" x
expect_fail "$ub may not change the permissions of $a's keys" 1 "" \
	on "$ub" xenstore chmod "$channel/lo-state" "n$b"
expect_key_perms "after the domUs' attempts"
export_id "domu1 exports 1080p to domu2" \
	on domu1 hdmabuf-test-xen serve --to "$d2" --size 8294400 --seed 81 --persistent
expect_ok "domu1 -> domu2, 1080p: the importer's checks" \
	on domu2 hdmabuf-test-xen check "$id" --size 8294400 --seed 81
expect_ok "domu1 revokes it" on domu1 hyper-dmabuf revoke "$id"
on domu2 "hdmabuf-test-xen serve --to $d1 --size 65536 --seed 82 --rw --expect-seed 83 >/tmp/serve.out 2>&1 </dev/null &"
got_id() { on domu2 grep -q '^id ' /tmp/serve.out; }
wait_for "domu2 exports read-write to domu1" got_id
id=$(on domu2 cat /tmp/serve.out | sed -n 's/^id //p')
expect_ok "domu2 -> domu1, read-write: domu1 reads and writes" \
	on domu1 hdmabuf-test-xen check "$id" --size 65536 --seed 82 --write 83 --signal 1
served() { on domu2 "grep -q '^# .* passed' /tmp/serve.out"; }
wait_for "domu2's exporter is done" served
expect_eq "domu2 sees what domu1 wrote" "" "$(on domu2 grep '^not ok' /tmp/serve.out)"

# a domU may not link: xenstore denies it dom0's view
expect_fail "link in domu1 fails" 1 "linking domains needs dom0" \
	on domu1 hyper-dmabuf link "$d1" "$d2"
expect_fail "unlink in domu1 fails" 1 "linking domains needs dom0" \
	on domu1 hyper-dmabuf unlink "$d1" "$d2"
expect_eq "the link outlives the domU's attempts" "$channel" "$(xenstore-read "$entry")"

# unlink, in the other order, removes both, with what the modules wrote
out=$(hyper-dmabuf unlink --json "$a" "$b")
expect_eq "unlink $a $b exits 0" 0 $?
expect_eq "unlink --json: unlinked" true "$(echo "$out" | jq -r .unlinked)"
expect_eq "unlink --json: the channel" "$channel" "$(echo "$out" | jq -r .channel)"
expect_eq "the channel is gone" no "$(exists "$channel" && echo yes || echo no)"
expect_eq "the entry is gone" no "$(exists "$entry" && echo yes || echo no)"
peer_gone() {
	[ -z "$(on "$1" hyper-dmabuf peers --json |
		jq -r ".[] | select(.domid == $2) | .state")" ]
}
wait_for "unlinked, domu1's channel to domu2 goes" peer_gone domu1 "$d2"
wait_for "and domu2's to domu1" peer_gone domu2 "$d1"
expect_fail "a second unlink fails" 1 "domains $a and $b are not linked" \
	hyper-dmabuf unlink "$d2" "$d1"

# domains that do not exist, and pairs that need no link
expect_fail "link to no domain 999 fails" 1 "no domain 999" \
	hyper-dmabuf link "$d1" 999
expect_fail "link from no domain 999 fails" 1 "no domain 999" \
	hyper-dmabuf link 999 "$d2"
expect_eq "no channel to domain 999" no \
	"$(exists "/local/domain/$d1/data/hyper_dmabuf/peer/999" && echo yes || echo no)"
expect_fail "link 0 1 is a usage error" 2 "dom0 shares with every domain without a link" \
	hyper-dmabuf link 0 1
expect_fail "link $d1 0 is a usage error" 2 "dom0 shares with every domain without a link" \
	hyper-dmabuf link "$d1" 0
expect_fail "link 1 1 is a usage error" 2 "a domain shares with itself without a link" \
	hyper-dmabuf link 1 1
expect_fail "unlink $d1 $d1 is a usage error" 2 "a domain shares with itself without a link" \
	hyper-dmabuf unlink "$d1" "$d1"
expect_fail "link self is a usage error" 2 "bad domain 'self'" \
	hyper-dmabuf link self "$d1"

# linked and unlinked once more, in text: silent
expect_eq "link in text prints nothing" "" "$(hyper-dmabuf link "$d1" "$d2")"
expect_eq "the channel is back" "(n$a,r$b)" "$(perms_of "$channel")"
expect_eq "unlink in text prints nothing" "" "$(hyper-dmabuf unlink "$d1" "$d2")"
expect_eq "and gone again" no "$(exists "$channel" && echo yes || echo no)"
lab_done
