# SPDX-License-Identifier: GPL-2.0-or-later
# Checks of the CLI's output, for scenarios that run hyper-dmabuf against
# the module: . /lab/guest/clilib.sh (after testlib.sh). `run` keeps the
# tool's stdout, stderr and exit status; the expect_* below read them.

CLI_OUT=$PWD/cli.out
CLI_ERR=$PWD/cli.err

# run ARGS...: hyper-dmabuf ARGS; its status in $status
run() {
	hyper-dmabuf "$@" >"$CLI_OUT" 2>"$CLI_ERR"
	status=$?
}

# run_as USER ARGS...: run, as USER (busybox su); ARGS hold no spaces
run_as() {
	local user=$1
	shift
	su -s /bin/sh "$user" -c "exec hyper-dmabuf $*" >"$CLI_OUT" 2>"$CLI_ERR"
	status=$?
}

# cli_show: what the last run printed, for a failed check
cli_show() {
	echo "#   stdout: $(head -c 600 "$CLI_OUT" | tr '\n' '|')"
	echo "#   stderr: $(head -c 600 "$CLI_ERR" | tr '\n' '|')"
}

# cli_file out|err: the file holding the last run's stdout or stderr
cli_file() {
	if [ "$1" = out ]; then echo "$CLI_OUT"; else echo "$CLI_ERR"; fi
}

# expect_exit WHAT STATUS: the last run exited with STATUS
expect_exit() {
	if [ "$status" = "$2" ]; then ok "$1"
	else not_ok "$1: exit $status, not $2"; cli_show; fi
}

# expect_in WHAT out|err TEXT: the last run printed TEXT there
expect_in() {
	if grep -q -F -e "$3" "$(cli_file "$2")"; then ok "$1"
	else not_ok "$1: no '$3' on std$2"; cli_show; fi
}

# expect_line WHAT out|err REGEX: a whole line matches the extended REGEX
expect_line() {
	if grep -q -x -E -e "$3" "$(cli_file "$2")"; then ok "$1"
	else not_ok "$1: no line '$3' on std$2"; cli_show; fi
}

# expect_empty WHAT out|err: the last run printed nothing there
expect_empty() {
	if [ -s "$(cli_file "$2")" ]; then not_ok "$1: std$2 is not empty"; cli_show
	else ok "$1"; fi
}

# expect_lines WHAT N: the last run printed N lines on stdout
expect_lines() {
	expect_eq "$1" "$2" "$(wc -l <"$CLI_OUT" | tr -d ' ')"
}

# expect_json WHAT FILTER VALUE: jq FILTER of stdout prints VALUE (compact)
expect_json() {
	expect_eq "$1" "$3" "$(jq -c "$2" <"$CLI_OUT" 2>&1)"
}

# expect_event WHAT LINE FILTER VALUE: as expect_json, for line LINE
expect_event() {
	expect_eq "$1" "$4" "$(sed -n "$2p" "$CLI_OUT" | jq -c "$3" 2>&1)"
}

# expect_aligned WHAT: in stdout, a table, each column starts where its
# header does and no line ends with a space
expect_aligned() {
	local aligned
	aligned=$(awk 'NR == 1 { for (i = 1; i <= NF; i++) col[i] = index($0, $i); next }
		{ pos = 1; for (i = 1; i <= NF; i++) { at = index(substr($0, pos), $i) + pos - 1
			if (at != col[i]) bad = 1; pos = at + length($i) } }
		/ $/ { bad = 1 }
		END { print bad ? "no" : "yes" }' "$CLI_OUT")
	expect_eq "$1" yes "$aligned"
}

# wrong_key ID: ID with another key (its last digit changed)
wrong_key() {
	case $1 in
	*0) echo "${1%?}1" ;;
	*) echo "${1%?}0" ;;
	esac
}

# ms: milliseconds since boot
ms() {
	local up
	read -r up _ </proc/uptime
	echo $(($(echo "$up" | tr -d .) * 10))
}

# The CPU-access brackets the module is asked for (DMA_BUF_IOCTL_SYNC),
# seen by kprobes on its begin_cpu_access and end_cpu_access: sync_trace_on
# starts, syncs reads "begin DIR,end DIR," since the last read (DIR as the
# DMA API numbers it: 1 to the device, a write; 2 from it, a read),
# sync_trace_off ends.
SYNC_TRACE=/sys/kernel/tracing
sync_trace_on() {
	mount -t tracefs nodev $SYNC_TRACE 2>/dev/null
	echo 'p:hdmabuf/begin hyper_dmabuf:pagebuf_begin_cpu dir=$arg2:s32' \
		>>$SYNC_TRACE/kprobe_events &&
		echo 'p:hdmabuf/end hyper_dmabuf:pagebuf_end_cpu dir=$arg2:s32' \
			>>$SYNC_TRACE/kprobe_events &&
		echo 1 >$SYNC_TRACE/events/hdmabuf/enable &&
		echo >$SYNC_TRACE/trace
}

syncs() {
	sed -n -E 's/.* (begin|end): .* dir=(-?[0-9]+).*/\1 \2/p' $SYNC_TRACE/trace |
		tr '\n' ','
	echo >$SYNC_TRACE/trace
}

sync_trace_off() {
	echo 0 >$SYNC_TRACE/events/hdmabuf/enable
	echo '-:hdmabuf/begin' >>$SYNC_TRACE/kprobe_events
	echo '-:hdmabuf/end' >>$SYNC_TRACE/kprobe_events
}
