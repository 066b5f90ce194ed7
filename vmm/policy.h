/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy.h - the pool's decisions as pure functions: no I/O, no clock, no
 * loop, so tests/unit/test_vmm_policy.c checks them alone (as lvsd's
 * hcstate.c does for health).  pool.c applies what they decide.
 */
#ifndef _VMM_POLICY_H
#define _VMM_POLICY_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vmm_restart_policy {
	int64_t		backoff_base;	/* usec before the first restart */
	int64_t		backoff_cap;	/* usec, the longest wait */
	unsigned int	crash_limit;	/* crashes in a row that stop it */
	int64_t		stable;		/* usec up that resets the count */
};

/* The size to aim at: WANT clamped into [MIN, MAX]. */
unsigned int vmm_desired_size(long long want, unsigned int min,
			      unsigned int max);

/* The wait before restart number FAILS (1 = first): base * 2^(FAILS-1),
 * never above cap. */
int64_t vmm_backoff(const struct vmm_restart_policy *p, unsigned int fails);

/*
 * A node crashed after UPTIME usec with FAILS crashes in a row before it.
 * Returns the new count in a row (a node that stayed up for p->stable
 * starts again at 1) and sets *GIVE_UP when it reached the crash limit:
 * a crash loop, reported and not restarted.
 */
unsigned int vmm_on_crash(const struct vmm_restart_policy *p,
			  unsigned int fails, int64_t uptime, bool *give_up);

/* What a pool's slot holds, for vmm_plan(). */
enum vmm_slot {
	VMM_SLOT_FREE,		/* nothing: a node may boot here */
	VMM_SLOT_ACTIVE,	/* a node that counts (booting, up, backoff) */
	VMM_SLOT_BUSY,		/* a node leaving or given up: neither */
};

/*
 * Resize plan over SLOTS slots.  Fills BOOT with the free slots to start
 * (lowest first) or RETIRE with the active ones to retire (highest first)
 * so that TARGET slots are active, as far as free slots allow; returns
 * how many.  Only one of the two is ever filled.
 */
size_t vmm_plan(const enum vmm_slot *slot, size_t slots, size_t target,
		size_t *boot, size_t *retire);

/* Address number IDX of [LO, HI] (host order).  -1: outside the range. */
int vmm_range_addr(uint32_t lo, uint32_t hi, size_t idx, struct in_addr *out);
/* How many addresses [LO, HI] holds (0 when HI < LO). */
size_t vmm_range_size(uint32_t lo, uint32_t hi);

/* A deterministic, locally administered unicast MAC for node IDX of the
 * pool named POOL: PREFIX (3 bytes), one byte from the name, two of IDX. */
void vmm_node_mac(const uint8_t prefix[3], const char *pool, unsigned int idx,
		  uint8_t mac[6]);

/* KVM only where it really works: the CPU flags name vmx or svm (a PVM
 * host exposes /dev/kvm but hangs stock guests) and /dev/kvm is usable.
 * CPUINFO is /proc/cpuinfo's text.  The lab (tests/lab/run, via
 * scripts/accel) applies the same rule. */
bool vmm_kvm_usable(const char *cpuinfo, bool dev_kvm_rw);

#endif /* _VMM_POLICY_H */
