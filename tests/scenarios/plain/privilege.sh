#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Who may do what (issue 12, items 5 and 6): an unprivileged user in the
# device's group beside root. The raw calls (hdmabuf-test-privilege: LIST,
# QUERY, events, SIGNAL, WAIT, IMPORT by key, the Xen group), then the CLI
# as that user (busybox su).
. /lab/guest/testlib.sh

user=$LAB_USER
lab_user_setup ""
# as_user CMD: CMD run by the user's shell
as_user() { su -s /bin/sh "$user" -c "$*"; }
expect_eq "su runs as the user" "$LAB_USER_UID $LAB_USER_GID" "$(as_user 'id -u; id -g' | tr '\n' ' ' | sed 's/ $//')"

expect_ok_shown "the raw calls as the user and as root" \
	hdmabuf-test-privilege --uid $LAB_USER_UID --gid $LAB_USER_GID

# --- the CLI -------------------------------------------------------------
head -c 100000 /dev/urandom >/tmp/frame.raw
chmod 0644 /tmp/frame.raw
if id=$(hyper-dmabuf share --to self --name roots /tmp/frame.raw); then
	ok "root shares a buffer"
	expect_eq "root: list shows it" 1 \
		"$(hyper-dmabuf list --json | jq --arg id "$id" '[.[] | select(.id == $id)] | length')"
	out=$(as_user hyper-dmabuf list --json)
	expect_eq "user: list runs" 0 $?
	expect_eq "user: list does not show root's buffer" 0 \
		"$(echo "$out" | jq --arg id "$id" '[.[] | select(.id == $id)] | length')"
	out=$(as_user hyper-dmabuf info "$id" 2>&1)
	expect_eq "user: info of root's buffer fails" 1 $?
	case $out in *"no such buffer"*"only the user's own"*) ok "user: info says: no such buffer, and why" ;;
	*) not_ok "user: info says: no such buffer, and why: got '$out'" ;; esac
	out=$(as_user hyper-dmabuf signal "$id" 18446744073709551615 2>&1)
	expect_eq "user: signal of root's buffer fails" 1 $?
	case $out in *"is not yours"*CAP_SYS_ADMIN*) ok "user: signal says why" ;;
	*) not_ok "user: signal says why: got '$out'" ;; esac
	expect_eq "root: the timeline was not moved" 0 \
		"$(hyper-dmabuf info "$id" --json | jq -r .timeline)"
	out=$(as_user hyper-dmabuf wait "$id" 1 --timeout 0 2>&1)
	expect_eq "user: wait on root's buffer fails" 1 $?
	case $out in *"is not yours"*CAP_SYS_ADMIN*) ok "user: wait says why" ;;
	*) not_ok "user: wait says why: got '$out'" ;; esac
	expect_ok "user: import by the key it was given" \
		as_user hyper-dmabuf import "$id" --out /tmp/copy.raw
	expect_eq "user: the bytes imported" "$(md5sum </tmp/frame.raw)" \
		"$(head -c 100000 /tmp/copy.raw | md5sum)"
	expect_ok "root: unexport" hyper-dmabuf unexport "$id"
else
	not_ok "root shares a buffer: $id"
fi
rm -f /tmp/frame.raw /tmp/copy.raw

chmod 0600 /dev/hyper_dmabuf
chgrp root /dev/hyper_dmabuf
expect_zero "counters back at zero"
lab_done
