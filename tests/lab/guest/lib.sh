# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the guests' init scripts. Lines starting with @@LAB: on the
# console are read by the host (tests/lab/host/boot.sh).

export PATH=/lab/bin:/lab/add:/usr/bin:/usr/sbin:/usr/lib/xen-4.17/bin
export HOME=/root
# the test programs and testlib.sh's skip add a line here for each check
# they skip; run-scenarios reports them after each scenario
export HDMABUF_TEST_SKIPS=/run/lab/skips

lab_mark() { echo "@@LAB:$*"; }

# lab_stage NAME [what it waits for]
lab_stage() {
	LAB_STAGE=$1
	lab_mark "stage:$1:${2:-}"
}

lab_poweroff() {
	sync
	poweroff -f
	sleep 5
	reboot -f
}

# The stage failed: say why, then end the run.
lab_fail() {
	lab_mark "fail:$LAB_STAGE:$*"
	lab_poweroff
}

lab_mount_basics() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	exec </dev/console >/dev/console 2>&1
	mkdir -p /dev/pts /run /tmp /var/log /var/lib
	mount -t devpts devpts /dev/pts
	mount -t debugfs debugfs /sys/kernel/debug
	mount -t tmpfs tmpfs /run
	mount -t tmpfs tmpfs /tmp
	ln -sfn /run /var/run
	hostname "${1:-lab}"
	# every kernel message, kept whatever the console shows, so that each
	# scenario's share of it can be searched for reports (run-scenarios)
	mkdir -p /run/lab
	cat /dev/kmsg >/run/lab/kmsg 2>/dev/null &
}

# What a kernel prints when it finds a bug or corruption: oopses and BUGs
# (KASAN's and KFENCE's are "BUG: KASAN: ...", "BUG: KFENCE: ...", DEBUG_VM's
# "BUG: Bad page state" or "kernel BUG at"), SLUB's reports ("BUG
# kmalloc-64 (...): Poison overwritten"), page poisoning, UBSAN, list
# debugging, lockdep's ("WARNING: possible circular locking dependency
# detected", "WARNING: suspicious RCU usage", ... and the two that start
# "INFO:"), sleeping in atomic context ("BUG: sleeping function called").
# Any of them fails a run. The host reads this line too
# (tests/lab/host/boot.sh): keep it on one line.
LAB_REPORT_RE='BUG: |BUG [A-Za-z0-9_:.()-]+ \(|kernel BUG at|WARNING: |Oops|general protection fault|KFENCE: |KASAN: |Poison overwritten|Redzone overwritten|Object padding overwritten|Freepointer corrupt|pagealloc: memory corruption|UBSAN: |list_add corruption|list_del corruption|INFO: trying to register non-static key|INFO: lockdep is turned off|Kernel panic'

# The memory checks the host asked for (slub_debug=FZPU page_poison=1) are
# in force: SLUB's flags on a cache, the parameter on the command line.
lab_memory_checks() {
	f=/sys/kernel/slab/kmalloc-64
	flags=$(cat $f/sanity_checks $f/red_zone $f/poison $f/store_user 2>&1 | tr '\n' ' ')
	[ "$flags" = "1 1 1 1 " ] || {
		echo "slub_debug is not in force ($f: sanity_checks, red_zone, poison, store_user: $flags)"
		return 1
	}
	grep -qw page_poison=1 /proc/cmdline || {
		echo "page_poison=1 is not on the kernel's command line"
		return 1
	}
	[ -z "$LAB_DEBUG_KERNEL" ] || lab_debug_checks
}

# The debug kernel's checks (./lab --debug-kernel) are on: lockdep has not
# turned itself off, KFENCE samples, and in the plain lane KASAN set up its
# shadow memory at boot (it has no file of its own to ask).
lab_debug_checks() {
	grep -Eq '^ *debug_locks: +1$' /proc/lockdep_stats 2>/dev/null || {
		echo "lockdep is off ($(grep debug_locks /proc/lockdep_stats 2>&1))"
		return 1
	}
	grep -qx 'enabled: 1' /sys/kernel/debug/kfence/stats 2>/dev/null || {
		echo "KFENCE is off ($(head -n 1 /sys/kernel/debug/kfence/stats 2>&1))"
		return 1
	}
	[ -z "$LAB_KASAN" ] || dmesg | grep -q 'KernelAddressSanitizer initialized' || {
		echo "KASAN is off: the kernel's log has no 'KernelAddressSanitizer initialized'"
		return 1
	}
}

# Whether this boot goes without the module (./lab run --no-module): a
# control run, to tell the lab's faults from the module's.
lab_no_module() {
	grep -qwF lab.no_module /proc/cmdline
}

lab_load_module() {
	! lab_no_module || return 0
	out=$(modprobe hyper_dmabuf 2>&1) || {
		echo "modprobe hyper_dmabuf: ${out:-failed}"
		return 1
	}
	[ -c /dev/hyper_dmabuf ] || {
		echo "/dev/hyper_dmabuf did not appear"
		return 1
	}
}

# lab_reset_module: hyper_dmabuf as the boot left it, after a scenario that
# left something behind: every process holding the device, a dma-buf or a
# mapping of one is killed, the exports that outlive their file are taken
# back, and the module (the rogue build too) is unloaded and loaded again
# (not with --no-module). Prints what failed.
lab_reset_module() {
	local p pids= id
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" != $$ ] || continue
		# "dmabuf" names the device (hyper_dmabuf) and dma-bufs alike
		if ls -l "$p/fd" 2>/dev/null | grep -q dmabuf ||
			grep -q dmabuf "$p/maps" 2>/dev/null; then
			pids="$pids ${p#/proc/}"
		fi
	done
	[ -z "$pids" ] || kill -KILL $pids 2>/dev/null
	for id in $(hyper-dmabuf list --json 2>/dev/null |
		jq -r '.[] | select(.role == "export") | .id'); do
		hyper-dmabuf unexport "$id" >/dev/null 2>&1
	done
	for p in $(seq 20); do
		grep -q '^hyper_dmabuf ' /proc/modules || break
		rmmod hyper_dmabuf 2>/dev/null && break
		sleep 0.5
	done
	if grep -q '^hyper_dmabuf ' /proc/modules; then
		echo "cannot unload hyper_dmabuf"
		return 1
	fi
	lab_load_module
}

# lab_send_file NAME FILE: FILE to the host, where it lands as
# $LAB_RUN/files/NAME. On the console: "@@LAB:file:NAME:CHUNK" lines of
# base64 (gzip-compressed when gzip is here), then
# "@@LAB:file-end:NAME:gzip|plain:MD5" with the md5sum of FILE, so that
# the host can tell a file damaged on the way. Written straight to the
# console: a scenario's own output is tagged as its output.
lab_send_file() {
	lab_sf_name=$1 lab_sf_file=$2 lab_sf_enc=plain lab_sf_n=0
	case $lab_sf_name in
	'' | [!A-Za-z0-9_]* | *[!A-Za-z0-9._-]*)
		echo "lab_send_file: '$lab_sf_name' is not a plain file name" >&2
		return 2
		;;
	esac
	[ ${#lab_sf_name} -le 64 ] || {
		echo "lab_send_file: '$lab_sf_name' is longer than 64" >&2
		return 2
	}
	[ -f "$lab_sf_file" ] && [ -r "$lab_sf_file" ] || {
		echo "lab_send_file: cannot read $lab_sf_file" >&2
		return 1
	}
	lab_sf_sum=$(md5sum <"$lab_sf_file" | cut -d' ' -f1)
	if command -v gzip >/dev/null; then
		lab_sf_enc=gzip
		gzip -c <"$lab_sf_file" >/tmp/lab-send.$$ || return 1
	else
		cp "$lab_sf_file" /tmp/lab-send.$$ || return 1
	fi
	# Xen drops console output while its 16 KiB serial buffer is full:
	# at most about 16 KB/s, in bursts of 16 lines
	base64 /tmp/lab-send.$$ | while IFS= read -r lab_sf_chunk; do
		echo "@@LAB:file:$lab_sf_name:$lab_sf_chunk"
		lab_sf_n=$((lab_sf_n + 1))
		[ $((lab_sf_n % 16)) -ne 0 ] || sleep 0.1
	done >>"${LAB_CONSOLE:-/dev/console}"
	rm -f /tmp/lab-send.$$
	echo "@@LAB:file-end:$lab_sf_name:$lab_sf_enc:$lab_sf_sum" \
		>>"${LAB_CONSOLE:-/dev/console}"
}

# Settings of this run, written by the host into /lab/run.conf.
set -a
. /lab/run.conf
set +a
