// SPDX-License-Identifier: GPL-2.0
/*
 * The module's counters, shown in debugfs as hyper_dmabuf/counters so that
 * tests can check that everything was given back.
 */
#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "hdmabuf.h"

struct hdmabuf_stats hdmabuf_stats;
struct dentry *hdmabuf_debugfs_dir;

static int counters_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "exports %ld\n", atomic_long_read(&hdmabuf_stats.exports));
	seq_printf(m, "imports %ld\n", atomic_long_read(&hdmabuf_stats.imports));
	seq_printf(m, "allocs %ld\n", atomic_long_read(&hdmabuf_stats.allocs));
	seq_printf(m, "pages %ld\n", atomic_long_read(&hdmabuf_stats.pages));
	seq_printf(m, "xen_maps %ld\n", atomic_long_read(&hdmabuf_stats.xen_maps));
	seq_printf(m, "xen_grants %ld\n",
		   atomic_long_read(&hdmabuf_stats.xen_grants));
	seq_printf(m, "xen_share_grants %ld\n",
		   atomic_long_read(&hdmabuf_stats.xen_share_grants));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(counters);

/* Messages between peers; dropped ones were malformed or out of place. */
static int messages_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "sent %ld\n", atomic_long_read(&hdmabuf_stats.msgs_sent));
	seq_printf(m, "received %ld\n",
		   atomic_long_read(&hdmabuf_stats.msgs_received));
	seq_printf(m, "dropped %ld\n",
		   atomic_long_read(&hdmabuf_stats.msgs_dropped));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(messages);

static const char *const refusal_names[HDMABUF_REFUSED_END] = {
	[HDMABUF_REFUSED_MALFORMED] = "malformed",
	[HDMABUF_REFUSED_VERSION] = "version",
	[HDMABUF_REFUSED_UNSOLICITED] = "unsolicited",
	[HDMABUF_REFUSED_NOT_OWNER] = "not-owner",
	[HDMABUF_REFUSED_UNKNOWN] = "unknown",
	[HDMABUF_REFUSED_REPLAY] = "replay",
	[HDMABUF_REFUSED_QUOTA] = "quota",
	[HDMABUF_REFUSED_BUFFER] = "buffer",
	[HDMABUF_REFUSED_FLOOD] = "flood",
	[HDMABUF_REFUSED_STALE] = "stale",
	[HDMABUF_REFUSED_RING] = "ring",
	[HDMABUF_REFUSED_XENSTORE] = "xenstore",
};

static int refused_show(struct seq_file *m, void *unused)
{
	unsigned int i;

	for (i = 0; i < HDMABUF_REFUSED_END; i++)
		seq_printf(m, "%s %ld\n", refusal_names[i],
			   atomic_long_read(&hdmabuf_stats.refused[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(refused);

static const char *const role_names[] = { "?", "export", "import" };
static const char *const state_names[] = { "?", "offered", "withdrawn",
					   "imported" };

/*
 * Every export and import of this domain, one a line, for people: the
 * file is root's, and shows what an administrator's LIST shows.
 */
static int buffers_show(struct seq_file *m, void *unused)
{
	/* only read: its lists stay empty */
	static struct hdmabuf_file admin = {
		.exports = LIST_HEAD_INIT(admin.exports),
		.holds = LIST_HEAD_INIT(admin.holds),
		.admin = true,
	};
	struct hyper_dmabuf_info *infos;
	unsigned int n, i, cap = 0;

	/* the lists can grow between counting and copying: count again */
	for (;;) {
		n = hdmabuf_exports_list(&admin, NULL, 0) +
		    hdmabuf_imports_list(&admin, NULL, 0);
		cap = n + 16;
		infos = kvcalloc(cap, sizeof(*infos), GFP_KERNEL);
		if (!infos)
			return -ENOMEM;
		n = hdmabuf_exports_list(&admin, infos, cap);
		n += hdmabuf_imports_list(&admin, infos + min(n, cap),
					  cap - min(n, cap));
		if (n <= cap)
			break;
		kvfree(infos);
	}
	seq_puts(m, "role\tstate\tdomid:serial\tpeer\tflags\tsize\timporters\n");
	for (i = 0; i < n; i++)
		seq_printf(m, "%s\t%s\t%u:%u\t%u\t%#x\t%llu\t%u\n",
			   role_names[infos[i].role % ARRAY_SIZE(role_names)],
			   state_names[infos[i].state % ARRAY_SIZE(state_names)],
			   infos[i].id.domid, infos[i].id.serial, infos[i].peer,
			   infos[i].flags, infos[i].size, infos[i].importers);
	kvfree(infos);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(buffers);

void hdmabuf_stats_init(void)
{
	/* debugfs is optional: the module works without it */
	hdmabuf_debugfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("counters", 0444, hdmabuf_debugfs_dir, NULL, &counters_fops);
	debugfs_create_file("messages", 0444, hdmabuf_debugfs_dir, NULL, &messages_fops);
	debugfs_create_file("refused", 0444, hdmabuf_debugfs_dir, NULL, &refused_fops);
	/* ids without their keys: the keys never leave the ioctls */
	debugfs_create_file("buffers", 0400, hdmabuf_debugfs_dir, NULL, &buffers_fops);
}

void hdmabuf_stats_exit(void)
{
	debugfs_remove_recursive(hdmabuf_debugfs_dir);
}
