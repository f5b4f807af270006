#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hyper-dmabuf share / import / unexport on the loopback transport: bytes in
# equal bytes out, metadata, text and JSON, the CPU-access brackets the
# module is asked for around every access, and the message for each error.
. /lab/guest/testlib.sh
. /lab/guest/clilib.sh

md5() { md5sum | cut -d' ' -f1; }

if sync_trace_on; then ok "kprobes on the module's CPU-access calls"
else not_ok "kprobes on the module's CPU-access calls: $(cat $SYNC_TRACE/kprobe_events)"; fi

# a file that is not a whole number of pages
awk 'BEGIN { for (i = 0; i < 700; i++) printf "line %d of the data\n", i }' >data
size=$(wc -c <data)

run share --to self --name notes data
expect_exit "share exits 0" 0
id=$(cat "$CLI_OUT")
case $id in
32752:[1-9]*:????????????????????????????????) ok "share prints the id alone: $id" ;;
*) not_ok "share prints the id alone: '$id'" ;;
esac
expect_eq "share brackets its writes" "begin 1,end 1," "$(syncs)"

run import --out copy "$id"
expect_exit "import --out exits 0" 0
expect_eq "import --out writes the bytes shared, no more" "$(md5 <data)" "$(md5 <copy)"
expect_in "import --out describes the buffer on stdout" out "size:                16384"
expect_in "import --out gives the length" out "length:              $size"
expect_in "import --out gives the name" out "name:                notes"
expect_in "import --out: no format" out "format:              -"
expect_in "import --out: read-only" out "read-write:          no"
expect_eq "import brackets its reads" "begin 2,end 2," "$(syncs)"

run import "$id"
expect_exit "import to stdout exits 0" 0
expect_eq "import writes the bytes to stdout" "$(md5 <data)" "$(md5 <"$CLI_OUT")"
expect_in "import to stdout describes the buffer on stderr" err "length:              $size"
expect_eq "import to stdout brackets its reads" "begin 2,end 2," "$(syncs)"

run import --json "$id"
expect_exit "import --json exits 0" 0
expect_json "import --json: id" .id "\"$id\""
expect_json "import --json: size in whole pages" .size 16384
expect_json "import --json: length" .length "$size"
expect_json "import --json: read_write" .read_write false
expect_json "import --json: name" .name '"notes"'
expect_json "import --json: fourcc" .fourcc null
expect_json "import --json: width" .width null
expect_json "import --json: height" .height null
expect_json "import --json: modifier" .modifier null
expect_json "import --json: planes" .planes "[]"
expect_eq "import --json reads no data" "" "$(syncs)"

run import "$id" --json --out copy2
expect_json "import --json --out: JSON on stdout" .length "$size"
expect_eq "import --json --out writes the bytes" "$(md5 <data)" "$(md5 <copy2)"

# a bigger buffer, a whole number of pages
head -c 3000000 /dev/urandom >frame.raw
big=$(hyper-dmabuf share --to self --name frame frame.raw)
expect_eq "share of 3 MB prints an id" 0 $?
expect_ok "import --out of 3 MB" hyper-dmabuf import "$big" --out frame.copy
expect_eq "the copy has the bytes shared" "$(md5 <frame.raw)" "$(md5 <frame.copy)"
run import "$big" --out /dev/null --json
expect_json "3 MB: its size in whole pages" .size 3002368
syncs >/dev/null

# an image, read-write, from standard input
printf '0123456789abcdef' >image
hyper-dmabuf share --json --to self --read-write --format XR24 --width 2 \
	--height 2 - <image >"$CLI_OUT" 2>"$CLI_ERR"
status=$?
expect_exit "share --json from stdin exits 0" 0
expect_json "share --json: size" .size 4096
expect_json "share --json: peer" .peer 32752
expect_json "share --json: read_write" .read_write true
image_id=$(jq -r .id <"$CLI_OUT")
expect_eq "share of the image brackets its writes" "begin 1,end 1," "$(syncs)"
run import --json "$image_id"
expect_json "the image: fourcc" .fourcc '"XR24"'
expect_json "the image: width" .width 2
expect_json "the image: height" .height 2
expect_json "the image: modifier" .modifier 0
expect_json "the image: planes" .planes '[{"offset":0,"stride":8}]'
expect_json "the image: read_write" .read_write true
expect_json "the image: no name" .name null
run import --out image2 "$image_id"
expect_in "the image in text" out "planes:              offset=0 stride=8"
expect_in "the image's modifier in text" out "modifier:            0x0"
expect_eq "the image comes back whole" "$(md5 <image)" "$(md5 <image2)"
expect_eq "import of the image brackets its reads" "begin 2,end 2," "$(syncs)"

# the module's errors, as messages
run import "$(wrong_key "$id")"
expect_exit "import with a wrong key exits 1" 1
expect_in "import with a wrong key says so" err "key does not match"
run import "32752:999:0123456789abcdeffedcba9876543210"
expect_exit "import of an unknown id exits 1" 1
expect_in "import of an unknown id says so" err "no such buffer"
run share --to 5 data
expect_exit "share to an unreachable peer exits 1" 1
expect_in "share to an unreachable peer says so" err "peer 5 is not connected"
run import --out x.raw 12:ab
expect_exit "a malformed id is a usage error" 2
run share --to self /dev/null
expect_exit "share of an empty file exits 1" 1

lab_user_setup ""
run_as "$LAB_USER" share --to self data
expect_exit "share without CAP_SYS_ADMIN exits 1" 1
expect_in "share without CAP_SYS_ADMIN says so" err \
	"sharing beyond this process needs root (CAP_SYS_ADMIN)"
run_as "$LAB_USER" unexport "$id"
expect_exit "unexport without CAP_SYS_ADMIN exits 1" 1
expect_in "unexport without CAP_SYS_ADMIN says so" err "needs root (CAP_SYS_ADMIN)"
chmod 0600 /dev/hyper_dmabuf
chgrp root /dev/hyper_dmabuf

param=/sys/module/hyper_dmabuf/parameters/max_alloc_mb
was=$(cat $param)
echo 1 >$param
run share --to self frame.raw
expect_exit "share over the module's size limit exits 1" 1
expect_in "share over the size limit says so" err \
	"frame.raw holds more than 1048576 bytes"
echo "$was" >$param

# an id that cannot be written is a share nobody could end
exports() { hyper-dmabuf list --json | jq '[.[] | select(.role == "export")] | length'; }
before=$(exports)
hyper-dmabuf share --to self data >/dev/full 2>"$CLI_ERR"
status=$?
: >"$CLI_OUT"
expect_exit "share with a failed write of the id exits 1" 1
expect_in "share says the buffer is not shared" err \
	"cannot write the output: No space left on device; the buffer is not shared"
expect_eq "the failed write is reported once" 1 "$(grep -c 'cannot write' "$CLI_ERR")"
expect_eq "share withdraws a buffer whose id was not written" "$before" "$(exports)"
syncs >/dev/null

# unexport
run unexport --json --delay 250 "$id"
expect_exit "unexport exits 0" 0
expect_json "unexport --json: id" .id "\"$id\""
expect_json "unexport --json: delay_ms" .delay_ms 250
run unexport "$image_id"
expect_exit "unexport in text exits 0" 0
expect_empty "unexport in text prints nothing" out
run import --out gone "$id"
expect_exit "import after unexport exits 1" 1
expect_in "import after unexport says no such buffer" err "no such buffer: $id"
expect_eq "a failed import leaves no --out file" no "$([ -e gone ] && echo yes || echo no)"
run unexport "$id"
expect_exit "a second unexport exits 1" 1
expect_in "a second unexport says no such buffer" err "no such buffer"
expect_ok "unexport the 3 MB share" hyper-dmabuf unexport "$big"

sync_trace_off
expect_zero "counters back at zero"
expect_ok "rmmod" rmmod hyper_dmabuf
expect_ok "modprobe" modprobe hyper_dmabuf
lab_done
