// SPDX-License-Identifier: GPL-2.0
/*
 * sched.c - the scheduler registry.
 *
 * Schedulers register an ops table by name.  The core binds a service to
 * a scheduler by name only, loading "lvs_<name>" on demand.  A service
 * pins its scheduler's module with a module reference (as IPVS does): the
 * module cannot be removed while a service uses it, and becomes removable
 * as soon as the last such service is deleted or switched to another
 * scheduler (FLUSH, DEL_SERVICE, SET_SERVICE, or namespace exit).
 */
#define pr_fmt(fmt) "lvs: " fmt

#include <linux/kmod.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/string.h>

#include "lvs_core.h"

static LIST_HEAD(lvs_schedulers);
/* Separate from lvs_mutex: a scheduler registers while we may hold that. */
static DEFINE_MUTEX(lvs_sched_mutex);

static struct lvs_sched_ops *lvs_sched_find(const char *name)
{
	struct lvs_sched_ops *ops;

	list_for_each_entry(ops, &lvs_schedulers, n_list)
		if (!strcmp(ops->name, name))
			return ops;
	return NULL;
}

static struct lvs_sched_ops *lvs_sched_try_get(const char *name)
{
	struct lvs_sched_ops *ops;

	mutex_lock(&lvs_sched_mutex);
	ops = lvs_sched_find(name);
	if (ops && !try_module_get(ops->owner))
		ops = NULL;
	mutex_unlock(&lvs_sched_mutex);
	return ops;
}

/*
 * Find a scheduler by name and take a reference on its module, loading
 * the module if needed.  Process context; must not hold lvs_mutex (a
 * module's init may take a while and other namespaces would wait).
 */
struct lvs_sched_ops *lvs_sched_get(const char *name)
{
	struct lvs_sched_ops *ops;

	ops = lvs_sched_try_get(name);
	if (ops)
		return ops;
	request_module("lvs_%s", name);
	return lvs_sched_try_get(name);
}

void lvs_sched_put(struct lvs_sched_ops *ops)
{
	module_put(ops->owner);
}

int lvs_register_scheduler(struct lvs_sched_ops *ops)
{
	int ret = 0;

	if (!ops->name || !ops->schedule ||
	    strlen(ops->name) >= LVS_SCHED_NAME_MAX)
		return -EINVAL;
	mutex_lock(&lvs_sched_mutex);
	if (lvs_sched_find(ops->name))
		ret = -EEXIST;
	else
		list_add_tail(&ops->n_list, &lvs_schedulers);
	mutex_unlock(&lvs_sched_mutex);
	if (!ret)
		pr_info("scheduler %s registered\n", ops->name);
	return ret;
}
EXPORT_SYMBOL_GPL(lvs_register_scheduler);

/*
 * Called from the scheduler's module exit: by then no service holds a
 * reference on the module, so no service uses @ops.
 */
void lvs_unregister_scheduler(struct lvs_sched_ops *ops)
{
	mutex_lock(&lvs_sched_mutex);
	list_del(&ops->n_list);
	mutex_unlock(&lvs_sched_mutex);
	pr_info("scheduler %s unregistered\n", ops->name);
}
EXPORT_SYMBOL_GPL(lvs_unregister_scheduler);
