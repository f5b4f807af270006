#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The life of a share between domains, seen from both ends: dom0 revokes a
# buffer a PVH and a PV domU have mapped (their mappings raise SIGBUS, the
# pages come back once they let go); an unexport with a delay keeps the
# offer that long; the events of each side are recorded with
# 'hyper-dmabuf watch --json' in dom0 and in domu1: offered, imported,
# signalled, released, revoked, and peer-down / peer-up when domu1
# reloads the module.
. /lab/guest/testlib.sh

dbg=$HD_DEBUGFS

importers_of() { awk -v s="$1" '$1 == "export" && $3 ~ (":" s "$") { print $7 }' $dbg/buffers; }
has_importers() { [ "$(importers_of "$1")" = "$2" ]; }
serial_of() { local s=${1#*:}; echo "${s%%:*}"; }

# --- revoke while mapped ----------------------------------------------------
for d in domu1 domu2; do
	dd=$(lab-channel domid $d)
	export_id "dom0 exports to $d" \
		hdmabuf-test-xen serve --to "$dd" --size 65536 --seed 71 --persistent ||
		continue
	on $d "hdmabuf-test-xen hold $id --size 65536 --seed 71 --expect-sigbus >/tmp/hold.out 2>&1 </dev/null &"
	wait_for "$d maps dom0's buffer" has_importers "$(serial_of "$id")" 1
	info=$(hyper-dmabuf info "$id" --json)
	expect_eq "dom0: info shows the export offered to $d" "export offered $dd 1" \
		"$(echo "$info" | jq -r '[.role, .state, .peer, .importers] | join(" ")')"
	list=$(on $d hyper-dmabuf list --json)
	expect_eq "$d: list shows the import from dom0" "import imported 0 65536" \
		"$(echo "$list" | jq -r ".[] | select(.id == \"$id\") | [.role, .state, .peer, .size] | join(\" \")")"
	list=$(hyper-dmabuf list --json)
	expect_eq "dom0: list shows the export" "export offered $dd" \
		"$(echo "$list" | jq -r ".[] | select(.id == \"$id\") | [.role, .state, .peer] | join(\" \")")"
	info=$(on $d hyper-dmabuf info "$id" --json)
	expect_eq "$d: info shows the import" "import imported 0" \
		"$(echo "$info" | jq -r '[.role, .state, .peer] | join(" ")')"
	out=$(hyper-dmabuf revoke "$id" --timeout 300 --json)
	expect_eq "revoke: $d still holds it after 300 ms" 1 "$(echo "$out" | jq -r .remaining)"
	on $d 'kill -USR1 $(pidof hdmabuf-test-xen)'
	wait_for "$d's hold ends" on $d "grep -q '^# .* passed' /tmp/hold.out"
	expect_eq "$d: its mapping raised SIGBUS, nothing failed" "" \
		"$(on $d cat /tmp/hold.out | grep '^not ok')"
	expect_eq "$d: the SIGBUS check ran" 1 \
		"$(on $d cat /tmp/hold.out | grep -c '^ok - once the exporter took it back')"
	expect_zero "the revoked buffer is freed once $d lets go"
done

# --- unexport with a delay --------------------------------------------------
d1=$(lab-channel domid domu1)
head -c 16384 /dev/urandom >/tmp/small.raw
id=$(hyper-dmabuf share --to "$d1" /tmp/small.raw)
expect_ok "unexport --delay 4000" hyper-dmabuf unexport --delay 4000 "$id"
expect_ok "domu1 still imports during the delay" \
	on domu1 hyper-dmabuf import "$id" --out /dev/null
withdrawn() {
	out=$(on domu1 hyper-dmabuf import "$id" --out /dev/null 2>&1)
	case $out in *"no such buffer"*) return 0 ;; esac
	return 1
}
wait_for -t 10 "after the delay: no such buffer" withdrawn || echo "# got: $out"

# --- events on both sides ---------------------------------------------------
hyper-dmabuf watch --json --timeout 15000 >/tmp/ev0 2>&1 &
w0=$!
on domu1 "hyper-dmabuf watch --json --timeout 15000 >/tmp/ev1 2>&1 </dev/null &"
# watching_in DOMU: a watch in DOMU holds the device open
watching_in() {
	on "$1" 'ls -l /proc/$(pidof hyper-dmabuf)/fd 2>/dev/null | grep -q /dev/hyper_dmabuf'
}
watching() { ls -l /proc/$w0/fd 2>/dev/null | grep -q /dev/hyper_dmabuf; }
wait_for "dom0's watch has the device open" watching
wait_for "domu1's watch has the device open" watching_in domu1
export_id "dom0 exports to domu1" \
	hdmabuf-test-xen serve --to "$d1" --size 65536 --seed 72 --persistent
on domu1 "hdmabuf-test-xen hold $id --size 65536 --seed 72 --expect-sigbus >/tmp/hold.out 2>&1 </dev/null &"
wait_for "domu1 maps the buffer" has_importers "$(serial_of "$id")" 1
expect_ok "dom0 signals 5" hyper-dmabuf signal "$id" 5
signalled() { on domu1 grep -q '"signalled"' /tmp/ev1; }
wait_for "domu1's watch sees it" signalled
expect_ok "dom0 revokes" hyper-dmabuf revoke "$id"
on domu1 'kill -USR1 $(pidof hdmabuf-test-xen)'
wait_for "domu1 lets go" has_importers "$(serial_of "$id")" ""
wait_for "dom0's watch sees the release" grep -q '"released"' /tmp/ev0
# domu1's watch holds the device open: it ends before the module goes
on domu1 'kill $(pidof hyper-dmabuf)'
expect_ok "domu1 unloads the module" on domu1 rmmod hyper_dmabuf
wait_for "dom0 sees domu1's module go" sh -c "! grep -q '^$d1 up' $dbg/xen_peers"
on domu1 modprobe hyper_dmabuf
wait_for "and come back" grep -q "^$d1 up" $dbg/xen_peers
wait_for "dom0's watch sees it come back" grep -q '"peer-up"' /tmp/ev0
kill $w0
wait $w0 2>/dev/null
ev0=$(jq -r '[.type, (.peer|tostring)] | join(":")' </tmp/ev0 | tr '\n' ' ')
ev1=$(on domu1 cat /tmp/ev1 | jq -r '.type' | tr '\n' ' ')
echo "# dom0 saw: $ev0"
echo "# domu1 saw: $ev1"
for e in imported:$d1 signalled:$d1 unexported:$d1 released:$d1 \
	peer-down:$d1 peer-up:$d1; do
	case " $ev0" in *" $e "*) ok "dom0 saw $e" ;; *) not_ok "dom0 saw $e" ;; esac
done
for e in offered signalled revoked; do
	case " $ev1" in *" $e "*) ok "domu1 saw $e" ;; *) not_ok "domu1 saw $e" ;; esac
done

expect_zero "dom0: counters back at zero"
expect_zero "domu1: counters back at zero" domu1
lab_done
