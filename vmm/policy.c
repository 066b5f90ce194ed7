// SPDX-License-Identifier: GPL-2.0
/*
 * policy.c - the pool's pure decisions (see policy.h).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

#include "policy.h"

unsigned int vmm_desired_size(long long want, unsigned int min,
			      unsigned int max)
{
	if (want < (long long)min)
		return min;
	if (want > (long long)max)
		return max;
	return (unsigned int)want;
}

int64_t vmm_backoff(const struct vmm_restart_policy *p, unsigned int fails)
{
	int64_t d = p->backoff_base;

	if (fails <= 1)
		return d < p->backoff_cap ? d : p->backoff_cap;
	for (unsigned int i = 1; i < fails && d < p->backoff_cap; i++)
		d *= 2;
	return d < p->backoff_cap ? d : p->backoff_cap;
}

unsigned int vmm_on_crash(const struct vmm_restart_policy *p,
			  unsigned int fails, int64_t uptime, bool *give_up)
{
	if (uptime >= p->stable)
		fails = 0;
	fails++;
	*give_up = p->crash_limit && fails >= p->crash_limit;
	return fails;
}

size_t vmm_plan(const enum vmm_slot *slot, size_t slots, size_t target,
		size_t *boot, size_t *retire)
{
	size_t n_active = 0, n = 0;

	for (size_t i = 0; i < slots; i++)
		n_active += slot[i] == VMM_SLOT_ACTIVE;
	if (n_active < target) {
		for (size_t i = 0; i < slots && n_active + n < target; i++)
			if (slot[i] == VMM_SLOT_FREE)
				boot[n++] = i;
	} else {
		for (size_t i = slots; i-- > 0 && n_active - n > target;)
			if (slot[i] == VMM_SLOT_ACTIVE)
				retire[n++] = i;
	}
	return n;
}

size_t vmm_range_size(uint32_t lo, uint32_t hi)
{
	return hi < lo ? 0 : (size_t)(hi - lo) + 1;
}

int vmm_range_addr(uint32_t lo, uint32_t hi, size_t idx, struct in_addr *out)
{
	if (idx >= vmm_range_size(lo, hi))
		return -1;
	out->s_addr = htonl(lo + (uint32_t)idx);
	return 0;
}

void vmm_node_mac(const uint8_t prefix[3], const char *pool, unsigned int idx,
		  uint8_t mac[6])
{
	uint8_t h = 0;

	for (const char *s = pool; *s; s++)
		h = (uint8_t)(h * 31 + (uint8_t)*s);
	/* Locally administered, unicast, whatever the prefix says. */
	mac[0] = (uint8_t)((prefix[0] | 0x02) & ~0x01);
	mac[1] = prefix[1];
	mac[2] = prefix[2];
	mac[3] = h;
	mac[4] = (uint8_t)(idx >> 8);
	mac[5] = (uint8_t)idx;
}

/* A "flags" line of /proc/cpuinfo naming vmx or svm as a whole word. */
bool vmm_kvm_usable(const char *cpuinfo, bool dev_kvm_rw)
{
	const char *l = cpuinfo;

	if (!dev_kvm_rw || !cpuinfo)
		return false;
	while (l && *l) {
		const char *end = strchr(l, '\n');
		size_t len = end ? (size_t)(end - l) : strlen(l);

		if (!strncmp(l, "flags", 5)) {
			for (size_t i = 0; i + 3 <= len; i++) {
				bool start = i == 0 || isspace((unsigned char)l[i - 1]);
				bool stop = i + 3 == len ||
					    isspace((unsigned char)l[i + 3]);

				if (start && stop && (!strncmp(l + i, "vmx", 3) ||
						      !strncmp(l + i, "svm", 3)))
					return true;
			}
		}
		l = end ? end + 1 : NULL;
	}
	return false;
}
