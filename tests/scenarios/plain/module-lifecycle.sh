#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The module on a bare kernel: the device, its caps call, unload and reload.
. /lab/guest/testlib.sh

version=$(cat /sys/module/hyper_dmabuf/version)
expect_ok "device node exists" test -c /dev/hyper_dmabuf
expect_ok "raw ioctl checks, no Xen" hdmabuf-test-uapi --expect-no-xen

st=$(hyper-dmabuf status --json)
expect_eq "status: module loaded" true "$(echo "$st" | jq -r .module_loaded)"
expect_eq "status: not on Xen" false "$(echo "$st" | jq -r .xen)"
expect_eq "status: no domain id" null "$(echo "$st" | jq -r .domid)"
expect_eq "status: module version" "$version" "$(echo "$st" | jq -r .module_version)"
expect_eq "status: loopback transport only" '["loopback"]' \
	"$(echo "$st" | jq -c .transports)"

for round in 1 2 3; do
	expect_ok "rmmod, round $round" rmmod hyper_dmabuf
	expect_ok "device gone after rmmod" test ! -e /dev/hyper_dmabuf
	expect_status "status without the module exits 1" 1 hyper-dmabuf status
	expect_eq "status --json: not loaded" false \
		"$(hyper-dmabuf status --json | jq -r .module_loaded)"
	expect_ok "modprobe, round $round" modprobe hyper_dmabuf
	expect_ok "device back after modprobe" test -c /dev/hyper_dmabuf
done

lab_done
