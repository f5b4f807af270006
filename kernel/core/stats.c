// SPDX-License-Identifier: GPL-2.0
/*
 * The module's counters, shown in debugfs as hyper_dmabuf/counters so that
 * tests can check that everything was given back.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "hdmabuf.h"

struct hdmabuf_stats hdmabuf_stats;
static struct dentry *stats_dir;

static int counters_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "exports %ld\n", atomic_long_read(&hdmabuf_stats.exports));
	seq_printf(m, "imports %ld\n", atomic_long_read(&hdmabuf_stats.imports));
	seq_printf(m, "allocs %ld\n", atomic_long_read(&hdmabuf_stats.allocs));
	seq_printf(m, "pages %ld\n", atomic_long_read(&hdmabuf_stats.pages));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(counters);

void hdmabuf_stats_init(void)
{
	/* debugfs is optional: the module works without it */
	stats_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("counters", 0444, stats_dir, NULL, &counters_fops);
}

void hdmabuf_stats_exit(void)
{
	debugfs_remove_recursive(stats_dir);
}
