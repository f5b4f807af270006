#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# One name for this domain as the peer of a loopback share (LIST, QUERY,
# every event), on a bare kernel, where its number is that name too; the
# xen lane runs the same test in dom0 and each domU, where it is not.
exec hdmabuf-test-names
