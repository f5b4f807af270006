#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The CLI against the real module, with what it does not control: import
# --out never writes through a symbolic link, and a failure (a full disk, a
# revoke mid-copy) leaves an existing FILE as it was; a name is printed
# escaped; share reads no more than the module's largest buffer.
. /lab/guest/testlib.sh
. /lab/guest/clilib.sh

# expect_no_temp WHAT DIR: no temporary file of import is left in DIR
expect_no_temp() {
	expect_eq "$1" "" "$(ls -A "$2" | grep '^\.hyper-dmabuf')"
}

head -c 3000000 /dev/urandom >frame.raw
id=$(hyper-dmabuf share --to self frame.raw)
expect_eq "share prints an id" 0 $?

# a symbolic link at FILE: refused, and what it points to stays
echo precious >victim
ln -s "$PWD/victim" link
out=$(hyper-dmabuf import --out link "$id" 2>&1)
expect_eq "import --out onto a symbolic link fails" 1 $?
case $out in *"will not write link: it is a symbolic link"*) ok "it says why" ;;
*) not_ok "it says why: got '$out'" ;; esac
# (said in a word: a target overwritten would hold binary data)
expect_eq "the link's target is untouched" yes \
	"$([ "$(cat victim)" = precious ] && echo yes || echo no)"
expect_eq "the link stays a link" yes "$([ -L link ] && echo yes || echo no)"

# a dangling link: nothing is created where it points
ln -s "$PWD/nowhere" dangling
run import --out dangling "$id"
expect_exit "import --out onto a dangling link exits 1" 1
expect_eq "nothing is created through a dangling link" no \
	"$([ -e nowhere ] && echo yes || echo no)"

# a new file: mode 0666 less the umask; an existing one keeps its mode
mkdir dir
(umask 022 && hyper-dmabuf import --out dir/new "$id" >/dev/null)
expect_eq "import --out a new file" "$(md5sum <frame.raw | cut -d' ' -f1)" \
	"$(md5sum <dir/new | cut -d' ' -f1)"
expect_eq "the new file's mode is 0666 less the umask" 644 "$(stat -c %a dir/new)"
echo "old contents" >dir/old
chmod 600 dir/old
expect_ok "import --out over an existing file" hyper-dmabuf import --out dir/old "$id"
expect_eq "the replaced file keeps its mode" 600 "$(stat -c %a dir/old)"
expect_no_temp "no temporary file is left after a success" dir
run import --out nodir/file "$id"
expect_exit "import --out into a missing folder exits 1" 1
expect_in "it names the folder" err \
	"hyper-dmabuf: cannot create a temporary file in nodir: No such file or directory"

# devices are written in place, never replaced
expect_ok "import --out /dev/null" hyper-dmabuf import --out /dev/null "$id"
expect_eq "/dev/null stays a device" yes "$([ -c /dev/null ] && echo yes || echo no)"
run import --out /dev/full "$id"
expect_exit "import --out /dev/full exits 1" 1
expect_in "it says why" err "hyper-dmabuf: cannot write /dev/full: No space left on device"
expect_eq "/dev/full stays a device" yes "$([ -c /dev/full ] && echo yes || echo no)"

# a full disk mid-copy: the existing file stays whole, nothing is left
mkdir small
mount -t tmpfs -o size=1m tmpfs small
echo "old contents" >small/kept
out=$(hyper-dmabuf import --out small/kept "$id" 2>&1)
expect_eq "import --out onto a full disk fails" 1 $?
case $out in *"cannot write small/kept: No space left on device"*) ok "it says why" ;;
*) not_ok "it says why: got '$out'" ;; esac
expect_eq "the existing file is untouched" "old contents" "$(cat small/kept)"
expect_eq "only it is left" kept "$(ls -A small | tr '\n' ' ' | sed 's/ $//')"
umount small

# the copy succeeds over an existing file, replacing it whole
echo "old contents" >kept
expect_ok "import --out over an existing file" hyper-dmabuf import --out kept "$id"
expect_eq "the file now holds the data" "$(md5sum <frame.raw | cut -d' ' -f1)" \
	"$(md5sum <kept | cut -d' ' -f1)"

# a revoke mid-copy: the import writes into a fifo nobody reads, is
# revoked, then read on
mkfifo slow
hyper-dmabuf import --out slow "$id" >import.out 2>import.err &
pid=$!
exec 3<slow
# the copy has begun: the mapping is read
head -c 4096 <&3 >/dev/null
expect_ok "revoke mid-copy" hyper-dmabuf revoke "$id"
cat <&3 >/dev/null
exec 3<&-
wait $pid
expect_eq "the import revoked mid-copy fails" 1 $?
expect_eq "it says the buffer was revoked during the copy" \
	"hyper-dmabuf: cannot write slow: the buffer was revoked during the copy" \
	"$(cat import.err)"

# the same to standard output: the error, and nothing taken for the data
id=$(hyper-dmabuf share --to self frame.raw)
hyper-dmabuf import "$id" 2>import.err | {
	head -c 4096 >/dev/null
	hyper-dmabuf revoke "$id" >/dev/null 2>&1
	cat >/dev/null
}
expect_eq "import to stdout revoked mid-copy says so" \
	"hyper-dmabuf: cannot write standard output: the buffer was revoked during the copy" \
	"$(cat import.err)"
wait_for "the revoked export is gone" sh -c "! hyper-dmabuf info $id"

# names from another domain: ESC, a new line that would start a forged
# field, a tab, a backslash, DEL and a byte that is not UTF-8
hostile=$(printf 'a\033[2Jb\nid: 1\tc\\d\177e\377')
id=$(hyper-dmabuf share --to self --name "$hostile" frame.raw)
run import --out /dev/null "$id"
expect_exit "import of a hostile name exits 0" 0
expect_in "the name is printed escaped" out \
	'name:                a\x1b[2Jb\nid: 1\tc\\d\x7fe\xff'
expect_eq "no escape character reaches the terminal" 0 "$(grep -c "$(printf '\033')" "$CLI_OUT")"
expect_eq "the name forges no field" 1 "$(grep -c '^id:' "$CLI_OUT")"
expect_eq "the text output is printable ASCII" 0 \
	"$(LC_ALL=C grep -c "$(printf '[\001-\010\013-\037\177-\377]')" "$CLI_OUT")"
run import --out /dev/null --json "$id"
expect_exit "import --json of a hostile name exits 0" 0
expect_eq "the JSON is valid" yes "$(jq -e . <"$CLI_OUT" >/dev/null && echo yes || echo no)"
expect_eq "JSON keeps the name, the byte that is not UTF-8 replaced" \
	"$(printf 'a\033[2Jb\nid: 1\tc\\d\177e\357\277\275')" "$(jq -r .name <"$CLI_OUT")"
expect_lines "the JSON stays on one line" 1
expect_ok "unexport" hyper-dmabuf unexport "$id"

# a name in UTF-8 is kept in JSON, escaped byte by byte in text
id=$(hyper-dmabuf share --to self --name "$(printf 'caf\303\251')" frame.raw)
run import --out /dev/null --json "$id"
expect_json "a UTF-8 name is kept in JSON" .name "\"$(printf 'caf\303\251')\""
run import --out /dev/null "$id"
expect_in "a UTF-8 name is escaped in text" out 'name:                caf\xc3\xa9'
expect_ok "unexport" hyper-dmabuf unexport "$id"

# share --max-size: reads no more than it allows
exports() { hyper-dmabuf list --json | jq '[.[] | select(.role == "export")] | length'; }
head -c 20000 frame.raw >big
before=$(exports)
hyper-dmabuf share --to self --max-size 10000 - <big >"$CLI_OUT" 2>"$CLI_ERR"
status=$?
expect_exit "share of more than --max-size from stdin exits 1" 1
expect_in "it says the input is too large" err \
	"hyper-dmabuf: standard input holds more than 10000 bytes, the most --max-size allows"
expect_eq "nothing is exported" "$before" "$(exports)"
run share --to self --max-size 10000 big
expect_exit "share of more than --max-size from a file exits 1" 1
expect_in "it names the file" err \
	"hyper-dmabuf: big holds more than 10000 bytes, the most --max-size allows"
run share --to self --max-size 20000 big
expect_exit "share of exactly --max-size exits 0" 0
expect_ok "unexport" hyper-dmabuf unexport "$(cat "$CLI_OUT")"
run share --to self --max-size 1000000 /dev/zero
expect_exit "share of an endless input exits 1" 1
expect_in "it stops at the limit" err "hyper-dmabuf: /dev/zero holds more than 1000000 bytes"
for bad in 0 x -1; do
	run share --to self --max-size "$bad" big
	expect_exit "share --max-size '$bad' is a usage error" 2
done

# share stops reading at the module's largest buffer, as it says it is now
param=/sys/module/hyper_dmabuf/parameters/max_alloc_mb
was=$(cat $param)
echo 1 >$param
# a tool that read on would run out of memory here, not the VM
out=$( (ulimit -v 200000; timeout 30 hyper-dmabuf share --to self /dev/zero) 2>&1)
expect_eq "share of an endless input fails" 1 $?
case $out in *"/dev/zero holds more than 1048576 bytes"*) ok "it says the input is too large" ;;
*) not_ok "it says the input is too large: got '$out'" ;; esac
echo "$was" >$param

expect_zero "counters back at zero"
lab_done
