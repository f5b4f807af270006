// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hdmabuf-test-uapi: the ioctl ABI of /dev/hyper_dmabuf, called raw
 * (without libhyperdmabuf) against the real module. Run as root inside a
 * VM with the module loaded; see --help for the options.
 *
 * Prints "ok - NAME" or "not ok - NAME: DETAILS" per check. Exit status:
 * 0 all passed, 1 a check failed, 2 usage error, 77 no device (skipped).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/dma-buf.h>

#include "guest-test.h"

#define KNOWN_FLAGS	(HYPER_DMABUF_CAPS_XEN | HYPER_DMABUF_CAPS_DOMID_VALID)
#define KNOWN_TRANSPORTS \
	(HYPER_DMABUF_TRANSPORT_LOOPBACK | HYPER_DMABUF_TRANSPORT_XEN)

struct options {
	const char *device;
	bool expect_xen, expect_no_xen;
	unsigned long domid;
	bool has_domid;
};

/* open_device() for a read-only descriptor */
static int open_read_only(const char *device)
{
	int fd = open(device, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		printf("not ok - open %s: %s\n", device, strerror(errno));
		exit(EXIT_FAILURE);
	}
	return fd;
}

/* Sends in, answer in out; returns 0 or the errno of the failure. */
static int caps_call(int fd, const struct hyper_dmabuf_caps *in,
		     struct hyper_dmabuf_caps *out)
{
	*out = *in;
	return xioctl(fd, HYPER_DMABUF_IOCTL_GET_CAPS, out);
}

static void check_answer(const struct hyper_dmabuf_caps *caps)
{
	const struct hyper_dmabuf_caps zero = { 0 };
	size_t len = strnlen(caps->module_version, sizeof(caps->module_version));

	check("api_version is HYPER_DMABUF_API_VERSION",
	      caps->api_version == HYPER_DMABUF_API_VERSION,
	      "module %u, header %u", caps->api_version, HYPER_DMABUF_API_VERSION);
	check("module_version is a non-empty string",
	      len > 0 && len < sizeof(caps->module_version),
	      "length %zu", len);
	check("loopback transport offered",
	      caps->transports & HYPER_DMABUF_TRANSPORT_LOOPBACK,
	      "transports 0x%x", caps->transports);
	check("no undefined flag or transport bits",
	      !(caps->flags & ~KNOWN_FLAGS) &&
	      !(caps->transports & ~KNOWN_TRANSPORTS),
	      "flags 0x%x, transports 0x%x", caps->flags, caps->transports);
	check("xen_type is a defined value",
	      caps->xen_type <= HYPER_DMABUF_XEN_HVM, "%u", caps->xen_type);
	check("reserved fields come back zero",
	      !caps->reserved0 &&
	      !memcmp(caps->reserved, zero.reserved, sizeof(zero.reserved)),
	      "reserved0 %u", caps->reserved0);
}

static void check_get_caps(int fd, struct hyper_dmabuf_caps *caps)
{
	const struct hyper_dmabuf_caps zero = { 0 };
	struct hyper_dmabuf_caps again;
	int ret;

	ret = caps_call(fd, &zero, caps);
	expect_errno("GET_CAPS succeeds", ret, 0);
	if (ret)
		exit(EXIT_FAILURE);
	check_answer(caps);

	ret = caps_call(fd, &zero, &again);
	check("GET_CAPS answers the same twice",
	      !ret && !memcmp(caps, &again, sizeof(again)),
	      "second call: %s", result_name(ret));
}

static void check_flags_rejected(int fd)
{
	struct hyper_dmabuf_caps in = { 0 }, out;
	unsigned int bit;
	int ret = EINVAL;

	for (bit = 0; bit < 32 && ret == EINVAL; bit++) {
		in.flags = 1U << bit;
		ret = caps_call(fd, &in, &out);
	}
	check("each input flag bit -> EINVAL", ret == EINVAL,
	      "flags 0x%x: got %s", in.flags, result_name(ret));
}

static void check_reserved_rejected(int fd)
{
	struct hyper_dmabuf_caps in = { 0 }, out;
	char name[64];
	size_t i;

	in.reserved0 = 1;
	expect_errno("reserved0 non-zero -> EINVAL", caps_call(fd, &in, &out),
		     EINVAL);

	for (i = 0; i < NUM_RESERVED(hyper_dmabuf_caps); i++) {
		memset(&in, 0, sizeof(in));
		in.reserved[i] = 1ULL << 63;
		snprintf(name, sizeof(name), "reserved[%zu] non-zero -> EINVAL", i);
		expect_errno(name, caps_call(fd, &in, &out), EINVAL);
	}
}

static void check_bad_pointers(int fd)
{
	int ret;

	ret = xioctl(fd, HYPER_DMABUF_IOCTL_GET_CAPS, (void *)1);
	expect_errno("bad pointer -> EFAULT", ret, EFAULT);
	ret = xioctl(fd, HYPER_DMABUF_IOCTL_GET_CAPS, NULL);
	expect_errno("NULL pointer -> EFAULT", ret, EFAULT);
}

/* Requests must match exactly: number, direction and size. */
static void check_foreign_requests(int fd)
{
	static const struct {
		const char *name;
		unsigned long request;
	} requests[] = {
		{ "unknown number -> ENOTTY",
		  _IOWR(HYPER_DMABUF_IOC_MAGIC, 0xff, struct hyper_dmabuf_caps) },
		{ "GET_CAPS number, other direction -> ENOTTY",
		  _IOR(HYPER_DMABUF_IOC_MAGIC, 0x00, struct hyper_dmabuf_caps) },
		{ "GET_CAPS number, other size -> ENOTTY",
		  _IOWR(HYPER_DMABUF_IOC_MAGIC, 0x00, __u64) },
		{ "dma-buf DMA_BUF_IOCTL_SYNC -> ENOTTY", DMA_BUF_IOCTL_SYNC },
	};
	struct hyper_dmabuf_caps buf = { 0 };
	size_t i;

	for (i = 0; i < sizeof(requests) / sizeof(requests[0]); i++)
		expect_errno(requests[i].name,
			     xioctl(fd, requests[i].request, &buf),
			     ENOTTY);
}

/* The module checks no access mode: a query needs no write access. */
static void check_read_only(const char *device)
{
	const struct hyper_dmabuf_caps zero = { 0 };
	struct hyper_dmabuf_caps out;
	int fd = open_read_only(device);

	expect_errno("GET_CAPS on a read-only descriptor succeeds",
		     caps_call(fd, &zero, &out), 0);
	close(fd);
}

static void check_environment(const struct hyper_dmabuf_caps *caps,
			      const struct options *opts)
{
	bool xen = caps->flags & HYPER_DMABUF_CAPS_XEN;
	bool xen_transport = caps->transports & HYPER_DMABUF_TRANSPORT_XEN;
	bool domid_valid = caps->flags & HYPER_DMABUF_CAPS_DOMID_VALID;

	if (opts->expect_xen) {
		check("on Xen", xen, "flags 0x%x", caps->flags);
		check("xen transport offered", xen_transport,
		      "transports 0x%x", caps->transports);
		check("xen_type is a guest type",
		      caps->xen_type != HYPER_DMABUF_XEN_NONE, "NONE");
	} else if (opts->expect_no_xen) {
		check("not on Xen", !xen && !domid_valid, "flags 0x%x",
		      caps->flags);
		check("no xen transport", !xen_transport, "transports 0x%x",
		      caps->transports);
		check("xen_type is NONE, domid 0",
		      caps->xen_type == HYPER_DMABUF_XEN_NONE && !caps->domid,
		      "xen_type %u, domid %u", caps->xen_type, caps->domid);
	}
	if (opts->has_domid)
		check("domain id as expected",
		      domid_valid && caps->domid == opts->domid,
		      "domid %u, valid %d, expected %lu", caps->domid,
		      domid_valid, opts->domid);
}

int main(int argc, char **argv)
{
	struct options opts = { .device = DEFAULT_DEVICE };
	const struct test_command command = {
		.about = "Check the ioctl ABI of the hyper_dmabuf module (needs root).",
		.device = &opts.device,
		.options = (const struct test_option[]){
			FLAG_OPTION("expect-xen", &opts.expect_xen,
				    "the module must report a Xen domain"),
			FLAG_OPTION("expect-no-xen", &opts.expect_no_xen,
				    "the module must report no Xen at all"),
			NUMBER_OPTION("expect-domid", "N", &opts.domid, 0x7fef,
				      &opts.has_domid,
				      "the module must report domain id N"),
			{ NULL }
		},
	};
	struct hyper_dmabuf_caps caps;
	int fd;

	parse_command_line(&command, argc, argv, 1);
	if (opts.expect_xen && opts.expect_no_xen)
		usage_error("--expect-xen and --expect-no-xen exclude each other");
	if (opts.expect_no_xen && opts.has_domid)
		usage_error("--expect-domid needs Xen, not --expect-no-xen");
	test_start(opts.device);

	fd = open_device(opts.device);
	check_get_caps(fd, &caps);
	check_environment(&caps, &opts);
	check_flags_rejected(fd);
	check_reserved_rejected(fd);
	check_bad_pointers(fd);
	check_foreign_requests(fd);
	close(fd);
	check_read_only(opts.device);

	return test_summary();
}
