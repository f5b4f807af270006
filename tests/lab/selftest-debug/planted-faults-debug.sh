#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Faults planted in two plain boots of the plain lane's debug kernel (./lab
# check --debug-kernel), each caught and named: lockdep's report of two
# locks taken in both orders (a module built here, planted/) fails the
# scenario it came in, and so does a lockdep line written to the kernel's
# log; a use-after-free KFENCE finds ends the boot (panic_on_warn=1), and
# the lab names it; so does, in a boot of its own, a read past the end of
# a kmalloc'd object that KASAN finds.
. "$(dirname "$0")/../selftest/lib.bash"
[ -n "${LAB_KBUILD:-}" ] && [ -n "${LAB_DEBUG_KERNEL:-}" ] || {
	echo "needs the debug kernel: run by ./lab check --debug-kernel"
	exit 77
}
cp -r "$(dirname "$0")/planted" "$TMP/planted"
if ! nice -n 19 make -C "$LAB_KBUILD" M="$TMP/planted" modules >"$TMP/make.log" 2>&1; then
	tail -n 20 "$TMP/make.log"
	echo "not ok - the planted modules do not build"
	exit 1
fi
cp "$TMP"/planted/lab_planted_*.ko "$TMP/"
cat >"$TMP/fine.sh" <<'EOS'
. /lab/guest/testlib.sh
expect_eq "one is one" 1 1
lab_done
EOS
cat >"$TMP/abba.sh" <<'EOS'
insmod /lab/add/lab_planted_abba.ko
echo "the scenario itself passes"
EOS
# the line lockdep prints when a lock has no class, at its level
cat >"$TMP/nonstatic.sh" <<'EOS'
echo "<3>INFO: trying to register non-static key." >/dev/kmsg
EOS
cat >"$TMP/kfence.sh" <<'EOS'
insmod /lab/add/lab_planted_kfence.ko
EOS
cat >"$TMP/kasan.sh" <<'EOS'
insmod /lab/add/lab_planted_kasan.ko
EOS

# the time limit holds the wait for other labs' boots on this machine too
lab_expect "planted faults, debug kernel" 125 \
	"FAIL abba.sh \(.*a kernel reported: plain: .*WARNING: possible circular locking dependency detected" 1800 \
	run --debug-kernel --lane plain --timeout 120 --add "$TMP/lab_planted_abba.ko" \
	--add "$TMP/lab_planted_kfence.ko" "$TMP/fine.sh" "$TMP/abba.sh" "$TMP/nonstatic.sh" \
	"$TMP/kfence.sh"
expect_output "a clean scenario passes" "PASS fine.sh"
expect_output "with the debug kernel, the log of a report comes whole" \
	"received abba.sh-plain.log from the guest"
expect_output "a lockdep line in the kernel's log fails the scenario" \
	"FAIL nonstatic.sh \(.*a kernel reported: plain: .*INFO: trying to register non-static key"
expect_output "KFENCE's report ends the boot, and is named" \
	"console: .*BUG: KFENCE: use-after-free read in lab_planted_kfence_init"
expect_output "the scenario that planted it fails" "FAIL kfence.sh \(not run: the boot failed"

# either report ends the boot it came in: KASAN's needs one of its own
lab_expect "a KASAN report ends the boot, and is named" 125 \
	"console: .*BUG: KASAN: slab-out-of-bounds in lab_planted_kasan_init" 1800 \
	run --debug-kernel --lane plain --timeout 120 --add "$TMP/lab_planted_kasan.ko" \
	"$TMP/fine.sh" "$TMP/kasan.sh"
expect_output "a clean scenario passes on the kernel with KASAN" "PASS fine.sh"
expect_output "the scenario that planted the KASAN fault fails" \
	"FAIL kasan.sh \\(not run: the boot failed"
selftest_done
