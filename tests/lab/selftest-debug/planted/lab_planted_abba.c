// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A fault planted for the lab's self-test of the debug kernel: two mutexes
 * taken in one order, then in the other. Never at the same time, so
 * nothing deadlocks, but lockdep reports the possible circular locking
 * dependency as the module loads.
 */
#include <linux/module.h>
#include <linux/mutex.h>

static DEFINE_MUTEX(lab_planted_a);
static DEFINE_MUTEX(lab_planted_b);

static int __init lab_planted_abba_init(void)
{
	mutex_lock(&lab_planted_a);
	mutex_lock(&lab_planted_b);
	mutex_unlock(&lab_planted_b);
	mutex_unlock(&lab_planted_a);

	mutex_lock(&lab_planted_b);
	mutex_lock(&lab_planted_a);
	mutex_unlock(&lab_planted_a);
	mutex_unlock(&lab_planted_b);
	return 0;
}

static void __exit lab_planted_abba_exit(void)
{
}

module_init(lab_planted_abba_init);
module_exit(lab_planted_abba_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lab self-test: a lock order lockdep reports");
