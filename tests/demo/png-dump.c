// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * png-dump: what a PNG holds, for test-raw2png.sh: "WIDTH HEIGHT rgb" (or
 * "rgba") on the first line, then one pixel a line, left to right and top
 * to bottom, as hex RRGGBB (RRGGBBAA for rgba). Decoded by libpng, not by
 * the code under test. Exit status: 0 printed, 1 not a PNG, 2 usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

int main(int argc, char **argv)
{
	png_image image;
	unsigned char *px;
	size_t i, n;
	int alpha;

	if (argc != 2) {
		fprintf(stderr, "usage: png-dump FILE.png\n");
		return 2;
	}
	memset(&image, 0, sizeof(image));
	image.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&image, argv[1])) {
		fprintf(stderr, "png-dump: %s: %s\n", argv[1], image.message);
		return 1;
	}
	alpha = !!(image.format & PNG_FORMAT_FLAG_ALPHA);
	image.format = PNG_FORMAT_RGBA;
	n = (size_t)image.width * image.height;
	px = malloc(n * 4);
	if (!px || !png_image_finish_read(&image, NULL, px, 0, NULL)) {
		fprintf(stderr, "png-dump: %s: %s\n", argv[1],
			px ? image.message : "out of memory");
		png_image_free(&image);
		free(px);
		return 1;
	}
	printf("%u %u %s\n", image.width, image.height, alpha ? "rgba" : "rgb");
	for (i = 0; i < n; i++) {
		const unsigned char *p = px + i * 4;

		if (alpha)
			printf("%02x%02x%02x%02x\n", p[0], p[1], p[2], p[3]);
		else
			printf("%02x%02x%02x\n", p[0], p[1], p[2]);
	}
	free(px);
	return 0;
}
