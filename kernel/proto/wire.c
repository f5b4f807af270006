// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Encoding and decoding of the messages between peers (wire.h).
 *
 * Every message: a 16-byte header, then the payload of its type.
 *   header:  magic u16, type u8, flags u8, length u32 (whole message),
 *            req u32, status s32
 *   id:      domid u32, serial u32, key u64[2]
 *   HELLO:   ver_min u16, ver_max u16, reserved u32
 *   OFFER:   id, size u64, export_flags u32, reserved u32
 *   IMPORT:  request: id, token u64
 *            reply, status 0: id, export_flags u32, has_meta u32,
 *            size u64, npages u64, handle u64, value u64, [meta]
 *            reply, status < 0: id
 *   RELEASE: id, token u64
 *   REVOKE:  id
 *   SIGNAL:  request: id, value u64; reply: id
 *   SIGNALLED: id, value u64
 *   meta:    fourcc, width, height, num_planes u32, modifier u64,
 *            4 x (offset u32, stride u32), name[32], blob_len u32,
 *            reserved u32, blob[blob_len]
 * All little-endian, nothing padded; reserved fields are zero.
 */
#ifdef __KERNEL__
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/string.h>
#endif

#include "wire.h"

#define EXPORT_FLAGS_KNOWN \
	(HYPER_DMABUF_EXPORT_RW | HYPER_DMABUF_EXPORT_PERSISTENT)

/* A cursor over the bytes; running past the end marks it bad. */
struct cur {
	u8 *p;			/* encoding */
	const u8 *q;		/* decoding */
	size_t left;
	bool bad;
};

static bool take(struct cur *c, size_t n)
{
	if (c->bad || c->left < n) {
		c->bad = true;
		return false;
	}
	c->left -= n;
	return true;
}

static void put_le(struct cur *c, u64 v, unsigned int bytes)
{
	unsigned int i;

	if (!take(c, bytes))
		return;
	for (i = 0; i < bytes; i++)
		*c->p++ = (u8)(v >> (8 * i));
}

static u64 get_le(struct cur *c, unsigned int bytes)
{
	unsigned int i;
	u64 v = 0;

	if (!take(c, bytes))
		return 0;
	for (i = 0; i < bytes; i++)
		v |= (u64)*c->q++ << (8 * i);
	return v;
}

static void put_bytes(struct cur *c, const void *src, size_t n)
{
	if (!take(c, n))
		return;
	memcpy(c->p, src, n);
	c->p += n;
}

static void get_bytes(struct cur *c, void *dst, size_t n)
{
	if (!take(c, n))
		return;
	memcpy(dst, c->q, n);
	c->q += n;
}

#define put8(c, v)	put_le(c, v, 1)
#define put16(c, v)	put_le(c, v, 2)
#define put32(c, v)	put_le(c, v, 4)
#define put64(c, v)	put_le(c, v, 8)
#define get8(c)		((u8)get_le(c, 1))
#define get16(c)	((u16)get_le(c, 2))
#define get32(c)	((u32)get_le(c, 4))
#define get64(c)	get_le(c, 8)

static bool has_reply(unsigned int type)
{
	return type == HDMABUF_MSG_HELLO || type == HDMABUF_MSG_IMPORT ||
	       type == HDMABUF_MSG_SIGNAL;
}

/* An import reply that says where the pages are (the others carry none). */
static bool carries_pages(const struct hdmabuf_msg *m)
{
	return m->type == HDMABUF_MSG_IMPORT && m->flags & HDMABUF_MSG_REPLY &&
	       !m->status;
}

static void put_id(struct cur *c, const struct hyper_dmabuf_id *id)
{
	put32(c, id->domid);
	put32(c, id->serial);
	put64(c, id->key[0]);
	put64(c, id->key[1]);
}

static void get_id(struct cur *c, struct hyper_dmabuf_id *id)
{
	id->domid = get32(c);
	id->serial = get32(c);
	id->key[0] = get64(c);
	id->key[1] = get64(c);
	/* a domain id, or the loopback's stand-in for this domain */
	if (id->domid > HYPER_DMABUF_DOMID_SELF)
		c->bad = true;
}

static void put_meta(struct cur *c, const struct hyper_dmabuf_meta *m)
{
	unsigned int i;

	put32(c, m->fourcc);
	put32(c, m->width);
	put32(c, m->height);
	put32(c, m->num_planes);
	put64(c, m->modifier);
	for (i = 0; i < HYPER_DMABUF_MAX_PLANES; i++) {
		put32(c, m->planes[i].offset);
		put32(c, m->planes[i].stride);
	}
	put_bytes(c, m->name, sizeof(m->name));
	put32(c, m->blob_len);
	put32(c, 0);
	if (m->blob_len > HYPER_DMABUF_BLOB_MAX)
		c->bad = true;
	else
		put_bytes(c, m->blob, m->blob_len);
}

static void get_meta(struct cur *c, struct hyper_dmabuf_meta *m)
{
	unsigned int i;

	m->fourcc = get32(c);
	m->width = get32(c);
	m->height = get32(c);
	m->num_planes = get32(c);
	m->modifier = get64(c);
	for (i = 0; i < HYPER_DMABUF_MAX_PLANES; i++) {
		m->planes[i].offset = get32(c);
		m->planes[i].stride = get32(c);
		if (i >= m->num_planes &&
		    (m->planes[i].offset || m->planes[i].stride))
			c->bad = true;
	}
	get_bytes(c, m->name, sizeof(m->name));
	m->blob_len = get32(c);
	if (get32(c) || m->num_planes > HYPER_DMABUF_MAX_PLANES ||
	    m->blob_len > HYPER_DMABUF_BLOB_MAX ||
	    !memchr(m->name, 0, sizeof(m->name))) {
		c->bad = true;
		return;
	}
	get_bytes(c, m->blob, m->blob_len);
}

static void put_payload(struct cur *c, const struct hdmabuf_msg *m)
{
	bool reply = m->flags & HDMABUF_MSG_REPLY;

	if (m->type == HDMABUF_MSG_HELLO) {
		put16(c, m->ver_min);
		put16(c, m->ver_max);
		put32(c, 0);
		return;
	}
	put_id(c, &m->id);
	switch (m->type) {
	case HDMABUF_MSG_OFFER:
		put64(c, m->size);
		put32(c, m->export_flags);
		put32(c, 0);
		break;
	case HDMABUF_MSG_IMPORT:
		if (!reply) {
			put64(c, m->token);
		} else if (carries_pages(m)) {
			put32(c, m->export_flags);
			put32(c, m->has_meta);
			put64(c, m->size);
			put64(c, m->npages);
			put64(c, m->handle);
			put64(c, m->value);
			if (m->has_meta)
				put_meta(c, &m->meta);
		}
		break;
	case HDMABUF_MSG_RELEASE:
		put64(c, m->token);
		break;
	case HDMABUF_MSG_SIGNAL:
		if (!reply)
			put64(c, m->value);
		break;
	case HDMABUF_MSG_SIGNALLED:
		put64(c, m->value);
		break;
	}
}

static void get_payload(struct cur *c, struct hdmabuf_msg *m)
{
	bool reply = m->flags & HDMABUF_MSG_REPLY;
	u32 has_meta;

	if (m->type == HDMABUF_MSG_HELLO) {
		m->ver_min = get16(c);
		m->ver_max = get16(c);
		if (get32(c) || !m->ver_min || m->ver_min > m->ver_max)
			c->bad = true;
		return;
	}
	get_id(c, &m->id);
	switch (m->type) {
	case HDMABUF_MSG_OFFER:
		m->size = get64(c);
		m->export_flags = get32(c);
		if (get32(c) || !m->size ||
		    m->export_flags & ~EXPORT_FLAGS_KNOWN)
			c->bad = true;
		break;
	case HDMABUF_MSG_IMPORT:
		if (!reply) {
			m->token = get64(c);
			break;
		}
		if (!carries_pages(m))
			break;
		m->export_flags = get32(c);
		has_meta = get32(c);
		m->size = get64(c);
		m->npages = get64(c);
		m->handle = get64(c);
		m->value = get64(c);
		if (has_meta > 1 || !m->size || !m->npages ||
		    m->export_flags & ~EXPORT_FLAGS_KNOWN) {
			c->bad = true;
			break;
		}
		m->has_meta = has_meta;
		if (m->has_meta)
			get_meta(c, &m->meta);
		break;
	case HDMABUF_MSG_RELEASE:
		m->token = get64(c);
		break;
	case HDMABUF_MSG_SIGNAL:
		if (!reply)
			m->value = get64(c);
		break;
	case HDMABUF_MSG_SIGNALLED:
		m->value = get64(c);
		break;
	}
}

/* Header rules shared by both directions. */
static bool header_ok(const struct hdmabuf_msg *m)
{
	bool reply = m->flags & HDMABUF_MSG_REPLY;

	if (m->type < HDMABUF_MSG_HELLO || m->type >= HDMABUF_MSG_TYPE_END ||
	    m->flags & ~HDMABUF_MSG_REPLY)
		return false;
	if (reply && !has_reply(m->type))
		return false;
	/* requests and replies are numbered, notices are not */
	if (!m->req != !has_reply(m->type))
		return false;
	if (reply ? m->status > 0 || m->status < -MAX_ERRNO : m->status)
		return false;
	return true;
}

int hdmabuf_wire_encode(const struct hdmabuf_msg *msg, void *buf, size_t cap)
{
	struct cur c = { .p = buf, .left = cap };
	size_t len;

	if (!header_ok(msg) || (carries_pages(msg) && msg->has_meta &&
				msg->meta.blob_len > HYPER_DMABUF_BLOB_MAX))
		return -EINVAL;
	put16(&c, HDMABUF_WIRE_MAGIC);
	put8(&c, msg->type);
	put8(&c, msg->flags);
	put32(&c, 0);		/* the length, once known */
	put32(&c, msg->req);
	put32(&c, (u32)msg->status);
	put_payload(&c, msg);
	if (c.bad)
		return -ENOSPC;
	len = cap - c.left;
	c.p = (u8 *)buf + 4;
	c.left = 4;
	put32(&c, len);
	return len;
}

int hdmabuf_wire_decode(const void *buf, size_t len, struct hdmabuf_msg *msg)
{
	struct cur c = { .q = buf, .left = len };

	memset(msg, 0, sizeof(*msg));
	if (len > HDMABUF_WIRE_MAX || get16(&c) != HDMABUF_WIRE_MAGIC)
		return -EBADMSG;
	msg->type = get8(&c);
	msg->flags = get8(&c);
	if (get32(&c) != len)
		return -EBADMSG;
	msg->req = get32(&c);
	msg->status = (s32)get32(&c);
	if (c.bad || !header_ok(msg))
		return -EBADMSG;
	get_payload(&c, msg);
	/* short or long: both mean the sender and we disagree */
	if (c.bad || c.left)
		return -EBADMSG;
	return 0;
}

const char *hdmabuf_wire_type_name(unsigned int type)
{
	static const char *const names[HDMABUF_MSG_TYPE_END] = {
		[HDMABUF_MSG_HELLO] = "HELLO",
		[HDMABUF_MSG_OFFER] = "OFFER",
		[HDMABUF_MSG_IMPORT] = "IMPORT",
		[HDMABUF_MSG_RELEASE] = "RELEASE",
		[HDMABUF_MSG_REVOKE] = "REVOKE",
		[HDMABUF_MSG_SIGNAL] = "SIGNAL",
		[HDMABUF_MSG_SIGNALLED] = "SIGNALLED",
	};

	return type < HDMABUF_MSG_TYPE_END && names[type] ? names[type] : "?";
}
