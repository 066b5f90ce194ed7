// SPDX-License-Identifier: GPL-2.0
/*
 * packet.c - the VRRP advertisement on the wire (RFC 3768 5.1, RFC 5798
 * 5.1): an 8-byte header, the virtual addresses, and in v2 eight bytes of
 * authentication data.  See vrrp.h for the contract.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp.h"

/* Byte 4..5 of a v3 header: 4 reserved bits, 12 bits of interval. */
#define V3_INT_MASK	0x0fff

static size_t addr_len(int family)
{
	return family == AF_INET6 ? sizeof(struct in6_addr) :
				    sizeof(struct in_addr);
}

static size_t msg_len(uint8_t version, int family, unsigned int naddr)
{
	return VRRP_HDR_LEN + naddr * addr_len(family) +
	       (version == 2 ? VRRP_AUTH_LEN : 0);
}

uint16_t vrrp_csum(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t *p = buf;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The partial sum of the v3 pseudo-header (RFC 5798 5.2.8). */
static uint32_t pseudo_sum(const struct vrrp_ends *e, size_t len)
{
	uint8_t ph[40];
	size_t n;

	if (e->family == AF_INET6) {
		memcpy(ph, &e->src.v6, 16);
		memcpy(ph + 16, &e->dst.v6, 16);
		ph[32] = (uint8_t)(len >> 24);
		ph[33] = (uint8_t)(len >> 16);
		ph[34] = (uint8_t)(len >> 8);
		ph[35] = (uint8_t)len;
		ph[36] = ph[37] = ph[38] = 0;
		ph[39] = VRRP_PROTO;
		n = 40;
	} else {
		memcpy(ph, &e->src.v4, 4);
		memcpy(ph + 4, &e->dst.v4, 4);
		ph[8] = 0;
		ph[9] = VRRP_PROTO;
		ph[10] = (uint8_t)(len >> 8);
		ph[11] = (uint8_t)len;
		n = 12;
	}
	/* Undo the final inversion: this is a partial sum to carry on. */
	return (uint16_t)~vrrp_csum(ph, n, 0);
}

static uint16_t msg_csum(const uint8_t *msg, size_t len, uint8_t version,
			 const struct vrrp_ends *e, bool as_v2)
{
	uint32_t sum = 0;

	if (version == 3 && !(as_v2 && e->family == AF_INET))
		sum = pseudo_sum(e, len);
	return vrrp_csum(msg, len, sum);
}

int vrrp_build(uint8_t *buf, size_t size, const struct vrrp_advert *adv,
	       const struct vrrp_ends *ends, bool v3_checksum_as_v2)
{
	size_t alen = addr_len(ends->family), len;
	uint16_t sum;

	if (adv->version != 2 && adv->version != 3)
		return -EINVAL;
	/* v2 is IPv4 only (RFC 3768); keepalived runs IPv6 as v3. */
	if (adv->version == 2 && ends->family != AF_INET)
		return -EINVAL;
	if (adv->version == 3 &&
	    (adv->interval == 0 || adv->interval > VRRP_V3_MAX_INT))
		return -EINVAL;
	if (adv->version == 2 &&
	    (adv->interval % 100 || adv->interval / 100 == 0 ||
	     adv->interval / 100 > 255))
		return -EINVAL;
	len = msg_len(adv->version, ends->family, adv->naddr);
	if (len > size)
		return -EMSGSIZE;

	buf[0] = (uint8_t)(adv->version << 4 | VRRP_TYPE_ADVERT);
	buf[1] = adv->vrid;
	buf[2] = adv->prio;
	buf[3] = adv->naddr;
	if (adv->version == 2) {
		buf[4] = adv->auth_type;
		buf[5] = (uint8_t)(adv->interval / 100);
	} else {
		buf[4] = (uint8_t)(adv->interval >> 8 & 0x0f);
		buf[5] = (uint8_t)adv->interval;
	}
	buf[6] = buf[7] = 0;
	if (adv->naddr)
		memcpy(buf + VRRP_HDR_LEN, adv->addrs, adv->naddr * alen);
	if (adv->version == 2) {
		uint8_t *auth = buf + VRRP_HDR_LEN + adv->naddr * alen;

		if (adv->auth_type == VRRP_AUTH_PASS)
			memcpy(auth, adv->auth, VRRP_AUTH_LEN);
		else
			memset(auth, 0, VRRP_AUTH_LEN);
	}
	sum = msg_csum(buf, len, adv->version, ends, v3_checksum_as_v2);
	buf[6] = (uint8_t)(sum >> 8);
	buf[7] = (uint8_t)sum;
	return (int)len;
}

#define BAD(reason) do { *why = (reason); return -EINVAL; } while (0)

int vrrp_parse(const uint8_t *buf, size_t len, const struct vrrp_ends *ends,
	       const struct vrrp_advert *expect, bool v3_checksum_as_v2,
	       struct vrrp_advert *adv, const char **why)
{
	size_t need;

	if (len < VRRP_HDR_LEN)
		BAD("shorter than a VRRP header");
	memset(adv, 0, sizeof(*adv));
	adv->version = buf[0] >> 4;
	if ((buf[0] & 0x0f) != VRRP_TYPE_ADVERT)
		BAD("not an advertisement");
	if (adv->version != expect->version)
		BAD(adv->version == 2 ? "version 2, ours is 3" :
		    adv->version == 3 ? "version 3, ours is 2" :
					"unknown version");
	if (adv->version == 2 && ends->family != AF_INET)
		BAD("version 2 over IPv6");
	adv->vrid = buf[1];
	adv->prio = buf[2];
	adv->naddr = buf[3];
	need = msg_len(adv->version, ends->family, adv->naddr);
	if (len < need)
		BAD("shorter than its address count says");
	if (msg_csum(buf, len, adv->version, ends, v3_checksum_as_v2) != 0)
		BAD("bad checksum");
	adv->addrs = buf + VRRP_HDR_LEN;
	if (adv->version == 3) {
		adv->interval = (uint16_t)((buf[4] << 8 | buf[5]) & V3_INT_MASK);
		if (adv->interval == 0)
			BAD("advert interval 0");
		return 0;
	}
	adv->auth_type = buf[4];
	adv->interval = (uint16_t)(buf[5] * 100);
	memcpy(adv->auth, buf + VRRP_HDR_LEN + adv->naddr * 4, VRRP_AUTH_LEN);
	if (adv->auth_type != expect->auth_type)
		BAD("authentication type differs from ours");
	if (adv->auth_type == VRRP_AUTH_PASS &&
	    memcmp(adv->auth, expect->auth, VRRP_AUTH_LEN) != 0)
		BAD("wrong password");
	/* RFC 3768 7.1: an advert whose interval differs is dropped. */
	if (adv->interval != expect->interval)
		BAD("advert interval differs from ours");
	return 0;
}
