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

# share, import, unexport: usage errors exit 2 and name the mistake
id=3:17:0123456789abcdeffedcba9876543210
printf 'some bytes\n' >"$tmp/data"
: >"$tmp/empty"

run share --help
expect_status "share --help exits 0" 0
expect_in "share --help shows its usage" out "Usage: hyper-dmabuf [OPTIONS] share --to DOM"
run --help
expect_in "--help lists share" out "share"
expect_in "--help lists import" out "import"
expect_in "--help lists unexport" out "unexport"

run share "$tmp/data"
expect_status "share without --to is a usage error" 2
expect_in "share names the missing --to" err "hyper-dmabuf: share: missing --to DOM"
for dom in x -1 +1 01 0x10 32752 70000 4294967296 ""; do
	run share --to "$dom" "$tmp/data"
	expect_status "share --to '$dom' is a usage error" 2
	expect_in "share --to '$dom' is named" err "bad domain '$dom' for --to"
done
run share --to 0
expect_status "share without FILE is a usage error" 2
expect_in "share names the missing FILE" err "missing FILE"
run share --to 0 "$tmp/data" "$tmp/data"
expect_status "share with two FILEs is a usage error" 2
for fourcc in XR24X 'X R' 'XR-4' ''; do
	run share --to 0 --format "$fourcc" --width 2 --height 2 "$tmp/data"
	expect_status "share --format '$fourcc' is a usage error" 2
	expect_in "share --format '$fourcc' is named" err "bad format '$fourcc' for --format"
done
run share --to 0 --format XR24 --height 2 "$tmp/data"
expect_status "--format without --width is a usage error" 2
expect_in "--format without --width is named" err "--format needs --width and --height"
run share --to 0 --format XR24 --width 2 "$tmp/data"
expect_status "--format without --height is a usage error" 2
run share --to 0 --width 2 "$tmp/data"
expect_status "--width without --format is a usage error" 2
expect_in "--width without --format is named" err "--width needs --format"
run share --to 0 --stride 8 "$tmp/data"
expect_status "--stride without --format is a usage error" 2
run share --to 0 --format NV12 --width 2 --height 2 "$tmp/data"
expect_status "--format NV12 without --stride is a usage error" 2
expect_in "the missing --stride is named" err "--format NV12 needs --stride"
run share --to 0 --format XR24 --width 0 --height 2 "$tmp/data"
expect_status "--width 0 is a usage error" 2
run share --to 0 --format XR24 --width 2 --height 2x "$tmp/data"
expect_status "--height 2x is a usage error" 2
expect_in "a bad number is named" err "bad value '2x' for --height"
run share --to 0 --format XR24 --width 1073741824 --height 1 "$tmp/data"
expect_status "a width whose stride overflows is a usage error" 2
run share --to 0 --name 12345678901234567890123456789012 "$tmp/data"
expect_status "a name of 32 bytes is a usage error" 2
expect_in "the long name is named" err "--name is longer than 31 bytes"

# share: failures that are not usage errors exit 1
run share --to 0 --device "$missing" "$tmp/data"
expect_status "share without the module exits 1" 1
expect_in "share says the module is not loaded" err \
	"hyper-dmabuf: module not loaded: $missing does not exist"
if [ -s "$tmp/out" ]; then not_ok "share without the module prints nothing"
else ok "share without the module prints nothing"; fi
run share "$tmp/data" --device "$missing" --to 0
expect_status "share takes its options after FILE too" 1
expect_in "share with options after FILE gets to the device" err "module not loaded"
run share --to self --json --device "$missing" "$tmp/data"
expect_status "share --to self --json without the module exits 1" 1
printf 'x' | "$tool" share --to 0 --device "$missing" - >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status "share from stdin without the module exits 1" 1
expect_in "share from stdin says the module is not loaded" err "module not loaded"
run share --to 0 --device "$missing" /nonexistent/file
expect_status "share of a missing FILE exits 1" 1
expect_in "share names the missing FILE" err "cannot open /nonexistent/file: No such file or directory"
run share --to 0 --device /dev/null "$tmp"
expect_status "share of an unreadable FILE exits 1" 1
expect_in "share names the unreadable FILE" err "cannot read $tmp: Is a directory"
run share --to 0 --device /dev/null "$tmp/empty"
expect_status "share of an empty FILE exits 1" 1
expect_in "share says an empty FILE is empty" err "nothing to share: $tmp/empty is empty"
"$tool" share --to 0 --device /dev/null - </dev/null >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status "share of an empty stdin exits 1" 1
expect_in "share says an empty stdin is empty" err "nothing to share: standard input is empty"
run share --to 0 --format XR24 --width 2 --height 2 --device /dev/null "$tmp/data"
expect_status "share of an image larger than FILE exits 1" 1
expect_in "share says the image does not fit" err "the image does not fit: $tmp/data holds 11 bytes"
run share --to 0 --device /dev/null "$tmp/data"
expect_status "share through another device exits 1" 1
expect_in "share names a device that does not know the request" err \
	"/dev/null does not know this request"

# import and unexport
for cmd in import unexport; do
	run $cmd --help
	expect_status "$cmd --help exits 0" 0
	expect_in "$cmd --help shows its usage" out "Usage: hyper-dmabuf [OPTIONS] $cmd [OPTIONS] ID"
	run $cmd
	expect_status "$cmd without ID is a usage error" 2
	expect_in "$cmd names the missing ID" err "hyper-dmabuf: $cmd: missing ID"
	run $cmd "$id" "$id"
	expect_status "$cmd with two IDs is a usage error" 2
	for bad in 3 3:17 3:17:0123 03:17:0123456789abcdeffedcba9876543210 \
			-3:17:0123456789abcdeffedcba9876543210 \
			3:17:0123456789abcdeffedcba987654321g \
			3:17:0123456789abcdeffedcba9876543210:1; do
		run $cmd -- "$bad"
		expect_status "$cmd '$bad' is a usage error" 2
		expect_in "$cmd '$bad' is named" err "bad id '$bad': expected DOMID:SERIAL:KEY"
	done
	run $cmd --device "$missing" "$id"
	expect_status "$cmd without the module exits 1" 1
	expect_in "$cmd says the module is not loaded" err "module not loaded: $missing does not exist"
	run $cmd --device /dev/null "$id"
	expect_status "$cmd through another device exits 1" 1
	expect_in "$cmd names a device that does not know the request" err \
		"/dev/null does not know this request"
done
run import "$id" --device "$missing"
expect_in "import takes its options after ID too" err "module not loaded: $missing"
run import -- "$id" --device "$missing"
expect_status "-- ends the options of import" 2
expect_in "after --, an option is an argument" err "unexpected argument '--device'"
run import --out "" "$id"
expect_status "import --out '' is a usage error" 2
run import --device "$missing" --out "$tmp/imported" "$id"
if [ -e "$tmp/imported" ]; then not_ok "a failed import creates no --out file"
else ok "a failed import creates no --out file"; fi
run unexport --delay 60001 "$id"
expect_status "unexport --delay 60001 is a usage error" 2
expect_in "the long delay is named" err "bad value '60001' for --delay: a number from 0 to 60000"
run unexport --delay -1 "$id"
expect_status "unexport --delay -1 is a usage error" 2
run unexport --delay 60000 --device "$missing" "$id"
expect_status "unexport --delay 60000 is accepted" 1

# list, info, revoke, signal, wait, watch, peers: usage errors exit 2
run --help
for cmd in list info revoke signal wait watch peers; do
	expect_in "--help lists $cmd" out "  $cmd "
done
for cmd in list watch peers; do
	run $cmd --help
	expect_status "$cmd --help exits 0" 0
	expect_in "$cmd --help shows its usage" out "Usage: hyper-dmabuf [OPTIONS] $cmd [OPTIONS]"
	run $cmd extra
	expect_status "$cmd with an argument is a usage error" 2
	expect_in "$cmd names the extra argument" err "hyper-dmabuf: $cmd: unexpected argument 'extra'"
done
for cmd in info revoke; do
	run $cmd --help
	expect_status "$cmd --help exits 0" 0
	expect_in "$cmd --help shows its usage" out "Usage: hyper-dmabuf [OPTIONS] $cmd [OPTIONS] ID"
	run $cmd
	expect_status "$cmd without ID is a usage error" 2
	expect_in "$cmd names the missing ID" err "hyper-dmabuf: $cmd: missing ID"
	run $cmd "$id" "$id"
	expect_status "$cmd with two IDs is a usage error" 2
done
for cmd in signal wait; do
	run $cmd --help
	expect_status "$cmd --help exits 0" 0
	expect_in "$cmd --help shows its usage" out "Usage: hyper-dmabuf [OPTIONS] $cmd [OPTIONS] ID VALUE"
	run $cmd
	expect_status "$cmd without ID is a usage error" 2
	expect_in "$cmd names the missing ID" err "hyper-dmabuf: $cmd: missing ID"
	run $cmd "$id"
	expect_status "$cmd without VALUE is a usage error" 2
	expect_in "$cmd names the missing VALUE" err "hyper-dmabuf: $cmd: missing VALUE"
	run $cmd "$id" 1 2
	expect_status "$cmd with an extra argument is a usage error" 2
	expect_in "$cmd names the extra argument" err "unexpected argument '2'"
	for bad in x -1 01 1x 18446744073709551616 ""; do
		run $cmd -- "$id" "$bad"
		expect_status "$cmd VALUE '$bad' is a usage error" 2
		expect_in "$cmd VALUE '$bad' is named" err "bad value '$bad' for VALUE"
	done
done
run signal "$id" 0
expect_status "signal 0 is a usage error: no timeline is below it" 2
expect_in "signal names the bounds" err "a number from 1 to 18446744073709551615"
run wait "$id" 0 --device "$missing"
expect_status "wait 0 is accepted" 1
for bad in 3:17 03:17:0123456789abcdeffedcba9876543210 \
		3:17:0123456789abcdeffedcba987654321g; do
	for cmd in info revoke signal wait; do
		case $cmd in
		signal|wait) run $cmd -- "$bad" 1 ;;
		*) run $cmd -- "$bad" ;;
		esac
		expect_status "$cmd '$bad' is a usage error" 2
		expect_in "$cmd '$bad' is named" err "bad id '$bad': expected DOMID:SERIAL:KEY"
	done
done
run revoke --timeout 60001 "$id"
expect_status "revoke --timeout 60001 is a usage error" 2
expect_in "the long timeout is named" err "bad value '60001' for --timeout: a number from 0 to 60000"
run revoke --timeout 60000 --device "$missing" "$id"
expect_status "revoke --timeout 60000 is accepted" 1
for bad in -1 x 2147483648; do
	run wait "$id" 1 --timeout "$bad"
	expect_status "wait --timeout '$bad' is a usage error" 2
	expect_in "wait --timeout '$bad' is named" err "bad value '$bad' for --timeout: a number from 0 to 2147483647"
	run watch --timeout "$bad"
	expect_status "watch --timeout '$bad' is a usage error" 2
	expect_in "watch --timeout '$bad' is named" err "bad value '$bad' for --timeout: a number from 0 to 2147483647"
done
run wait --sync-file=yes "$id" 1
expect_status "wait --sync-file takes no value" 2
expect_in "wait --sync-file=yes is named" err "option '--sync-file' takes no argument"
for bad in 0 -1 x 4294967296; do
	run watch --count "$bad"
	expect_status "watch --count '$bad' is a usage error" 2
	expect_in "watch --count '$bad' is named" err "bad value '$bad' for --count"
done

# list, info, revoke, signal, wait, watch, peers: failures exit 1
for cmd in "list" "info $id" "revoke $id" "signal $id 1" "wait $id 1" \
		"wait --sync-file $id 1" "watch" "peers" "peers --json"; do
	# shellcheck disable=SC2086 # the command's words are meant to split
	run $cmd --device "$missing"
	expect_status "$cmd without the module exits 1" 1
	expect_in "$cmd says the module is not loaded" err "module not loaded: $missing does not exist"
	if [ -s "$tmp/out" ]; then not_ok "$cmd without the module prints nothing"
	else ok "$cmd without the module prints nothing"; fi
done
for cmd in "list" "info $id" "revoke $id" "signal $id 1" "wait $id 1" \
		"wait --sync-file $id 1" "peers"; do
	# shellcheck disable=SC2086 # the command's words are meant to split
	run $cmd --device /dev/null
	expect_status "$cmd through another device exits 1" 1
	expect_in "$cmd names a device that does not know the request" err \
		"/dev/null does not know this request"
done
run watch --device /dev/null --timeout 1000
expect_status "watch of another device exits 1" 1
expect_in "watch names a device that returns no events" err \
	"cannot read the events of /dev/null: Protocol error"

if [ -w /dev/full ]; then
	"$tool" version --device "$missing" >/dev/full 2>"$tmp/err"
	status=$?
	: >"$tmp/out"
	expect_status "a failed write of the output exits 1" 1
	expect_in "a failed write of the output is reported" err "cannot write the output"
fi

exit $failed
