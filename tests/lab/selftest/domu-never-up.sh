#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A domU that never comes up (its init exits at once, so its kernel
# panics) fails the run at the domu-start stage, in bounded time.
. "$(dirname "$0")/lib.bash"
echo true >"$TMP/ok.sh"

lab_expect "domU that never comes up" 125 \
	"failed at stage domu-start: not every domU came up within 20s" 300 \
	run --lane xen --domus 1 --domu-boot-timeout 20 \
	--domu-cmdline rdinit=/bin/false "$TMP/ok.sh"
selftest_done
