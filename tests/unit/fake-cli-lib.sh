# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the tests that run the CLI against fake-module.so, the
# stand-in for the module: sets $tool, $json_get, $fake, a device and a
# state directory in $tmp, and the helpers below. Skips (77) without the
# fake. Needs $top_builddir.

tool=$top_builddir/tools/hyper-dmabuf
json_get=$PWD/json-get
fake=$PWD/.libs/fake-module.so
unset HYPER_DMABUF_DEVICE FAKE_HDMABUF_HOLD FAKE_HDMABUF_LET_GO \
	FAKE_HDMABUF_QUEUE_LEN FAKE_HDMABUF_NOT_ADMIN FAKE_HDMABUF_PEERS \
	FAKE_HDMABUF_API

if [ ! -f "$fake" ]; then
	echo "SKIP: no $fake (a build without shared libraries?)"
	exit 77
fi

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
failed=0

FAKE_HDMABUF_DIR=$tmp/state
export FAKE_HDMABUF_DIR
mkdir "$FAKE_HDMABUF_DIR" || exit 99
dev=$FAKE_HDMABUF_DIR/device
: >"$dev"

ok() { echo "ok - $1"; }
not_ok() {
	echo "not ok - $1"
	echo "  stdout: $(head -c 600 "$tmp/out")"
	echo "  stderr: $(cat "$tmp/err")"
	failed=1
}

# run ARGS...: run the tool on the fake device, keep stdout, stderr, status
run() {
	LD_PRELOAD=$fake "$tool" --device "$dev" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# with VAR=VALUE ARGS...: run, with VAR set for this run only
with() {
	assignment=$1
	shift
	LD_PRELOAD=$fake env "$assignment" "$tool" --device "$dev" "$@" \
		>"$tmp/out" 2>"$tmp/err"
	status=$?
}

# quietly ARGS...: run, for its effect; the id or output on stdout
quietly() {
	LD_PRELOAD=$fake "$tool" --device "$dev" "$@" 2>"$tmp/err"
}

expect_status() {
	if [ "$status" = "$2" ]; then ok "$1"; else not_ok "$1: exit $status, not $2"; fi
}
