#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The lab's own command channel: output, errors and exit status come back
# from each domU intact, and several commands may run at once.
. /lab/guest/testlib.sh

for d in $LAB_DOMUS; do
	expect_eq "$d: hostname" domu "$(on $d hostname)"
	expect_eq "$d: exit status" 7 "$(on $d 'exit 7'; echo $?)"
	expect_eq "$d: stderr apart from stdout" "err" "$(on $d 'echo out; echo err >&2' 2>&1 >/dev/null)"
	# 200 KiB, far beyond one xenstore node: chunking and quota handling
	sum=$(on $d 'head -c 204800 /dev/urandom | tee /tmp/blob | md5sum')
	expect_eq "$d: large output arrives whole" "$sum" \
		"$(on $d cat /tmp/blob | md5sum)"
	on $d 'sleep 2; echo a' >/tmp/a &
	on $d 'sleep 1; echo b' >/tmp/b &
	wait
	expect_eq "$d: concurrent commands" "a b" "$(cat /tmp/a) $(cat /tmp/b)"
	expect_status "$d: time limit" 124 on -t 2 $d sleep 30
done
expect_status "unknown domain" 125 on nosuchdomu true
lab_done
