# SPDX-License-Identifier: GPL-2.0-or-later
# Guest images: uncompressed initramfs archives (the kernel unpacks those
# fastest under emulation). Each image is a base archive, rebuilt only when
# its inputs change, followed by an overlay with this run's build, lab
# scripts, scenarios and added files.

LAB_XEN_BIN=/usr/lib/xen-4.17/bin
LAB_XEN_TOOLS="$LAB_XEN_BIN/xl $LAB_XEN_BIN/xenstored $LAB_XEN_BIN/xenconsoled
	$LAB_XEN_BIN/xen-init-dom0"
LAB_KMODS_XEN="xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs"
LAB_KMODS_DRM="drm drm_shmem_helper vgem"

# copy_into ROOT FILE: FILE at the same place in ROOT, contents of its target.
copy_into() {
	local dir
	dir=$(readlink -f "$(dirname "$2")")
	mkdir -p "$1$dir"
	cp -L "$2" "$1$dir/$(basename "$2")"
}

# copy_libs ROOT FILE...: every shared library the files load.
copy_libs() {
	local root=$1 f lib
	shift
	for f in "$@"; do
		for lib in $(ldd "$f" 2>/dev/null |
			awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
			case $lib in "$LAB_STAGE"/*) continue ;; esac
			[ -e "$root$lib" ] || copy_into "$root" "$lib"
		done
	done
}

# copy_with_libs ROOT FILE...: the files and every shared library they load.
copy_with_libs() {
	local root=$1 f
	shift
	for f in "$@"; do
		copy_into "$root" "$f"
		copy_libs "$root" "$f"
	done
}

# merge_usr ROOT: /bin, /sbin, /lib, /lib64 as links into /usr, as on the
# host. Every archive of an image must agree: unpacking a folder where an
# earlier archive put a link replaces the link.
merge_usr() {
	local root=$1 link target
	for link in bin:usr/bin sbin:usr/bin usr/sbin:bin lib:usr/lib lib64:usr/lib64; do
		target=${link#*:}
		link=$root/${link%%:*}
		mkdir -p "$(dirname "$link")/$target"
		if [ -d "$link" ] && [ ! -L "$link" ]; then
			cp -a "$link/." "$(dirname "$link")/$target/"
			rm -rf "$link"
		fi
		ln -sfn "$target" "$link"
	done
}

# The skeleton every guest shares: merged /usr, busybox and its applets.
make_skeleton() {
	local root=$1 applet
	mkdir -p "$root"/{dev,proc,sys,tmp,run,root,etc,var,lab}
	merge_usr "$root"
	cp /bin/busybox "$root/usr/bin/busybox"
	for applet in $(/bin/busybox --list); do
		[ -e "$root/usr/bin/$applet" ] || ln -s busybox "$root/usr/bin/$applet"
	done
	echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
	echo 'root:x:0:' >"$root/etc/group"
	copy_with_libs "$root" /usr/bin/jq
}

# add_kmods ROOT NAME...: kernel modules and what they depend on.
add_kmods() {
	local root=$1 mod path dep
	shift
	for mod in "$@"; do
		path=$(modprobe -d "$LAB_KROOT" -S "$LAB_KVER" --show-depends "$mod" |
			awk '$1 == "insmod" { print $2 }') ||
			die "kernel module $mod is not in $LAB_KVER"
		for dep in $path; do
			mkdir -p "$root$(dirname "${dep#"$LAB_KROOT"}")"
			cp "$dep" "$root${dep#"$LAB_KROOT"}"
		done
	done
	cp "$LAB_KROOT/lib/modules/$LAB_KVER"/modules.{builtin,builtin.modinfo,order} \
		"$root/lib/modules/$LAB_KVER/"
}

base_plain() {
	add_kmods "$1" $LAB_KMODS_DRM
	cp "$LAB_GUEST_SRC/init-plain" "$1/init"
}

base_domu() {
	add_kmods "$1" $LAB_KMODS_DRM $LAB_KMODS_XEN
	cp "$LAB_GUEST_SRC/init-domu" "$1/init"
	copy_with_libs "$1" /usr/bin/xenstore
}

base_dom0() {
	local so
	base_domu "$1"
	cp "$LAB_GUEST_SRC/init-dom0" "$1/init"
	# xl warns on every call without one; the defaults suit the lab
	mkdir -p "$1/etc/xen"
	touch "$1/etc/xen/xl.conf"
	copy_with_libs "$1" $LAB_XEN_TOOLS
	# xl needs it at exit, and ldd does not list it
	copy_into "$1" "/usr/lib/$LAB_MULTIARCH/libgcc_s.so.1"
	for so in read write ls rm list exists watch chmod; do
		ln -sf xenstore "$1/usr/bin/xenstore-$so"
	done
}

# pack DIR > ARCHIVE
pack() {
	(cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet)
}

# The inputs of a base image, so it is rebuilt when one of them changes.
base_fingerprint() {
	{
		echo "$LAB_KVER"
		cat "$LAB_TOP/tests/lab/host/images.sh" "$LAB_GUEST_SRC/init-$1"
		dpkg-query -W busybox-static xen-utils-4.17 libc6 jq
	} | md5sum | cut -d' ' -f1
}

lab_base_image() {
	local role=$1 out=$LAB_IMAGES/base-$1.cpio fp root
	fp=$(base_fingerprint "$role")
	[ -f "$out" ] && [ "$(cat "$out.fp" 2>/dev/null)" = "$fp" ] && return 0
	say "building the $role base image"
	root=$LAB_IMAGES/base-$role
	rm -rf "$root"
	make_skeleton "$root"
	"base_$role" "$root"
	pack "$root" >"$out" || die "cannot pack $root"
	echo "$fp" >"$out.fp"
}

# The overlay: this run's build and lab files, same for every guest.
# $1: overlay dir; $2: run.conf to install; the rest: scenarios.
lab_overlay() {
	local dir=$1 conf=$2 f mods
	shift 2
	rm -rf "$dir"
	mkdir -p "$dir/lab/bin" "$dir/lab/scenarios" "$dir/lab/add" "$dir/lab/guest"
	cp -a "$LAB_STAGE/." "$dir/"
	rm -rf "$dir/usr/share/man" "$dir/usr/include"
	copy_with_libs "$dir" "$LAB_STAGE/usr/bin/hyper-dmabuf"
	cp "$LAB_BUILD"/tests/guest/hdmabuf-test-* "$LAB_BUILD/tests/lab/lab-channel" \
		"$LAB_BUILD/tests/demo/hdmabuf-demo-picture" "$dir/lab/bin/"
	# hdmabuf-test-grefs loads Xen's libxengnttab, which domUs lack
	copy_libs "$dir" "$LAB_BUILD"/tests/guest/hdmabuf-test-*
	# ./lab bench's guest program, where configure found libxenvchan
	if [ -x "$LAB_BUILD/tests/guest/hdmabuf-bench" ]; then
		cp "$LAB_BUILD/tests/guest/hdmabuf-bench" "$dir/lab/bin/"
		copy_libs "$dir" "$LAB_BUILD/tests/guest/hdmabuf-bench"
	fi
	mkdir -p "$dir/lab/rogue"
	cp "$LAB_ROGUE/hyper_dmabuf.ko" "$dir/lab/rogue/"
	printf '#!/bin/sh\nexec lab-channel on "$@"\n' >"$dir/lab/bin/on"
	chmod +x "$dir/lab/bin/on"
	cp "$LAB_GUEST_SRC/lib.sh" "$LAB_GUEST_SRC/testlib.sh" "$LAB_GUEST_SRC/clilib.sh" \
		"$LAB_GUEST_SRC/stress.sh" \
		"$LAB_GUEST_SRC/run-scenarios" "$dir/lab/guest/"
	cp "$conf" "$dir/lab/run.conf"
	for f in "$@"; do
		cp "$f" "$dir/lab/scenarios/"
	done
	for f in "${LAB_ADD[@]}"; do
		cp -a "$f" "$dir/lab/add/"
	done
	# module lists that know hyper_dmabuf; the modules are in the bases
	add_kmods "$dir" $LAB_KMODS_DRM $LAB_KMODS_XEN
	depmod -b "$dir" "$LAB_KVER" || die "depmod for the overlay failed"
	rm -rf "$dir/lib/modules/$LAB_KVER/kernel"
	merge_usr "$dir"
}
