#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The CLI against the real module: version, status, errors.
. /lab/guest/testlib.sh

expect_ok "version" hyper-dmabuf version
v=$(hyper-dmabuf version --json)
expect_eq "version --json: module version" \
	"$(cat /sys/module/hyper_dmabuf/version)" "$(echo "$v" | jq -r .module_version)"
expect_eq "version --json: api versions agree" \
	"$(echo "$v" | jq -r .library_api_version)" "$(echo "$v" | jq -r .api_version)"
expect_ok "status" hyper-dmabuf status
expect_status "unknown command is a usage error" 2 hyper-dmabuf frobnicate
expect_status "unknown option is a usage error" 2 hyper-dmabuf status --frob
expect_ok "--help" hyper-dmabuf --help
expect_ok "status --help" hyper-dmabuf status --help

lab_done
