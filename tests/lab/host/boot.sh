# SPDX-License-Identifier: GPL-2.0-or-later
# Boot one lane under QEMU, follow its console, and turn the @@LAB: lines
# the guests print into stages and results.
#
# In: LAB_LANE, LAB_RUN (this run's folder, with the images), LAB_DOMU_TYPES
# (one type per domU), LAB_SCENARIO_NAMES, LAB_SCENARIO_TIMEOUT,
# LAB_DOMU_BOOT_TIMEOUT, LAB_SHOW_OUTPUT (1: print scenario output live).
# Out: one lab_result per scenario plus one for the boot itself;
# LAB_SCENARIO_RC (exit status of the last scenario), LAB_BOOT_OK; the
# files the guests sent, in $LAB_RUN/files.

LAB_XEN_CMDLINE="console=com1 com1=115200,8n1 dom0_mem=768M,max:768M"
LAB_XEN_CMDLINE+=" loglvl=all guest_loglvl=all"
# Xen drops console output while its serial buffer (16 KiB by default) is
# full, and the scenarios' grant and domain dumps are large: room for them
# on the line and in the ring 'xl dmesg' reads
LAB_XEN_CMDLINE+=" serial_tx_buffer=4M conring_size=8M"
# Cheap memory-error checks of Debian's kernel, on in every guest (its 6.1
# has no KFENCE and no KASAN)
LAB_KERNEL_CHECKS="slub_debug=FZPU page_poison=1"
LAB_KERNEL_CHECKS+=" panic_on_warn=1 oops=panic panic=-1"

lab_xen_image() {
	local xen=$LAB_IMAGES/xen-4.17
	[ -f /boot/xen-4.17-$LAB_ARCH.gz ] ||
		die "/boot/xen-4.17-$LAB_ARCH.gz is missing (package xen-hypervisor-4.17-$LAB_ARCH)"
	# QEMU's multiboot loader wants the plain ELF image
	[ "$xen" -nt /boot/xen-4.17-$LAB_ARCH.gz ] ||
		zcat /boot/xen-4.17-$LAB_ARCH.gz >"$xen" || die "cannot unpack Xen"
	echo "$xen"
}

lab_qemu_cmd() {
	local image=$LAB_RUN/$LAB_LANE.cpio mem
	case $LAB_LANE in
	plain)
		QEMU_CMD=(qemu-system-x86_64 -accel tcg -cpu max -m 1024 -smp 2
			-nographic -no-reboot -kernel "$LAB_VMLINUZ" -initrd "$image"
			-append "console=ttyS0 quiet $LAB_KERNEL_CHECKS ${LAB_KERNEL_EXTRA:-}")
		;;
	xen)
		case "$LAB_VMLINUZ$image" in *,*)
			die "QEMU cannot take paths with commas: $LAB_VMLINUZ $image" ;;
		esac
		mem=$((768 + ${#LAB_DOMU_TYPES[@]} * LAB_DOMU_MEMORY + 512))
		QEMU_CMD=(qemu-system-x86_64 -accel tcg -cpu qemu64,+svm,+npt
			-m "$mem" -smp 2 -nographic -no-reboot
			-kernel "$(lab_xen_image)"
			-append "$LAB_XEN_CMDLINE${LAB_DOMU_GRANT_FRAMES:+ gnttab_max_frames=$LAB_DOMU_GRANT_FRAMES}"
			-initrd "$LAB_VMLINUZ console=hvc0 earlyprintk=xen quiet $LAB_KERNEL_CHECKS ${LAB_KERNEL_EXTRA:-},$image")
		;;
	esac
}

# How long a stage may go without news, and what it waits for; a debug
# kernel is slower (LAB_TIME_FACTOR).
stage_allowance() {
	local s
	case $1 in
	xen) s=120 ;;
	kernel | dom0-kernel) s=180 ;;
	toolstack | module-load) s=90 ;;
	# the time limits given (already longer with a debug kernel), and a
	# minute more
	domu-start) echo $((LAB_DOMU_BOOT_TIMEOUT + 60 * LAB_TIME_FACTOR)); return ;;
	test) echo $((LAB_SCENARIO_TIMEOUT + 60 * LAB_TIME_FACTOR)); return ;;
	# run-scenarios' left_behind: a minute per domain at most
	after) s=300 ;;
	*) s=120 ;;
	esac
	echo $((s * LAB_TIME_FACTOR))
}

stage_text() {
	case $1 in
	xen) echo "Xen is booting" ;;
	kernel) echo "the kernel is booting" ;;
	dom0-kernel) echo "dom0's kernel is booting" ;;
	test) echo "running ${2:-}" ;;
	*) echo "${2:-$1}" ;;
	esac
}

boot_set_stage() {
	BOOT_STAGE=$1
	BOOT_WHAT=$(stage_text "$1" "${2:-}")
	BOOT_STAGE_T0=$SECONDS
	BOOT_DEADLINE=$((SECONDS + $(stage_allowance "$1")))
	BOOT_NEXT_BEAT=$((SECONDS + 30))
	# the checks after each scenario speak only when they take long
	[ "$1" = after ] || say "$LAB_LANE: [$BOOT_STAGE] $BOOT_WHAT"
}

# What a kernel or Xen prints on the console when it finds a bug or
# corruption: the guests' list (LAB_REPORT_RE in tests/lab/guest/lib.sh)
# and Xen's own, a guest it had to kill among them (a triple fault leaves
# nothing on the guest's own console).
LAB_CONSOLE_REPORT_RE=$(sed -n "s/^LAB_REPORT_RE='\(.*\)'\$/\1/p" "$LAB_GUEST_SRC/lib.sh")
LAB_CONSOLE_REPORT_RE+='|Xen BUG at|FATAL TRAP|\(XEN\) Panic|Triple fault|domain_crash'

# What a report means, when the lab knows more than the line says.
report_hint() {
	case $1 in
	*'Triple fault'*)
		echo " (this lab's PVH domUs also triple-fault without the module: docs/lab.md says how to tell)" ;;
	esac
}

# Handle one console line.
boot_line() {
	local line=$1 msg name status rc secs why
	case $line in
	*"(XEN) *** Building a "*"Dom0"*) boot_set_stage dom0-kernel ;;
	*@@LAB:*) ;;
	*)
		# a report on the console belongs to the scenario running
		if [[ $line =~ $LAB_CONSOLE_REPORT_RE ]]; then
			BOOT_REPORTS+=("${BOOT_SCENARIO:-$BOOT_STAGE}	$line")
		fi
		return
		;;
	esac
	msg=${line#*@@LAB:}
	case $msg in
	stage:*)
		msg=${msg#stage:}
		boot_set_stage "${msg%%:*}" "${msg#*:}"
		# the lab's checks after a scenario are still that scenario's
		case $BOOT_STAGE in
		test) BOOT_SCENARIO=${msg#*:} ;;
		after) ;;
		*) BOOT_SCENARIO= ;;
		esac
		;;
	out:*)
		msg=${msg#out:}
		name=${msg%%:*}
		printf '%s\n' "${msg#*:}" >>"$LAB_RUN/out/$name.log"
		[ "$LAB_SHOW_OUTPUT" = 1 ] && printf '%s\n' "${msg#*:}"
		;;
	log:*) printf '%s\n' "${msg#log:}" >>"$LAB_RUN/guest-logs.txt" ;;
	file:*) boot_file_chunk "${msg#file:}" ;;
	file-end:*) boot_file_end "${msg#file-end:}" ;;
	skip:*)
		msg=${msg#skip:}
		name=${msg%%:*}
		BOOT_SKIPS+=("$name	${msg#*:}")
		;;
	result:*)
		IFS=: read -r _ name status rc secs why <<<"$msg"
		LAB_SCENARIO_RC=$rc
		BOOT_DONE_SCENARIOS+=("$name")
		BOOT_DEADLINE=$((SECONDS + $(stage_allowance test)))
		boot_result "$name" "$status" "$rc" "$secs" "$why"
		;;
	fail:*)
		msg=${msg#fail:}
		BOOT_FAILURE="failed at stage ${msg%%:*}: ${msg#*:}"
		;;
	done) BOOT_FINISHED=1 ;;
	esac
}

# The lines of BOOT_REPORTS or BOOT_SKIPS (tab-separated) whose first
# field is $2, without it; $1 names the array.
boot_entries_of() {
	local -n entries=$1
	local e
	for e in "${entries[@]}"; do
		[ "${e%%$'\t'*}" = "$2" ] && printf '%s\n' "${e#*$'\t'}"
	done
}

boot_result() {
	local name=$1 status=$2 rc=$3 secs=$4 why=${5:-} detail="${4}s" reports skip
	case $status in
	fail) detail="exit status $rc, ${secs}s" ;;
	timeout) detail="killed after ${LAB_SCENARIO_TIMEOUT}s" ;;
	skip) detail="exit status 77" ;;
	esac
	# what the guest found after the scenario, and what the console showed
	[ -n "$why" ] && detail="$why; $detail"
	reports=$(boot_entries_of BOOT_REPORTS "$name" | head -n 3)
	if [ -n "$reports" ]; then
		[ "$status" = timeout ] || status=fail
		detail="the console showed: $(head -n 1 <<<"$reports")$(report_hint "$reports"); $detail"
	fi
	if [ "$status" != pass ] && [ "$status" != skip ] && [ "$LAB_SHOW_OUTPUT" != 1 ]; then
		echo "---- output of $name ($LAB_LANE lane) ----"
		tail -n 60 "$LAB_RUN/out/$name.log" 2>/dev/null
		echo "----"
	fi
	# ./lab run's exit status: a scenario failed by the lab is no pass
	if [ "$status" = fail ] && [ "$rc" = 0 ]; then
		LAB_SCENARIO_RC=1
	fi
	# each check skipped inside the scenario is a result of its own
	while IFS= read -r skip; do
		[ -n "$skip" ] && lab_result "$LAB_LANE" "$name" skip "$skip"
	done < <(boot_entries_of BOOT_SKIPS "$name")
	lab_result "$LAB_LANE" "$name" "$status" "$detail"
}

# Files a guest sends with lab_send_file (tests/lab/guest/lib.sh): the
# base64 lines gather in files/.partial/NAME.b64, and the end line has them
# decoded into files/NAME, checked against the guest's md5sum. NAME is a
# plain file name (never a path, never hidden), so a guest writes nowhere
# else.
boot_file_name_ok() {
	[[ $1 =~ ^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$ ]]
}

# "NAME:CHUNK" of a file line
boot_file_chunk() {
	local name=${1%%:*} chunk=${1#*:}
	if [[ $1 != *:* ]] || ! boot_file_name_ok "$name"; then
		warn "$LAB_LANE: a file line without a plain file name: ${1:0:80}"
		return
	fi
	if [[ $chunk =~ ^[A-Za-z0-9+/]*=*$ ]]; then
		printf '%s\n' "$chunk" >>"$LAB_RUN/files/.partial/$name.b64"
	else
		# mixed with other console output: the file cannot come whole
		BOOT_FILES_DAMAGED+=" $name "
	fi
}

# "NAME:gzip|plain:MD5" of a file-end line
boot_file_end() {
	local name enc sum dir=$LAB_RUN/files part why=
	IFS=: read -r name enc sum <<<"$1"
	if ! boot_file_name_ok "$name"; then
		warn "$LAB_LANE: a file-end line without a plain file name: ${1:0:80}"
		return
	fi
	part=$dir/.partial/$name
	rm -f "$dir/$name"
	[ -f "$part.b64" ] || : >"$part.b64"	# an empty file sends no line
	if [[ $BOOT_FILES_DAMAGED == *" $name "* ]]; then
		why="a line of it came mixed with other output"
	elif [ "$enc" != gzip ] && [ "$enc" != plain ]; then
		why="unknown encoding '$enc'"
	elif ! base64 -d "$part.b64" >"$part.data" 2>/dev/null; then
		why="its base64 does not decode"
	elif [ "$enc" = gzip ] && ! gzip -dc <"$part.data" >"$part.out" 2>/dev/null; then
		why="its gzip data is damaged"
	elif [ "$enc" = plain ] && ! mv -f "$part.data" "$part.out"; then
		why="cannot move $part.data"
	elif [ "$(md5sum <"$part.out" | cut -d' ' -f1)" != "$sum" ]; then
		why="its md5sum is not the guest's $sum"
	fi
	BOOT_FILES_DAMAGED=${BOOT_FILES_DAMAGED// $name /}
	if [ -z "$why" ] && mv -f "$part.out" "$dir/$name"; then
		rm -f "$part.b64" "$part.data"
		say "$LAB_LANE: received $name from the guest ($(stat -c %s "$dir/$name") bytes): $dir/$name"
		return
	fi
	rm -f "$part.data" "$part.out"
	mv -f "$part.b64" "$part.damaged"
	warn "$LAB_LANE: the file $name came damaged: ${why:-cannot write $dir/$name}; its lines are in $part.damaged"
}

# Transfers that never got their end line.
boot_files_unfinished() {
	local f
	for f in "$LAB_RUN"/files/.partial/*.b64; do
		[ -e "$f" ] || continue
		warn "$LAB_LANE: the file $(basename "$f" .b64) did not arrive whole: the guest sent no end line (its lines are in $f)"
	done
}

# Read the console until the guest is done, fails, stalls or QEMU ends.
boot_follow() {
	local fd=$1 line partial= now
	while :; do
		if IFS= read -r -t 5 -u "$fd" line; then
			line=${partial}${line//$'\r'/}
			partial=
			printf '%s\n' "$line" >>"$BOOT_LOG"
			boot_line "$line"
			[ -n "$BOOT_FINISHED$BOOT_FAILURE" ] && return 0
		elif [ $? -gt 128 ]; then
			partial+=$line
		else
			BOOT_FAILURE="QEMU exited during stage $BOOT_STAGE"
			return 0
		fi
		now=$SECONDS
		if [ "$now" -ge "$BOOT_HARD_DEADLINE" ]; then
			BOOT_FAILURE="the boot's time limit passed in stage $BOOT_STAGE"
			return 0
		fi
		if [ "$now" -ge "$BOOT_DEADLINE" ]; then
			BOOT_FAILURE="no progress in stage $BOOT_STAGE for $((now - BOOT_STAGE_T0))s (waiting for: $BOOT_WHAT)"
			return 0
		fi
		if [ "$now" -ge "$BOOT_NEXT_BEAT" ]; then
			say "$LAB_LANE: still waiting: $BOOT_WHAT ($((now - BOOT_STAGE_T0))s in stage $BOOT_STAGE)"
			BOOT_NEXT_BEAT=$((now + 30))
		fi
	done
}

# Why a boot that ended early ended, from the end of its console log.
boot_crash_reason() {
	grep -aE 'Kernel panic|\(XEN\) Panic|BUG:|general protection|Oops' "$BOOT_LOG" |
		head -n 3 | tr -d '\r'
}

lab_boot() {
	local fifo=$LAB_RUN/console.fifo qpid fd name lock
	BOOT_LOG=$LAB_LOGS/$LAB_LANE-$(date +%Y%m%d-%H%M%S).console.log
	BOOT_FINISHED= BOOT_FAILURE= BOOT_DONE_SCENARIOS=() LAB_SCENARIO_RC=
	BOOT_FILES_DAMAGED= BOOT_REPORTS=() BOOT_SKIPS=() BOOT_SCENARIO=
	mkdir -p "$LAB_RUN/out" "$LAB_RUN/files/.partial"
	lab_qemu_cmd
	# QEMU is CPU-bound: one boot at a time on this machine
	exec {lock}>"$LAB_CACHE/boot.lock"
	if ! flock -n "$lock"; then
		say "$LAB_LANE: waiting for another lab boot on this machine to end"
		flock "$lock"
	fi
	rm -f "$fifo"
	mkfifo "$fifo"
	"${QEMU_CMD[@]}" </dev/null >"$fifo" 2>&1 &
	qpid=$!
	exec {fd}<"$fifo"
	# a hard limit for the whole boot, on top of each stage's own
	set -- $LAB_SCENARIO_NAMES
	BOOT_HARD_DEADLINE=$((SECONDS + 600 * LAB_TIME_FACTOR + LAB_DOMU_BOOT_TIMEOUT +
		$# * (LAB_SCENARIO_TIMEOUT + 180 * LAB_TIME_FACTOR)))
	say "$LAB_LANE: QEMU started (console log: $BOOT_LOG)"
	if [ "$LAB_LANE" = xen ]; then boot_set_stage xen; else boot_set_stage kernel; fi
	boot_follow "$fd"
	# give the guest a moment to power off, then make sure QEMU is gone
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$qpid" 2>/dev/null || break
		sleep 1
	done
	kill "$qpid" 2>/dev/null && sleep 1 && kill -9 "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	cat <&"$fd" >>"$BOOT_LOG" 2>/dev/null
	exec {fd}<&- {lock}>&-
	rm -f "$fifo"
	boot_files_unfinished

	LAB_BOOT_OK=
	if [ -n "$BOOT_FINISHED" ] && [ -z "$BOOT_FAILURE" ]; then
		boot_unreported && LAB_BOOT_OK=1
		return $((1 - ${LAB_BOOT_OK:-0}))
	fi
	[ -z "$BOOT_FAILURE" ] && BOOT_FAILURE="QEMU exited during stage $BOOT_STAGE"
	say "$LAB_LANE lane $BOOT_FAILURE"
	boot_crash_reason | sed 's/^/  console: /'
	[ -s "$LAB_RUN/guest-logs.txt" ] && sed 's/^/  /' "$LAB_RUN/guest-logs.txt" | tail -n 40
	say "console log kept: $BOOT_LOG"
	lab_result "$LAB_LANE" boot fail "$BOOT_FAILURE"
	for name in $LAB_SCENARIO_NAMES; do
		[[ " ${BOOT_DONE_SCENARIOS[*]} " == *" $name "* ]] ||
			lab_result "$LAB_LANE" "$name" fail "not run: the boot failed"
	done
	return 1
}

# A boot that says it is done passes only if every scenario it was given
# reported a result (console output can be lost, a runner can die) and no
# kernel reported a bug outside the scenarios.
boot_unreported() {
	local name missing= reports= e
	for name in $LAB_SCENARIO_NAMES; do
		if [[ " ${BOOT_DONE_SCENARIOS[*]} " != *" $name "* ]]; then
			lab_result "$LAB_LANE" "$name" fail "no result reached the host (console log: $BOOT_LOG)"
			missing+=" $name"
		fi
	done
	for e in "${BOOT_REPORTS[@]}"; do
		[[ " $LAB_SCENARIO_NAMES " == *" ${e%%$'\t'*} "* ]] ||
			reports+="${reports:+$'\n'}${e#*$'\t'}"
	done
	if [ -n "$missing" ]; then
		lab_result "$LAB_LANE" boot fail "done, but without a result of:$missing"
	elif [ -n "$reports" ]; then
		lab_result "$LAB_LANE" boot fail "the console showed, outside any scenario: $(head -n 1 <<<"$reports")$(report_hint "$reports")"
	else
		lab_result "$LAB_LANE" boot pass "$LAB_BOOT_SUMMARY"
		return 0
	fi
	say "console log kept: $BOOT_LOG"
	return 1
}
