#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The hyper-dmabuf tool without the module: help, usage errors, exit
# statuses, messages and the JSON it prints (checked with json-get, i.e.
# json-c). The module's side is tested in the lab (tests/scenarios).

tool=$top_builddir/tools/hyper-dmabuf
json_get=./json-get
missing=/nonexistent/hyper_dmabuf
unset HYPER_DMABUF_DEVICE

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
failed=0

ok() { echo "ok - $1"; }
not_ok() {
	echo "not ok - $1"
	echo "  stdout: $(cat "$tmp/out")"
	echo "  stderr: $(cat "$tmp/err")"
	failed=1
}

# run ARGS...: run the tool, keep its stdout, stderr and exit status
run() {
	"$tool" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

expect_status() {
	if [ "$status" = "$2" ]; then ok "$1"; else not_ok "$1: exit $status, not $2"; fi
}

# expect_in NAME out|err FIXED-STRING
expect_in() {
	if grep -q -F -e "$3" "$tmp/$2"; then ok "$1"; else not_ok "$1: no '$3' on std$2"; fi
}

# expect_json NAME KEY VALUE: stdout is one JSON object and KEY is VALUE
expect_json() {
	got=$("$json_get" "$2" <"$tmp/out")
	if [ "$got" = "$3" ]; then ok "$1"; else not_ok "$1: $2 is '$got', not '$3'"; fi
}

run --help
expect_status "--help exits 0" 0
expect_in "--help lists status" out "status"
expect_in "--help lists version" out "version"
run status --help
expect_status "status --help exits 0" 0
expect_in "status --help shows its usage" out "Usage: hyper-dmabuf [OPTIONS] status"
run -V
expect_status "-V exits 0" 0
expect_in "-V prints the version" out "hyper-dmabuf $PACKAGE_VERSION"

run
expect_status "no command is a usage error" 2
run frobnicate
expect_status "unknown command is a usage error" 2
expect_in "unknown command is named" err "hyper-dmabuf: unknown command 'frobnicate'"
run stat
expect_status "a command prefix is not a command" 2
run --frob status
expect_status "unknown global option is a usage error" 2
expect_in "unknown global option is named" err "unknown option '--frob'"
run status --frob
expect_status "unknown command option is a usage error" 2
expect_in "unknown command option is named" err "hyper-dmabuf: status: unknown option '--frob'"
run status --device
expect_status "--device without a path is a usage error" 2
run status extra
expect_status "an extra argument is a usage error" 2

run status --device "$missing"
expect_status "status without the module exits 1" 1
expect_in "status says the module is not loaded" err \
	"hyper-dmabuf: module not loaded: $missing does not exist"
expect_in "status still prints what it knows" out "module loaded:"
HYPER_DMABUF_DEVICE=$missing run status
expect_in "\$HYPER_DMABUF_DEVICE names the device" err "$missing does not exist"

run status --json --device "$missing"
expect_status "status --json without the module exits 1" 1
expect_json "status --json: module_loaded" module_loaded false
expect_json "status --json: module_version" module_version null
expect_json "status --json: api_version" api_version null
expect_json "status --json: xen_type" xen_type null
expect_json "status --json: domid" domid null
expect_json "status --json: transports" transports "[]"
xen=$("$json_get" xen <"$tmp/out")
if [ "$xen" = true ] || [ "$xen" = false ]; then ok "status --json: xen is a boolean"
else not_ok "status --json: xen is '$xen'"; fi
run --json --device "$missing" status
expect_json "global options go before the command too" module_loaded false

run --device /dev/null status
expect_status "status on another device exits 1" 1
expect_in "status names a device that is not ours" err \
	"hyper-dmabuf: /dev/null is not a hyper_dmabuf device"

run version
expect_status "version exits 0" 0
run version --device "$missing"
expect_status "version without the module exits 0" 0
expect_in "version says the module is not loaded" err "module not loaded"
expect_in "version prints the tool's version" out "$PACKAGE_VERSION"
run version --json --device "$missing"
expect_json "version --json: version" version "\"$PACKAGE_VERSION\""
expect_json "version --json: module_version" module_version null
expect_json "version --json: api_version" api_version null
api=$("$json_get" library_api_version <"$tmp/out")
case $api in
[1-9]*) ok "version --json: library_api_version is $api" ;;
*) not_ok "version --json: library_api_version is '$api'" ;;
esac

if [ -w /dev/full ]; then
	"$tool" version --device "$missing" >/dev/full 2>"$tmp/err"
	status=$?
	: >"$tmp/out"
	expect_status "a failed write of the output exits 1" 1
	expect_in "a failed write of the output is reported" err "cannot write the output"
fi

exit $failed
