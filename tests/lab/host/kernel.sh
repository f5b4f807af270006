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
	lab_kernel_has_checks
}

# The memory checks every guest boots with (LAB_KERNEL_CHECKS) need these;
# a kernel without them would boot as if all were well.
lab_kernel_has_checks() {
	local config=$LAB_KROOT/boot/config-$LAB_KVER opt
	for opt in CONFIG_SLUB_DEBUG CONFIG_PAGE_POISONING CONFIG_DEBUG_LIST; do
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
