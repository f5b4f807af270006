#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# share, import and unexport end to end, against fake-module.so: a stand-in
# for the module, preloaded into the tool, that answers the calls made on a
# regular file the way the module would (see fake-module.c). What is
# tested is the tool's side: bytes in equal bytes out, metadata, JSON,
# DMA_BUF_IOCTL_SYNC around every access, and the message for each error
# of the module. The module's side is tested in the lab (tests/scenarios).

. "$top_srcdir/tests/unit/fake-cli-lib.sh"

expect_in() {
	if grep -q -F -e "$3" "$tmp/$2"; then ok "$1"; else not_ok "$1: no '$3' on std$2"; fi
}

expect_json() {
	got=$("$json_get" "$2" <"$tmp/out")
	if [ "$got" = "$3" ]; then ok "$1"; else not_ok "$1: $2 is '$got', not '$3'"; fi
}

expect_sync() {
	got=$(tr '\n' ',' <"$FAKE_HDMABUF_DIR/sync.log")
	if [ "$got" = "$2" ]; then ok "$1"; else not_ok "$1: syncs '$got', not '$2'"; fi
	rm -f "$FAKE_HDMABUF_DIR/sync.log"
}

# a file that is not a whole number of pages
awk 'BEGIN { for (i = 0; i < 700; i++) printf "line %d of the data\n", i }' \
	>"$tmp/data"
size=$(wc -c <"$tmp/data")

run share --to self --name notes "$tmp/data"
expect_status "share exits 0" 0
id=$(cat "$tmp/out")
case $id in
32752:[1-9]*:????????????????????????????????) ok "share prints the id alone: $id" ;;
*) not_ok "share prints the id alone" ;;
esac
expect_sync "share brackets its writes with syncs" "start write,end write,"

run import --out "$tmp/copy" "$id"
expect_status "import --out exits 0" 0
if cmp -s "$tmp/data" "$tmp/copy"; then ok "import --out writes the bytes shared, no more"
else not_ok "import --out writes the bytes shared ($(wc -c <"$tmp/copy") bytes, not $size)"; fi
expect_in "import --out describes the buffer on stdout" out "size:                16384"
expect_in "import --out gives the length" out "length:              $size"
expect_in "import --out gives the name" out "name:                notes"
expect_in "import --out: no format" out "format:              -"
expect_in "import --out: read-only" out "read-write:          no"
expect_sync "import brackets its reads with syncs" "start read,end read,"

run import "$id"
expect_status "import to stdout exits 0" 0
if cmp -s "$tmp/data" "$tmp/out"; then ok "import writes the bytes to stdout"
else not_ok "import writes the bytes to stdout"; fi
expect_in "import to stdout describes the buffer on stderr" err "length:              $size"
expect_sync "import to stdout brackets its reads with syncs" "start read,end read,"

run import --json "$id"
expect_status "import --json exits 0" 0
expect_json "import --json: id" id "\"$id\""
expect_json "import --json: size" size 16384
expect_json "import --json: length" length "$size"
expect_json "import --json: read_write" read_write false
expect_json "import --json: name" name '"notes"'
expect_json "import --json: fourcc" fourcc null
expect_json "import --json: width" width null
expect_json "import --json: height" height null
expect_json "import --json: modifier" modifier null
expect_json "import --json: planes" planes "[]"
if [ -f "$FAKE_HDMABUF_DIR/sync.log" ]; then not_ok "import --json reads no data"
else ok "import --json reads no data"; fi

run import "$id" --json --out "$tmp/copy2"
expect_json "import --json --out: JSON on stdout" length "$size"
if cmp -s "$tmp/data" "$tmp/copy2"; then ok "import --json --out writes the bytes"
else not_ok "import --json --out writes the bytes"; fi
rm -f "$FAKE_HDMABUF_DIR/sync.log"

# an image, read-write, from standard input
printf '0123456789abcdef' >"$tmp/image"
LD_PRELOAD=$fake "$tool" --device "$dev" share --json --to self --read-write \
	--format XR24 --width 2 --height 2 - <"$tmp/image" >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status "share --json from stdin exits 0" 0
expect_json "share --json: size" size 4096
expect_json "share --json: peer" peer 32752
expect_json "share --json: read_write" read_write true
image_id=$("$json_get" id <"$tmp/out" | tr -d '"')
run import --json "$image_id"
expect_json "the image: fourcc" fourcc '"XR24"'
expect_json "the image: width" width 2
expect_json "the image: height" height 2
expect_json "the image: modifier" modifier 0
expect_json "the image: planes" planes '[{"offset":0,"stride":8}]'
expect_json "the image: read_write" read_write true
expect_json "the image: no name" name null
run import --out "$tmp/image2" "$image_id"
expect_in "the image in text" out "planes:              offset=0 stride=8"
expect_in "the image's modifier in text" out "modifier:            0x0"
if cmp -s "$tmp/image" "$tmp/image2"; then ok "the image comes back whole"
else not_ok "the image comes back whole"; fi
rm -f "$FAKE_HDMABUF_DIR/sync.log"

# the module's errors, as messages
case $id in
*0) run import "${id%?}1" ;;
*) run import "${id%?}0" ;;
esac
expect_status "import with a wrong key exits 1" 1
expect_in "import with a wrong key says so" err "key does not match"
run import "32752:999:0123456789abcdeffedcba9876543210"
expect_status "import of an unknown id exits 1" 1
expect_in "import of an unknown id says so" err "no such buffer"
run share --to 5 "$tmp/data"
expect_status "share to an unreachable peer exits 1" 1
expect_in "share to an unreachable peer says so" err "peer 5 is not connected"
with FAKE_HDMABUF_PEERS=0,5 share --to 5 "$tmp/data"
expect_status "share to a reachable peer exits 0" 0
with FAKE_HDMABUF_NOT_ADMIN=1 share --to self "$tmp/data"
expect_status "share without CAP_SYS_ADMIN exits 1" 1
expect_in "share without CAP_SYS_ADMIN says so" err \
	"sharing beyond this process needs root (CAP_SYS_ADMIN)"
with FAKE_HDMABUF_QUOTA=2 share --to self "$tmp/data"
expect_status "share over the quota exits 1" 1
expect_in "share over the quota says so" err "quota for peer self exceeded"
with FAKE_HDMABUF_MAX_ALLOC=100 share --to self "$tmp/data"
expect_status "share over the size limit exits 1" 1
expect_in "share over the size limit says so" err "$size bytes is more than the module allows"
rm -f "$FAKE_HDMABUF_DIR/sync.log"

# an id that cannot be written is a share nobody could end
if [ -w /dev/full ]; then
	exports=$(ls "$FAKE_HDMABUF_DIR" | grep -c '^export-')
	LD_PRELOAD=$fake "$tool" --device "$dev" share --to self "$tmp/data" \
		>/dev/full 2>"$tmp/err"
	status=$?
	: >"$tmp/out"
	expect_status "share with a failed write of the id exits 1" 1
	expect_in "share says the buffer is not shared" err \
		"cannot write the output: No space left on device; the buffer is not shared"
	if [ "$(grep -c 'cannot write' "$tmp/err")" = 1 ]; then ok "the failed write is reported once"
	else not_ok "the failed write is reported once"; fi
	after=$(ls "$FAKE_HDMABUF_DIR" | grep -c '^export-')
	if [ "$after" = "$exports" ]; then ok "share withdraws a buffer whose id was not written"
	else not_ok "share withdraws a buffer whose id was not written: $exports exports, then $after"; fi
	rm -f "$FAKE_HDMABUF_DIR/sync.log"
fi

# unexport
with FAKE_HDMABUF_NOT_ADMIN=1 unexport "$id"
expect_status "unexport without CAP_SYS_ADMIN exits 1" 1
expect_in "unexport without CAP_SYS_ADMIN says so" err "unexporting it needs root (CAP_SYS_ADMIN)"
run unexport --json --delay 250 "$id"
expect_status "unexport exits 0" 0
expect_json "unexport --json: id" id "\"$id\""
expect_json "unexport --json: delay_ms" delay_ms 250
run unexport "$image_id"
expect_status "unexport in text exits 0" 0
if [ -s "$tmp/out" ]; then not_ok "unexport in text prints nothing"
else ok "unexport in text prints nothing"; fi
run import --out "$tmp/gone" "$id"
expect_status "import after unexport exits 1" 1
expect_in "import after unexport says no such buffer" err "no such buffer: $id"
if [ -e "$tmp/gone" ]; then not_ok "a failed import leaves no --out file"
else ok "a failed import leaves no --out file"; fi
run unexport "$id"
expect_status "a second unexport exits 1" 1
expect_in "a second unexport says no such buffer" err "no such buffer"

exit $failed
