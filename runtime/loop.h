/* SPDX-License-Identifier: GPL-2.0 */
/*
 * loop.h - lvsd's one event loop, wrapped as Redis' ae.c wraps its
 * backends: loop.c is the only file that includes <ev.h>, so the checkers,
 * the control socket and the daemon see timers, fd watchers, child watchers
 * and signals only through these calls.  Times are microseconds.
 */
#ifndef _RT_LOOP_H
#define _RT_LOOP_H

#include <stdint.h>
#include <sys/types.h>

#define LOOP_READ	1
#define LOOP_WRITE	2

struct ltimer;
struct lio;
struct lchild;
struct lsignal;

typedef void (*ltimer_cb)(struct ltimer *t, void *arg);
typedef void (*lio_cb)(struct lio *io, int fd, int events, void *arg);
typedef void (*lchild_cb)(struct lchild *c, pid_t pid, int status, void *arg);
typedef void (*lsignal_cb)(int signum, void *arg);

int loop_init(void);
void loop_run(void);
void loop_break(void);
/* Now, on the monotonic clock the timers use. */
int64_t loop_now(void);
/* The same clock (kept for callers that mean "a fresh reading"). */
int64_t loop_clock(void);
void loop_update_now(void);

struct ltimer *ltimer_new(ltimer_cb cb, void *arg);
/* (Re)arm to fire once after USEC; a running timer is restarted. */
void ltimer_start(struct ltimer *t, int64_t usec);
void ltimer_stop(struct ltimer *t);
int ltimer_active(const struct ltimer *t);
void ltimer_free(struct ltimer *t);

struct lio *lio_new(int fd, int events, lio_cb cb, void *arg);
void lio_set(struct lio *io, int events);	/* 0 stops it */
void lio_free(struct lio *io);

/* Calls CB once when PID exits; the watcher frees itself after. */
struct lchild *lchild_watch(pid_t pid, lchild_cb cb, void *arg);
void lchild_cancel(struct lchild *c);

struct lsignal *lsignal_watch(int signum, lsignal_cb cb, void *arg);

#endif /* _RT_LOOP_H */
