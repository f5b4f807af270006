// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hdmabuf-demo-picture: draws the picture ./lab demo shares between
 * domains, as raw XRGB8888 (DRM fourcc XR24: bytes B, G, R, X per pixel,
 * no padding between lines): colour bars, a grey ramp, and the words
 * "hyper-dmabuf" and "from domain N" in a tiny built-in font.
 *
 * Exit status: 0 written, 1 cannot write, 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE	2
#define MAX_SIDE	8192
#define MAX_DOMID	32767

#define GLYPH_W		5
#define GLYPH_H		7

struct glyph {
	char c;
	uint8_t rows[GLYPH_H];	/* bit 4 is the leftmost column */
};

/* only the characters the picture's words need */
static const struct glyph font[] = {
	{ ' ', { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 } },
	{ '-', { 0x00, 0x00, 0x00, 0x0e, 0x00, 0x00, 0x00 } },
	{ '0', { 0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e } },
	{ '1', { 0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e } },
	{ '2', { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f } },
	{ '3', { 0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e } },
	{ '4', { 0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02 } },
	{ '5', { 0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e } },
	{ '6', { 0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e } },
	{ '7', { 0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08 } },
	{ '8', { 0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e } },
	{ '9', { 0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c } },
	{ 'a', { 0x00, 0x00, 0x0e, 0x01, 0x0f, 0x11, 0x0f } },
	{ 'b', { 0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x1e } },
	{ 'd', { 0x01, 0x01, 0x0d, 0x13, 0x11, 0x11, 0x0f } },
	{ 'e', { 0x00, 0x00, 0x0e, 0x11, 0x1f, 0x10, 0x0e } },
	{ 'f', { 0x06, 0x09, 0x08, 0x1c, 0x08, 0x08, 0x08 } },
	{ 'h', { 0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x11 } },
	{ 'i', { 0x04, 0x00, 0x0c, 0x04, 0x04, 0x04, 0x0e } },
	{ 'm', { 0x00, 0x00, 0x1a, 0x15, 0x15, 0x11, 0x11 } },
	{ 'n', { 0x00, 0x00, 0x16, 0x19, 0x11, 0x11, 0x11 } },
	{ 'o', { 0x00, 0x00, 0x0e, 0x11, 0x11, 0x11, 0x0e } },
	{ 'p', { 0x00, 0x00, 0x1e, 0x11, 0x1e, 0x10, 0x10 } },
	{ 'r', { 0x00, 0x00, 0x16, 0x19, 0x10, 0x10, 0x10 } },
	{ 'u', { 0x00, 0x00, 0x11, 0x11, 0x11, 0x13, 0x0d } },
	{ 'y', { 0x00, 0x00, 0x11, 0x11, 0x0f, 0x01, 0x0e } },
};

struct picture {
	unsigned int width, height;
	uint8_t *px;		/* width * height * 4 bytes, XR24 */
};

static void put(struct picture *p, unsigned int x, unsigned int y,
		uint32_t rgb)
{
	uint8_t *d;

	if (x >= p->width || y >= p->height)
		return;
	d = p->px + ((size_t)y * p->width + x) * 4;
	d[0] = rgb & 0xff;		/* B */
	d[1] = (rgb >> 8) & 0xff;	/* G */
	d[2] = (rgb >> 16) & 0xff;	/* R */
	d[3] = 0xff;			/* X: opaque, should anyone read alpha */
}

static void fill(struct picture *p, unsigned int x0, unsigned int y0,
		 unsigned int x1, unsigned int y1, uint32_t rgb)
{
	unsigned int x, y;

	for (y = y0; y < y1; y++)
		for (x = x0; x < x1; x++)
			put(p, x, y, rgb);
}

static const struct glyph *find_glyph(char c)
{
	size_t i;

	for (i = 0; i < sizeof(font) / sizeof(font[0]); i++)
		if (font[i].c == c)
			return &font[i];
	return &font[0];
}

/* One line of text, centred on x, its top at y, each dot scale pixels. */
static void text(struct picture *p, const char *s, unsigned int cx,
		 unsigned int y, unsigned int scale, uint32_t rgb)
{
	unsigned int n = strlen(s), cell = (GLYPH_W + 1) * scale;
	unsigned int x = cx > n * cell / 2 ? cx - n * cell / 2 : 0;
	unsigned int r, c;

	for (; *s; s++, x += cell) {
		const struct glyph *g = find_glyph(*s);

		for (r = 0; r < GLYPH_H; r++)
			for (c = 0; c < GLYPH_W; c++)
				if (g->rows[r] & (0x10 >> c))
					fill(p, x + c * scale, y + r * scale,
					     x + (c + 1) * scale,
					     y + (r + 1) * scale, rgb);
	}
}

static void draw(struct picture *p, unsigned int domid)
{
	/* 75% bars, as on a test card */
	static const uint32_t bars[] = {
		0xc0c0c0, 0xc0c000, 0x00c0c0, 0x00c000,
		0xc000c0, 0xc00000, 0x0000c0,
	};
	const unsigned int nbars = sizeof(bars) / sizeof(bars[0]);
	unsigned int w = p->width, h = p->height;
	unsigned int bars_end = h * 45 / 100, ramp_end = h * 60 / 100;
	unsigned int band = h - ramp_end, scale, across, i, x;
	char line2[32];

	for (i = 0; i < nbars; i++)
		fill(p, w * i / nbars, 0, w * (i + 1) / nbars, bars_end, bars[i]);
	for (x = 0; x < w; x++) {
		uint32_t v = w > 1 ? x * 255 / (w - 1) : 0;

		fill(p, x, bars_end, x + 1, ramp_end, v << 16 | v << 8 | v);
	}
	fill(p, 0, ramp_end, w, h, 0x102040);

	/* two lines of text, each 8 dots high, with a dot between them */
	snprintf(line2, sizeof(line2), "from domain %u", domid);
	scale = band / (2 * (GLYPH_H + 1) + 4);
	across = w / ((GLYPH_W + 1) * (unsigned int)strlen(line2) + 2);
	if (scale > across)
		scale = across;
	if (!scale)
		return;		/* too small for words: bars and ramp only */
	i = ramp_end + (band - (2 * GLYPH_H + 2) * scale) / 2;
	text(p, "hyper-dmabuf", w / 2, i, scale, 0xffffff);
	text(p, line2, w / 2, i + (GLYPH_H + 2) * scale, scale, 0xffd040);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hdmabuf-demo-picture [--width W] [--height H] [--domid N] FILE|-\n"
		"Writes a test picture as raw XR24 (B, G, R, X bytes per pixel,\n"
		"lines of W*4 bytes) to FILE, or to standard output for '-'.\n"
		"  --width W    pixels across, 1 to %d (default 640)\n"
		"  --height H   lines, 1 to %d (default 360)\n"
		"  --domid N    the domain named in the picture (default 0)\n",
		MAX_SIDE, MAX_SIDE);
}

static unsigned int number(const char *opt, const char *s, unsigned long min,
			   unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < min || v > max) {
		fprintf(stderr,
			"hdmabuf-demo-picture: %s takes a number from %lu to %lu, not '%s'\n",
			opt, min, max, s);
		exit(EXIT_USAGE);
	}
	return v;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "width", required_argument, NULL, 'w' },
		{ "height", required_argument, NULL, 'h' },
		{ "domid", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	struct picture p = { .width = 640, .height = 360 };
	unsigned int domid = 0;
	const char *path;
	size_t size;
	FILE *f;
	int opt;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'w':
			p.width = number("--width", optarg, 1, MAX_SIDE);
			break;
		case 'h':
			p.height = number("--height", optarg, 1, MAX_SIDE);
			break;
		case 'd':
			domid = number("--domid", optarg, 0, MAX_DOMID);
			break;
		case 'H':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	path = argv[optind];

	size = (size_t)p.width * p.height * 4;
	p.px = calloc(1, size);
	if (!p.px) {
		fprintf(stderr, "hdmabuf-demo-picture: out of memory\n");
		return 1;
	}
	draw(&p, domid);

	f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
	if (!f) {
		fprintf(stderr, "hdmabuf-demo-picture: cannot create %s: %s\n",
			path, strerror(errno));
		return 1;
	}
	if (fwrite(p.px, 1, size, f) != size || fclose(f)) {
		fprintf(stderr, "hdmabuf-demo-picture: cannot write %s: %s\n",
			path, strerror(errno));
		return 1;
	}
	free(p.px);
	return 0;
}
