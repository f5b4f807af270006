#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad input to ./lab gets a clear message and exit status 2, at once.
. "$(dirname "$0")/lib.bash"
echo true >"$TMP/ok.sh"

lab_expect "unknown lane" 2 "unknown lane 'foo'" 20 run --lane foo "$TMP/ok.sh"
lab_expect "missing scenario" 2 "no such scenario: /no/such.sh" 20 run /no/such.sh
lab_expect "no scenario" 2 "name at least one scenario" 20 run --lane plain
lab_expect "too many domUs" 2 "--domus takes 1, 2 or 3" 20 run --domus 4 "$TMP/ok.sh"
lab_expect "unknown domU type" 2 "unknown domU type 'hvm'" 20 run --domu-type hvm "$TMP/ok.sh"
lab_expect "bad time limit" 2 "--timeout takes a whole number" 20 run --timeout soon "$TMP/ok.sh"
lab_expect "missing option value" 2 "--lane needs a value" 20 run --lane
lab_expect "unknown option" 2 "unknown option '--frob'" 20 run --frob "$TMP/ok.sh"
lab_expect "stress: bad thread count" 2 "--threads takes 1 to 16, not '0'" 20 stress --threads 0
lab_expect "stress: bad cycle count" 2 "--cycles takes a whole number above 0" 20 stress --cycles many
lab_expect "stress: unknown argument" 2 "stress: unknown argument '--frob'" 20 stress --frob
lab_expect "fuzz: bad time" 2 "--seconds takes a whole number above 0" 20 fuzz --seconds 0
lab_expect "fuzz: unknown argument" 2 "fuzz: unknown argument 'x'" 20 fuzz x
lab_expect "unknown command" 2 "unknown command 'frobnicate'" 20 frobnicate
lab_expect "help" 0 "usage: ./lab COMMAND" 20 help
selftest_done
