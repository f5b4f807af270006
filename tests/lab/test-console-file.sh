#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The console's file verb without a boot: lab_send_file of the guests'
# lib.sh writes its lines to a file, and boot_line of the host's boot.sh
# reads them back, as it reads the serial console.
set -u

src=${top_srcdir:-../..}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
failed=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; failed=1; }

# the guest's function, run by a POSIX shell as in the guest
sed -n '/^lab_send_file() {$/,/^}$/p' "$src/tests/lab/guest/lib.sh" >"$tmp/send.sh"
grep -q '^}$' "$tmp/send.sh" || { echo "no lab_send_file in lib.sh"; exit 99; }
guest_sh="sh"
command -v busybox >/dev/null && guest_sh="busybox sh"
# send NAME FILE: the console lines of one transfer, into $tmp/console
send() {
	: >"$tmp/console"
	LAB_CONSOLE=$tmp/console $guest_sh -c '. "$1"; lab_send_file "$2" "$3"' \
		sh "$tmp/send.sh" "$1" "$2"
}

# the host's side, as lab_boot sets it up
. "$src/tests/lab/host/common.sh"
. "$src/tests/lab/host/boot.sh"
LAB_LANE=test LAB_SHOW_OUTPUT=0
LAB_RUN=$tmp/run
BOOT_FILES_DAMAGED=
mkdir -p "$LAB_RUN/out" "$LAB_RUN/files/.partial"
files=$LAB_RUN/files
# feed FILE: every line to boot_line, its messages in $tmp/said
feed() {
	local line
	while IFS= read -r line; do
		boot_line "$line"
	done <"$1" >>"$tmp/said" 2>&1
}

head -c 12000 /dev/urandom >"$tmp/blob"
# compressible, as a frame is
yes "a line of a picture" | head -c 200000 >"$tmp/text"

send blob.bin "$tmp/blob"
[ "$(grep -c '^@@LAB:file:blob.bin:' "$tmp/console")" -gt 100 ] &&
	ok "a file goes as many lines" || not_ok "a file goes as many lines"
grep -qx '@@LAB:file-end:blob.bin:gzip:[0-9a-f]\{32\}' "$tmp/console" &&
	ok "the end line names gzip and the md5sum" ||
	not_ok "the end line: $(tail -n 1 "$tmp/console")"
awk -F: '/^@@LAB:file:/ && length($4) > 76 { bad = 1 } END { exit bad }' \
	"$tmp/console" && ok "chunks of at most 76 characters" ||
	not_ok "chunks of at most 76 characters"
feed "$tmp/console"
cmp -s "$tmp/blob" "$files/blob.bin" && ok "a binary file arrives whole" ||
	not_ok "a binary file arrives whole"
[ -z "$(ls -A "$files/.partial")" ] && ok "nothing left in .partial" ||
	not_ok "left in .partial: $(ls -A "$files/.partial")"

send frame.raw "$tmp/text"
[ "$(grep -c '^@@LAB:file:' "$tmp/console")" -lt 20 ] &&
	ok "compressible data goes gzip-compressed" ||
	not_ok "compressible data goes gzip-compressed"
# the scenario's own output between the lines changes nothing
sed '3a @@LAB:out:demo.sh:hello' "$tmp/console" >"$tmp/mixed"
feed "$tmp/mixed"
cmp -s "$tmp/text" "$files/frame.raw" && ok "a frame arrives whole" ||
	not_ok "a frame arrives whole"
grep -qx hello "$LAB_RUN/out/demo.sh.log" && ok "output lines still go to out/" ||
	not_ok "output lines still go to out/"

# the same name again replaces the file
head -c 1000 /dev/urandom >"$tmp/second"
send frame.raw "$tmp/second"
feed "$tmp/console"
cmp -s "$tmp/second" "$files/frame.raw" && ok "a second transfer replaces the file" ||
	not_ok "a second transfer replaces the file"

: >"$tmp/empty"
send empty "$tmp/empty"
feed "$tmp/console"
[ -f "$files/empty" ] && [ ! -s "$files/empty" ] && ok "an empty file" ||
	not_ok "an empty file"

# sent without gzip
{
	base64 -w 76 "$tmp/blob" | sed 's/^/@@LAB:file:plain.bin:/'
	echo "@@LAB:file-end:plain.bin:plain:$(md5sum <"$tmp/blob" | cut -d' ' -f1)"
} >"$tmp/plain"
feed "$tmp/plain"
cmp -s "$tmp/blob" "$files/plain.bin" && ok "a file sent plain" ||
	not_ok "a file sent plain"

# damage on the way: a line mixed with other output, a line lost, a wrong sum
send broken.bin "$tmp/blob"
sed '5s/\(@@LAB:file:broken.bin:.\{10\}\)/\1 [ 12.3] printk/' "$tmp/console" >"$tmp/bad"
: >"$tmp/said"
feed "$tmp/bad"
[ ! -e "$files/broken.bin" ] && grep -q 'broken.bin came damaged' "$tmp/said" &&
	[ -f "$files/.partial/broken.bin.damaged" ] &&
	ok "a mixed line: no file, a warning, the lines kept" ||
	not_ok "a mixed line: $(cat "$tmp/said")"
sed '7d' "$tmp/console" >"$tmp/bad"
: >"$tmp/said"
feed "$tmp/bad"
[ ! -e "$files/broken.bin" ] && grep -q 'damaged' "$tmp/said" &&
	ok "a lost line: no file, a warning" || not_ok "a lost line: $(cat "$tmp/said")"
sed 's/^\(@@LAB:file-end:.*:\)[0-9a-f]*$/\100000000000000000000000000000000/' \
	"$tmp/console" >"$tmp/bad"
: >"$tmp/said"
feed "$tmp/bad"
[ ! -e "$files/broken.bin" ] && grep -q "md5sum is not the guest's" "$tmp/said" &&
	ok "a wrong md5sum: no file" || not_ok "a wrong md5sum: $(cat "$tmp/said")"
# a good transfer after a broken one of the same name
feed "$tmp/console"
cmp -s "$tmp/blob" "$files/broken.bin" && ok "the name works again after damage" ||
	not_ok "the name works again after damage"
sed 's/:gzip:/:zstd:/' "$tmp/console" >"$tmp/bad"
: >"$tmp/said"
feed "$tmp/bad"
[ ! -e "$files/broken.bin" ] && grep -q "unknown encoding 'zstd'" "$tmp/said" &&
	ok "an unknown encoding" || not_ok "an unknown encoding: $(cat "$tmp/said")"

# names that are not plain file names write nowhere
mkdir -p "$tmp/run/files/sub"
: >"$tmp/said"
for name in ../evil .hidden sub/evil '' "$(printf 'a%.0s' $(seq 65))" 'a b' '*'; do
	printf '@@LAB:file:%s:QUJD\n@@LAB:file-end:%s:plain:902fbdd2b1df0c4f70b4a5d23525e932\n' \
		"$name" "$name" >"$tmp/names"
	feed "$tmp/names"
done
[ -z "$(find "$tmp" -name '*evil*' -o -name .hidden -o -name '*.b64' -o -name 'a*a' -o -name '\*')" ] &&
	ok "bad names write nothing" ||
	not_ok "bad names wrote: $(find "$tmp" -name '*evil*' -o -name .hidden -o -name '*.b64')"
[ "$(grep -c 'without a plain file name' "$tmp/said")" -eq 14 ] &&
	ok "each bad line is named" || not_ok "bad names: $(cat "$tmp/said")"
printf '@@LAB:file:nocolon\n' >"$tmp/names"
: >"$tmp/said"
feed "$tmp/names"
grep -q 'without a plain file name' "$tmp/said" && [ ! -e "$files/.partial/nocolon.b64" ] &&
	ok "a file line without a chunk" || not_ok "a file line without a chunk"

# the guest refuses them too
for name in ../x .x 'a/b' ''; do
	send "$name" "$tmp/blob" 2>/dev/null
	rc=$?
	[ $rc -eq 2 ] && [ ! -s "$tmp/console" ] && ok "lab_send_file refuses '$name'" ||
		not_ok "lab_send_file '$name': exit status $rc"
done
send x "$tmp/none" 2>/dev/null
[ $? -eq 1 ] && ok "lab_send_file of a missing file fails" ||
	not_ok "lab_send_file of a missing file fails"

# a transfer cut short is named at the end of the run
send cut.bin "$tmp/blob"
head -n 20 "$tmp/console" >"$tmp/bad"
feed "$tmp/bad"
boot_files_unfinished 2>"$tmp/said"
grep -q 'cut.bin did not arrive whole' "$tmp/said" && [ ! -e "$files/cut.bin" ] &&
	ok "an unfinished transfer is named" || not_ok "unfinished: $(cat "$tmp/said")"

exit $failed
