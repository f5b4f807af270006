# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the guests' init scripts. Lines starting with @@LAB: on the
# console are read by the host (tests/lab/host/boot.sh).

export PATH=/lab/bin:/lab/add:/usr/bin:/usr/sbin:/usr/lib/xen-4.17/bin
export HOME=/root

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
}

lab_load_module() {
	out=$(modprobe hyper_dmabuf 2>&1) || {
		echo "modprobe hyper_dmabuf: ${out:-failed}"
		return 1
	}
	[ -c /dev/hyper_dmabuf ] || {
		echo "/dev/hyper_dmabuf did not appear"
		return 1
	}
}

# Settings of this run, written by the host into /lab/run.conf.
set -a
. /lab/run.conf
set +a
