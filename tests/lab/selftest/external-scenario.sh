#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ./lab run takes a scenario from outside the tree that drives two PV domUs
# with 'on', sees files given with --add in every guest, and exits with the
# scenario's own status.
. "$(dirname "$0")/lib.bash"
mkdir -p "$TMP/elsewhere"
echo "marker-$$" >"$TMP/marker.txt"
cat >"$TMP/elsewhere/else.sh" <<'EOS'
for d in domu1 domu2; do
	id=$(on $d hyper-dmabuf status --json | jq -r .domid)
	echo "$d: domain $id, xl says $(lab-channel domid $d), type $(on $d hyper-dmabuf status --json | jq -r .xen_type)"
	echo "$d: $(on $d cat /lab/add/marker.txt)"
done
echo "dom0: $(cat /lab/add/marker.txt)"
exit 3
EOS

lab_expect "external scenario, 2 PV domUs, its exit status" 3 \
	"domu1: domain ([0-9]+), xl says \1, type pv" 400 \
	run --lane xen --domus 2 --domu-type pv --add "$TMP/marker.txt" \
	"$TMP/elsewhere/else.sh"
expect_output "domu2 answers as itself" "domu2: domain ([0-9]+), xl says \1, type pv"
for g in domu1 domu2 dom0; do
	expect_output "--add file in $g" "$g: marker-$$"
done
selftest_done
