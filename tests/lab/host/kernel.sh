# SPDX-License-Identifier: GPL-2.0-or-later
# The guest kernel: Debian's image of exactly the ABI of the installed
# linux-headers, unpacked into the cache (never installed into /boot), or
# in debug mode one of the lab's debug kernels built from its source.

# Sets LAB_KVER (e.g. 6.1.0-56-amd64), LAB_KBUILD, LAB_KROOT, LAB_VMLINUZ
# to Debian's kernel.
lab_kernel() {
	local deps
	deps=$(dpkg-query -W -f='${Depends}' "linux-headers-$LAB_ARCH" 2>/dev/null) ||
		die "linux-headers-$LAB_ARCH is not installed"
	LAB_KVER=$(printf '%s\n' "$deps" | tr ',' '\n' |
		sed -n "s/^ *linux-headers-\([0-9][^ ]*-$LAB_ARCH\).*/\1/p" | head -n 1)
	[ -n "$LAB_KVER" ] || die "cannot tell the kernel ABI from linux-headers-$LAB_ARCH ($deps)"
	LAB_KBUILD=/usr/src/linux-headers-$LAB_KVER
	[ -f "$LAB_KBUILD/Makefile" ] || die "$LAB_KBUILD is missing"
	LAB_KROOT=$LAB_CACHE/kernel/$LAB_KVER
	LAB_VMLINUZ=$LAB_KROOT/boot/vmlinuz-$LAB_KVER
	[ -f "$LAB_KROOT/.complete" ] || lab_kernel_fetch
}

# lab_lane_kernel LANE: the kernel LANE boots (LAB_KVER, LAB_KBUILD,
# LAB_KROOT, LAB_VMLINUZ; LAB_KASAN=1 for KASAN's) and the outputs built
# against it (lab_outputs). Debian's, or in debug mode the debug kernel:
# with KASAN in the plain lane, where no Xen runs; the PV one in the xen
# lane, since 6.1 cannot run KASAN in a Xen PV guest.
lab_lane_kernel() {
	LAB_KASAN=
	lab_kernel
	if [ -z "$LAB_DEBUG_KERNEL" ]; then
		lab_outputs ""
	elif [ "$1" = plain ]; then
		LAB_KASAN=1
		lab_debug_kernel_kasan
		lab_outputs debug-kernel-kasan
	else
		lab_debug_kernel "$LAB_DEBUG_CONFIG" "debug kernel"
		lab_outputs debug-kernel
	fi
	lab_kernel_has_checks
}

# lab_outputs [DIR]: the project's build, install, rogue peer and base
# images for the kernel just chosen, under $LAB_OUT/DIR ($LAB_OUT for
# Debian's): builds against two kernels never mix.
lab_outputs() {
	local top=$LAB_OUT${1:+/$1}
	LAB_BUILD=$top/build
	LAB_STAGE=$top/stage
	LAB_ROGUE=$top/rogue
	LAB_IMAGES=$top/images
}

# The memory checks every guest boots with (LAB_KERNEL_CHECKS) need these;
# a kernel without them would boot as if all were well.
lab_kernel_has_checks() {
	local config=$LAB_KROOT/boot/config-$LAB_KVER opt
	for opt in CONFIG_SLUB_DEBUG CONFIG_PAGE_POISONING CONFIG_DEBUG_LIST \
		${LAB_DEBUG_KERNEL:+CONFIG_PROVE_LOCKING CONFIG_DEBUG_VM CONFIG_KFENCE} \
		${LAB_KASAN:+CONFIG_KASAN CONFIG_KASAN_GENERIC}; do
		grep -qx "$opt=y" "$config" ||
			die "the guest kernel $LAB_KVER lacks $opt, which the lab's memory checks need"
	done
}

lab_kernel_fetch() {
	local pkg deb

	pkg=linux-image-$LAB_KVER
	say "downloading $pkg (the guest kernel, about 70 MB) into $LAB_CACHE"
	rm -rf "$LAB_KROOT" "$LAB_CACHE/deb"
	mkdir -p "$LAB_CACHE/deb" "$LAB_KROOT"
	lab_apt_download "$pkg" "$LAB_CACHE/deb"
	deb=$(ls "$LAB_CACHE"/deb/"$pkg"_*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || die "apt-get download $pkg left no package"
	say "unpacking $(basename "$deb")"
	dpkg-deb -x "$deb" "$LAB_KROOT" || die "cannot unpack $deb"
	rm -rf "$LAB_CACHE/deb"
	depmod -b "$LAB_KROOT" "$LAB_KVER" || die "depmod on the guest kernel failed"
	touch "$LAB_KROOT/.complete"
}

# The debug kernels (./lab run|check|build --debug-kernel): Debian's own
# source of the guest kernel (linux-source-6.1), configured as Debian's
# image of the ABI above plus tests/lab/host/debug-kernel.config (lockdep,
# DEBUG_VM, KFENCE; no KASAN, see there), without the modules the images
# do not load, and with the lab's fixes of tests/lab/host/debug-kernel-patches
# (bugs of Linux that would turn lockdep off before the module is checked).
# The plain lane's adds KASAN (tests/lab/host/debug-kernel-kasan.config).
# Each is built once into $LAB_CACHE/debug-kernel/KEY, KEY naming all it
# was made from, and used from there as the guest kernel: LAB_KBUILD is
# the built tree, LAB_KROOT its modules_install and bzImage.
LAB_DEBUG_KERNEL=${LAB_DEBUG_KERNEL:-}
LAB_KASAN=
LAB_DEBUG_SOURCE=linux-source-6.1
LAB_DEBUG_CONFIG=$LAB_TOP/tests/lab/host/debug-kernel.config
LAB_DEBUG_KASAN_CONFIG=$LAB_TOP/tests/lab/host/debug-kernel-kasan.config
LAB_DEBUG_PATCHES=$LAB_TOP/tests/lab/host/debug-kernel-patches
LAB_PACKAGES_DEBUG="$LAB_DEBUG_SOURCE patch flex bison bc libelf-dev libssl-dev"

# Debug mode: the debug kernels (each lane's, lab_lane_kernel), longer
# time limits.
lab_use_debug_kernel() {
	LAB_DEBUG_KERNEL=1
	export LAB_DEBUG_KERNEL
	# lockdep on every lock, DEBUG_VM and KFENCE, under emulation
	LAB_TIME_FACTOR=3
	# lockdep's reports are warnings (KERN_WARNING), which "quiet" keeps
	# off the console, where a domU's are searched for
	LAB_KERNEL_CHECKS+=" loglevel=5"
}

# lab_debug_fragment BASE TOP: the CONFIG_ lines of the fragment BASE that
# TOP does not set, then TOP's. Comments are left out, so that only what
# the kernel is made of goes into its key.
lab_debug_fragment() {
	local sym
	sym=$(sed -n 's/^\(# \)\{0,1\}\(CONFIG_[A-Za-z0-9_]*\)[= ].*/\2/p' "$2") ||
		die "cannot read $2"
	grep -E '^(# )?CONFIG_' "$1" | grep -v -w -F -e "${sym:-CONFIG_}"
	grep -E '^(# )?CONFIG_' "$2"
}

# The plain lane's debug kernel: the PV one's fragment with KASAN's on
# top, merged into $LAB_OUT/debug-kernel-kasan/kernel.config; the logs of
# its build in $LAB_LOGS/debug-kernel-kasan/.
lab_debug_kernel_kasan() {
	local frag=$LAB_OUT/debug-kernel-kasan/kernel.config LAB_LOGS=$LAB_LOGS/debug-kernel-kasan
	mkdir -p "${frag%/*}" "$LAB_LOGS"
	lab_debug_fragment "$LAB_DEBUG_CONFIG" "$LAB_DEBUG_KASAN_CONFIG" >"$frag.$$" &&
		mv "$frag.$$" "$frag" || die "cannot write $frag"
	lab_debug_kernel "$frag" "debug kernel with KASAN"
}

# lab_debug_kernel FRAGMENT WHAT: sets LAB_KVER, LAB_KBUILD, LAB_KROOT and
# LAB_VMLINUZ to those of the debug kernel configured with FRAGMENT (WHAT
# names it), built first when the cache has none; needs Debian's kernel
# (its configuration) in place.
lab_debug_kernel() {
	# lab_debug_kernel_build and _config read the fragment from here
	local LAB_DEBUG_CONFIG=$1 what=$2
	local base=$LAB_KROOT/boot/config-$LAB_KVER ver key dir lock
	[ "$LAB_DEBUG_SOURCE" = "linux-source-${LAB_KVER%%.0-*}" ] ||
		die "the debug kernel is built from $LAB_DEBUG_SOURCE, not the source of $LAB_KVER"
	ver=$(dpkg-query -W -f='${Version}' "$LAB_DEBUG_SOURCE" 2>/dev/null) ||
		die "$LAB_DEBUG_SOURCE is not installed"
	# Debian's configuration is the image's: the same upload, or close
	[ "$ver" = "$(dpkg-query -W -f='${Version}' "linux-headers-$LAB_ARCH")" ] ||
		warn "$LAB_DEBUG_SOURCE $ver is not the version of linux-headers-$LAB_ARCH; its configuration is taken all the same"
	# what goes into the key is what it always was, so that a kernel
	# already built keeps its key
	key=$({
		echo "$ver"
		cat "$base" "$LAB_DEBUG_CONFIG" "$LAB_DEBUG_PATCHES"/*.patch
		echo $LAB_KMODS_XEN $LAB_KMODS_DRM
		declare -f lab_debug_kernel_build lab_debug_kernel_config
	} | md5sum | cut -c1-16)
	dir=$LAB_CACHE/debug-kernel/$key
	if [ ! -f "$dir/.complete" ]; then
		mkdir -p "$LAB_CACHE/debug-kernel"
		# two labs building the same kernel: the second waits, then uses it
		exec {lock}>"$LAB_CACHE/debug-kernel/build.lock"
		if ! flock -n "$lock"; then
			say "$what: waiting for another lab building a debug kernel"
			flock "$lock"
		fi
		if [ ! -f "$dir/.complete" ]; then
			say "$what: not in the cache yet, building it once ($LAB_DEBUG_CONFIG; logs: $LAB_LOGS)"
			lab_debug_kernel_build "$dir" "$base" "$ver"
		fi
		exec {lock}>&-
	fi
	LAB_KVER=$(cat "$dir/kver")
	LAB_KBUILD=$dir/linux
	LAB_KROOT=$dir/root
	LAB_VMLINUZ=$LAB_KROOT/boot/vmlinuz-$LAB_KVER
	[ -f "$LAB_VMLINUZ" ] || die "$what in $dir has no $LAB_VMLINUZ"
}

# lab_debug_kernel_config SRC BASE: SRC/.config from Debian's BASE, only
# the modules the images load (and what they need), then the fragment.
lab_debug_kernel_config() {
	local src=$1 base=$2 log=$LAB_LOGS/debug-kernel-config.log line sym bad=
	cp "$base" "$src/.config"
	# what lsmod would show once the images' modules are loaded
	{
		echo "Module                  Size  Used by"
		for line in $LAB_KMODS_XEN $LAB_KMODS_DRM; do
			modprobe -d "$LAB_KROOT" -S "$LAB_KVER" --show-depends "$line" |
				awk '$1 == "insmod" { print $2 }'
		done | sed 's|.*/||; s|\.ko.*||; s|-|_|g' | sort -u | sed 's/$/ 16384 0/'
	} >"$src/lab.lsmod"
	quiet_run "make localmodconfig" "$log" \
		make -C "$src" LSMOD="$src/lab.lsmod" localmodconfig </dev/null
	# the fragment's lines replace Debian's
	sed -n 's/^\(# \)\{0,1\}\(CONFIG_[A-Za-z0-9_]*\)[= ].*/\2/p' "$LAB_DEBUG_CONFIG" \
		>"$src/lab.symbols"
	{
		grep -v -w -f "$src/lab.symbols" "$src/.config"
		grep -E '^(# )?CONFIG_' "$LAB_DEBUG_CONFIG"
	} >"$src/.config.new"
	mv "$src/.config.new" "$src/.config"
	quiet_run "make olddefconfig" "$log" make -C "$src" olddefconfig </dev/null
	# a line Kconfig did not take (a dependency missing) is a failure
	while IFS= read -r line; do
		case $line in
		CONFIG_*) grep -qxF -- "$line" "$src/.config" || bad+=" $line" ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			! grep -q "^$sym=" "$src/.config" || bad+=" $sym=n"
			;;
		esac
	done <"$LAB_DEBUG_CONFIG"
	[ -z "$bad" ] || die "the debug kernel's configuration did not take:$bad (see $src/.config)"
}

# lab_debug_kernel_build DIR BASE VERSION
lab_debug_kernel_build() {
	local dir=$1 base=$2 ver=$3 src=$1/linux log=$LAB_LOGS/debug-kernel-build.log
	local tarball=/usr/src/$LAB_DEBUG_SOURCE.tar.xz t0=$SECONDS kver patch
	[ -f "$tarball" ] || die "$tarball is missing (package $LAB_DEBUG_SOURCE)"
	say "debug kernel: building Debian's $LAB_DEBUG_SOURCE $ver into $dir, once (an hour or more on two cores)"
	rm -rf "$dir"
	mkdir -p "$dir/root/boot"
	tar -xJf "$tarball" -C "$dir" || die "cannot unpack $tarball"
	mv "$dir/$LAB_DEBUG_SOURCE" "$src" || die "$tarball has no $LAB_DEBUG_SOURCE/"
	for patch in "$LAB_DEBUG_PATCHES"/*.patch; do
		patch -d "$src" -p1 --forward --batch --quiet <"$patch" >>"$log" 2>&1 ||
			die "$patch does not apply to $LAB_DEBUG_SOURCE $ver (see $log)"
	done
	lab_debug_kernel_config "$src" "$base"
	say "debug kernel: make bzImage modules, niced (log: $log)"
	quiet_run "building the debug kernel" "$log" \
		nice -n 19 make -C "$src" -j"$(nproc)" bzImage modules
	kver=$(make -s -C "$src" --no-print-directory kernelrelease) || die "no kernelrelease in $src"
	quiet_run "installing the debug kernel's modules" "$LAB_LOGS/debug-kernel-install.log" \
		nice -n 19 make -C "$src" modules_install INSTALL_MOD_PATH="$dir/root" \
		INSTALL_MOD_STRIP=1 DEPMOD=true
	cp "$src/arch/x86/boot/bzImage" "$dir/root/boot/vmlinuz-$kver" &&
		cp "$src/.config" "$dir/root/boot/config-$kver" ||
		die "cannot install the debug kernel into $dir/root"
	depmod -b "$dir/root" "$kver" || die "depmod on the debug kernel failed"
	echo "$kver" >"$dir/kver"
	touch "$dir/.complete"
	say "debug kernel $kver built in $(((SECONDS - t0) / 60)) minutes"
}
