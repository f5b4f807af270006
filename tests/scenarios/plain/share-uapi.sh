#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ALLOC, EXPORT, IMPORT and UNEXPORT through the raw ioctls, loopback
# transport: every error path, data byte for byte, vgem as exporter and as
# importer, two processes, ownership, and the counters back at zero.
modprobe vgem || echo "vgem not loaded: its checks will be skipped"
exec hdmabuf-test-share
