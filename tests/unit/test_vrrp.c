// SPDX-License-Identifier: GPL-2.0
/*
 * test_vrrp.c - vrrp/: the advert codec against packets whose checksums
 * were worked out independently (Python's struct, RFC 1071 sum), and the
 * instance state machine through every transition of RFC 5798 6.4 and
 * keepalived's additions.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "vrrp.h"

#define SEC	1000000LL

static void ends4(struct vrrp_ends *e, const char *src, const char *dst)
{
	memset(e, 0, sizeof(*e));
	e->family = AF_INET;
	inet_pton(AF_INET, src, &e->src.v4);
	inet_pton(AF_INET, dst, &e->dst.v4);
}

static void ends6(struct vrrp_ends *e, const char *src, const char *dst)
{
	memset(e, 0, sizeof(*e));
	e->family = AF_INET6;
	inet_pton(AF_INET6, src, &e->src.v6);
	inet_pton(AF_INET6, dst, &e->dst.v6);
}

static void test_v2_pass(void **state)
{
	static const uint8_t want[] = {
		0x21, 51, 100, 1, 1, 1, 0x8e, 0xae, 192, 168, 200, 16,
		'1', '1', '1', '1', 0, 0, 0, 0,
	};
	struct vrrp_advert adv = {
		.version = 2, .vrid = 51, .prio = 100, .naddr = 1,
		.interval = 100, .auth_type = VRRP_AUTH_PASS, .auth = "1111",
	}, got;
	uint8_t vip[4] = { 192, 168, 200, 16 }, buf[64];
	struct vrrp_ends e;
	const char *why = NULL;
	int n;

	(void)state;
	adv.addrs = vip;
	ends4(&e, "192.168.200.1", "224.0.0.18");
	n = vrrp_build(buf, sizeof(buf), &adv, &e, false);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));

	assert_int_equal(vrrp_parse(buf, n, &e, &adv, false, &got, &why), 0);
	assert_int_equal(got.vrid, 51);
	assert_int_equal(got.prio, 100);
	assert_int_equal(got.interval, 100);
	assert_memory_equal(got.addrs, vip, 4);

	/* A wrong password, another interval, a flipped bit: dropped. */
	adv.auth[0] = '2';
	assert_int_equal(vrrp_parse(buf, n, &e, &adv, false, &got, &why),
			 -EINVAL);
	assert_string_equal(why, "wrong password");
	adv.auth[0] = '1';
	adv.interval = 200;
	assert_int_equal(vrrp_parse(buf, n, &e, &adv, false, &got, &why),
			 -EINVAL);
	assert_string_equal(why, "advert interval differs from ours");
	adv.interval = 100;
	buf[2] ^= 1;
	assert_int_equal(vrrp_parse(buf, n, &e, &adv, false, &got, &why),
			 -EINVAL);
	assert_string_equal(why, "bad checksum");
}

static void test_v3_ipv4(void **state)
{
	static const uint8_t want[] = {
		0x31, 51, 150, 2, 0, 100, 0x39, 0x09,
		10, 0, 0, 100, 10, 0, 0, 101,
	};
	uint8_t vips[8] = { 10, 0, 0, 100, 10, 0, 0, 101 }, buf[64];
	struct vrrp_advert adv = {
		.version = 3, .vrid = 51, .prio = 150, .naddr = 2,
		.interval = 100, .addrs = vips,
	}, got;
	struct vrrp_ends e;
	const char *why = NULL;
	int n;

	(void)state;
	ends4(&e, "10.0.0.1", "224.0.0.18");
	n = vrrp_build(buf, sizeof(buf), &adv, &e, false);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(vrrp_parse(buf, n, &e, &adv, false, &got, &why), 0);
	assert_int_equal(got.naddr, 2);

	/* The pseudo-header counts: another source fails the checksum. */
	ends4(&e, "10.0.0.2", "224.0.0.18");
	assert_int_equal(vrrp_parse(buf, n, &e, &adv, false, &got, &why),
			 -EINVAL);
	assert_string_equal(why, "bad checksum");

	/* v3_checksum_as_v2 leaves it out. */
	n = vrrp_build(buf, sizeof(buf), &adv, &e, true);
	assert_int_equal(buf[6] << 8 | buf[7], 0x239d);
	assert_int_equal(vrrp_parse(buf, n, &e, &adv, true, &got, &why), 0);

	/* A v3 instance drops a v2 advert, with the reason. */
	adv.version = 2;
	assert_int_equal(vrrp_parse(buf, n, &e, &adv, true, &got, &why),
			 -EINVAL);
	assert_string_equal(why, "version 3, ours is 2");
}

static void test_v3_ipv6(void **state)
{
	uint8_t vip[16], buf[64];
	struct vrrp_advert adv = {
		.version = 3, .vrid = 7, .prio = 200, .naddr = 1,
		.interval = 25, .addrs = vip,
	}, got;
	struct vrrp_ends e;
	const char *why = NULL;
	int n;

	(void)state;
	inet_pton(AF_INET6, "2001:db8::10", vip);
	ends6(&e, "fe80::1", "ff02::12");
	n = vrrp_build(buf, sizeof(buf), &adv, &e, false);
	assert_int_equal(n, 24);
	assert_int_equal(buf[6] << 8 | buf[7], 0xdaf5);
	assert_int_equal(vrrp_parse(buf, n, &e, &adv, false, &got, &why), 0);
	assert_int_equal(got.interval, 25);
	assert_memory_equal(got.addrs, vip, 16);

	/* v2 has no IPv6 form. */
	adv.version = 2;
	adv.interval = 100;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &adv, &e, false),
			 -EINVAL);
}

static void test_malformed(void **state)
{
	uint8_t vip[4] = { 10, 0, 0, 1 }, buf[64];
	struct vrrp_advert adv = {
		.version = 3, .vrid = 1, .prio = 100, .naddr = 1,
		.interval = 100, .addrs = vip,
	}, got;
	struct vrrp_ends e;
	const char *why = NULL;
	size_t len;
	int n;

	(void)state;
	ends4(&e, "10.0.0.1", "224.0.0.18");
	n = vrrp_build(buf, sizeof(buf), &adv, &e, false);
	assert_true(n > 0);
	/* Every truncation is refused, never read past. */
	for (len = 0; len < (size_t)n; len++)
		assert_int_equal(vrrp_parse(buf, len, &e, &adv, false, &got,
					    &why), -EINVAL);
	/* An address count beyond the packet. */
	buf[3] = 200;
	assert_int_equal(vrrp_parse(buf, n, &e, &adv, false, &got, &why),
			 -EINVAL);
	assert_string_equal(why, "shorter than its address count says");
	buf[3] = 1;
	buf[0] = 0x32;		/* type 2 */
	assert_int_equal(vrrp_parse(buf, n, &e, &adv, false, &got, &why),
			 -EINVAL);
	assert_string_equal(why, "not an advertisement");
	/* Out-of-range intervals cannot be built. */
	adv.interval = 0;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &adv, &e, false),
			 -EINVAL);
	adv.interval = VRRP_V3_MAX_INT + 1;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &adv, &e, false),
			 -EINVAL);
	adv.interval = 100;
	assert_int_equal(vrrp_build(buf, 10, &adv, &e, false), -EMSGSIZE);
}

static struct vrrp_fsm fsm(uint8_t version, uint8_t prio, uint16_t interval)
{
	struct vrrp_fsm_conf c = {
		.version = version, .base_prio = prio, .interval = interval,
		.preempt = true,
	};
	struct vrrp_fsm f;

	vrrp_fsm_init(&f, &c);
	return f;
}

static struct vrrp_advert advert(uint8_t prio, uint16_t interval)
{
	struct vrrp_advert a = { .version = 3, .prio = prio,
				 .interval = interval };
	return a;
}

static void test_timers(void **state)
{
	struct vrrp_fsm f = fsm(2, 100, 100);

	(void)state;
	/* keepalived's 3.6 s at priority 100, interval 1 s (v2). */
	assert_int_equal(vrrp_skew(&f), 156 * SEC / 256);
	assert_int_equal(vrrp_master_down(&f), 3 * SEC + 156 * SEC / 256);
	/* v3 scales the skew with the interval: 3 x 50 ms + skew. */
	f = fsm(3, 100, 5);
	assert_int_equal(vrrp_skew(&f), 156 * 50000LL / 256);
	assert_int_equal(vrrp_master_down(&f), 150000 + 156 * 50000LL / 256);
}

static void test_start(void **state)
{
	struct vrrp_fsm f = fsm(3, 255, 100);
	unsigned int act;

	(void)state;
	/* The owner takes over at once. */
	act = vrrp_fsm_start(&f, SEC);
	assert_int_equal(f.state, VRRP_MASTER);
	assert_int_equal(act, VRRP_DO_ADD_VIPS | VRRP_DO_ADVERT |
			 VRRP_DO_GARP | VRRP_DO_NOTIFY);
	assert_int_equal(f.timer_at, 2 * SEC);
	/* Adverts every interval. */
	assert_int_equal(vrrp_fsm_timer(&f, SEC + 10), 0);
	assert_int_equal(vrrp_fsm_timer(&f, 2 * SEC), VRRP_DO_ADVERT);
	assert_int_equal(f.timer_at, 3 * SEC);

	/* Anyone else waits for Master_Down, then takes over. */
	f = fsm(3, 100, 100);
	act = vrrp_fsm_start(&f, 0);
	assert_int_equal(f.state, VRRP_BACKUP);
	assert_int_equal(act, VRRP_DO_NOTIFY);
	assert_int_equal(f.timer_at, vrrp_master_down(&f));
	act = vrrp_fsm_timer(&f, f.timer_at);
	assert_int_equal(f.state, VRRP_MASTER);
	assert_true(act & VRRP_DO_ADD_VIPS);
	/* Starting twice does nothing. */
	assert_int_equal(vrrp_fsm_start(&f, 0), 0);
}

static void test_backup_rx(void **state)
{
	struct vrrp_fsm f = fsm(3, 100, 100);
	struct vrrp_advert a = advert(150, 20);
	int64_t now = 0;

	(void)state;
	vrrp_fsm_start(&f, now);
	/* A higher master: keep waiting, learn its interval (v3). */
	now += SEC / 10;
	assert_int_equal(vrrp_fsm_advert(&f, &a, 1, now), 0);
	assert_int_equal(f.master_int, 20);
	assert_int_equal(f.timer_at, now + vrrp_master_down(&f));
	/* An equal one too: a backup does not preempt on a tie. */
	a.prio = 100;
	assert_int_equal(vrrp_fsm_advert(&f, &a, -1, now), 0);
	assert_int_equal(f.timer_at, now + vrrp_master_down(&f));
	/* A lower one is discarded: the timer runs on and we take over. */
	a.prio = 50;
	int64_t at = f.timer_at;

	assert_int_equal(vrrp_fsm_advert(&f, &a, 1, now + 1000), 0);
	assert_int_equal(f.timer_at, at);
	assert_true(vrrp_fsm_timer(&f, at) & VRRP_DO_ADVERT);
	assert_int_equal(f.state, VRRP_MASTER);

	/* nopreempt: a lower master keeps its place. */
	f = fsm(3, 100, 100);
	f.conf.preempt = false;
	vrrp_fsm_start(&f, 0);
	assert_int_equal(vrrp_fsm_advert(&f, &a, 1, SEC), 0);
	assert_int_equal(f.timer_at, SEC + vrrp_master_down(&f));

	/* Priority 0: take over after the skew alone. */
	a.prio = 0;
	assert_int_equal(vrrp_fsm_advert(&f, &a, 1, 2 * SEC), 0);
	assert_int_equal(f.timer_at, 2 * SEC + vrrp_skew(&f));
}

static void test_preempt_delay(void **state)
{
	struct vrrp_fsm f = fsm(3, 200, 100);
	struct vrrp_advert a = advert(100, 100);
	int64_t now;

	(void)state;
	f.conf.preempt_delay = 5 * SEC;
	vrrp_fsm_start(&f, 0);
	/* Within the delay after start-up, a lower master is followed. */
	for (now = SEC; now < 5 * SEC; now += SEC) {
		vrrp_fsm_advert(&f, &a, 1, now);
		assert_int_equal(f.timer_at, now + vrrp_master_down(&f));
	}
	/* After it, discarded: the down timer takes us over. */
	int64_t at = f.timer_at;

	vrrp_fsm_advert(&f, &a, 1, 5 * SEC);
	assert_int_equal(f.timer_at, at);
	vrrp_fsm_timer(&f, at);
	assert_int_equal(f.state, VRRP_MASTER);
}

static void test_master_rx(void **state)
{
	struct vrrp_fsm f = fsm(3, 100, 100);
	struct vrrp_advert a = advert(50, 100);
	unsigned int act;

	(void)state;
	vrrp_fsm_start(&f, 0);
	vrrp_fsm_timer(&f, f.timer_at);
	assert_int_equal(f.state, VRRP_MASTER);
	/* A lower master: re-assert at once, with gratuitous ARPs. */
	act = vrrp_fsm_advert(&f, &a, 1, 10 * SEC);
	assert_int_equal(act, VRRP_DO_ADVERT | VRRP_DO_GARP);
	assert_int_equal(f.timer_at, 11 * SEC);
	/* A tie lost on the address stays master when ours is higher. */
	a.prio = 100;
	act = vrrp_fsm_advert(&f, &a, -1, 10 * SEC);
	assert_int_equal(f.state, VRRP_MASTER);
	/* ... and yields when theirs is. */
	a.interval = 50;
	act = vrrp_fsm_advert(&f, &a, 1, 10 * SEC);
	assert_int_equal(f.state, VRRP_BACKUP);
	assert_int_equal(act, VRRP_DO_DEL_VIPS | VRRP_DO_NOTIFY);
	assert_int_equal(f.master_int, 50);
	assert_int_equal(f.timer_at, 10 * SEC + vrrp_master_down(&f));

	/* Another master resigning: advertise at once. */
	f = fsm(3, 255, 100);
	vrrp_fsm_start(&f, 0);
	a.prio = 0;
	assert_int_equal(vrrp_fsm_advert(&f, &a, 1, SEC / 2), VRRP_DO_ADVERT);
	assert_int_equal(f.timer_at, SEC / 2 + SEC);
}

static void test_fault_and_stop(void **state)
{
	struct vrrp_fsm f = fsm(3, 255, 100);
	unsigned int act;

	(void)state;
	vrrp_fsm_start(&f, 0);
	act = vrrp_fsm_fault(&f, true, SEC);
	assert_int_equal(f.state, VRRP_FAULT);
	assert_int_equal(act, VRRP_DO_RESIGN | VRRP_DO_DEL_VIPS |
			 VRRP_DO_NOTIFY);
	assert_int_equal(f.timer_at, 0);
	/* Adverts and timers mean nothing in FAULT. */
	struct vrrp_advert a = advert(10, 100);

	assert_int_equal(vrrp_fsm_advert(&f, &a, 1, 2 * SEC), 0);
	assert_int_equal(vrrp_fsm_fault(&f, true, 2 * SEC), 0);
	/* Recovery: the owner is master again. */
	act = vrrp_fsm_fault(&f, false, 3 * SEC);
	assert_int_equal(f.state, VRRP_MASTER);
	/* Stop: resign with priority 0. */
	act = vrrp_fsm_stop(&f, 4 * SEC);
	assert_int_equal(act, VRRP_DO_RESIGN | VRRP_DO_DEL_VIPS |
			 VRRP_DO_NOTIFY);
	assert_int_equal(f.state, VRRP_INIT);

	/* A fault known before start-up starts in FAULT. */
	f = fsm(3, 100, 100);
	assert_int_equal(vrrp_fsm_fault(&f, true, 0), 0);
	assert_int_equal(vrrp_fsm_start(&f, 0), VRRP_DO_NOTIFY);
	assert_int_equal(f.state, VRRP_FAULT);
	act = vrrp_fsm_fault(&f, false, SEC);
	assert_int_equal(f.state, VRRP_BACKUP);
	assert_int_equal(act, VRRP_DO_NOTIFY);
}

static void test_force(void **state)
{
	struct vrrp_fsm f = fsm(3, 100, 100);

	(void)state;
	/* Not started: a sync group cannot move it. */
	assert_int_equal(vrrp_fsm_force(&f, VRRP_MASTER, 0), 0);
	vrrp_fsm_start(&f, 0);
	assert_true(vrrp_fsm_force(&f, VRRP_MASTER, SEC) & VRRP_DO_ADD_VIPS);
	assert_int_equal(f.state, VRRP_MASTER);
	assert_int_equal(vrrp_fsm_force(&f, VRRP_MASTER, SEC), 0);
	assert_int_equal(vrrp_fsm_force(&f, VRRP_BACKUP, 2 * SEC),
			 VRRP_DO_DEL_VIPS | VRRP_DO_NOTIFY);
	assert_int_equal(f.timer_at, 2 * SEC + vrrp_master_down(&f));
	/* FAULT is the member's own: the group does not lift it. */
	vrrp_fsm_fault(&f, true, 3 * SEC);
	assert_int_equal(vrrp_fsm_force(&f, VRRP_MASTER, 3 * SEC), 0);
	assert_int_equal(f.state, VRRP_FAULT);
}

static void test_set_prio(void **state)
{
	struct vrrp_fsm f = fsm(3, 100, 100);

	(void)state;
	vrrp_fsm_set_prio(&f, 0, 0);
	assert_int_equal(f.prio, 1);
	vrrp_fsm_set_prio(&f, 255, 0);
	assert_int_equal(f.prio, 254);
	vrrp_fsm_set_prio(&f, 120, 0);
	assert_int_equal(f.prio, 120);
	assert_string_equal(vrrp_state_name(f.state), "INIT");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2_pass),
		cmocka_unit_test(test_v3_ipv4),
		cmocka_unit_test(test_v3_ipv6),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_timers),
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_backup_rx),
		cmocka_unit_test(test_preempt_delay),
		cmocka_unit_test(test_master_rx),
		cmocka_unit_test(test_fault_and_stop),
		cmocka_unit_test(test_force),
		cmocka_unit_test(test_set_prio),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
