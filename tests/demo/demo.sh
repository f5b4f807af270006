#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ./lab demo: what hyper-dmabuf does today, shown in dom0 and a domU; then
# domu1 draws a picture and shares it with dom0, dom0 imports it, and sends
# what it received to the host, where ./lab writes it as a PNG.
. /lab/guest/lib.sh
set -e
echo
echo "== dom0 =="
hyper-dmabuf status
for d in $LAB_DOMUS; do
	echo
	echo "== $d (xl domid: $(lab-channel domid $d)) =="
	on $d hyper-dmabuf status
done
echo
xl list
set +e

W=640
H=360
d1=$(lab-channel domid domu1)
id=

# stop: say why, take the picture off offer, end with status 1
stop() {
	echo "demo: $*"
	[ -z "$id" ] || on domu1 hyper-dmabuf unexport "$id"
	exit 1
}

echo
echo "== peers =="
echo "dom0:"
hyper-dmabuf peers
echo "domu1:"
on domu1 hyper-dmabuf peers

echo
echo "== domu1 shares a picture with dom0 =="
on domu1 hdmabuf-demo-picture --width $W --height $H --domid "$d1" \
	/tmp/picture.raw || stop "domu1 could not draw the picture"
id=$(on domu1 hyper-dmabuf share --to 0 --format XR24 --width $W \
	--height $H /tmp/picture.raw) || { id=; stop "domu1 could not share it"; }
sent_size=$(on domu1 "wc -c </tmp/picture.raw" | tr -d ' ')
sent_md5=$(on domu1 "md5sum </tmp/picture.raw" | cut -d' ' -f1)
echo "domu1: hyper-dmabuf share --to 0 --format XR24 --width $W --height $H /tmp/picture.raw"
echo "  id:     $id"
echo "  size:   $sent_size bytes (${W}x$H XRGB8888)"
echo "  md5sum: $sent_md5"

echo
echo "== dom0 imports it =="
echo "dom0: hyper-dmabuf import --json --out got.raw $id"
hyper-dmabuf import --json --out got.raw "$id" >got.json ||
	stop "dom0 could not import $id"
echo "  $(cat got.json)"
jq -r '"  format: \(.fourcc), \(.width)x\(.height), stride \(.planes[0].stride)"' got.json
got_size=$(wc -c <got.raw | tr -d ' ')
got_md5=$(md5sum <got.raw | cut -d' ' -f1)
echo "  size:   $got_size bytes"
echo "  md5sum: $got_md5"
if [ "$got_md5" = "$sent_md5" ] && [ "$got_size" = "$sent_size" ]; then
	echo "dom0 received exactly what domu1 shared"
	same=1
else
	echo "dom0 received something else than domu1 shared"
	same=0
fi

# the metadata goes with the frame: raw2png on the host needs its shape
jq -c --arg domu "$sent_md5" --arg dom0 "$got_md5" \
	'. + {md5_domu1: $domu, md5_dom0: $dom0}' got.json >picture.json
echo
echo "== dom0 sends the frame to the host =="
lab_send_file demo-frame.raw got.raw || stop "cannot send got.raw to the host"
lab_send_file demo-frame.json picture.json ||
	stop "cannot send picture.json to the host"
echo "sent got.raw and its metadata"

echo
on domu1 hyper-dmabuf unexport "$id" || stop "domu1 could not unexport $id"
id=
echo "domu1: unexported the picture"
[ $same = 1 ] || exit 1
