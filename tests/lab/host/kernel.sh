# SPDX-License-Identifier: GPL-2.0-or-later
# The guest kernel: Debian's image of exactly the ABI of the installed
# linux-headers, unpacked into the cache (never installed into /boot).

# Sets LAB_KVER (e.g. 6.1.0-56-amd64), LAB_KBUILD, LAB_KROOT, LAB_VMLINUZ.
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
	[ -z "$LAB_DEBUG_KERNEL" ] || lab_debug_kernel
	lab_kernel_has_checks
}

# The memory checks every guest boots with (LAB_KERNEL_CHECKS) need these;
# a kernel without them would boot as if all were well.
lab_kernel_has_checks() {
	local config=$LAB_KROOT/boot/config-$LAB_KVER opt
	for opt in CONFIG_SLUB_DEBUG CONFIG_PAGE_POISONING CONFIG_DEBUG_LIST \
		${LAB_DEBUG_KERNEL:+CONFIG_PROVE_LOCKING CONFIG_DEBUG_VM CONFIG_KFENCE}; do
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

# The debug kernel (./lab run|check|build --debug-kernel): Debian's own
# source of the guest kernel (linux-source-6.1), configured as Debian's
# image of the ABI above plus tests/lab/host/debug-kernel.config (lockdep,
# DEBUG_VM, KFENCE; no KASAN, see there), without the modules the images
# do not load, and with the lab's fixes of tests/lab/host/debug-kernel-patches
# (bugs of Linux that would turn lockdep off before the module is checked). Built once into $LAB_CACHE/debug-kernel/KEY, KEY naming
# all it was made from, and used from there as the guest kernel: LAB_KBUILD
# is the built tree, LAB_KROOT its modules_install and bzImage.
LAB_DEBUG_KERNEL=${LAB_DEBUG_KERNEL:-}
LAB_DEBUG_SOURCE=linux-source-6.1
LAB_DEBUG_CONFIG=$LAB_TOP/tests/lab/host/debug-kernel.config
LAB_DEBUG_PATCHES=$LAB_TOP/tests/lab/host/debug-kernel-patches
LAB_PACKAGES_DEBUG="$LAB_DEBUG_SOURCE patch flex bison bc libelf-dev libssl-dev"

# Debug mode: the debug kernel, outputs of its own next to the usual ones
# (so that neither build ever mixes with the other), longer time limits.
lab_use_debug_kernel() {
	LAB_DEBUG_KERNEL=1
	export LAB_DEBUG_KERNEL
	# lockdep on every lock, DEBUG_VM and KFENCE, under emulation
	LAB_TIME_FACTOR=3
	# lockdep's reports are warnings (KERN_WARNING), which "quiet" keeps
	# off the console, where a domU's are searched for
	LAB_KERNEL_CHECKS+=" loglevel=5"
	LAB_BUILD=$LAB_OUT/debug-kernel/build
	LAB_STAGE=$LAB_OUT/debug-kernel/stage
	LAB_IMAGES=$LAB_OUT/debug-kernel/images
}

# Sets LAB_KVER, LAB_KBUILD, LAB_KROOT and LAB_VMLINUZ to the debug
# kernel's; needs Debian's kernel (its configuration) in place.
lab_debug_kernel() {
	local base=$LAB_KROOT/boot/config-$LAB_KVER ver key dir lock
	[ "$LAB_DEBUG_SOURCE" = "linux-source-${LAB_KVER%%.0-*}" ] ||
		die "the debug kernel is built from $LAB_DEBUG_SOURCE, not the source of $LAB_KVER"
	ver=$(dpkg-query -W -f='${Version}' "$LAB_DEBUG_SOURCE" 2>/dev/null) ||
		die "$LAB_DEBUG_SOURCE is not installed"
	# Debian's configuration is the image's: the same upload, or close
	[ "$ver" = "$(dpkg-query -W -f='${Version}' "linux-headers-$LAB_ARCH")" ] ||
		warn "$LAB_DEBUG_SOURCE $ver is not the version of linux-headers-$LAB_ARCH; its configuration is taken all the same"
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
			say "debug kernel: waiting for another lab building it"
			flock "$lock"
		fi
		[ -f "$dir/.complete" ] || lab_debug_kernel_build "$dir" "$base" "$ver"
		exec {lock}>&-
	fi
	LAB_KVER=$(cat "$dir/kver")
	LAB_KBUILD=$dir/linux
	LAB_KROOT=$dir/root
	LAB_VMLINUZ=$LAB_KROOT/boot/vmlinuz-$LAB_KVER
	[ -f "$LAB_VMLINUZ" ] || die "the debug kernel in $dir has no $LAB_VMLINUZ"
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
