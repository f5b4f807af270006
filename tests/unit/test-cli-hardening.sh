#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What the tool does with what it does not control, against fake-module.so
# (see test-cli-sharing.sh): import --out never writes through a symbolic
# link and never leaves FILE changed, half written or removed when the
# import fails (a revoke mid-copy included); names from another domain are
# printed escaped in text and as valid UTF-8 in JSON; share reads at most
# --max-size bytes.

. "$top_srcdir/tests/unit/fake-cli-lib.sh"

expect_in() {
	if grep -q -F -e "$3" "$tmp/$2"; then ok "$1"; else not_ok "$1: no '$3' on std$2"; fi
}

expect_json() {
	got=$("$json_get" "$2" <"$tmp/out")
	if [ "$got" = "$3" ]; then ok "$1"; else not_ok "$1: $2 is '$got', not '$3'"; fi
}

# expect_file NAME FILE TEXT: FILE is a regular file holding TEXT
expect_file() {
	if [ -f "$2" ] && [ ! -L "$2" ] && [ "$(cat "$2")" = "$3" ]; then ok "$1"
	else not_ok "$1: $2 is $(ls -l "$2" 2>&1), holding '$(cat "$2" 2>&1)'"; fi
}

# expect_no_temp NAME DIR: no temporary file of import is left in DIR
expect_no_temp() {
	left=$(ls -A "$2" | grep '^\.hyper-dmabuf')
	if [ -z "$left" ]; then ok "$1"; else not_ok "$1: $left left in $2"; fi
}

exports() { ls "$FAKE_HDMABUF_DIR" | grep -c '^export-'; }

awk 'BEGIN { for (i = 0; i < 700; i++) printf "line %d of the data\n", i }' \
	>"$tmp/data"
id=$(quietly share --to self "$tmp/data") || { echo "not ok - share"; exit 1; }

# --- import --out -------------------------------------------------------

mkdir "$tmp/dir"
umask 022

run import --out "$tmp/dir/new" "$id"
expect_status "import --out a new file exits 0" 0
if cmp -s "$tmp/data" "$tmp/dir/new"; then ok "the new file holds the data"
else not_ok "the new file holds the data"; fi
case $(stat -c %a "$tmp/dir/new") in
644) ok "the new file's mode is 0666 less the umask" ;;
*) not_ok "the new file's mode is 0666 less the umask: $(stat -c %a "$tmp/dir/new")" ;;
esac
expect_no_temp "no temporary file is left after a success" "$tmp/dir"

# an existing file is replaced whole, and keeps its permissions
printf 'old contents' >"$tmp/dir/old"
chmod 600 "$tmp/dir/old"
run import --out "$tmp/dir/old" "$id"
expect_status "import --out over an existing file exits 0" 0
if cmp -s "$tmp/data" "$tmp/dir/old"; then ok "the existing file now holds the data"
else not_ok "the existing file now holds the data"; fi
case $(stat -c %a "$tmp/dir/old") in
600) ok "the replaced file keeps its mode" ;;
*) not_ok "the replaced file keeps its mode: $(stat -c %a "$tmp/dir/old")" ;;
esac

# a symbolic link at FILE is not followed: what it points to stays as it was
printf 'precious' >"$tmp/victim"
ln -s "$tmp/victim" "$tmp/dir/link"
run import --out "$tmp/dir/link" "$id"
expect_status "import --out onto a symbolic link exits 1" 1
expect_in "it says it does not follow the link" err \
	"hyper-dmabuf: will not write $tmp/dir/link: it is a symbolic link"
expect_file "the link's target is untouched" "$tmp/victim" precious
if [ -L "$tmp/dir/link" ]; then ok "the link itself stays"
else not_ok "the link itself stays"; fi
expect_no_temp "no temporary file is left after a refusal" "$tmp/dir"
# a dangling link: nothing is created where it points
rm -f "$tmp/victim"
run import --out "$tmp/dir/link" "$id"
expect_status "import --out onto a dangling link exits 1" 1
if [ -e "$tmp/victim" ]; then not_ok "nothing is created through a dangling link"
else ok "nothing is created through a dangling link"; fi

# a revoke mid-copy: the mapping faults after the first page
printf 'old contents' >"$tmp/dir/kept"
with FAKE_HDMABUF_REVOKE_AT_READ=1 import --out "$tmp/dir/kept" "$id"
expect_status "import --out revoked mid-copy exits 1" 1
expect_in "it says the buffer was revoked during the copy" err \
	"hyper-dmabuf: cannot write $tmp/dir/kept: the buffer was revoked during the copy"
expect_file "the existing file is untouched" "$tmp/dir/kept" "old contents"
expect_no_temp "the temporary file is removed after a failure" "$tmp/dir"
rm -f "$FAKE_HDMABUF_DIR/sync.log"
id=$(quietly share --to self "$tmp/data") || { echo "not ok - share"; exit 1; }

# the same to standard output: the error, and nothing taken for the data
LD_PRELOAD=$fake FAKE_HDMABUF_REVOKE_AT_READ=1 "$tool" --device "$dev" \
	import "$id" >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status "import to stdout revoked mid-copy exits 1" 1
expect_in "it says so too" err \
	"hyper-dmabuf: cannot write standard output: the buffer was revoked during the copy"
rm -f "$FAKE_HDMABUF_DIR/sync.log"
id=$(quietly share --to self "$tmp/data") || { echo "not ok - share"; exit 1; }

# a file that cannot be made there: FILE's folder is named
run import --out "$tmp/nodir/file" "$id"
expect_status "import --out into a missing folder exits 1" 1
expect_in "it names the folder" err \
	"hyper-dmabuf: cannot create a temporary file in $tmp/nodir: No such file or directory"

# devices are written in place, never replaced
run import --out /dev/null "$id"
expect_status "import --out /dev/null exits 0" 0
if [ -c /dev/null ]; then ok "/dev/null stays a device"; else not_ok "/dev/null stays a device"; fi
if [ -w /dev/full ]; then
	run import --out /dev/full "$id"
	expect_status "import --out /dev/full exits 1" 1
	expect_in "it says why" err "hyper-dmabuf: cannot write /dev/full: No space left on device"
	if [ -c /dev/full ]; then ok "/dev/full stays a device"; else not_ok "/dev/full stays a device"; fi
fi
rm -f "$FAKE_HDMABUF_DIR/sync.log"

# --- names from another domain ------------------------------------------

# ESC, a new line that would start a forged field, a tab, a backslash, DEL
# and a byte that is not UTF-8
hostile=$(printf 'a\033[2Jb\nid: 1\tc\\d\177e\377')
id=$(quietly share --to self --name "$hostile" "$tmp/data") ||
	{ echo "not ok - share --name"; exit 1; }
run import --out "$tmp/dir/named" "$id"
expect_status "import of a hostile name exits 0" 0
expect_in "the name is printed escaped" out \
	'name:                a\x1b[2Jb\nid: 1\tc\\d\x7fe\xff'
if grep -q "$(printf '\033')" "$tmp/out"; then not_ok "no escape character reaches the terminal"
else ok "no escape character reaches the terminal"; fi
if [ "$(grep -c '^id:' "$tmp/out")" = 1 ]; then ok "the name forges no field"
else not_ok "the name forges no field"; fi
if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177-\377]')" "$tmp/out"; then
	not_ok "the text output is printable ASCII"
else ok "the text output is printable ASCII"; fi

run import --json "$id"
expect_status "import --json of a hostile name exits 0" 0
if iconv -f UTF-8 -t UTF-8 "$tmp/out" >/dev/null 2>&1; then ok "the JSON is valid UTF-8"
else not_ok "the JSON is valid UTF-8"; fi
expect_json "JSON escapes the name, the byte that is not UTF-8 replaced" name \
	"\"a\\u001b[2Jb\\nid: 1\\tc\\\\d$(printf '\177')e$(printf '\357\277\275')\""
if [ "$(wc -l <"$tmp/out")" = 1 ]; then ok "the JSON stays on one line"
else not_ok "the JSON stays on one line"; fi

# a name in UTF-8 is kept in JSON, escaped byte by byte in text
id=$(quietly share --to self --name "$(printf 'caf\303\251')" "$tmp/data")
run import --json "$id"
expect_json "a UTF-8 name is kept in JSON" name "\"$(printf 'caf\303\251')\""
run import --out "$tmp/dir/named" "$id"
expect_in "a UTF-8 name is escaped in text" out 'name:                caf\xc3\xa9'
rm -f "$FAKE_HDMABUF_DIR/sync.log"

# --- share --max-size ---------------------------------------------------

head -c 20000 "$tmp/data" >"$tmp/big"
before=$(exports)
LD_PRELOAD=$fake "$tool" --device "$dev" share --to self --max-size 10000 - \
	<"$tmp/big" >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status "share of more than --max-size from stdin exits 1" 1
expect_in "it says the input is too large" err \
	"hyper-dmabuf: standard input holds more than 10000 bytes, the most --max-size allows"
if [ "$(exports)" = "$before" ]; then ok "nothing is exported"
else not_ok "nothing is exported"; fi
run share --to self --max-size 10000 "$tmp/big"
expect_status "share of more than --max-size from a file exits 1" 1
expect_in "it names the file" err \
	"hyper-dmabuf: $tmp/big holds more than 10000 bytes, the most --max-size allows"
run share --to self --max-size 20000 "$tmp/big"
expect_status "share of exactly --max-size exits 0" 0
# an endless input ends at the limit
LD_PRELOAD=$fake timeout 20 "$tool" --device "$dev" share --to self \
	--max-size 1000000 /dev/zero >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status "share of an endless input exits 1" 1
expect_in "it says the input is too large" err \
	"hyper-dmabuf: /dev/zero holds more than 1000000 bytes"
for bad in 0 x -1; do
	run share --to self --max-size "$bad" "$tmp/big"
	expect_status "share --max-size '$bad' is a usage error" 2
done

exit $failed
