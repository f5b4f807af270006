// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Ids: a plain value naming one export, and its stable text form
 * "DOMID:SERIAL:KEY".
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

_Static_assert(HDMABUF_DOMID_SELF == HYPER_DMABUF_DOMID_SELF,
	       "HDMABUF_DOMID_SELF must match HYPER_DMABUF_DOMID_SELF");
/* Programs may copy ids between the two; keep them the same shape. */
_Static_assert(sizeof(struct hdmabuf_id) == sizeof(struct hyper_dmabuf_id) &&
	       offsetof(struct hdmabuf_id, domid) ==
	       offsetof(struct hyper_dmabuf_id, domid) &&
	       offsetof(struct hdmabuf_id, serial) ==
	       offsetof(struct hyper_dmabuf_id, serial) &&
	       offsetof(struct hdmabuf_id, key) ==
	       offsetof(struct hyper_dmabuf_id, key),
	       "struct hdmabuf_id must match struct hyper_dmabuf_id");

#define KEY_DIGITS	32	/* two 64-bit halves, 16 hex digits each */

_Static_assert(HDMABUF_ID_STRLEN ==
	       sizeof("4294967295:4294967295:") - 1 + KEY_DIGITS + 1,
	       "HDMABUF_ID_STRLEN must hold the longest id");

HDMABUF_API int hdmabuf_id_format(const struct hdmabuf_id *id, char *buf,
				  size_t len)
{
	char text[HDMABUF_ID_STRLEN];
	int n;

	assert(id && (buf || !len));

	n = snprintf(text, sizeof(text), "%" PRIu32 ":%" PRIu32 ":%016" PRIx64
		     "%016" PRIx64, id->domid, id->serial, id->key[0],
		     id->key[1]);
	assert(n > 0 && (size_t)n < sizeof(text));

	if ((size_t)n >= len) {
		if (len)
			buf[0] = '\0';
		errno = ERANGE;
		return -1;
	}
	memcpy(buf, text, n + 1);
	return n;
}

/*
 * A decimal uint32_t without sign or leading zero, ending at sep. Moves *s
 * past sep. Returns false for anything else.
 */
static bool parse_u32(const char **s, char sep, uint32_t *val)
{
	const char *p = *s;
	uint64_t v = 0;

	if (*p < '0' || *p > '9' || (*p == '0' && p[1] != sep))
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			return false;
	}
	if (*p != sep)
		return false;

	*val = (uint32_t)v;
	*s = p + 1;
	return true;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly 16 hex digits, most significant first. */
static bool parse_u64_hex(const char *s, uint64_t *val)
{
	uint64_t v = 0;
	int i, d;

	for (i = 0; i < 16; i++) {
		d = hex_digit(s[i]);
		if (d < 0)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	*val = v;
	return true;
}

/*
 * Strict on purpose: the text is made by hdmabuf_id_format, so anything it
 * would not write is a typing or copying mistake, better caught here than
 * reported by the module as an unknown export.
 */
HDMABUF_API int hdmabuf_id_parse(const char *s, struct hdmabuf_id *id)
{
	struct hdmabuf_id parsed;

	assert(s && id);

	if (!parse_u32(&s, ':', &parsed.domid) ||
	    !parse_u32(&s, ':', &parsed.serial) ||
	    strlen(s) != KEY_DIGITS ||
	    !parse_u64_hex(s, &parsed.key[0]) ||
	    !parse_u64_hex(s + 16, &parsed.key[1])) {
		errno = EINVAL;
		return -1;
	}

	*id = parsed;
	return 0;
}

HDMABUF_API bool hdmabuf_id_equal(const struct hdmabuf_id *a,
				  const struct hdmabuf_id *b)
{
	assert(a && b);

	return a->domid == b->domid && a->serial == b->serial &&
	       a->key[0] == b->key[0] && a->key[1] == b->key[1];
}

void hdmabuf_id_to_uapi(const struct hdmabuf_id *id,
			struct hyper_dmabuf_id *uapi)
{
	uapi->domid = id->domid;
	uapi->serial = id->serial;
	uapi->key[0] = id->key[0];
	uapi->key[1] = id->key[1];
}

void hdmabuf_id_from_uapi(const struct hyper_dmabuf_id *uapi,
			  struct hdmabuf_id *id)
{
	id->domid = uapi->domid;
	id->serial = uapi->serial;
	id->key[0] = uapi->key[0];
	id->key[1] = uapi->key[1];
}
