#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# link and unlink on the build host: usage errors; without xenstored (or
# built without libxenstore), a failure that says why; and the nodes, their
# permissions and the transactions, against fake-xenstore.so, a stand-in
# for libxenstore preloaded into the tool (see fake-xenstore.c). xenstored's
# side is tested in the lab (tests/scenarios/xen/link.sh).

tool=$top_builddir/tools/hyper-dmabuf
json_get=$PWD/json-get
fake=$PWD/.libs/fake-xenstore.so
unset FAKE_XENSTORE_DOMID FAKE_XENSTORE_CONFLICTS

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
failed=0

# never the build host's own xenstore, should it run one
XENSTORED_PATH=$tmp/no-xenstored
export XENSTORED_PATH

ok() { echo "ok - $1"; }
not_ok() {
	echo "not ok - $1"
	echo "  stdout: $(head -c 600 "$tmp/out")"
	echo "  stderr: $(cat "$tmp/err")"
	failed=1
}

# run ARGS...: run the tool, keep its stdout, stderr and exit status
run() {
	"$tool" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

expect_status() {
	if [ "$status" = "$2" ]; then ok "$1"; else not_ok "$1: exit $status, not $2"; fi
}

expect_in() {
	if grep -q -F -e "$3" "$tmp/$2"; then ok "$1"; else not_ok "$1: no '$3' on std$2"; fi
}

expect_empty() {
	if [ -s "$tmp/$2" ]; then not_ok "$1: std$2 is not empty"; else ok "$1"; fi
}

# expect_json NAME PATH VALUE: stdout is one JSON value; PATH in it is VALUE
expect_json() {
	got=$("$json_get" "$2" <"$tmp/out")
	if [ "$got" = "$3" ]; then ok "$1"; else not_ok "$1: $2 is '$got', not '$3'"; fi
}

# usage errors exit 2, before xenstore is looked for
run --help
expect_in "--help lists link" out "  link "
expect_in "--help lists unlink" out "  unlink "
for cmd in link unlink; do
	run $cmd --help
	expect_status "$cmd --help exits 0" 0
	expect_in "$cmd --help shows its usage" out \
		"Usage: hyper-dmabuf [OPTIONS] $cmd [OPTIONS] DOM_A DOM_B"
	run $cmd
	expect_status "$cmd without domains is a usage error" 2
	expect_in "$cmd names the missing DOM_A" err "hyper-dmabuf: $cmd: missing DOM_A"
	run $cmd 1
	expect_status "$cmd with one domain is a usage error" 2
	expect_in "$cmd names the missing DOM_B" err "hyper-dmabuf: $cmd: missing DOM_B"
	run $cmd 1 2 3
	expect_status "$cmd with three domains is a usage error" 2
	expect_in "$cmd names the extra argument" err "unexpected argument '3'"
	for bad in x -1 +1 01 0x10 self 32752 70000 ""; do
		run $cmd -- "$bad" 2
		expect_status "$cmd '$bad' 2 is a usage error" 2
		expect_in "$cmd '$bad' 2 is named" err \
			"bad domain '$bad' for DOM_A: a domain id from 0 to 32751"
		run $cmd -- 2 "$bad"
		expect_status "$cmd 2 '$bad' is a usage error" 2
		expect_in "$cmd 2 '$bad' is named" err "bad domain '$bad' for DOM_B"
	done
	for pair in "0 1" "1 0" "0 0"; do
		# shellcheck disable=SC2086 # the pair's words are meant to split
		run $cmd $pair
		expect_status "$cmd $pair is a usage error" 2
		expect_in "$cmd $pair: dom0 needs no link" err \
			"hyper-dmabuf: $cmd: dom0 shares with every domain without a link: name two domUs"
	done
	run $cmd 3 3
	expect_status "$cmd 3 3 is a usage error" 2
	expect_in "$cmd 3 3: a domain needs no link to itself" err \
		"a domain shares with itself without a link: name two domUs"
	expect_empty "a usage error of $cmd prints nothing" out
	run $cmd --frob 1 2
	expect_status "$cmd --frob is a usage error" 2
	expect_in "$cmd names the unknown option" err "hyper-dmabuf: $cmd: unknown option '--frob'"
done

# without xenstored, or without libxenstore: exit 1, saying why
for cmd in "link 1 2" "unlink 2 1" "link --json 1 2" "unlink 1 2 --json"; do
	# shellcheck disable=SC2086 # the command's words are meant to split
	run $cmd
	expect_status "$cmd without xenstore exits 1" 1
	if [ "$have_xenstore" = yes ]; then
		expect_in "$cmd says it cannot open xenstore, and where to run it" err \
			"hyper-dmabuf: cannot open xenstore: No such file or directory (run this in dom0, as root)"
	else
		expect_in "$cmd says it was built without libxenstore" err \
			"hyper-dmabuf: built without libxenstore"
	fi
	expect_empty "$cmd without xenstore prints nothing" out
done

if [ "$have_xenstore" != yes ]; then
	echo "# built without libxenstore: the fake xenstore is not tested"
	exit $failed
fi
if [ ! -f "$fake" ]; then
	echo "not ok - no $fake"
	exit 1
fi

# against the fake xenstore: dom0 and domains 1, 2 and 5, as libxl makes
# their homes (dom0's, readable by the domain; data, the domain's own)
FAKE_XENSTORE_DIR=$tmp/xs
export FAKE_XENSTORE_DIR
mkdir "$FAKE_XENSTORE_DIR" || exit 99
store=$FAKE_XENSTORE_DIR/store
log=$FAKE_XENSTORE_DIR/log
{
	echo "/local n0 "
	echo "/local/domain n0 "
	echo "/local/domain/0 n0 "
	for d in 1 2 5; do
		echo "/local/domain/$d n0,r$d "
		echo "/local/domain/$d/data n$d "
	done
} >"$store"

# xrun ARGS...: run, with the fake xenstore
xrun() {
	LD_PRELOAD=$fake "$tool" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# xwith VAR=VALUE ARGS...: xrun, with VAR set for this run only
xwith() {
	assignment=$1
	shift
	LD_PRELOAD=$fake env "$assignment" "$tool" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# expect_node NAME PATH PERMS VALUE: the store holds exactly this node
expect_node() {
	if grep -q -x -F -e "$2 $3 $4" "$store"; then ok "$1"
	else not_ok "$1: no node '$2 $3 $4' in: $(grep -F "$2" "$store")"; fi
}

expect_no_node() {
	if grep -q -e "^$2 " "$store"; then not_ok "$1: $2 is still there"
	else ok "$1"; fi
}

# expect_log NAME COUNT LINE: the log has COUNT lines LINE
expect_log() {
	got=$(grep -c -x -F -e "$3" "$log")
	if [ "$got" = "$2" ]; then ok "$1"; else not_ok "$1: $got lines '$3' in the log, not $2"; fi
}

c12=/local/domain/1/data/hyper_dmabuf/peer/2
e12=/local/domain/2/data/hyper_dmabuf/peer/1
c15=/local/domain/1/data/hyper_dmabuf/peer/5
e15=/local/domain/5/data/hyper_dmabuf/peer/1

: >"$log"
xrun link --json 2 1
expect_status "link 2 1 exits 0" 0
expect_json "link --json: linked" linked true
expect_json "link --json: a, the lower domain" a 1
expect_json "link --json: b" b 2
expect_json "link --json: the channel" channel "\"$c12\""
expect_empty "link says nothing on stderr" err
expect_node "the channel: empty, owned by 1, readable by 2 alone" "$c12" n1,r2 ""
# each module writes its own keys and reads the other's: lo is 1, the lower
for key in lo-ring-ref lo-gen lo-state event-channel; do
	expect_node "$key: 1's, readable by 2" "$c12/$key" n1,r2 ""
done
for key in hi-ring-ref hi-gen hi-state; do
	expect_node "$key: 2's, readable by 1" "$c12/$key" n2,r1 ""
done
if [ "$(grep -c -e "^$c12/" "$store")" = 7 ]; then ok "the channel holds these 7 keys"
else not_ok "the channel holds these 7 keys: $(grep -e "^$c12/" "$store")"; fi
if grep -e "^$c12" "$store" | grep -q -e ',b'; then
	not_ok "no domain may write the other's keys: $(grep -e "^$c12" "$store")"
else ok "no domain may write the other's keys"; fi
expect_node "the entry: the channel's path, owned by 2 alone" "$e12" n2 "$c12"
expect_node "the channel's parents are 1's" /local/domain/1/data/hyper_dmabuf/peer n1 ""
expect_node "the entry's parents are 2's" /local/domain/2/data/hyper_dmabuf n2 ""
expect_log "link: one transaction" 1 start
expect_log "link: committed" 1 commit
if [ "$(sed -n '1p;$p' "$log" | tr '\n' ' ')" = "open close " ]; then
	ok "link: xenstore opened and closed"
else
	not_ok "link: xenstore opened and closed: $(tr '\n' ' ' <"$log")"
fi
if awk '/^start$/ { t = 1 } /^(mkdir|write|perms) / && !t { bad = 1 }
	/^commit$/ { t = 0 } END { exit bad }' "$log"; then
	ok "link: every change in the transaction"
else
	not_ok "link: every change in the transaction: $(tr '\n' ' ' <"$log")"
fi

cp "$store" "$tmp/before"
: >"$log"
xrun link 1 2
expect_status "link 1 2 again exits 1" 1
expect_in "it says they are linked" err "hyper-dmabuf: domains 1 and 2 are already linked"
expect_empty "a failed link prints nothing" out
expect_log "a refused link is aborted" 1 abort
expect_log "a refused link commits nothing" 0 commit
if cmp -s "$store" "$tmp/before"; then ok "a refused link changes nothing"
else not_ok "a refused link changes nothing"; fi

for pair in "1 9" "9 1"; do
	# shellcheck disable=SC2086 # the pair's words are meant to split
	xrun link $pair
	expect_status "link $pair, no domain 9, exits 1" 1
	expect_in "link $pair names the missing domain" err "hyper-dmabuf: no domain 9"
done
if cmp -s "$store" "$tmp/before"; then ok "a link to no domain changes nothing"
else not_ok "a link to no domain changes nothing"; fi

# in a domU: xenstore lets it read its own home, not the list of domains
for cmd in "link 1 5" "unlink 1 2"; do
	# shellcheck disable=SC2086 # the command's words are meant to split
	xwith FAKE_XENSTORE_DOMID=1 $cmd
	expect_status "$cmd in a domU exits 1" 1
	expect_in "$cmd in a domU says it needs dom0" err \
		"hyper-dmabuf: xenstore denied access to /local/domain: linking domains needs dom0 (run this in dom0, as root)"
done
if cmp -s "$store" "$tmp/before"; then ok "a domU changes nothing"
else not_ok "a domU changes nothing"; fi

# xenstore changed meanwhile: the transaction is made again
: >"$log"
xwith FAKE_XENSTORE_CONFLICTS=2 link 5 1
expect_status "link made again after two conflicts exits 0" 0
expect_empty "link prints nothing in text" out
expect_empty "link after conflicts says nothing" err
expect_log "three transactions" 3 start
expect_log "two of them conflicted" 2 conflict
expect_log "the third committed" 1 commit
expect_node "linked after conflicts: the channel" "$c15" n1,r5 ""
expect_node "linked after conflicts: 1's key" "$c15/lo-state" n1,r5 ""
expect_node "linked after conflicts: 5's key" "$c15/hi-state" n5,r1 ""
expect_node "linked after conflicts: the entry" "$e15" n5 "$c15"

cp "$store" "$tmp/before"
xwith FAKE_XENSTORE_CONFLICTS=1000 unlink 1 5
expect_status "unlink that always conflicts exits 1" 1
expect_in "it says xenstore kept changing" err \
	"hyper-dmabuf: xenstore kept changing during 100 transactions: try again"
if cmp -s "$store" "$tmp/before"; then ok "an unlink never committed changes nothing"
else not_ok "an unlink never committed changes nothing"; fi

# unlink: the channel, with what the modules wrote in it, and the entry
sed -i -e "s|^$c12/lo-state n1,r2 \$|$c12/lo-state n1,r2 4|" \
	-e "s|^$c12/hi-state n2,r1 \$|$c12/hi-state n2,r1 4|" "$store"
: >"$log"
xrun unlink --json 2 1
expect_status "unlink 2 1 exits 0" 0
expect_json "unlink --json: unlinked" unlinked true
expect_json "unlink --json: a" a 1
expect_json "unlink --json: b" b 2
expect_json "unlink --json: the channel" channel "\"$c12\""
expect_no_node "the channel is gone" "$c12"
expect_no_node "what the modules wrote in it is gone" "$c12/lo-state"
expect_no_node "the entry is gone" "$e12"
expect_node "the other link stays" "$c15" n1,r5 ""
expect_log "unlink: one transaction" 1 start
expect_log "unlink: committed" 1 commit

xrun unlink 1 2
expect_status "unlink 1 2 again exits 1" 1
expect_in "it says they are not linked" err "hyper-dmabuf: domains 1 and 2 are not linked"
expect_empty "a failed unlink prints nothing" out

# a domain destroyed with its home: the half left in the other goes too
grep -v '^/local/domain/5[ /]' "$store" >"$tmp/store" && cp "$tmp/store" "$store"
xrun unlink 5 1
expect_status "unlink of a destroyed domain's link exits 0" 0
expect_no_node "the channel left in domain 1 is gone" "$c15"

# an entry left without its channel is made again
echo "$e12 n2 stale" >>"$store"
xrun link 1 2
expect_status "link over a stale entry exits 0" 0
expect_node "the stale entry now names the channel" "$e12" n2 "$c12"
expect_node "with the channel" "$c12" n1,r2 ""

exit $failed
