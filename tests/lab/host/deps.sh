# SPDX-License-Identifier: GPL-2.0-or-later
# Debian packages the build and the lab need, installed when missing.

LAB_PACKAGES_BUILD="autoconf automake libtool pkg-config make gcc libc6-dev
	libjson-c-dev libpng-dev check clang libclang-rt-14-dev libxen-dev linux-headers-$LAB_ARCH kmod xz-utils perl
	gcc-multilib"
# gnuplot-nox: the chart of ./lab bench, which ./lab check runs short
LAB_PACKAGES_LAB="qemu-system-x86 busybox-static cpio xen-utils-4.17
	xen-hypervisor-4.17-$LAB_ARCH jq gnuplot-nox"

# the fuzzer of the wire messages (./lab fuzz): libFuzzer and the
# sanitizers' runtimes come with clang's compiler-rt
LAB_PACKAGES_FUZZ="clang libclang-rt-14-dev"

# lab_missing_packages [PACKAGE...]: those of PACKAGEs (default: all the
# build and the lab need) not installed
lab_missing_packages() {
	local p
	# by default all the build and the lab need; the debug kernel's source
	# and what building a kernel needs only when asked for (kernel.sh)
	for p in ${*:-$LAB_PACKAGES_BUILD $LAB_PACKAGES_LAB ${LAB_DEBUG_KERNEL:+$LAB_PACKAGES_DEBUG}}; do
		dpkg-query -W -f='${db:Status-Status}\n' "$p" 2>/dev/null |
			grep -qx installed || echo "$p"
	done
}

# lab_deps [PACKAGE...]: install what is missing of PACKAGEs (default:
# all the build and the lab need)
lab_deps() {
	local missing
	command -v dpkg-query >/dev/null ||
		die "this lab needs a Debian (bookworm) machine: no dpkg-query here"
	missing=$(lab_missing_packages "$@" | tr '\n' ' ')
	if [ -z "$missing" ]; then
		return 0
	fi
	say "installing missing Debian packages: $missing"
	say "apt-get update (this may take a minute)"
	quiet_run "apt-get update" "$LAB_LOGS/apt-update.log" \
		as_root apt-get update
	say "apt-get install (downloading and unpacking)"
	quiet_run "apt-get install" "$LAB_LOGS/apt-install.log" \
		as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends $missing
	say "packages installed"
}

# lab_apt_download PACKAGE DIR: fetch a .deb without installing it; the
# package lists are refreshed once if apt does not know the package.
lab_apt_download() {
	local log=$LAB_LOGS/download.log
	# _apt cannot write into a private cache: download as the caller
	(cd "$2" && apt-get -o APT::Sandbox::User=root download "$1") >"$log" 2>&1 && return 0
	say "apt-get does not know $1 yet: apt-get update"
	quiet_run "apt-get update" "$LAB_LOGS/apt-update.log" as_root apt-get update
	(cd "$2" && quiet_run "apt-get download $1" "$log" \
		apt-get -o APT::Sandbox::User=root download "$1")
}
