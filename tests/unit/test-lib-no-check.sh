#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Stands in for the tests of the library (test-ctx and the others) when configure did not find the Check library.
echo "SKIP: the library tests need Check (Debian: apt-get install check)," \
	"which configure did not find"
exit 77
