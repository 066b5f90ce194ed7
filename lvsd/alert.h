/* SPDX-License-Identifier: GPL-2.0 */
/*
 * alert.h - smtp_alert: keepalived's mails when a real server goes up or
 * down (its smtp_alert, else global_defs') and
 * when a virtual server's quorum is lost or regained, sent to every
 * notification_email through global_defs' smtp_server, from
 * notification_email_from (default keepalived@HOST), saying HELO
 * smtp_helo_name (default HOST).  The subject names router_id (default
 * HOST), as keepalived's: "[ID] Realserver RS of virtual server VS - UP".
 *
 * Each mail is one non-blocking SMTP conversation on the event loop with
 * its own copy of what it needs (a reload does not disturb it), given up
 * after smtp_connect_timeout; outcomes go to the log.  Daemon only.
 */
#ifndef _LVSD_ALERT_H
#define _LVSD_ALERT_H

#include "vs_conf.h"

/* Queue a mail; nothing happens without smtp_server and recipients. */
void alert_mail(const struct global_conf *g, const char *subject,
		const char *body);

#endif /* _LVSD_ALERT_H */
