#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hyper-dmabuf share / import / unexport on the loopback transport.
. /lab/guest/testlib.sh

head -c 3000000 /dev/urandom >frame.raw
id=$(hyper-dmabuf share --to self --name frame frame.raw)
expect_eq "share prints an id" 0 $?
expect_ok "import --out" hyper-dmabuf import "$id" --out copy.raw
expect_eq "the copy has the bytes shared" "$(md5sum <frame.raw | cut -d' ' -f1)" \
	"$(head -c 3000000 copy.raw | md5sum | cut -d' ' -f1)"
info=$(hyper-dmabuf import "$id" --out /dev/null --json)
expect_eq "import --json: name" frame "$(echo "$info" | jq -r .name)"
expect_eq "import --json: size in whole pages" 3002368 "$(echo "$info" | jq -r .size)"
expect_eq "import --json: read-only" false "$(echo "$info" | jq -r .read_write)"

fmt=$(hyper-dmabuf share --to self --format XR24 --width 64 --height 32 \
	--read-write frame.raw)
info=$(hyper-dmabuf import "$fmt" --out /dev/null --json)
expect_eq "format travels" XR24 "$(echo "$info" | jq -r .fourcc)"
expect_eq "width travels" 64 "$(echo "$info" | jq -r .width)"
expect_eq "stride travels" 256 "$(echo "$info" | jq -r '.planes[0].stride')"
expect_eq "read-write travels" true "$(echo "$info" | jq -r .read_write)"

expect_ok "unexport" hyper-dmabuf unexport "$id"
out=$(hyper-dmabuf import "$id" --out x.raw 2>&1)
expect_eq "import after unexport fails" 1 $?
case $out in *"no such buffer"*) ok "the error says: no such buffer" ;;
*) not_ok "the error says: no such buffer: got '$out'" ;; esac
bad=$(echo "$fmt" | sed 's/.$/0/; t; s/.$/1/')
[ "$bad" = "$fmt" ] && bad=$(echo "$fmt" | sed 's/.$/1/')
out=$(hyper-dmabuf import "$bad" --out x.raw 2>&1)
case $out in *"key does not match"*) ok "wrong key: key does not match" ;;
*) not_ok "wrong key: key does not match: got '$out'" ;; esac
expect_status "malformed id is a usage error" 2 hyper-dmabuf import 12:ab --out x.raw
expect_status "share of an empty file fails" 1 hyper-dmabuf share --to self /dev/null
expect_ok "unexport the second" hyper-dmabuf unexport "$fmt"

expect_zero "counters back at zero"
expect_ok "rmmod" rmmod hyper_dmabuf
expect_ok "modprobe" modprobe hyper_dmabuf
lab_done
