#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Who may do what with another domain's export (issue 12, item 6): domu1
# offers a buffer to dom0, where an unprivileged user in the device's
# group hears the offer, imports it by its key and, through the importing
# file only, sees it and uses its timeline; another file of the user may
# not; root sees it. (tests/scenarios/plain/privilege.sh has the loopback
# side, grant-refs.sh the Xen group.)
. /lab/guest/testlib.sh

user=$LAB_USER
lab_user_setup "dom0: "

# the user watches before domu1 offers
su -s /bin/sh $user -c 'hyper-dmabuf watch --count 1 --timeout 30000 --json' \
	>/tmp/watch.out 2>&1 &
watch_pid=$!
wait_for "the user's watch has the device open" sh -c '
	for p in $(pidof hyper-dmabuf); do
		ls -l /proc/$p/fd 2>/dev/null | grep -q hyper_dmabuf && exit 0
	done
	exit 1'
id=$(on domu1 'head -c 65536 /dev/urandom >/tmp/frame.raw && hyper-dmabuf share --to 0 /tmp/frame.raw')
if [ $? -eq 0 ] && [ -n "$id" ]; then
	ok "domu1 offers a buffer to dom0"
	wait $watch_pid
	expect_eq "user: watch hears domu1's offer, key and all" "offered $id" \
		"$(jq -r '"\(.type) \(.id)"' </tmp/watch.out 2>&1 | head -n 1)"
	expect_ok_shown "user: an import of domu1's export, through its file only" \
		hdmabuf-test-privilege --uid $LAB_USER_UID --gid $LAB_USER_GID --remote "$id"
	expect_ok "domu1: unexport" on domu1 hyper-dmabuf unexport "$id"
else
	not_ok "domu1 offers a buffer to dom0: $id"
	kill $watch_pid 2>/dev/null
fi

chmod 0600 /dev/hyper_dmabuf
chgrp root /dev/hyper_dmabuf
expect_zero "dom0: counters back at zero"
expect_zero "domu1: counters back at zero" domu1
lab_done
