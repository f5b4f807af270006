# SPDX-License-Identifier: GPL-2.0-or-later
# Build the project out of tree in $LAB_BUILD against the guest kernel's
# headers, and install it into $LAB_STAGE as a distribution would.

lab_build() {
	local log=$LAB_LOGS/build.log
	mkdir -p "$LAB_BUILD"
	# autoreconf --install also adds the helper scripts a change may need
	if [ ! -x "$LAB_TOP/configure" ] || [ -n "$(find "$LAB_TOP" \
		-path "$LAB_OUT" -prune -o \( -name configure.ac -o -name Makefile.am \) \
		-newer "$LAB_TOP/configure" -print)" ]; then
		say "autoreconf"
		autoreconf --force --install "$LAB_TOP" >"$LAB_LOGS/autoreconf.log" 2>&1 || {
			rm -f "$LAB_TOP/configure"
			tail -n 20 "$LAB_LOGS/autoreconf.log"
			die "autoreconf failed (full log: $LAB_LOGS/autoreconf.log)"
		}
	fi
	if [ ! -f "$LAB_BUILD/Makefile" ] ||
		[ "$LAB_TOP/configure" -nt "$LAB_BUILD/config.status" ] ||
		! grep -q -- "--with-kernel-build=$LAB_KBUILD" "$LAB_BUILD/config.status"; then
		say "configure (kernel $LAB_KVER)"
		(cd "$LAB_BUILD" && quiet_run configure "$LAB_LOGS/configure.log" \
			"$LAB_TOP/configure" --prefix=/usr --sysconfdir=/etc \
			--libdir=/usr/lib/$LAB_MULTIARCH \
			--with-kernel-build="$LAB_KBUILD") || exit
	fi
	say "make (module, library, tools)"
	quiet_run make "$log" make -C "$LAB_BUILD" -j"$(nproc)"
	# a warning is a bug not found yet: the build fails on it
	if grep -q "warning:" "$log"; then
		grep -B 3 -A 3 "warning:" "$log" | head -n 30
		die "the build warns (full log: $log)"
	fi
	rm -rf "$LAB_STAGE"
	quiet_run "make install" "$LAB_LOGS/install.log" \
		make -C "$LAB_BUILD" install DESTDIR="$LAB_STAGE"
	lab_build_rogue
}

# The rogue peer (tests/rogue/rogue.c): the module built again with it, in
# a folder of its own, for the lab's guests only; never installed.
lab_build_rogue() {
	local dir=$LAB_ROGUE log=$LAB_LOGS/rogue.log
	say "make (the rogue peer, a test build of the module)"
	mkdir -p "$dir/rogue"
	# -u keeps what did not change older than its object: kbuild rebuilds less
	cp -a -u "$LAB_TOP/kernel/." "$dir/" &&
		cp -a -u "$LAB_TOP/tests/rogue/rogue.c" "$dir/rogue/" ||
		die "cannot copy the module's sources to $dir"
	quiet_run "make (rogue)" "$log" make -C "$LAB_KBUILD" M="$dir" \
		HDMABUF_ROGUE=y HDMABUF_UAPI_DIR="$LAB_TOP/include/uapi" \
		HDMABUF_VERSION="$(cat "$LAB_TOP/VERSION")" modules
	if grep -q "warning:" "$log"; then
		grep -B 3 -A 3 "warning:" "$log" | head -n 30
		die "the rogue's build warns (full log: $log)"
	fi
}

# make check: each automake test is one result of the host lane. A test
# expected to fail (XFAIL) checks nothing that works: it counts as skipped.
# make check's own status counts too: a folder that does not build runs
# none of its tests and leaves no result behind.
lab_host_tests() {
	local log=$LAB_LOGS/make-check.log trs name res n=0 failed=0 rc
	say "host tests (make check)"
	find "$LAB_BUILD/tests" -name '*.trs' -delete 2>/dev/null
	make -C "$LAB_BUILD" -j"$(nproc)" check >"$log" 2>&1
	rc=$?
	for trs in $(find "$LAB_BUILD/tests" -name '*.trs' | sort); do
		name=${trs#"$LAB_BUILD/tests/"}
		name=${name%.trs}
		res=$(sed -n 's/^:test-result: //p' "$trs" | head -n 1)
		case $res in
		PASS) lab_result host "$name" pass ;;
		XFAIL) lab_result host "$name" skip "an expected failure (XFAIL)" ;;
		SKIP) lab_result host "$name" skip "$(grep -m 1 -i '^skip' "${trs%.trs}.log")" ;;
		*) lab_result host "$name" fail "see ${trs%.trs}.log"; failed=1 ;;
		esac
		n=$((n + 1))
	done
	if [ $n -eq 0 ]; then
		lab_result host "make check" fail "no test ran; see $log"
	elif [ $rc -ne 0 ] && [ $failed -eq 0 ]; then
		grep -E 'Error|error:' "$log" | head -n 5
		lab_result host "make check" fail "exit status $rc with no test failed: a folder did not build or run; see $log"
	fi
}

# make distcheck: the release tarball builds, passes make check and installs.
lab_distcheck() {
	local log=$LAB_LOGS/distcheck.log
	say "host: make distcheck"
	# make check fuzzed the same code for 20 s just before
	if FUZZ_SECONDS=2 make -C "$LAB_BUILD" -j"$(nproc)" distcheck >"$log" 2>&1; then
		lab_result host distcheck pass
	else
		tail -n 30 "$log"
		lab_result host distcheck fail "see $log"
	fi
}
