/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vrrp_proc.h - VRRP in a process of its own (the contract:
 * ../docs/vrrp.md).  The parent side starts, supervises, reloads and stops
 * the child and relays "lvsd ctl vrrp" and the metrics to it; the child
 * side is lvsd exec'd as "lvsd-vrrp --vrrp-child -f FILE [-i ID]", fd 3 its
 * end of the socketpair, running only the VRRP subsystem (vrrp.c's
 * vrrp_local_*) on a loop of its own.
 *
 * Calls fork/exec, the runtime's loop and conf_guard.c; tested by
 * tests/host/vrrp_proc.sh and tests/host/vrrp_keepalived.sh.
 */
#ifndef _LVSD_VRRP_PROC_H
#define _LVSD_VRRP_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "conf.h"
#include "subsys.h"

#define VRRP_CHILD_ARG	"--vrrp-child"

/* The child: main() hands over when argv[1] is VRRP_CHILD_ARG. */
int vrrp_child_main(int argc, char **argv);

/*
 * The parent.  Start the child for PATH/OPTS (kept: they must outlive the
 * process) and wait until it says it runs: 0, or -1 with ERR (nothing
 * left running).
 */
int vrrp_proc_start(const char *path, const struct conf_opts *opts,
		    const char *backend, char *err, size_t len);
/* After an applied reload: SIGHUP to the child (which re-reads the file). */
void vrrp_proc_reload(void);
/* Stop the child (it resigns) and the supervision; waits for it. */
void vrrp_proc_stop(void);
bool vrrp_proc_active(void);
/* Relay COMMAND ("show", "show json", "metrics") to OUT: 0, or -1. */
int vrrp_proc_ask(const char *command, FILE *out);
/* The relayed metrics and the process's own. */
void vrrp_proc_metrics(FILE *out);

/* vrrp.c: the subsystem itself, as the child runs it; the backend lvsd
 * runs on (-b). */
extern const char *vrrp_backend_name;
bool vrrp_conf_wanted(const struct conf *c);
int vrrp_local_start(const struct conf *c, char *err, size_t len);
void vrrp_local_reload(const struct conf *c);
void vrrp_local_stop(void);

#endif /* _LVSD_VRRP_PROC_H */
