/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvs_compat.h - the few kernel types and helpers the schedulers use,
 * for building the same scheduler sources into userspace unit tests and
 * benchmarks.
 *
 * Only what schedulers/lvs_*.c and include/lvs/sched.h need is here.  The
 * userspace build is single threaded: RCU read sections are no-ops and a
 * grace period is immediate, so kfree_rcu() frees at once.  Spinlocks
 * only check that they are not taken twice, which catches self-deadlocks
 * that the kernel would hang on.
 *
 * Time: "jiffies" is a variable the test or benchmark owns (lvs_jiffies),
 * advanced by hand, with HZ = 1000.
 *
 * module_init() functions run as constructors before main(), so linking a
 * scheduler's file into a program registers it; the program supplies
 * lvs_register_scheduler() and lvs_unregister_scheduler().
 */
#ifndef _LVS_COMPAT_H
#define _LVS_COMPAT_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#define U32_MAX		UINT32_MAX
#define S64_MAX		INT64_MAX

#define __init
#define __exit
#define __read_mostly
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))

#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))

/* ---- modules ---- */

struct module;
#define THIS_MODULE	((struct module *)NULL)

#define module_init(fn) \
	static void __attribute__((constructor)) lvs_compat_init_##fn(void) \
	{ if (fn()) abort(); }
#define module_exit(fn) \
	static void __attribute__((destructor)) lvs_compat_exit_##fn(void) \
	{ fn(); }
#define MODULE_LICENSE(s)	extern int lvs_compat_module_info
#define MODULE_DESCRIPTION(s)	extern int lvs_compat_module_info
#define MODULE_AUTHOR(s)	extern int lvs_compat_module_info
#define module_param(name, type, perm) extern int lvs_compat_module_info
#define MODULE_PARM_DESC(name, s) extern int lvs_compat_module_info

#define pr_fmt(fmt) fmt
#define pr_err(fmt, ...)	fprintf(stderr, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	fprintf(stderr, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	fprintf(stderr, pr_fmt(fmt), ##__VA_ARGS__)

/* ---- memory ---- */

typedef unsigned int gfp_t;
#define GFP_KERNEL	0u
#define GFP_ATOMIC	1u
#define __GFP_NOWARN	0u

/*
 * A test may make allocations fail: lvs_compat_alloc_fail counts down
 * and the allocation that takes it from 1 to 0 returns NULL.
 */
extern unsigned long lvs_compat_alloc_fail;

static inline void *kmalloc(size_t size, gfp_t gfp)
{
	(void)gfp;
	if (lvs_compat_alloc_fail && --lvs_compat_alloc_fail == 0)
		return NULL;
	return malloc(size ? size : 1);
}

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	void *p = kmalloc(size, gfp);

	if (p)
		memset(p, 0, size);
	return p;
}

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kzalloc(n * size, gfp);
}

static inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kmalloc(n * size, gfp);
}

static inline void kfree(const void *p)
{
	free((void *)p);
}

#define kvzalloc(size, gfp)	kzalloc(size, gfp)
#define kvcalloc(n, size, gfp)	kcalloc(n, size, gfp)
#define kvfree(p)		kfree(p)

/* ---- RCU: single threaded, so a grace period is immediate ---- */

struct rcu_head {
	void *unused;
};

#define rcu_read_lock()			do { } while (0)
#define rcu_read_unlock()		do { } while (0)
#define synchronize_rcu()		do { } while (0)
#define rcu_barrier()			do { } while (0)
#define kfree_rcu(p, field)		kfree(p)
#define call_rcu(head, fn)		((fn)(head))
#define rcu_dereference(p)		READ_ONCE(p)
#define rcu_dereference_protected(p, c)	(p)
#define rcu_assign_pointer(p, v)	WRITE_ONCE(p, v)
#define RCU_INIT_POINTER(p, v)		((p) = (v))

/* ---- atomics ---- */

typedef struct {
	int counter;
} atomic_t;

#define ATOMIC_INIT(i)	{ (i) }

static inline int atomic_read(const atomic_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

static inline void atomic_set(atomic_t *v, int i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}

static inline void atomic_inc(atomic_t *v)
{
	__atomic_fetch_add(&v->counter, 1, __ATOMIC_RELAXED);
}

static inline void atomic_dec(atomic_t *v)
{
	__atomic_fetch_sub(&v->counter, 1, __ATOMIC_RELAXED);
}

/* ---- locks: catch a second acquisition, which would deadlock ---- */

typedef struct {
	int locked;
} spinlock_t;

static inline void spin_lock_init(spinlock_t *l)
{
	l->locked = 0;
}

static inline void spin_lock(spinlock_t *l)
{
	if (l->locked)
		abort();
	l->locked = 1;
}

static inline void spin_unlock(spinlock_t *l)
{
	if (!l->locked)
		abort();
	l->locked = 0;
}

static inline int spin_trylock(spinlock_t *l)
{
	if (l->locked)
		return 0;
	l->locked = 1;
	return 1;
}

#define spin_lock_bh(l)		spin_lock(l)
#define spin_unlock_bh(l)	spin_unlock(l)
#define spin_trylock_bh(l)	spin_trylock(l)

/* ---- bit operations and the lock-free list (llist.h) ---- */

/* A full barrier: the kernel's is one after a non-returning atomic. */
#define smp_mb__after_atomic()	__atomic_thread_fence(__ATOMIC_SEQ_CST)

static inline bool test_bit(int nr, const unsigned long *addr)
{
	return (__atomic_load_n(addr, __ATOMIC_RELAXED) >> nr) & 1;
}

static inline void set_bit(int nr, unsigned long *addr)
{
	__atomic_fetch_or(addr, 1UL << nr, __ATOMIC_RELAXED);
}

static inline void clear_bit(int nr, unsigned long *addr)
{
	__atomic_fetch_and(addr, ~(1UL << nr), __ATOMIC_RELAXED);
}

static inline bool test_and_set_bit(int nr, unsigned long *addr)
{
	return (__atomic_fetch_or(addr, 1UL << nr, __ATOMIC_SEQ_CST) >> nr) & 1;
}

struct llist_node {
	struct llist_node *next;
};

struct llist_head {
	struct llist_node *first;
};

static inline bool llist_empty(const struct llist_head *head)
{
	return __atomic_load_n(&head->first, __ATOMIC_RELAXED) == NULL;
}

static inline bool llist_add(struct llist_node *node, struct llist_head *head)
{
	struct llist_node *first = __atomic_load_n(&head->first,
						   __ATOMIC_RELAXED);

	do {
		node->next = first;
	} while (!__atomic_compare_exchange_n(&head->first, &first, node, false,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	return first == NULL;
}

static inline struct llist_node *llist_del_all(struct llist_head *head)
{
	return __atomic_exchange_n(&head->first, NULL, __ATOMIC_SEQ_CST);
}

#define llist_entry(ptr, type, member)	container_of(ptr, type, member)

/* @n is set for the kernel's signature; the walk keeps its own cursor. */
#define llist_for_each_entry_safe(pos, n, node, member)			\
	for (struct llist_node *lvs_cur_ = (node), *lvs_nxt_ = NULL;	\
	     lvs_cur_ && (lvs_nxt_ = lvs_cur_->next,			\
			  pos = llist_entry(lvs_cur_, __typeof__(*pos),	\
					    member),			\
			  n = pos, (void)n, 1);				\
	     lvs_cur_ = lvs_nxt_)

/* ---- lists (the kernel's doubly linked list, RCU flavours alike) ---- */

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }

static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}

static inline void __list_add(struct list_head *n, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static inline void list_add(struct list_head *n, struct list_head *head)
{
	__list_add(n, head, head->next);
}

static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	__list_add(n, head->prev, head);
}

/* Like the kernel's list_del_rcu: n->next stays usable by readers. */
static inline void list_del(struct list_head *n)
{
	n->next->prev = n->prev;
	n->prev->next = n->next;
	n->prev = NULL;
}

static inline bool list_empty(const struct list_head *head)
{
	return READ_ONCE(head->next) == head;
}

#define list_add_rcu(n, h)	list_add(n, h)
#define list_add_tail_rcu(n, h)	list_add_tail(n, h)
#define list_del_rcu(n)		list_del(n)

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) \
	list_entry((ptr)->next, type, member)
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_entry_is_head(pos, head, member) (&(pos)->member == (head))

#define list_for_each_entry(pos, head, member)				\
	for (pos = list_first_entry(head, __typeof__(*pos), member);	\
	     !list_entry_is_head(pos, head, member);			\
	     pos = list_next_entry(pos, member))

#define list_for_each_entry_continue(pos, head, member)			\
	for (pos = list_next_entry(pos, member);			\
	     !list_entry_is_head(pos, head, member);			\
	     pos = list_next_entry(pos, member))

#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_first_entry(head, __typeof__(*pos), member),	\
	     n = list_next_entry(pos, member);				\
	     !list_entry_is_head(pos, head, member);			\
	     pos = n, n = list_next_entry(n, member))

#define list_for_each_entry_rcu(pos, head, member) \
	list_for_each_entry(pos, head, member)
#define list_for_each_entry_continue_rcu(pos, head, member) \
	list_for_each_entry_continue(pos, head, member)

/* ---- time ---- */

#define HZ	1000
extern unsigned long lvs_jiffies;
#define jiffies	READ_ONCE(lvs_jiffies)

#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)

/* ---- arithmetic and hashing, same results as the kernel's ---- */

#define GOLDEN_RATIO_32 0x61C88647u

static inline u32 hash_32(u32 val, unsigned int bits)
{
	return (val * GOLDEN_RATIO_32) >> (32 - bits);
}

static inline unsigned long gcd(unsigned long a, unsigned long b)
{
	while (b) {
		unsigned long t = a % b;

		a = b;
		b = t;
	}
	return a;
}

#define BITS_PER_LONG		(8 * (int)sizeof(long))
#define BITS_TO_LONGS(n)	(((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)

static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

/*
 * hsiphash: on 64-bit kernels this is SipHash-1-3 with a 128-bit key,
 * truncated to 32 bits (lib/siphash.c).  Written from the SipHash paper;
 * the unit tests check it against the kernel's self-test vectors.
 */
typedef struct {
	unsigned long key[2];
} hsiphash_key_t;

static inline u64 lvs_compat_rol64(u64 w, unsigned int s)
{
	return (w << s) | (w >> (64 - s));
}

#define LVS_COMPAT_SIPROUND(v0, v1, v2, v3) do {			\
	v0 += v1; v1 = lvs_compat_rol64(v1, 13); v1 ^= v0;		\
	v0 = lvs_compat_rol64(v0, 32);					\
	v2 += v3; v3 = lvs_compat_rol64(v3, 16); v3 ^= v2;		\
	v0 += v3; v3 = lvs_compat_rol64(v3, 21); v3 ^= v0;		\
	v2 += v1; v1 = lvs_compat_rol64(v1, 17); v1 ^= v2;		\
	v2 = lvs_compat_rol64(v2, 32);					\
} while (0)

static inline u32 hsiphash(const void *data, size_t len,
			   const hsiphash_key_t *key)
{
	const u8 *p = data;
	u64 v0 = 0x736f6d6570736575ULL ^ key->key[0];
	u64 v1 = 0x646f72616e646f6dULL ^ key->key[1];
	u64 v2 = 0x6c7967656e657261ULL ^ key->key[0];
	u64 v3 = 0x7465646279746573ULL ^ key->key[1];
	u64 b = (u64)len << 56;
	u64 m;
	size_t i, left = len & 7;

	for (; len >= 8 + left; len -= 8, p += 8) {
		for (m = 0, i = 0; i < 8; i++)
			m |= (u64)p[i] << (8 * i);
		v3 ^= m;
		LVS_COMPAT_SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	for (i = 0; i < left; i++)
		b |= (u64)p[i] << (8 * i);
	v3 ^= b;
	LVS_COMPAT_SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	LVS_COMPAT_SIPROUND(v0, v1, v2, v3);
	LVS_COMPAT_SIPROUND(v0, v1, v2, v3);
	LVS_COMPAT_SIPROUND(v0, v1, v2, v3);
	return (u32)((v0 ^ v1) ^ (v2 ^ v3));
}

#endif /* _LVS_COMPAT_H */
