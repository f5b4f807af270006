// SPDX-License-Identifier: GPL-2.0
/*
 * The rogue peer: hyper_dmabuf.ko built by the lab with this file
 * (HDMABUF_ROGUE=y), never installed, loaded in a domU only with
 * i_am_a_test=1. It is the real module, so it connects like any peer;
 * then it speaks the protocol badly on purpose, one kind of wrong per
 * command, so that the lab can show the honest side refuses and counts
 * each (debugfs hyper_dmabuf/refused), leaks nothing and keeps serving
 * its other peers.
 *
 * debugfs hyper_dmabuf_rogue/do takes one command a write:
 *   CLASS DOMID [ID]
 * ID is a buffer's id as the CLI prints it (domid:serial:key). Reading
 * hyper_dmabuf_rogue/fake gives the id of the buffer the rogue last
 * offered with "fake-*": the honest side's import of it gets the answer
 * that class names. The classes are in the table at the end.
 */
#define pr_fmt(fmt) KBUILD_MODNAME " rogue: " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <xen/grant_table.h>
#include <xen/page.h>

#include "hdmabuf.h"
#include "peer.h"
#include "rogue.h"
#include "../xen/xen.h"

static bool i_am_a_test;
module_param(i_am_a_test, bool, 0444);
MODULE_PARM_DESC(i_am_a_test, "This is the lab's rogue peer: load it only in a test");

/* requests the rogue sends on its own carry numbers from here on */
#define ROGUE_REQ	0x80000000U
#define FAKE_SERIAL	0x7e570000U

static struct dentry *dir;
static DEFINE_MUTEX(rogue_lock);

/* the last request a peer made of the rogue, for replies out of place */
static struct {
	u32 domid;
	u8 type;
	u32 req;
} last;
static DEFINE_SPINLOCK(last_lock);

/* the buffer offered by fake-*, and how its import is answered */
static struct fake {
	struct hyper_dmabuf_id id;
	const char *how;
	u32 domid;			/* offered to */
	u32 other;			/* fake-foreign: its page's grantee */
	struct page *page[3];		/* top, directory, data */
	grant_ref_t ref[3];
	bool granted[3];
} fake;

static int send_msg(u32 domid, struct hdmabuf_msg *msg)
{
	u8 buf[HDMABUF_WIRE_MAX];
	int len = hdmabuf_wire_encode(msg, buf, sizeof(buf));

	return len < 0 ? len : hdmabuf_xchan_send(domid, buf, len);
}

static int send_bytes(u32 domid, const void *buf, size_t len)
{
	return hdmabuf_xchan_send(domid, buf, len);
}

static void fake_drop(void)
{
	int i;

	for (i = 0; i < 3; i++) {
		if (fake.granted[i])
			/* the kernel frees it once the peer has let go */
			gnttab_end_foreign_access(fake.ref[i], fake.page[i]);
		else if (fake.page[i])
			__free_page(fake.page[i]);
		fake.page[i] = NULL;
		fake.granted[i] = false;
	}
	fake.how = NULL;
}

static int fake_grant(int i, u32 domid, bool readonly)
{
	int ref = gnttab_grant_foreign_access(domid,
					      xen_page_to_gfn(fake.page[i]),
					      readonly);

	if (ref < 0)
		return ref;
	fake.ref[i] = ref;
	fake.granted[i] = true;
	return 0;
}

/*
 * A one-page buffer laid out as the Xen transport does (top page, one
 * directory page, the data page), but with what @how says wrong in it.
 */
static int fake_make(const char *how, u32 domid, u32 other)
{
	__le32 *slot;
	int i, ret;

	fake_drop();
	for (i = 0; i < 3; i++) {
		fake.page[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!fake.page[i])
			return -ENOMEM;
	}
	ret = fake_grant(2, !strcmp(how, "fake-foreign") ? other : domid,
			 false) ?:
	      fake_grant(1, domid, true) ?: fake_grant(0, domid, true);
	if (ret)
		return ret;
	slot = page_address(fake.page[0]);
	slot[0] = cpu_to_le32(fake.ref[1]);
	slot = page_address(fake.page[1]);
	/* a directory that lists itself as the data page */
	slot[0] = cpu_to_le32(!strcmp(how, "fake-loop") ? fake.ref[1]
							  : fake.ref[2]);
	memset(page_address(fake.page[2]), 0x5a, PAGE_SIZE);
	fake.how = how;
	fake.domid = domid;
	fake.other = other;
	fake.id.domid = hdmabuf_xen_domid;
	fake.id.serial = FAKE_SERIAL + (get_random_u32() & 0xffff);
	get_random_bytes(fake.id.key, sizeof(fake.id.key));
	return 0;
}

/* The import of the fake buffer, answered as fake.how says. */
static void fake_answer(u32 domid, const struct hdmabuf_msg *req)
{
	struct hdmabuf_msg r = {
		.type = HDMABUF_MSG_IMPORT,
		.flags = HDMABUF_MSG_REPLY,
		.req = req->req,
		.id = fake.id,
		.export_flags = HYPER_DMABUF_EXPORT_RW,
		.size = PAGE_SIZE,
		.npages = 1,
		.handle = fake.ref[0],
	};

	if (!strcmp(fake.how, "fake-ungranted")) {
		r.handle = 0x7ffff0;
	} else if (!strcmp(fake.how, "fake-huge")) {
		r.npages = 1ULL << 40;
		r.size = r.npages << PAGE_SHIFT;
	} else if (!strcmp(fake.how, "fake-size")) {
		r.size = 3 * PAGE_SIZE;
	}
	send_msg(domid, &r);
}

bool hdmabuf_rogue_takes(u32 domid, const struct hdmabuf_msg *msg)
{
	bool fake_import;

	/* answers to the rogue's own requests: nobody waits for them */
	if ((msg->flags & HDMABUF_MSG_REPLY) && msg->req >= ROGUE_REQ)
		return true;
	if (msg->flags & HDMABUF_MSG_REPLY)
		return false;
	if (msg->req) {
		spin_lock(&last_lock);
		last.domid = domid;
		last.type = msg->type;
		last.req = msg->req;
		spin_unlock(&last_lock);
	}
	mutex_lock(&rogue_lock);
	fake_import = msg->type == HDMABUF_MSG_IMPORT && fake.how &&
		      msg->id.serial == fake.id.serial;
	if (fake_import)
		fake_answer(domid, msg);
	mutex_unlock(&rogue_lock);
	return fake_import;
}

/* ---- the classes ---------------------------------------------------------- */

struct job {
	u32 domid;			/* the honest peer */
	struct hyper_dmabuf_id id;	/* the command's ID, if any */
	bool has_id;
	u32 other;			/* another domain, from the ID */
};

static int garbage(struct job *j)
{
	u8 buf[64];

	get_random_bytes(buf, sizeof(buf));
	buf[0] = 0;			/* never the magic by chance */
	return send_bytes(j->domid, buf, sizeof(buf));
}

static int truncated(struct job *j)
{
	struct hdmabuf_msg m = { .type = HDMABUF_MSG_OFFER, .size = 4096 };
	u8 buf[HDMABUF_WIRE_MAX];
	int len;

	m.id.domid = hdmabuf_xen_domid;
	m.id.serial = 1;
	len = hdmabuf_wire_encode(&m, buf, sizeof(buf));
	return len < 0 ? len : send_bytes(j->domid, buf, len - 9);
}

static int bad_type(struct job *j)
{
	struct hdmabuf_msg m = { .type = HDMABUF_MSG_REVOKE };
	u8 buf[HDMABUF_WIRE_MAX];
	int len;

	m.id.domid = hdmabuf_xen_domid;
	len = hdmabuf_wire_encode(&m, buf, sizeof(buf));
	if (len < 0)
		return len;
	buf[2] = 200;			/* the header's type */
	return send_bytes(j->domid, buf, len);
}

static int bad_version(struct job *j)
{
	struct hdmabuf_msg m = {
		.type = HDMABUF_MSG_HELLO,
		.req = ROGUE_REQ,
		.ver_min = 99,
		.ver_max = 99,
	};

	return send_msg(j->domid, &m);
}

static int unsolicited(struct job *j)
{
	struct hdmabuf_msg m = {
		.type = HDMABUF_MSG_SIGNAL,
		.flags = HDMABUF_MSG_REPLY,
		.req = 0x7654321,
	};

	return send_msg(j->domid, &m);
}

/* The answer to the last request again, or as another type. */
static int replay_reply(struct job *j, bool wrong_type)
{
	struct hdmabuf_msg m = { .flags = HDMABUF_MSG_REPLY };

	spin_lock(&last_lock);
	m.type = last.type;
	m.req = last.domid == j->domid ? last.req : 0;
	spin_unlock(&last_lock);
	if (!m.req)
		return -ENOMSG;
	if (wrong_type)
		m.type = m.type == HDMABUF_MSG_SIGNAL ? HDMABUF_MSG_IMPORT
						      : HDMABUF_MSG_SIGNAL;
	if (m.type == HDMABUF_MSG_HELLO) {
		m.ver_min = HDMABUF_WIRE_VERSION;
		m.ver_max = HDMABUF_WIRE_VERSION;
	}
	if (m.type == HDMABUF_MSG_IMPORT)
		m.status = -ENOENT;
	return send_msg(j->domid, &m);
}

static int replay(struct job *j)
{
	return replay_reply(j, false);
}

static int wrong_type(struct job *j)
{
	return replay_reply(j, true);
}

/* A notice about the ID, an export of another domain's. */
static int spoof(struct job *j, u8 type)
{
	struct hdmabuf_msg m = { .type = type, .id = j->id, .size = 4096,
				 .value = U64_MAX };

	return j->has_id ? send_msg(j->domid, &m) : -EINVAL;
}

static int offer_spoof(struct job *j)
{
	return spoof(j, HDMABUF_MSG_OFFER);
}

static int revoke_spoof(struct job *j)
{
	return spoof(j, HDMABUF_MSG_REVOKE);
}

static int signalled_spoof(struct job *j)
{
	return spoof(j, HDMABUF_MSG_SIGNALLED);
}

static int request(struct job *j, u8 type, const struct hyper_dmabuf_id *id,
		   u64 token, u64 value)
{
	struct hdmabuf_msg m = {
		.type = type,
		.id = *id,
		.token = token,
		.value = value,
	};

	/* RELEASE is a notice: no number, no answer */
	if (type != HDMABUF_MSG_RELEASE)
		m.req = ROGUE_REQ | (get_random_u32() & 0x7fffffff);
	return send_msg(j->domid, &m);
}

static int import_unknown(struct job *j)
{
	struct hyper_dmabuf_id id = { .domid = j->domid, .serial = 0x7fff0001 };

	get_random_bytes(id.key, sizeof(id.key));
	return request(j, HDMABUF_MSG_IMPORT, &id, 1, 0);
}

/* Import, signal, release the ID: one offered to some other domain. */
static int import_foreign(struct job *j)
{
	return j->has_id ? request(j, HDMABUF_MSG_IMPORT, &j->id, 2, 0) :
			   -EINVAL;
}

static int signal_foreign(struct job *j)
{
	return j->has_id ? request(j, HDMABUF_MSG_SIGNAL, &j->id, 0, U64_MAX) :
			   -EINVAL;
}

static int release_unknown(struct job *j)
{
	return j->has_id ? request(j, HDMABUF_MSG_RELEASE, &j->id, 0xdead, 0) :
			   -EINVAL;
}

/* The ID, offered to the rogue, imported twice with the same token. */
static int import_replay(struct job *j)
{
	if (!j->has_id)
		return -EINVAL;
	return request(j, HDMABUF_MSG_IMPORT, &j->id, 77, 0) ?:
	       request(j, HDMABUF_MSG_IMPORT, &j->id, 77, 0) ?:
	       request(j, HDMABUF_MSG_RELEASE, &j->id, 77, 0);
}

/* Past the lends an export allows, never released: peer death ends them. */
static int import_flood(struct job *j)
{
	u64 t;
	int ret = 0;

	if (!j->has_id)
		return -EINVAL;
	for (t = 1000; t < 1000 + 4200 && !ret; t++) {
		ret = request(j, HDMABUF_MSG_IMPORT, &j->id, t, 0);
		if (fatal_signal_pending(current))
			ret = -EINTR;
	}
	return ret;
}

/*
 * Deaf for a minute, then @n imports of the job's buffer from @token on:
 * past the few answers the rogue's ring holds, the peer waits 5 s to send
 * each, and the imports wait in its queue.
 */
static int unanswered_imports(struct job *j, u64 token, unsigned int n)
{
	u64 t;
	int ret;

	if (!j->has_id)
		return -EINVAL;
	ret = hdmabuf_xchan_rogue(j->domid, "deaf", 60);
	for (t = token; t < token + n && !ret; t++)
		ret = request(j, HDMABUF_MSG_IMPORT, &j->id, t, 0);
	return ret;
}

/*
 * Imports the peer cannot answer wait in its queue; then a new start of
 * the rogue's side: they are from before it, and must be dropped unhandled.
 */
static int stale(struct job *j)
{
	int ret = unanswered_imports(j, 5000, 40);

	if (!ret) {
		msleep(1000);
		ret = hdmabuf_xchan_rogue(j->domid, "restart", 0);
	}
	/* deaf until the peer has seen the restart: its queue is still full */
	msleep(3000);
	hdmabuf_xchan_rogue(j->domid, "deaf", 0);
	return ret;
}

/*
 * Imports of a linked peer's buffer piled up (the rogue takes none of the
 * answers) just before dom0 unlinks the two; the rogue holds on to its
 * side of the channel, to go on sending after the unlink (after-unlink).
 */
static int pile(struct job *j)
{
	if (!j->has_id)
		return -EINVAL;
	hdmabuf_xchan_rogue(j->domid, "hold", 1);
	return unanswered_imports(j, 6000, 40);
}

/* Unlinked: more imports and notifications on the channel held, then go. */
static int after_unlink(struct job *j)
{
	int ret = 0;
	u64 t;

	if (!j->has_id)
		return -EINVAL;
	for (t = 7000; t < 7008 && !ret; t++)
		ret = request(j, HDMABUF_MSG_IMPORT, &j->id, t, 0);
	if (!ret)
		ret = hdmabuf_xchan_rogue(j->domid, "storm", 1000);
	hdmabuf_xchan_rogue(j->domid, "deaf", 0);
	hdmabuf_xchan_rogue(j->domid, "hold", 0);
	return ret;
}

static int offer_flood(struct job *j)
{
	struct hdmabuf_msg m = { .type = HDMABUF_MSG_OFFER, .size = 4096 };
	unsigned int i;
	int ret = 0;

	m.id.domid = hdmabuf_xen_domid;
	for (i = 0; i < 5000 && !ret; i++) {
		m.id.serial = 0x10000 + i;
		ret = send_msg(j->domid, &m);
		if (fatal_signal_pending(current))
			ret = -EINTR;
	}
	return ret;
}

/* Offer a buffer whose import is answered with something wrong. */
static int fake_offer(struct job *j, const char *how)
{
	struct hdmabuf_msg m = {
		.type = HDMABUF_MSG_OFFER,
		.size = PAGE_SIZE,
		.export_flags = HYPER_DMABUF_EXPORT_RW,
	};
	int ret;

	if (!strcmp(how, "fake-foreign") && !j->has_id)
		return -EINVAL;
	mutex_lock(&rogue_lock);
	ret = fake_make(how, j->domid, j->other);
	m.id = fake.id;
	mutex_unlock(&rogue_lock);
	return ret ?: send_msg(j->domid, &m);
}

static int ring(struct job *j, const char *how, unsigned int arg)
{
	return hdmabuf_xchan_rogue(j->domid, how, arg);
}

static const struct {
	const char *name;
	int (*run)(struct job *j);
	const char *fake;		/* fake-*: how the import is answered */
	const char *ring;		/* on the ring itself */
	unsigned int arg;
} classes[] = {
	{ "garbage", garbage },
	{ "truncated", truncated },
	{ "bad-type", bad_type },
	{ "bad-version", bad_version },
	{ "unsolicited", unsolicited },
	{ "replay", replay },
	{ "wrong-type", wrong_type },
	{ "offer-spoof", offer_spoof },
	{ "revoke-spoof", revoke_spoof },
	{ "signalled-spoof", signalled_spoof },
	{ "import-unknown", import_unknown },
	{ "import-foreign", import_foreign },
	{ "signal-foreign", signal_foreign },
	{ "release-unknown", release_unknown },
	{ "import-replay", import_replay },
	{ "import-flood", import_flood },
	{ "offer-flood", offer_flood },
	{ "stale", stale },
	{ "pile", pile },
	{ "after-unlink", after_unlink },
	{ "fake-good", NULL, "fake-good" },
	{ "fake-ungranted", NULL, "fake-ungranted" },
	{ "fake-loop", NULL, "fake-loop" },
	{ "fake-foreign", NULL, "fake-foreign" },
	{ "fake-huge", NULL, "fake-huge" },
	{ "fake-size", NULL, "fake-size" },
	{ "overrun", NULL, NULL, "overrun" },
	{ "answer-overrun", NULL, NULL, "answer-overrun" },
	{ "long", NULL, NULL, "long" },
	{ "storm", NULL, NULL, "storm", 5000 },
	{ "deaf", NULL, NULL, "deaf", 10 },
	{ "restart", NULL, NULL, "restart" },
};

/* "domid:serial:key", the key 32 hex digits, as the CLI prints ids. */
static int parse_id(char *s, struct hyper_dmabuf_id *id)
{
	char *serial = strchr(s, ':'), *key, half[17];
	int ret;

	key = serial ? strchr(serial + 1, ':') : NULL;
	if (!key || strlen(key + 1) != 32)
		return -EINVAL;
	*serial++ = 0;
	*key++ = 0;
	ret = kstrtou32(s, 10, &id->domid) ?: kstrtou32(serial, 10, &id->serial);
	if (ret)
		return ret;
	memcpy(half, key, 16);
	half[16] = 0;
	ret = kstrtou64(half, 16, &id->key[0]);
	return ret ?: kstrtou64(key + 16, 16, &id->key[1]);
}

static ssize_t do_write(struct file *f, const char __user *ubuf, size_t len,
			loff_t *pos)
{
	char buf[128], name[32], idtext[64];
	struct job j = { };
	unsigned int i;
	int n, ret;

	if (len >= sizeof(buf))
		return -E2BIG;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	n = sscanf(buf, "%31s %u %63s", name, &j.domid, idtext);
	if (n < 2)
		return -EINVAL;
	if (n == 3) {
		ret = parse_id(idtext, &j.id);
		if (ret)
			return ret;
		j.has_id = true;
		j.other = j.id.domid;
	}
	for (i = 0; i < ARRAY_SIZE(classes); i++) {
		if (strcmp(name, classes[i].name))
			continue;
		if (classes[i].fake)
			ret = fake_offer(&j, classes[i].fake);
		else if (classes[i].ring)
			ret = ring(&j, classes[i].ring, classes[i].arg);
		else
			ret = classes[i].run(&j);
		pr_info("%s to domain %u: %d\n", name, j.domid, ret);
		return ret ?: len;
	}
	return -ENOENT;
}

static const struct file_operations do_fops = {
	.owner = THIS_MODULE,
	.write = do_write,
};

static int fake_show(struct seq_file *m, void *unused)
{
	mutex_lock(&rogue_lock);
	if (fake.how)
		seq_printf(m, "%u:%u:%016llx%016llx\n", fake.id.domid,
			   fake.id.serial, fake.id.key[0], fake.id.key[1]);
	mutex_unlock(&rogue_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fake);

static int classes_show(struct seq_file *m, void *unused)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(classes); i++)
		seq_printf(m, "%s\n", classes[i].name);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(classes);

int hdmabuf_rogue_init(void)
{
	if (!i_am_a_test) {
		pr_err("this is the lab's rogue peer, not the product: it loads only with i_am_a_test=1\n");
		return -EPERM;
	}
	pr_warn("the rogue peer is loaded: this domain misbehaves on purpose\n");
	dir = debugfs_create_dir(KBUILD_MODNAME "_rogue", NULL);
	debugfs_create_file("do", 0200, dir, NULL, &do_fops);
	debugfs_create_file("fake", 0400, dir, NULL, &fake_fops);
	debugfs_create_file("classes", 0444, dir, NULL, &classes_fops);
	return 0;
}

void hdmabuf_rogue_exit(void)
{
	debugfs_remove_recursive(dir);
	mutex_lock(&rogue_lock);
	fake_drop();
	mutex_unlock(&rogue_lock);
}
