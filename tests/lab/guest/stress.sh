# SPDX-License-Identifier: GPL-2.0-or-later
# The stress run between dom0, domu1 and domu2, for scenarios (after
# . /lab/guest/testlib.sh): . /lab/guest/stress.sh, then
#
#   stress_run CYCLES THREADS KILL_EVERY [ARGS...]
#
# links domu1 and domu2, starts hdmabuf-test-stress (tests/guest/
# test-stress.c) in the three domains, CYCLES in all split between them,
# each with THREADS exporter and THREADS importer threads sharing with
# both others, its worker killed every KILL_EVERY of its cycles (0:
# never), ARGS passed on; once every domain's exports are done it stops
# them, shows each one's figures and their sums ("# total NAME VALUE"),
# and checks that none failed, that the module's counters are back at
# zero everywhere, that no grant of any of the three is left mapped by
# another domain but what was before, and that each message a module
# dropped (its channels' "bad" count) was well formed and only out of
# place: a notice about an import or a lend that has just gone, which
# races make. The module's debug line of each drop, turned on meanwhile,
# says so: -ENOENT.
#
# STRESS_DONE_TIMEOUT (seconds, default 3600) bounds the wait for the
# exports; the scenario's own time limit should be above it. With
# STRESS_RELOAD_AFTER=SECONDS, that long into the run domu2's program is
# stopped, the module unloaded there (once its peers let go of what it
# lent them) and loaded again while dom0 and domu1 go on, and a new
# program does domu2's cycles left: a peer whose module goes away and
# comes back, seen by the others mid-run.

STRESS_DONE_TIMEOUT=${STRESS_DONE_TIMEOUT:-3600}
STRESS_DDEBUG=/sys/kernel/debug/dynamic_debug/control

# stress_in WHERE CMD: CMD (a shell command line) in dom0 or in a domU
stress_in() {
	if [ "$1" = dom0 ]; then
		sh -c "$2"
	else
		on -t 100 "$1" "$2"
	fi
}

# stress_at WHAT: how long the run has taken up to WHAT
stress_at() {
	echo "# [$(($(date +%s) - stress_t0))s] $*"
}

# stress_peer_up DOMU DOMID: DOMU's channel to DOMID is up
stress_peer_up() {
	on "$1" grep -q "^$2 up " $HD_DEBUGFS/xen_peers
}

# stress_grants: of each of dom0, domu1 and domu2, the grants another
# domain maps, from one dump of Xen's
stress_grants() {
	grants_in_use 0 "$stress_d1" "$stress_d2"
}

# What a domain does before its run: mark where its kernel log ends,
# turn on the module's line for each message it drops, note its
# channels' "bad" counts, and start the stress program in the background,
# its exit status appended to its output.
stress_start_cmd() {
	cat <<EOC
[ -e /tmp/stress.part ] || wc -c </run/lab/kmsg >/tmp/stress.kmsg-mark
echo 'module hyper_dmabuf format dropped +p' >$STRESS_DDEBUG
awk '{ for (i = 1; i < NF; i++) if (\$i == "bad") n += \$(i + 1) } END { print n + 0 }' \
	$HD_DEBUGFS/xen_peers >/tmp/stress.bad0
rm -f /tmp/stress.out
(hdmabuf-test-stress $* >/tmp/stress.out 2>&1 </dev/null & echo \$! >/tmp/stress.pid
 wait \$!; echo "stress-exit \$?" >>/tmp/stress.out) >/dev/null 2>&1 </dev/null &
EOC
}

# What a domain does to end its run: stop the program (SIGTERM), wait a
# minute at most for it to print its figures and end, and say what it
# printed, then the module's counters once at zero (30 s at most, as
# expect_zero: releases are asynchronous), its channels, their "bad"
# counts before, and the drops its kernel logged.
stress_end_cmd() {
	cat <<EOC
kill -TERM \$(cat /tmp/stress.pid)
i=0
while ! grep -q '^stress-exit' /tmp/stress.out && [ \$i -lt 300 ]; do
	sleep 0.2
	i=\$((i + 1))
done
echo 'module hyper_dmabuf format dropped -p' >$STRESS_DDEBUG
cat /tmp/stress.part /tmp/stress.out 2>/dev/null
rm -f /tmp/stress.part
i=0
while [ "\$(tr '\\n' ' ' <$HD_DEBUGFS/counters)" != "$HD_ZERO " ] && [ \$i -lt 150 ]; do
	sleep 0.2
	i=\$((i + 1))
done
echo "@@ counters \$(tr '\\n' ' ' <$HD_DEBUGFS/counters)"
echo '@@ peers'
cat $HD_DEBUGFS/xen_peers
echo "@@ bad0 \$(cat /tmp/stress.bad0)"
echo '@@ drops'
tail -c +\$((\$(cat /tmp/stress.kmsg-mark) + 1)) /run/lab/kmsg |
	sed -n 's/.*hyper_dmabuf: \(message .* dropped: .*\)/\1/p'
EOC
}

# stress_reload: domu2's program stopped, its output kept, the module
# unloaded and loaded again, a program started for the cycles left
stress_reload() {
	local started rest
	stress_at "reloading the module in domu2"
	stress_in domu2 "kill -TERM \$(cat /tmp/stress.pid); i=0
		while ! grep -q '^stress-exit' /tmp/stress.out && [ \$i -lt 300 ]; do
			sleep 0.2; i=\$((i + 1))
		done
		cat /tmp/stress.out >>/tmp/stress.part"
	started=$(stress_in domu2 "sed -n 's/^stress export.started //p' /tmp/stress.out")
	wait_for -t 120 "domu2 unloads the module once its peers let go of what it lent" \
		on domu2 rmmod hyper_dmabuf
	wait_for -t 60 "dom0 sees domu2's module go" \
		sh -c "! grep -q '^$stress_d2 up ' $HD_DEBUGFS/xen_peers"
	expect_ok "domu2 loads the module again" on domu2 modprobe hyper_dmabuf
	wait_for -t 60 "dom0 sees domu2 up again" \
		grep -q "^$stress_d2 up " $HD_DEBUGFS/xen_peers
	wait_for -t 60 "domu1 sees domu2 up again" stress_peer_up domu1 "$stress_d2"
	rest=$((stress_n2 - ${started:-0}))
	[ $rest -ge 0 ] || rest=0
	stress_in domu2 "$(stress_start_cmd --peers "0,$stress_d1" \
		--cycles $rest --seed 4 $stress_args)"
	stress_at "domu2 goes on with its $rest cycles left"
	stress_reloads=$((stress_reloads + 1))
}

stress_run() {
	local total=$1 threads=$2 kill_every=$3 n0 n1 n2 where args i
	local done_in left still bad peers drops all t1 parts
	shift 3
	stress_t0=$(date +%s)
	stress_d1=$(lab-channel domid domu1)
	stress_d2=$(lab-channel domid domu2)
	hyper-dmabuf unlink "$stress_d1" "$stress_d2" >/dev/null 2>&1
	expect_ok "dom0 links domu1 and domu2" \
		hyper-dmabuf link "$stress_d1" "$stress_d2" || return 1
	wait_for "domu1 sees domu2 up" stress_peer_up domu1 "$stress_d2" &&
		wait_for "domu2 sees domu1 up" stress_peer_up domu2 "$stress_d1" ||
		return 1
	stress_at "linked"
	stress_base=$(stress_grants)
	stress_at "grants of dom0, domu1, domu2 another domain maps: $stress_base"

	# the cycles, split in three; dom0 takes what is left over
	n1=$((total / 3))
	n2=$((total / 3))
	n0=$((total - n1 - n2))
	args="--threads $threads --kill-every $kill_every $*"
	stress_args=$args
	stress_n2=$n2
	stress_reloads=0
	for where in dom0 domu1 domu2; do
		stress_in $where "rm -f /tmp/stress.part"
	done
	# side by side: on takes a while
	stress_in domu1 "$(stress_start_cmd --peers "0,$stress_d2" \
		--cycles $n1 --seed 2 $args)" &
	stress_in domu2 "$(stress_start_cmd --peers "0,$stress_d1" \
		--cycles $n2 --seed 3 $args)" &
	stress_in dom0 "$(stress_start_cmd --peers "$stress_d1,$stress_d2" \
		--cycles $n0 --seed 1 $args)"
	wait
	stress_at "started: $total cycles, dom0 $n0, domu1 ($stress_d1) $n1, domu2 ($stress_d2) $n2; $threads threads each way in each, a kill every $kill_every"
	t1=$(date +%s)

	# every domain's exports done; the latest progress each minute or so
	left="dom0 domu1 domu2"
	i=0
	while :; do
		still=
		for where in $left; do
			# dom0 is asked at no cost: the domUs once it is done
			case $still in *dom0*) still="$still $where"; continue ;; esac
			stress_in $where "grep -q -e '^exports done' -e '^stress-exit' /tmp/stress.out" ||
				still="$still $where"
		done
		left=$still
		[ -z "$left" ] && break
		if [ -n "${STRESS_RELOAD_AFTER:-}" ] && [ $stress_reloads -eq 0 ] &&
			[ $(($(date +%s) - t1)) -ge "$STRESS_RELOAD_AFTER" ]; then
			stress_reload
			continue
		fi
		if [ $(($(date +%s) - t1)) -ge "$STRESS_DONE_TIMEOUT" ]; then
			not_ok "every domain's exports done within ${STRESS_DONE_TIMEOUT}s: not $left"
			break
		fi
		i=$((i + 1))
		if [ $((i % 60)) -eq 0 ]; then
			for where in dom0 domu1 domu2; do
				stress_in $where "grep '^# progress' /tmp/stress.out | tail -n 1"
			done
		fi
		sleep 1
	done
	done_in=$(($(date +%s) - t1))
	[ -z "$left" ] && ok "every domain's exports done, in ${done_in}s"
	stress_at "exports done"

	# stop the three, side by side; each prints its figures
	for where in domu1 domu2 dom0; do
		stress_in $where "$(stress_end_cmd)" >/tmp/stress.$where &
	done
	wait
	stress_at "stopped, figures collected"
	: >/tmp/stress.all
	for where in dom0 domu1 domu2; do
		sed '/^@@ /,$d' /tmp/stress.$where >/tmp/stress.out.$where
		parts=1
		[ $where != domu2 ] || parts=$((1 + stress_reloads))
		expect_eq "$where: the stress program ends once told" $parts \
			"$(grep -c '^stress-exit' /tmp/stress.out.$where)"
		grep -v -e '^stress ' -e '^# progress' -e '^ok - ' /tmp/stress.out.$where |
			sed "s/^/# $where: /"
		grep '^stress ' /tmp/stress.out.$where >>/tmp/stress.all
		expect_eq "$where: no failure" "" \
			"$(grep '^not ok' /tmp/stress.out.$where | head -n 3)"
		expect_eq "$where: the stress program's verdict" "" \
			"$(grep '^stress-exit' /tmp/stress.out.$where | grep -v '^stress-exit 0$')"
	done
	# the sums of the three
	awk '$1 == "stress" && $2 != "seconds" && $2 != "cycles" && $2 != "threads" {
			if (!($2 in seen)) { seen[$2] = 1; order[n++] = $2 }
			if ($2 ~ /-max$/) { if ($3 > sum[$2]) sum[$2] = $3 } else sum[$2] += $3 }
		END {
			for (i = 0; i < n; i++)
				printf "# total %s %d\n", order[i], sum[order[i]]
			c = sum["latency.export-to-1.count"]
			if (c)
				printf "# total latency.export-to-1.ms-mean %d\n",
					sum["latency.export-to-1.ms-sum"] / c
		}' /tmp/stress.all
	all=$(awk '$2 == "export.started" { s += $3 } END { print s + 0 }' /tmp/stress.all)
	expect_eq "every cycle started" "$total" "$all"
	echo "# $all cycles in ${done_in}s, $threads threads each way in each domain"

	# nothing left behind
	for where in dom0 domu1 domu2; do
		expect_eq "$where: counters back at zero" "$HD_ZERO " \
			"$(sed -n 's/^@@ counters //p' /tmp/stress.$where)"
	done
	expect_eq "no grant of dom0, domu1, domu2 left mapped by another domain" \
		"$stress_base" "$(stress_grants)"
	stress_at "counters and grants checked"
	for where in dom0 domu1 domu2; do
		peers=$(sed -n '/^@@ peers/,/^@@ bad0/p' /tmp/stress.$where | grep -v '^@@')
		echo "$peers" | sed "s/^/# $where channel: /"
		expect_eq "$where: both channels up" 2 "$(echo "$peers" | grep -c ' up ')"
		bad=$(echo "$peers" |
			awk '{ for (i = 1; i < NF; i++) if ($i == "bad") n += $(i + 1) } END { print n + 0 }')
		bad=$((bad - $(sed -n 's/^@@ bad0 //p' /tmp/stress.$where)))
		drops=$(sed '1,/^@@ drops/d' /tmp/stress.$where)
		[ -z "$drops" ] || echo "$drops" | sed 's/ from domain [0-9]*//' |
			sort | uniq -c | sed "s/^ */# $where: dropped, times: /"
		if [ $where != domu2 ] || [ $stress_reloads -eq 0 ]; then
			expect_eq "$where: each message its channels counted bad is one the module says it dropped" \
				"$bad" "$(echo "$drops" | grep -c dropped)"
		else
			skip "$where: each message its channels counted bad is one the module says it dropped" \
				"its module was reloaded: its channels, and their counts, were made anew"
		fi
		expect_eq "$where: each was well formed, and out of place (ENOENT)" "" \
			"$(echo "$drops" | grep -v -e ' dropped: -2$' -e '^$' | head -n 3)"
	done
	expect_ok "dom0 unlinks domu1 and domu2" \
		hyper-dmabuf unlink "$stress_d1" "$stress_d2"
	stress_at "checked"
}
