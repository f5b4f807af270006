#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ./lab bench: hyper-dmabuf against what users would otherwise use, each
# figure set against its baseline measured in the same boot (the lab runs
# under software emulation: only such ratios mean anything). Run in dom0
# with one domU (domu1), which shares; dom0 maps. docs/performance.md says
# what each figure is. hdmabuf-bench (tests/guest/bench.c) does the
# measuring; this script orders the runs, collects their "bench ..." lines
# and sends one CSV to the host:
#   figure,size,step,ours,baseline,ratio
# SIZE is pages, or live exports for "scale"; OURS and BASELINE are
# microseconds, or bytes for the kmem steps (which have no baseline).
# A figure that could not be measured is "failed" (the program said why) or
# "not measured" (no line came), never a number.
#
# Frames between domains: the time per frame of a stream of frames, ours
# (a pool of 3 exports, one signal per frame and one back) against a
# libxenvchan stream copy (per-frame), and against one local memcpy of the
# frame in dom0 (vs-memcpy).
#
# Settings from ./lab bench, in run.conf: LAB_BENCH_QUICK=1 for one size
# (2,025 pages), 3 runs, and 10 and 100 live exports.
. /lab/guest/lib.sh

B=hdmabuf-bench
if [ "${LAB_BENCH_QUICK:-0}" = 1 ]; then
	sizes=2025 big='' runs=3 rounds=20 fsizes=2025 frames=6 lives="10 100" sruns=5
else
	sizes="1 2025 8100" big=32400 runs=11 rounds=200 frames=30
	fsizes="2025 8100 32400"
	# one page each: cheap, and noisy under emulation, so more runs
	lives="10 100 1000" sruns=41
fi
res=$PWD/results.txt
: >"$res"
d1=$(lab-channel domid domu1) || { echo "bench: no domu1: $d1"; exit 1; }

# same_domu: domu1 is still the domain the run began with (a domU that
# crashes is restarted by Xen under a new id, without what the run set up)
same_domu() { [ "$(lab-channel domid domu1 2>/dev/null)" = "$d1" ]; }

# keep RESULT-LINES: the "bench" lines into results.txt, everything shown
keep() {
	tee -a "$res.log" | while IFS= read -r line; do
		echo "$line"
		case $line in bench\ *) echo "$line" >>"$res" ;; esac
	done
}

# note FIGURE SIDE PAGES STEP WHY...: a figure that failed before its
# program could say so
note_failed() {
	local fig=$1 side=$2 n=$3 step=$4
	shift 4
	echo "bench $fig $side $n $step failed $*" | keep
}

# in_domu CMD...: CMD in domu1, its lines kept
in_domu() {
	on -t 900 domu1 "$*" 2>&1 | keep
}

# in_dom0 CMD...: CMD here, its lines kept
in_dom0() {
	"$@" 2>&1 | keep
}

# hold NAME CMD...: CMD in the background in domu1 (output in
# /tmp/NAME.out), until it prints its first line of "refs", "id", "ids",
# "ready" or "error"; sets $held to that line. False when it said "error" or
# nothing within 300 s.
hold() {
	local name=$1 i out
	shift
	held=
	if ! same_domu; then
		held="error: domu1 is no longer domain $d1: it went away (its console says why)"
		return 1
	fi
	on domu1 "$* >/tmp/$name.out 2>&1 </dev/null & echo \$! >/tmp/$name.pid"
	for i in $(seq 600); do
		out=$(on domu1 "grep -e '^refs ' -e '^id ' -e '^ids ' -e '^ready' -e '^error' /tmp/$name.out | head -n 1" 2>/dev/null)
		if [ -n "$out" ]; then
			held=$out
			case $out in error*) return 1 ;; esac
			return 0
		fi
		# ended without a word of the kind (no device, a crash)
		if ! on domu1 "kill -0 \$(cat /tmp/$name.pid) 2>/dev/null"; then
			held="error: '$*' ended: $(on domu1 head -n 3 /tmp/$name.out 2>&1 | tr '\n' ' ')"
			return 1
		fi
		sleep 0.5
	done
	held="error: nothing from '$*' in 300 s: $(on domu1 cat /tmp/$name.out | head -n 3)"
	return 1
}

# unhold NAME [ends]: the background program stops (SIGTERM; with
# "ends", it ends on its own) within 120 s; its output is shown
unhold() {
	local i
	[ "${2:-}" = ends ] || on domu1 "kill -TERM \$(cat /tmp/$1.pid) 2>/dev/null"
	for i in $(seq 240); do
		on domu1 "grep -q -e '^done' -e '^error' /tmp/$1.out" && break
		on domu1 "kill -0 \$(cat /tmp/$1.pid) 2>/dev/null" || break
		sleep 0.5
	done
	on domu1 cat /tmp/$1.out | grep -v -e '^refs ' | sed 's/^/# domu1 /'
}

# map_floor N: the figures of an N-page buffer. Xen's map comes last
# (LAST=1 for the size whose libxengnttab map may fail: after such a
# failure even small maps fail in later processes of the same boot)
map_floor() {
	local n=$1
	echo "# --- map floor, $n pages ---"
	in_domu $B share-time --to 0 --pages "$n" --runs "$runs"
	in_domu $B export-time --to 0 --pages "$n" --runs "$runs"
	if hold export $B export-hold --to 0 --pages "$n"; then
		in_dom0 $B import-map "${held#id }" --pages "$n" --runs "$runs"
	else
		for s in map first-access map+touch unmap; do
			note_failed map-floor ours "$n" $s "the export in domu1: $held"
		done
	fi
	unhold export
	if hold gntshr $B gntshr-hold --to 0 --pages "$n"; then
		# a big share's refs are too many for an argument
		on domu1 "grep '^refs ' /tmp/gntshr.out" >refs.txt
		in_dom0 $B gnttab-map --from "$d1" --refs @refs.txt --pages "$n" \
			--runs "$runs"
	else
		for s in map first-access map+touch unmap; do
			note_failed map-floor xen "$n" $s "the share in domu1: $held"
		done
	fi
	unhold gntshr
}

echo "# bench: domu1 is domain $d1 ($LAB_DOMU_TYPES), sizes $sizes${big:+ $big}, $runs runs, $rounds rounds"

# libxenvchan needs the event channel device, which the domU's init does
# not load; big shares need gntalloc's limit (pages per domain, 1024 by
# default) raised in the sharing domain
on domu1 'modprobe xen-evtchn && modprobe xen-gntalloc && modprobe xen-gntdev &&
	{ echo 131072 >/sys/module/xen_gntalloc/parameters/limit 2>/dev/null ||
	  { modprobe -r xen-gntalloc && modprobe xen-gntalloc limit=131072; }; } &&
	echo "# domu1: xen-gntalloc limit $(cat /sys/module/xen_gntalloc/parameters/limit)"' ||
	echo "# domu1: could not raise xen-gntalloc's limit"
modprobe xen-evtchn 2>/dev/null
modprobe xen-gntdev 2>/dev/null

for n in $sizes; do
	map_floor "$n"
done

echo "# --- notification round trip ---"
if hold sig $B sig-serve --to 0 --rounds "$rounds"; then
	in_dom0 $B sig-ping "${held#id }" --rounds "$rounds"
else
	note_failed roundtrip ours 1 signal "the export in domu1: $held"
fi
unhold sig ends
xs=/local/domain/$d1/data/bench-vchan
if hold vchan $B vchan-echo --peer 0 --path "$xs" --rounds "$rounds"; then
	in_dom0 $B vchan-ping --domid "$d1" --path "$xs" --rounds "$rounds"
else
	note_failed roundtrip xen 1 signal "the vchan server in domu1: $held"
fi
unhold vchan ends
xenstore-rm "$xs" 2>/dev/null

# frames_between N: F frames of N pages from domu1 to dom0, our hand-off
# of a pool of 3 exports against a libxenvchan stream (fewer frames for the
# big ones: a 4K frame takes seconds through it); and a local memcpy of the
# frame in dom0 as the yardstick
frames_between() {
	local n=$1 xs=/local/domain/$d1/data/bench-stream vframes=$frames
	[ "$n" -lt 8100 ] || vframes=$((frames < 8 ? frames : 8))
	[ "$n" -lt 32400 ] || vframes=$((frames < 3 ? frames : 3))
	echo "# --- frames between domains, $n pages, $frames frames ---"
	in_dom0 $B memcpy-time --pages "$n" --runs "$runs"
	if hold frames $B frames-serve --to 0 --pages "$n" --frames "$frames"; then
		in_dom0 $B frames-take "${held#ids }" --pages "$n" --frames "$frames"
	else
		note_failed frames ours "$n" per-frame "the exports in domu1: $held"
	fi
	unhold frames ends
	if hold stream $B vchan-stream --peer 0 --path "$xs" --pages "$n" --frames "$vframes"; then
		in_dom0 $B vchan-take --domid "$d1" --path "$xs" --pages "$n" --frames "$vframes"
	else
		note_failed frames xen "$n" per-frame "the vchan server in domu1: $held"
	fi
	unhold stream ends
	xenstore-rm "$xs" 2>/dev/null
}
for n in $fsizes; do
	frames_between "$n"
done

# scale L: with L one-page exports live in domu1 (and L-1 of them imported
# in dom0), the time of one more export, unexport, import and release; the
# kernel memory per export and per import. Set against L = 10.
scale() {
	local l=$1
	echo "# --- scale, $l live exports ---"
	if hold scale $B scale-hold --to 0 --live "$l" --ids /tmp/scale.ids --runs "$sruns"; then
		on domu1 "grep '^bench ' /tmp/scale.out" | keep
		on domu1 cat /tmp/scale.ids >scale.ids
		in_dom0 $B scale-import --ids scale.ids --live "$l" --runs "$sruns"
	else
		for s in export unexport kmem-per-export import release kmem-per-import; do
			note_failed scale ours "$l" $s "the exports in domu1: $held"
		done
	fi
	unhold scale
}
for l in $lives; do
	scale "$l"
done

# last: its libxengnttab map is expected to fail in a PV dom0
[ -z "$big" ] || map_floor "$big"

# the CSV: every figure expected, each side's median or why not
expected=
for n in $sizes $big; do
	for s in share unshare map first-access map+touch unmap; do
		expected="$expected map-floor,$n,$s"
	done
done
expected="$expected roundtrip,1,signal"
for n in $fsizes; do
	expected="$expected frames,$n,per-frame frames,$n,cpu-per-frame frames,$n,vs-memcpy"
done
for l in $lives; do
	[ "$l" = 10 ] && continue
	expected="$expected scale,$l,export scale,$l,unexport scale,$l,import scale,$l,release"
done
expected="$expected scale,${lives##* },kmem-per-export scale,${lives##* },kmem-per-import"
awk -v expected="$expected" '
$1 == "bench" && $2 != "detail" {
	key = $2 "," $4 "," $5
	v = $6
	if (v == "failed") v = "failed"
	else { sub(/^(median_us|bytes)=/, "", v) }
	if ($2 == "memcpy") base["frames," $4 ",vs-memcpy"] = v
	else if ($3 == "ours") ours[key] = v
	else base[key] = v
	# the hand-off set against a local copy of the frame too
	if ($2 == "frames" && $3 == "ours" && $5 == "per-frame")
		ours["frames," $4 ",vs-memcpy"] = v
	# scale: set against the same step with 10 live
	if ($2 == "scale" && $4 == 10) scale10[$5] = v
}
function num(x) { return x ~ /^[0-9.]+$/ }
END {
	print "figure,size,step,ours,baseline,ratio"
	n = split(expected, keys, " ")
	for (i = 1; i <= n; i++) {
		k = keys[i]
		split(k, f, ",")
		if (f[1] == "scale" && f[3] !~ /^kmem/)
			base[k] = (f[3] in scale10) ? scale10[f[3]] : "not measured"
		o = (k in ours) ? ours[k] : "not measured"
		b = (k in base) ? base[k] : "not measured"
		# bytes of kernel memory: no alternative to set them against
		if (f[3] ~ /^kmem/) { print k "," o ",,no baseline"; continue }
		# two decimals, or two significant digits below 0.1
		if (num(o) && num(b) && b + 0 > 0)
			r = sprintf(o / b < 0.1 ? "%.2g" : "%.2f", o / b)
		# a median of 0: the guest clock did not move (seen under load)
		else if (num(o) && num(b)) r = "zero median"
		else if (o == "failed" || b == "failed") r = "failed"
		else r = "not measured"
		print k "," o "," b "," r
	}
}' "$res" >bench.csv
echo "# bench.csv:"
sed 's/^/#   /' bench.csv
cp "$res.log" bench-log.txt
lab_send_file bench.csv bench.csv || { echo "bench: cannot send bench.csv"; exit 1; }
lab_send_file bench-log.txt bench-log.txt
if ! same_domu; then
	echo "bench: domu1 (domain $d1) went away during the run: the figures after it are missing"
	exit 1
fi
exit 0
