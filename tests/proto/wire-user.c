// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The module's own kernel/proto/wire.c, compiled here for user space. An
 * object of its own name keeps it apart from the module's wire.o, which
 * kbuild makes in the build tree's kernel/proto.
 */
#include "wire.c"
