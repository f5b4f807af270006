#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# raw2png: tiny frames converted to PNG and decoded back by libpng (png-dump),
# compared pixel by pixel; then its errors and exit statuses.

if [ "$have_png" != yes ] || [ ! -x ./raw2png ] || [ ! -x ./png-dump ]; then
	echo "SKIP: libpng not found at configure time (Debian: libpng-dev)"
	exit 77
fi

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
failed=0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; failed=1; }

# expect_status WHAT STATUS TEXT CMD...: CMD exits STATUS, says TEXT on stderr
expect_status() {
	what=$1 want=$2 text=$3
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" != "$want" ]; then
		not_ok "$what: exit status $got, expected $want ($(cat "$tmp/err"))"
	elif [ -n "$text" ] && ! grep -q -- "$text" "$tmp/err"; then
		not_ok "$what: no '$text' in: $(cat "$tmp/err")"
	else
		ok "$what"
	fi
}

# compare WHAT FILE EXPECTED: png-dump of FILE is EXPECTED, line by line
compare() {
	if ! ./png-dump "$2" >"$tmp/dump"; then
		not_ok "$1: libpng cannot read $2"
	elif printf '%s\n' "$3" | cmp -s - "$tmp/dump"; then
		ok "$1"
	else
		not_ok "$1: decoded as"
		sed 's/^/    /' "$tmp/dump"
	fi
}

# XR24, 3x2, lines of 16 bytes (4 of padding); memory order B G R X, X
# ignored
printf '\001\002\003\377\021\022\023\000\041\042\043\177PPPP' >"$tmp/xr24.raw"
printf '\377\000\000\000\000\377\000\000\000\000\377\000' >>"$tmp/xr24.raw"
expect_status "XR24 3x2, stride 16: converted" 0 "" \
	./raw2png --width 3 --height 2 --stride 16 --format XR24 \
	"$tmp/xr24.raw" "$tmp/xr24.png"
compare "XR24 3x2: every pixel back from the PNG" "$tmp/xr24.png" "3 2 rgb
030201
131211
232221
0000ff
00ff00
ff0000"

# the last line may stop at its last pixel
head -c 28 "$tmp/xr24.raw" >"$tmp/short-last.raw"
expect_status "XR24: last line without its padding" 0 "" \
	./raw2png --width 3 --height 2 --stride 16 "$tmp/short-last.raw" \
	"$tmp/short-last.png"
compare "XR24 without the last padding: the same pixels" "$tmp/short-last.png" \
	"$(./png-dump "$tmp/xr24.png")"

# XB24: R G B X
printf '\001\002\003\000\004\005\006\000' >"$tmp/xb24.raw"
expect_status "XB24 2x1: converted" 0 "" \
	./raw2png --width 2 --height 1 --format XB24 "$tmp/xb24.raw" "$tmp/xb24.png"
compare "XB24 2x1: every pixel" "$tmp/xb24.png" "2 1 rgb
010203
040506"

# AR24 and AB24 keep alpha
printf '\001\002\003\377\004\005\006\200' >"$tmp/a.raw"
expect_status "AR24 2x1: converted" 0 "" \
	./raw2png --width 2 --height 1 --format AR24 "$tmp/a.raw" "$tmp/ar24.png"
compare "AR24 2x1: every pixel, with alpha" "$tmp/ar24.png" "2 1 rgba
030201ff
06050480"
expect_status "AB24 2x1: converted" 0 "" \
	./raw2png --width 2 --height 1 --format AB24 "$tmp/a.raw" "$tmp/ab24.png"
compare "AB24 2x1: every pixel, with alpha" "$tmp/ab24.png" "2 1 rgba
010203ff
04050680"

# errors: 1 for data that does not fit or files, 2 for usage
expect_status "too short: size mismatch" 1 "size mismatch" \
	./raw2png --width 3 --height 2 --stride 16 "$tmp/xb24.raw" "$tmp/bad.png"
[ ! -e "$tmp/bad.png" ] && ok "too short: no PNG left" ||
	not_ok "too short: a PNG was left"
expect_status "too long: size mismatch" 1 "size mismatch" \
	./raw2png --width 1 --height 1 "$tmp/xb24.raw" "$tmp/bad.png"
expect_status "unknown format" 2 "unknown format 'NV12'" \
	./raw2png --width 2 --height 1 --format NV12 "$tmp/a.raw" "$tmp/bad.png"
expect_status "no --height" 2 "required" \
	./raw2png --width 2 "$tmp/a.raw" "$tmp/bad.png"
expect_status "width 0" 2 "--width takes a number" \
	./raw2png --width 0 --height 1 "$tmp/a.raw" "$tmp/bad.png"
expect_status "stride below a line" 2 "less than" \
	./raw2png --width 2 --height 1 --stride 7 "$tmp/a.raw" "$tmp/bad.png"
expect_status "one file only" 2 "one input and one output" \
	./raw2png --width 2 --height 1 "$tmp/a.raw"
expect_status "unknown option" 2 "--bogus" \
	./raw2png --bogus --width 2 --height 1 "$tmp/a.raw" "$tmp/bad.png"
expect_status "missing input" 1 "cannot open" \
	./raw2png --width 2 --height 1 "$tmp/none.raw" "$tmp/bad.png"
expect_status "output folder missing" 1 "cannot write" \
	./raw2png --width 2 --height 1 "$tmp/a.raw" "$tmp/no/such/dir.png"
expect_status "--help" 0 "" ./raw2png --help
grep -q '^usage: raw2png' "$tmp/out" && ok "--help prints the usage" ||
	not_ok "--help prints the usage"

exit $failed
