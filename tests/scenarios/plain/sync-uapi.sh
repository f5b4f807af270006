#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# QUERY, LIST, events, REVOKE, SIGNAL/WAIT with sync_files, through the raw
# ioctls on the loopback transport; the counters back at zero.
exec hdmabuf-test-sync
