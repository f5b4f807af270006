#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The tree `make install-dkms` installs builds the module the way dkms does:
# copied to dkms's build folder, then the MAKE[0] line of its dkms.conf.

if [ -z "$KERNEL_BUILD" ] || [ ! -f "$KERNEL_BUILD/Makefile" ]; then
	echo "SKIP: configured without the module"
	exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

${MAKE:-make} -s -C "$top_builddir/kernel" install-dkms DESTDIR="$tmp/root" \
	prefix=/usr >"$tmp/install.log" 2>&1 || {
	echo "FAIL: make install-dkms"
	cat "$tmp/install.log"
	exit 1
}
src=$tmp/root/usr/src/hyper-dmabuf-$PACKAGE_VERSION
[ -f "$src/dkms.conf" ] || { echo "FAIL: no $src/dkms.conf"; exit 1; }

# what dkms (a bash program) does: copy the source, set its variables,
# source dkms.conf, run MAKE[0] in the build folder
dkms_tree=$tmp/dkms
build=$dkms_tree/hyper-dmabuf/$PACKAGE_VERSION/build
mkdir -p "$(dirname "$build")"
cp -r "$src" "$build"
kernel_source_dir=$KERNEL_BUILD
. "$src/dkms.conf"
(cd "$build" && eval "${MAKE[0]}") >"$tmp/build.log" 2>&1 || {
	echo "FAIL: ${MAKE[0]}"
	tail -n 20 "$tmp/build.log"
	exit 1
}
ko=$build/${BUILT_MODULE_LOCATION[0]}/${BUILT_MODULE_NAME[0]}.ko
[ -f "$ko" ] || { echo "FAIL: dkms's build left no $ko"; exit 1; }
version=$(/sbin/modinfo -F version "$ko" 2>/dev/null || modinfo -F version "$ko")
[ "$version" = "$PACKAGE_VERSION" ] || {
	echo "FAIL: module version '$version', expected $PACKAGE_VERSION"
	exit 1
}
echo "PASS: dkms builds ${BUILT_MODULE_NAME[0]}.ko $version from $src"
