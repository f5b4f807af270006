// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tool's message for a call the module does not know: with a module
 * older than the call, the tool names both API versions (the module's from
 * GET_CAPS, which the shim answers: ioctl-shim.h); with one as new, the
 * plain message for the error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ioctl-shim.h"
#include "lib-test.h"
#include "tools-common.h"

#define DEVICE	"/dev/hyper_dmabuf"

/*
 * What report_new_call_error() prints of a PEERS (API 3) that failed with
 * err, the shim answering GET_CAPS with api_version api (0: failing it
 * with ENOTTY); a string to free.
 */
static char *message(unsigned int api, int err)
{
	struct hyper_dmabuf_caps caps = { .api_version = api };
	struct op_subject subj = { .device = DEVICE };
	struct hdmabuf_ctx *ctx = shim_ctx_open();
	FILE *out = tmpfile();
	char *text = calloc(1, 512);
	int saved = dup(STDERR_FILENO);

	ck_assert(out && text && saved >= 0);
	if (api)
		shim_reply(&caps, sizeof(caps));
	else
		shim_fail(ENOTTY);
	fflush(stderr);
	ck_assert_int_ge(dup2(fileno(out), STDERR_FILENO), 0);
	report_new_call_error(ctx, 3, OP_PEERS, err, &subj);
	fflush(stderr);
	ck_assert_int_ge(dup2(saved, STDERR_FILENO), 0);
	close(saved);
	rewind(out);
	ck_assert(fgets(text, 512, out));
	fclose(out);
	hdmabuf_ctx_close(ctx);
	return text;
}

START_TEST(older_module)
{
	char *text = message(2, ENOTTY);

	ck_assert_str_eq(text, "hyper-dmabuf: the module is too old for this command (API 2; it needs API 3)\n");
	ck_assert(shim_last()->request == HYPER_DMABUF_IOCTL_GET_CAPS);
	free(text);
}
END_TEST

START_TEST(module_as_new)
{
	char *text = message(3, ENOTTY);

	ck_assert_str_eq(text, "hyper-dmabuf: " DEVICE " does not know this request: it is not a hyper_dmabuf device, or its module is older than this tool\n");
	free(text);
}
END_TEST

START_TEST(not_the_module)
{
	char *text = message(0, ENOTTY);

	ck_assert_ptr_nonnull(strstr(text, "not a hyper_dmabuf device"));
	free(text);
}
END_TEST

/* Other errors are the call's own: the module is not asked its version. */
START_TEST(other_errors)
{
	char *text = message(2, EPERM);

	ck_assert_ptr_null(strstr(text, "too old"));
	ck_assert_int_eq(shim_calls(), 0);
	free(text);
}
END_TEST

int main(void)
{
	TCase *tc = shim_tcase("new calls");

	tcase_add_test(tc, older_module);
	tcase_add_test(tc, module_as_new);
	tcase_add_test(tc, not_the_module);
	tcase_add_test(tc, other_errors);
	return run_suite("tool-errors", tc, NULL);
}
