# SPDX-License-Identifier: GPL-2.0-or-later
# Style checks of the host lane: the kernel's checkpatch.pl on the module and
# the uAPI header. Debian ships checkpatch only inside linux-source, so the
# three files it needs are taken from there once, into the cache.

lab_checkpatch_fetch() {
	local dir=$LAB_CACHE/checkpatch deb src
	LAB_CHECKPATCH=$dir/scripts/checkpatch.pl
	[ -f "$dir/.complete" ] && return 0
	src=linux-source-${LAB_KVER%%.0-*}
	say "fetching checkpatch.pl from $src (once)"
	rm -rf "$dir"
	mkdir -p "$dir/deb"
	lab_apt_download "$src" "$dir/deb"
	deb=$(ls "$dir"/deb/*.deb | head -n 1)
	dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards "*/$src.tar.xz" |
		xz -dc | tar -x -C "$dir" --strip-components=1 --wildcards \
			"$src/scripts/checkpatch.pl" "$src/scripts/spelling.txt" \
			"$src/scripts/const_structs.checkpatch" || return 1
	rm -rf "$dir/deb"
	touch "$dir/.complete"
}

lab_lint() {
	local out
	if ! lab_checkpatch_fetch; then
		lab_result host checkpatch fail "cannot fetch checkpatch.pl"
		return
	fi
	# CAMELCASE: outside a kernel tree checkpatch cannot tell the kernel's
	# own names (XenbusStateConnected) from new ones
	out=$(cd "$LAB_TOP" && perl "$LAB_CHECKPATCH" --no-tree --strict --terse \
		--show-types --ignore CAMELCASE -f $(find kernel tests/rogue -name '*.[ch]' ! -name '*.mod.c' | sort) \
		include/uapi/linux/hyper_dmabuf.h 2>&1)
	if [ -z "$out" ]; then
		lab_result host checkpatch pass
	else
		printf '%s\n' "$out" | head -n 40
		lab_result host checkpatch fail "$(printf '%s\n' "$out" | wc -l) findings"
	fi
}
