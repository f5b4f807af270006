#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ./lab run --no-module boots dom0 and a domU without hyper_dmabuf, says so,
# and passes a scenario that finds it nowhere: a control run needs no
# module's counters, and a module a scenario loads is the only one there.
. "$(dirname "$0")/lib.bash"
cat >"$TMP/control.sh" <<'EOS'
. /lab/guest/testlib.sh
expect_ok "dom0 has no module" sh -c '! grep -q "^hyper_dmabuf " /proc/modules'
expect_ok "domu1 has no module" on domu1 sh -c '! grep -q "^hyper_dmabuf " /proc/modules'
expect_ok "no device in domu1" on domu1 test ! -e /dev/hyper_dmabuf
lab_done
EOS
lab_expect "--no-module: a run without the module, 1 PV domU" 0 \
	"PASS control.sh" 400 \
	run --lane xen --domus 1 --domu-type pv --no-module "$TMP/control.sh"
expect_output "the scenario found the module nowhere" "ok - no device in domu1"
selftest_done
