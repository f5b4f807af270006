#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ALLOC, EXPORT, IMPORT and UNEXPORT through the raw ioctls, loopback
# transport: every error path, data byte for byte, vgem as exporter and as
# importer, two processes, ownership, and the counters back at zero.
. /lab/guest/testlib.sh

expect_ok "vgem loaded" modprobe vgem
expect_ok "hdmabuf-test-share" hdmabuf-test-share
lab_done
