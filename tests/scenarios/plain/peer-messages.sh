#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The messages between peers on the loopback transport: counted for a
# share, and a misbehaving peer's messages dropped without effect.
. /lab/guest/testlib.sh

hdmabuf-test-peer
expect_eq "hdmabuf-test-peer passes" 0 $?
expect_ok "rmmod" rmmod hyper_dmabuf
expect_ok "modprobe" modprobe hyper_dmabuf
lab_done
