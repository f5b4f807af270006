#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The lab's own command channel: output, errors and exit status come back
# from each domU intact, several commands may run at once, and a command's
# arguments arrive as they were given.
. /lab/guest/testlib.sh

for d in $LAB_DOMUS; do
	expect_eq "$d: hostname" domu "$(on $d hostname)"
	expect_eq "$d: exit status" 7 "$(on $d 'exit 7'; echo $?)"
	expect_eq "$d: stderr apart from stdout" "err" "$(on $d 'echo out; echo err >&2' 2>&1 >/dev/null)"
	# 200 KiB, far beyond one xenstore node: chunking and quota handling
	sum=$(on $d 'head -c 204800 /dev/urandom | tee /tmp/blob | md5sum')
	expect_eq "$d: large output arrives whole" "$sum" \
		"$(on $d cat /tmp/blob | md5sum)"
	# each waits for the other to have started: one at a time, the first
	# would wait in vain
	on $d rm -f /tmp/a-started /tmp/b-started
	both='touch /tmp/$1-started; for i in $(seq 100); do [ -e /tmp/$2-started ] && echo $1 && exit; sleep 0.1; done; exit 1'
	on $d sh -c "$both" sh a b >/tmp/a &
	first=$!
	on $d sh -c "$both" sh b a >/tmp/b
	second=$?
	wait $first
	expect_eq "$d: concurrent commands" "0 0 a b" "$? $second $(cat /tmp/a) $(cat /tmp/b)"
	# several arguments arrive as they were given, one a word
	expect_eq "$d: arguments with spaces and quotes" "3:a b|it's|\$HOME" \
		"$(on $d sh -c 'echo "$#:$1|$2|$3"' sh 'a b' "it's" '$HOME')"
	expect_eq "$d: a pattern with a space" "not ok - x" \
		"$(on $d sh -c 'printf "ok - y\nnot ok - x\n" >/tmp/p'; on $d grep '^not ok' /tmp/p)"
	expect_status "$d: time limit" 124 on -t 2 $d sleep 30
done
expect_status "unknown domain" 125 on nosuchdomu true
lab_done
