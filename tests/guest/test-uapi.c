// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hdmabuf-test-uapi: the ioctl ABI of /dev/hyper_dmabuf, called raw
 * (without libhyperdmabuf) against the real module. Run as root inside a
 * VM with the module loaded; see usage() for the options.
 *
 * Prints "ok - NAME" or "not ok - NAME: DETAILS" per check. Exit status:
 * 0 all passed, 1 a check failed, 2 usage error, 77 no device (skipped).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/hyper_dmabuf.h>

#define EXIT_USAGE	2
#define EXIT_SKIP	77

#define NUM_RESERVED \
	(sizeof(((struct hyper_dmabuf_caps *)0)->reserved) / sizeof(__u64))
#define KNOWN_FLAGS	(HYPER_DMABUF_CAPS_XEN | HYPER_DMABUF_CAPS_DOMID_VALID)
#define KNOWN_TRANSPORTS \
	(HYPER_DMABUF_TRANSPORT_LOOPBACK | HYPER_DMABUF_TRANSPORT_XEN)

/* what the caller expects of the environment */
enum expect_xen { XEN_ANY, XEN_YES, XEN_NO };

struct options {
	const char *device;
	enum expect_xen xen;
	long domid;		/* -1: any */
};

static unsigned int failures;

static void check(const char *name, bool passed, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void check(const char *name, bool passed, const char *fmt, ...)
{
	va_list ap;

	if (passed) {
		printf("ok - %s\n", name);
		return;
	}
	failures++;
	printf("not ok - %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static const char *result_name(int err)
{
	return err ? strerror(err) : "success";
}

/* ret is the result of a call as from get_caps(): 0 or an errno */
static void check_result(const char *name, int ret, int want)
{
	check(name, ret == want, "got %s, expected %s", result_name(ret),
	      result_name(want));
}

static int open_device(const char *device, int flags)
{
	int fd = open(device, flags | O_CLOEXEC);

	if (fd < 0) {
		printf("not ok - open %s: %s\n", device, strerror(errno));
		exit(EXIT_FAILURE);
	}
	return fd;
}

/* Sends in, answer in out; returns 0 or the errno of the failure. */
static int get_caps(int fd, const struct hyper_dmabuf_caps *in,
		    struct hyper_dmabuf_caps *out)
{
	*out = *in;
	return ioctl(fd, HYPER_DMABUF_IOCTL_GET_CAPS, out) ? errno : 0;
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

	ret = get_caps(fd, &zero, caps);
	check_result("GET_CAPS succeeds", ret, 0);
	if (ret)
		exit(EXIT_FAILURE);
	check_answer(caps);

	ret = get_caps(fd, &zero, &again);
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
		ret = get_caps(fd, &in, &out);
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
	check_result("reserved0 non-zero -> EINVAL", get_caps(fd, &in, &out),
		     EINVAL);

	for (i = 0; i < NUM_RESERVED; i++) {
		memset(&in, 0, sizeof(in));
		in.reserved[i] = 1ULL << 63;
		snprintf(name, sizeof(name), "reserved[%zu] non-zero -> EINVAL", i);
		check_result(name, get_caps(fd, &in, &out), EINVAL);
	}
}

static void check_bad_pointers(int fd)
{
	int ret;

	ret = ioctl(fd, HYPER_DMABUF_IOCTL_GET_CAPS, (void *)1) ? errno : 0;
	check_result("bad pointer -> EFAULT", ret, EFAULT);
	ret = ioctl(fd, HYPER_DMABUF_IOCTL_GET_CAPS, NULL) ? errno : 0;
	check_result("NULL pointer -> EFAULT", ret, EFAULT);
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
		check_result(requests[i].name,
			     ioctl(fd, requests[i].request, &buf) ? errno : 0,
			     ENOTTY);
}

/* The module checks no access mode: a query needs no write access. */
static void check_read_only(const char *device)
{
	const struct hyper_dmabuf_caps zero = { 0 };
	struct hyper_dmabuf_caps out;
	int fd = open_device(device, O_RDONLY);

	check_result("GET_CAPS on a read-only descriptor succeeds",
		     get_caps(fd, &zero, &out), 0);
	close(fd);
}

static void check_environment(const struct hyper_dmabuf_caps *caps,
			      const struct options *opts)
{
	bool xen = caps->flags & HYPER_DMABUF_CAPS_XEN;
	bool xen_transport = caps->transports & HYPER_DMABUF_TRANSPORT_XEN;
	bool domid_valid = caps->flags & HYPER_DMABUF_CAPS_DOMID_VALID;

	if (opts->xen == XEN_YES) {
		check("on Xen", xen, "flags 0x%x", caps->flags);
		check("xen transport offered", xen_transport,
		      "transports 0x%x", caps->transports);
		check("xen_type is a guest type",
		      caps->xen_type != HYPER_DMABUF_XEN_NONE, "NONE");
	} else if (opts->xen == XEN_NO) {
		check("not on Xen", !xen && !domid_valid, "flags 0x%x",
		      caps->flags);
		check("no xen transport", !xen_transport, "transports 0x%x",
		      caps->transports);
		check("xen_type is NONE, domid 0",
		      caps->xen_type == HYPER_DMABUF_XEN_NONE && !caps->domid,
		      "xen_type %u, domid %u", caps->xen_type, caps->domid);
	}
	if (opts->domid >= 0)
		check("domain id as expected",
		      domid_valid && caps->domid == opts->domid,
		      "domid %u, valid %d, expected %ld", caps->domid,
		      domid_valid, opts->domid);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: hdmabuf-test-uapi [OPTIONS]\n\n"
		"Check the ioctl ABI of the hyper_dmabuf module (needs root).\n\n"
		"Options:\n"
		"  --device PATH     the device (default: /dev/hyper_dmabuf)\n"
		"  --expect-xen      the module must report a Xen domain\n"
		"  --expect-no-xen   the module must report no Xen at all\n"
		"  --expect-domid N  the module must report domain id N\n"
		"  -h, --help        show this help and exit\n");
}

static void usage_error(const char *msg)
	__attribute__((noreturn));

static void usage_error(const char *msg)
{
	fprintf(stderr, "hdmabuf-test-uapi: %s\n", msg);
	usage(stderr);
	exit(EXIT_USAGE);
}

static long parse_domid(const char *arg)
{
	char *end;
	long domid;

	errno = 0;
	domid = strtol(arg, &end, 10);
	if (errno || end == arg || *end || domid < 0 || domid > 0x7fef)
		usage_error("--expect-domid needs a domain id, 0 to 32751");
	return domid;
}

static void parse_options(struct options *opts, int argc, char **argv)
{
	enum { OPT_DEVICE = 0x100, OPT_XEN, OPT_NO_XEN, OPT_DOMID };
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "device", required_argument, NULL, OPT_DEVICE },
		{ "expect-xen", no_argument, NULL, OPT_XEN },
		{ "expect-no-xen", no_argument, NULL, OPT_NO_XEN },
		{ "expect-domid", required_argument, NULL, OPT_DOMID },
		{ NULL, 0, NULL, 0 }
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			usage(stdout);
			exit(EXIT_SUCCESS);
		case OPT_DEVICE:
			opts->device = optarg;
			break;
		case OPT_XEN:
		case OPT_NO_XEN:
			if (opts->xen != XEN_ANY)
				usage_error("--expect-xen and --expect-no-xen exclude each other");
			opts->xen = opt == OPT_XEN ? XEN_YES : XEN_NO;
			break;
		case OPT_DOMID:
			opts->domid = parse_domid(optarg);
			break;
		default:
			usage_error("unknown option");
		}
	}
	if (optind < argc)
		usage_error("unexpected argument");
	if (opts->xen == XEN_NO && opts->domid >= 0)
		usage_error("--expect-domid needs Xen, not --expect-no-xen");
}

int main(int argc, char **argv)
{
	struct options opts = {
		.device = "/dev/hyper_dmabuf",
		.xen = XEN_ANY,
		.domid = -1,
	};
	struct hyper_dmabuf_caps caps;
	int fd;

	parse_options(&opts, argc, argv);
	if (access(opts.device, F_OK) && errno == ENOENT) {
		printf("# SKIP: %s does not exist (module not loaded)\n",
		       opts.device);
		return EXIT_SKIP;
	}

	fd = open_device(opts.device, O_RDWR);
	check_get_caps(fd, &caps);
	check_environment(&caps, &opts);
	check_flags_rejected(fd);
	check_reserved_rejected(fd);
	check_bad_pointers(fd);
	check_foreign_requests(fd);
	close(fd);
	check_read_only(opts.device);

	printf("# %u failed\n", failures);
	return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
