#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The long stress run, ./lab stress (tests/lab/guest/stress.sh): cycles of
# export, import, mmap, byte checks, signals, revokes and unexports
# between dom0, domu1 (PVH) and domu2 (PV) at once, several threads each
# way in each domain, each domain's user process killed mid-cycle every
# so many of its cycles, and domu2's module unloaded and loaded again
# mid-run. No failure, and nothing left behind. The settings come from
# ./lab stress, in run.conf.
. /lab/guest/testlib.sh
. /lab/guest/stress.sh

cycles=${LAB_STRESS_CYCLES:-10000}
# the scenario's own limit is 900 s above the cycles
STRESS_DONE_TIMEOUT=$((cycles + 600))
[ "${LAB_STRESS_RELOAD_AFTER:-120}" -eq 0 ] ||
	STRESS_RELOAD_AFTER=${LAB_STRESS_RELOAD_AFTER:-120}
stress_run "$cycles" "${LAB_STRESS_THREADS:-3}" "${LAB_STRESS_KILL_EVERY:-250}"
lab_done
