// SPDX-License-Identifier: GPL-2.0
/*
 * sched_names.c - the scheduler names and scheduler flag names, in one
 * place for lvsd, vsadm and the tests (lvsc.h).  The names are the
 * modules schedulers/ builds (lvs_<name>.ko); a scheduler added there
 * gets its line here.
 */
#include <string.h>

#include "lvsc.h"

static const char *const sched_names[] = {
	"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "mh", "sed",
	"nq", "fo", "ovf", NULL
};

static const struct lvsc_sched_flag sched_flags[] = {
	{ "flag-1",	 LVS_SVC_F_SCHED1, NULL },
	{ "flag-2",	 LVS_SVC_F_SCHED2, NULL },
	{ "flag-3",	 LVS_SVC_F_SCHED3, NULL },
	{ "sh-fallback", LVS_SVC_F_SCHED_SH_FALLBACK, "sh" },
	{ "sh-port",	 LVS_SVC_F_SCHED_SH_PORT, "sh" },
	{ "mh-fallback", LVS_SVC_F_SCHED_MH_FALLBACK, "mh" },
	{ "mh-port",	 LVS_SVC_F_SCHED_MH_PORT, "mh" },
	{ NULL, 0, NULL }
};

const char *const *lvsc_sched_names(void)
{
	return sched_names;
}

int lvsc_sched_known(const char *name)
{
	for (size_t i = 0; sched_names[i]; i++)
		if (!strcmp(sched_names[i], name))
			return 1;
	return 0;
}

const struct lvsc_sched_flag *lvsc_sched_flags(void)
{
	return sched_flags;
}

const struct lvsc_sched_flag *lvsc_sched_flag_find(const char *name)
{
	for (const struct lvsc_sched_flag *f = sched_flags; f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

const char *lvsc_sched_flag_name(const char *sched, uint32_t bit)
{
	const char *generic = NULL;

	for (const struct lvsc_sched_flag *f = sched_flags; f->name; f++) {
		if (f->flag != bit)
			continue;
		if (f->sched && sched && !strcmp(f->sched, sched))
			return f->name;
		if (!f->sched)
			generic = f->name;
	}
	return generic;
}
