#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Faults planted in one plain boot, each caught and named: a check a
# scenario skips is reported as skipped, not passed; a SLUB report in the
# kernel's log fails the scenario it came in; scenarios whose result never
# reaches the host (here the runner itself is killed) fail, and so does
# the run, although the guest says it is done. A kernel booted without
# SLUB's checks fails the boot.
. "$(dirname "$0")/lib.bash"
cat >"$TMP/fine.sh" <<'EOS'
. /lab/guest/testlib.sh
expect_eq "one is one" 1 1
lab_done
EOS
cat >"$TMP/skipper.sh" <<'EOS'
. /lab/guest/testlib.sh
expect_eq "one is one" 1 1
skip "the planted check" "planted by the lab's self-test"
lab_done
EOS
cat >"$TMP/forgetful.sh" <<'EOS'
. /lab/guest/testlib.sh
expect_eq "one is two" 1 2
exit 0
EOS
# a report as SLUB prints it, at its level (KERN_ERR)
cat >"$TMP/slub.sh" <<'EOS'
echo "<3>BUG kmalloc-64 (Not tainted): Poison overwritten" >/dev/kmsg
echo "the scenario itself passes"
EOS
cat >"$TMP/killer.sh" <<'EOS'
for p in /proc/[0-9]*; do
	case $(tr '\0' ' ' <"$p/cmdline" 2>/dev/null) in
	*run-scenarios*) kill -KILL "${p#/proc/}" ;;
	esac
done
sleep 2
EOS
echo true >"$TMP/after.sh"

lab_expect "planted faults, plain lane" 125 \
	"FAIL slub.sh \(.*a kernel reported: plain: .*BUG kmalloc-64 \(Not tainted\): Poison overwritten" 300 \
	run --lane plain --timeout 60 "$TMP/fine.sh" "$TMP/skipper.sh" "$TMP/forgetful.sh" "$TMP/slub.sh" \
	"$TMP/killer.sh" "$TMP/after.sh"
expect_output "a clean scenario passes" "PASS fine.sh"
expect_output "a skipped check is reported as skipped" \
	"SKIP skipper.sh \(plain: scenario: the planted check: planted by the lab's self-test\)"
expect_output "the scenario with the skip passes its other checks" "PASS skipper.sh"
expect_output "a failed check fails a scenario that exits 0 without lab_done" \
	"FAIL forgetful.sh"
expect_output "a scenario that kills the runner: no result, failed" \
	"FAIL killer.sh \(no result reached the host"
expect_output "the scenarios after it: no result, failed" "FAIL after.sh \(no result reached the host"
expect_output "the boot fails: done without every result" \
	"FAIL boot \(done, but without a result of: killer.sh after.sh\)"

# the last slub_debug on the command line wins
lab_expect "a kernel without slub_debug fails the boot" 125 \
	"failed at stage module-load: slub_debug is not in force" 120 \
	run --lane plain --kernel-cmdline slub_debug=- "$TMP/fine.sh"
selftest_done
