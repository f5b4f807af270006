#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Generate configure; run it too unless NOCONFIGURE is set.
set -e
cd "$(dirname "$0")"
autoreconf --force --install
test -n "$NOCONFIGURE" || exec ./configure "$@"
