# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers of the lab's host side: messages, timing, paths.

LAB_T0=${LAB_T0:-$SECONDS}
export LAB_T0

# Where things live. The cache (downloads) survives `./lab clean`.
LAB_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
LAB_OUT=${LAB_OUT:-$LAB_TOP/_lab}
LAB_CACHE=${LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hyper-dmabuf-lab}
# the outputs for Debian's kernel; each lane's are set by lab_lane_kernel
LAB_BUILD=$LAB_OUT/build
LAB_STAGE=$LAB_OUT/stage
LAB_ROGUE=$LAB_OUT/rogue
LAB_IMAGES=$LAB_OUT/images
LAB_LOGS=$LAB_OUT/logs
LAB_GUEST_SRC=$LAB_TOP/tests/lab/guest
LAB_ARCH=${LAB_ARCH:-amd64}
LAB_MULTIARCH=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
# How much longer than usual every time limit is (3 with the debug kernel)
LAB_TIME_FACTOR=1

lab_elapsed() { printf '%4ds' $((SECONDS - LAB_T0)); }

say() { printf 'lab: [%s] %s\n' "$(lab_elapsed)" "$*"; }
warn() { printf 'lab: [%s] warning: %s\n' "$(lab_elapsed)" "$*" >&2; }
die() {
	printf 'lab: error: %s\n' "$*" >&2
	exit "${LAB_DIE_STATUS:-125}"
}
usage_error() {
	printf 'lab: %s\n' "$*" >&2
	printf "Try './lab help'.\n" >&2
	exit 2
}

# Run a command quietly, its output kept in a log; on failure show the tail.
quiet_run() {
	local what=$1 log=$2
	shift 2
	if ! "$@" >"$log" 2>&1; then
		tail -n 40 "$log" >&2
		die "$what failed (full log: $log)"
	fi
}

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "'$*' needs root, and sudo is not installed"
	fi
}
