// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * raw2png: a raw frame, as a dma-buf holds it, to a PNG file. ./lab demo
 * turns the frame dom0 received from a domU into a picture with it.
 *
 *   raw2png --width W --height H [--stride S] [--format FOURCC] IN OUT.png
 *
 * Formats (DRM fourccs, bytes in memory order): XR24 (B, G, R, X) and
 * XB24 (R, G, B, X) give an RGB PNG; AR24 (B, G, R, A) and AB24 (R, G, B, A)
 * an RGBA one. Exit status: 0 written, 1 the input does not fit or a file
 * cannot be read or written, 2 usage error (an unknown format among them).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <png.h>

#define EXIT_USAGE	2
#define MAX_SIDE	16384

struct format {
	const char *fourcc;
	unsigned int r, g, b;	/* byte offsets in a 4-byte pixel */
	bool alpha;		/* byte 3 is alpha, else padding */
};

static const struct format formats[] = {
	{ "XR24", 2, 1, 0, false },
	{ "AR24", 2, 1, 0, true },
	{ "XB24", 0, 1, 2, false },
	{ "AB24", 0, 1, 2, true },
};

static const char *prog = "raw2png";

static void usage(FILE *f)
{
	fprintf(f,
		"usage: raw2png --width W --height H [--stride S] [--format FOURCC] IN OUT.png\n"
		"Converts a raw frame (4 bytes per pixel) to PNG.\n"
		"  --width W        pixels across, 1 to %d\n"
		"  --height H       lines, 1 to %d\n"
		"  --stride S       bytes from one line to the next (default W*4)\n"
		"  --format FOURCC  XR24 (default), AR24, XB24 or AB24\n",
		MAX_SIDE, MAX_SIDE);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'raw2png --help'.\n");
	exit(EXIT_USAGE);
}

static unsigned long number(const char *opt, const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v == 0 || v > max)
		usage_error("%s takes a number from 1 to %lu, not '%s'", opt,
			    max, s);
	return v;
}

static const struct format *find_format(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(formats[i].fourcc, name))
			return &formats[i];
	return NULL;
}

/* The whole of IN, which must hold exactly the frame described. */
static uint8_t *read_frame(const char *path, size_t need_min, size_t need_max)
{
	struct stat st;
	uint8_t *buf;
	FILE *f;

	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "%s: cannot open %s: %s\n", prog, path,
			strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "%s: %s is not a regular file\n", prog, path);
		goto fail;
	}
	if ((uint64_t)st.st_size < need_min || (uint64_t)st.st_size > need_max) {
		if (need_min == need_max)
			fprintf(stderr,
				"%s: size mismatch: %s has %llu bytes, the frame needs %zu\n",
				prog, path, (unsigned long long)st.st_size,
				need_max);
		else
			fprintf(stderr,
				"%s: size mismatch: %s has %llu bytes, the frame needs %zu to %zu\n",
				prog, path, (unsigned long long)st.st_size,
				need_min, need_max);
		goto fail;
	}
	buf = malloc(need_max);
	if (!buf) {
		fprintf(stderr, "%s: out of memory\n", prog);
		goto fail;
	}
	if (fread(buf, 1, st.st_size, f) != (size_t)st.st_size) {
		fprintf(stderr, "%s: cannot read %s\n", prog, path);
		free(buf);
		goto fail;
	}
	fclose(f);
	return buf;
fail:
	fclose(f);
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "width", required_argument, NULL, 'w' },
		{ "height", required_argument, NULL, 'h' },
		{ "stride", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	const struct format *fmt = &formats[0];
	unsigned long width = 0, height = 0, stride = 0;
	size_t out_stride, x, y;
	png_image image;
	uint8_t *in, *out;
	const char *out_path;
	int opt, ok;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'w':
			width = number("--width", optarg, MAX_SIDE);
			break;
		case 'h':
			height = number("--height", optarg, MAX_SIDE);
			break;
		case 's':
			stride = number("--stride", optarg, 4 * MAX_SIDE);
			break;
		case 'f':
			fmt = find_format(optarg);
			if (!fmt)
				usage_error("unknown format '%s': raw2png knows XR24, AR24, XB24 and AB24",
					    optarg);
			break;
		case 'H':
			usage(stdout);
			return 0;
		default:
			usage_error("unknown option or missing value: %s",
				    argv[optind - 1]);
		}
	}
	if (!width || !height)
		usage_error("--width and --height are required");
	if (argc - optind != 2)
		usage_error("name one input and one output file");
	if (!stride)
		stride = width * 4;
	if (stride < width * 4)
		usage_error("--stride %lu is less than the %lu bytes of a line",
			    stride, width * 4);

	/* the last line need not be padded out to the stride */
	in = read_frame(argv[optind], (height - 1) * stride + width * 4,
			height * stride);
	if (!in)
		return 1;

	out_stride = width * (fmt->alpha ? 4 : 3);
	out = malloc(out_stride * height);
	if (!out) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 1;
	}
	for (y = 0; y < height; y++) {
		const uint8_t *s = in + y * stride;
		uint8_t *d = out + y * out_stride;

		for (x = 0; x < width; x++, s += 4) {
			*d++ = s[fmt->r];
			*d++ = s[fmt->g];
			*d++ = s[fmt->b];
			if (fmt->alpha)
				*d++ = s[3];
		}
	}

	out_path = argv[optind + 1];
	memset(&image, 0, sizeof(image));
	image.version = PNG_IMAGE_VERSION;
	image.width = width;
	image.height = height;
	image.format = fmt->alpha ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;
	ok = png_image_write_to_file(&image, out_path, 0, out, out_stride,
				     NULL);
	/* on failure libpng has removed what it created */
	if (!ok)
		fprintf(stderr, "%s: cannot write %s: %s\n", prog, out_path,
			image.message);
	png_image_free(&image);
	free(out);
	free(in);
	return ok ? 0 : 1;
}
