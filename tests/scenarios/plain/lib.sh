#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# libhyperdmabuf against the real module, loopback transport: what the
# library makes of the module's answers (capabilities, a share with
# metadata, QUERY and LIST of real entries, the peer, events in order,
# waits on a real timeline through signals, sync_files, REVOKE once), the
# host's tests of the library having only a shim in the module's place;
# the counters back at zero.
exec hdmabuf-test-lib
