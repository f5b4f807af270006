#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The CLI against the real module, with what it does not control: import
# --out never writes through a symbolic link, and a failure (a full disk, a
# revoke mid-copy) leaves an existing FILE as it was; a name is printed
# escaped; share reads no more than the module's largest buffer.
. /lab/guest/testlib.sh

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

# a name with an escape sequence and a forged field
name=$(printf 'x\033[2J\nid: 1')
id=$(hyper-dmabuf share --to self --name "$name" frame.raw)
out=$(hyper-dmabuf import --out /dev/null "$id")
expect_eq "the name is printed escaped" 'name:                x\x1b[2J\nid: 1' \
	"$(echo "$out" | grep '^name:')"
expect_eq "it forges no field" 1 "$(echo "$out" | grep -c '^id:')"
expect_eq "in JSON it comes back whole" "$name" \
	"$(hyper-dmabuf import --out /dev/null --json "$id" | jq -r .name)"
expect_ok "unexport" hyper-dmabuf unexport "$id"

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
