// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A fault planted for the lab's self-test of the debug kernel: allocations
 * until KFENCE guards one, which is then read after it was freed. KFENCE
 * reports the use-after-free; with panic_on_warn=1 the kernel then panics.
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kfence.h>
#include <linux/module.h>
#include <linux/slab.h>

static int __init lab_planted_kfence_init(void)
{
	unsigned long end = jiffies + 30 * HZ;
	char *p;

	while (time_before(jiffies, end)) {
		p = kmalloc(64, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		if (is_kfence_address(p)) {
			kfree(p);
			/* the compiler must not know p was freed */
			OPTIMIZER_HIDE_VAR(p);
			pr_info("lab_planted_kfence: read after free: %d\n",
				READ_ONCE(p[0]));
			return 0;
		}
		kfree(p);
		usleep_range(100, 200);
	}
	pr_info("lab_planted_kfence: KFENCE guarded no allocation in 30 s\n");
	return -ETIMEDOUT;
}

static void __exit lab_planted_kfence_exit(void)
{
}

module_init(lab_planted_kfence_init);
module_exit(lab_planted_kfence_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lab self-test: a use-after-free KFENCE reports");
