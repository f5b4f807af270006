#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The short form of ./lab stress (tests/lab/guest/stress.sh): 240 cycles
# of export, import, mmap, byte checks, signals, revokes and unexports
# between dom0, domu1 and domu2 at once, 2 threads each way in each
# domain, each domain's user process killed once mid-cycle. No failure,
# and nothing left behind: counters at zero, no grant left mapped, no
# message dropped but those races make.
. /lab/guest/testlib.sh
. /lab/guest/stress.sh

STRESS_DONE_TIMEOUT=150
stress_run 240 2 40 --wait-ms 5000
lab_done
