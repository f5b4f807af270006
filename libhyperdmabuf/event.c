// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Events: the records read() returns from the device, one at a time, with
 * poll(2) for the timeout.
 */
#include <assert.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

/* The public enum mirrors the uAPI numbering, so values pass unchanged. */
_Static_assert(HDMABUF_EVENT_OVERFLOW == HYPER_DMABUF_EVENT_OVERFLOW &&
	       HDMABUF_EVENT_OFFERED == HYPER_DMABUF_EVENT_OFFERED &&
	       HDMABUF_EVENT_IMPORTED == HYPER_DMABUF_EVENT_IMPORTED &&
	       HDMABUF_EVENT_RELEASED == HYPER_DMABUF_EVENT_RELEASED &&
	       HDMABUF_EVENT_UNEXPORTED == HYPER_DMABUF_EVENT_UNEXPORTED &&
	       HDMABUF_EVENT_REVOKED == HYPER_DMABUF_EVENT_REVOKED &&
	       HDMABUF_EVENT_SIGNALLED == HYPER_DMABUF_EVENT_SIGNALLED &&
	       HDMABUF_EVENT_PEER_UP == HYPER_DMABUF_EVENT_PEER_UP &&
	       HDMABUF_EVENT_PEER_DOWN == HYPER_DMABUF_EVENT_PEER_DOWN,
	       "enum hdmabuf_event_type must match HYPER_DMABUF_EVENT_*");

struct hdmabuf_event {
	uint32_t type;
	uint32_t peer;
	struct hdmabuf_id id;
	uint64_t value;
	uint64_t timestamp_ns;
};

/*
 * Waits until fd is readable or the deadline passes: 0, or -1 with errno
 * (ETIMEDOUT). A signal only makes it look again.
 */
static int wait_readable(int fd, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int ret;

	for (;;) {
		ret = poll(&pfd, 1, hdmabuf_ms_left(deadline));
		if (ret > 0 && pfd.revents & POLLNVAL) {
			errno = EBADF;
			return -1;
		}
		/* an error or hang-up is for read() to name */
		if (ret > 0)
			return 0;
		if (ret == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (errno != EINTR)
			return -1;
	}
}

HDMABUF_API struct hdmabuf_event *
hdmabuf_ctx_read_event(struct hdmabuf_ctx *ctx, int timeout_ms)
{
	int64_t deadline = hdmabuf_deadline(timeout_ms);
	int fd = hdmabuf_ctx_get_fd(ctx);
	struct hyper_dmabuf_event rec;
	struct hdmabuf_event *ev;
	int saved_errno;
	ssize_t n;

	/* before the read: an event taken and then dropped is lost for good */
	ev = malloc(sizeof(*ev));
	if (!ev)
		return NULL;

	/* one record at a time, so that none waits here unseen by poll() */
	for (;;) {
		if (wait_readable(fd, deadline))
			goto err;
		n = read(fd, &rec, sizeof(rec));
		if (n == (ssize_t)sizeof(rec))
			break;
		/* taken by someone else, or O_NONBLOCK set by the caller */
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n >= 0)
			errno = EPROTO;
		goto err;
	}

	ev->type = rec.type;
	ev->peer = rec.peer;
	hdmabuf_id_from_uapi(&rec.id, &ev->id);
	ev->value = rec.value;
	ev->timestamp_ns = rec.timestamp_ns;
	return ev;

err:
	saved_errno = errno;
	free(ev);
	errno = saved_errno;
	return NULL;
}

HDMABUF_API void hdmabuf_event_free(struct hdmabuf_event *event)
{
	free(event);
}

HDMABUF_API enum hdmabuf_event_type
hdmabuf_event_get_type(const struct hdmabuf_event *event)
{
	assert(event);

	return (enum hdmabuf_event_type)event->type;
}

HDMABUF_API uint32_t hdmabuf_event_get_peer(const struct hdmabuf_event *event)
{
	assert(event);

	return event->peer;
}

HDMABUF_API const struct hdmabuf_id *
hdmabuf_event_get_id(const struct hdmabuf_event *event)
{
	assert(event);

	return &event->id;
}

HDMABUF_API uint64_t hdmabuf_event_get_value(const struct hdmabuf_event *event)
{
	assert(event);

	return event->value;
}

HDMABUF_API uint64_t
hdmabuf_event_get_timestamp_ns(const struct hdmabuf_event *event)
{
	assert(event);

	return event->timestamp_ns;
}
