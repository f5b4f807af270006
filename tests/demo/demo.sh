#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ./lab demo: what hyper-dmabuf does today, shown in dom0 and a domU.
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
