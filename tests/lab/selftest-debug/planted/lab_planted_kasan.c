// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A fault planted for the lab's self-test of the plain lane's debug kernel,
 * which has KASAN: a read one byte past the end of a kmalloc'd object.
 * KASAN reports the slab-out-of-bounds read; with panic_on_warn=1 the
 * kernel then panics. An object KFENCE guards is skipped: KASAN leaves
 * those to KFENCE.
 */
#include <linux/kfence.h>
#include <linux/module.h>
#include <linux/slab.h>

static int __init lab_planted_kasan_init(void)
{
	size_t size = 61;
	char *p;
	int i;

	for (i = 0; i < 100; i++) {
		/* the compiler must not see the size, or the read past it */
		OPTIMIZER_HIDE_VAR(size);
		p = kmalloc(size, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		if (!is_kfence_address(p)) {
			pr_info("lab_planted_kasan: read past the end: %d\n",
				READ_ONCE(p[size]));
			kfree(p);
			return 0;
		}
		kfree(p);
	}
	pr_info("lab_planted_kasan: KFENCE guarded every allocation\n");
	return -EAGAIN;
}

static void __exit lab_planted_kasan_exit(void)
{
}

module_init(lab_planted_kasan_init);
module_exit(lab_planted_kasan_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lab self-test: an out-of-bounds read KASAN reports");
