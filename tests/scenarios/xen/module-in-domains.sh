#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The module in dom0 and in every domU: each reports Xen, its own domain id
# and guest type, and the same module version; each unloads and reloads.
. /lab/guest/testlib.sh

version=$(cat /sys/module/hyper_dmabuf/version)
st=$(hyper-dmabuf status --json)
expect_eq "dom0: on Xen" true "$(echo "$st" | jq -r .xen)"
expect_eq "dom0: domain id 0" 0 "$(echo "$st" | jq -r .domid)"
expect_eq "dom0: PV guest" pv "$(echo "$st" | jq -r .xen_type)"
expect_eq "dom0: transports" '["loopback","xen"]' "$(echo "$st" | jq -c .transports)"
expect_ok "dom0: raw ioctl checks" hdmabuf-test-uapi --expect-xen --expect-domid 0

i=1
for type in $LAB_DOMU_TYPES; do
	d=domu$i
	id=$(lab-channel domid $d)
	st=$(on $d hyper-dmabuf status --json)
	expect_eq "$d: status exit status" 0 $?
	expect_eq "$d: on Xen" true "$(echo "$st" | jq -r .xen)"
	expect_eq "$d: domain id $id" "$id" "$(echo "$st" | jq -r .domid)"
	expect_eq "$d: guest type $type" "$type" "$(echo "$st" | jq -r .xen_type)"
	expect_eq "$d: module version" "$version" "$(echo "$st" | jq -r .module_version)"
	expect_eq "$d: transports" '["loopback","xen"]' "$(echo "$st" | jq -c .transports)"
	expect_ok "$d: raw ioctl checks" on $d hdmabuf-test-uapi --expect-xen --expect-domid $id
	expect_ok "$d: rmmod" on $d rmmod hyper_dmabuf
	expect_status "$d: status without the module exits 1" 1 on $d hyper-dmabuf status
	expect_ok "$d: modprobe again" on $d modprobe hyper_dmabuf
	expect_eq "$d: domain id after reload" "$id" \
		"$(on $d hyper-dmabuf status --json | jq -r .domid)"
	i=$((i + 1))
done

expect_ok "dom0: rmmod" rmmod hyper_dmabuf
expect_ok "dom0: modprobe again" modprobe hyper_dmabuf
lab_done
