// SPDX-License-Identifier: GPL-2.0
/*
 * qmp.c - the QEMU Machine Protocol, spoken with json-c: connect to the
 * node's socket, read the greeting, leave negotiation mode
 * (qmp_capabilities), send one command and wait for its "return" or
 * "error", skipping events.  Synchronous and bounded by a deadline: the
 * socket is local and QEMU's main loop answers within milliseconds even
 * when its vCPU is busy.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "vmm_int.h"

struct qmp_conn {
	int		fd;
	char		buf[8192];
	size_t		n;
	int64_t		deadline;	/* msec, CLOCK_MONOTONIC */
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The next message (one line) as a JSON object; NULL on error/timeout. */
static json_object *qmp_read(struct qmp_conn *q, char *err, size_t len)
{
	for (;;) {
		char *nl = memchr(q->buf, '\n', q->n);
		struct pollfd p = { .fd = q->fd, .events = POLLIN };
		int64_t left;
		ssize_t r;

		if (nl) {
			json_object *o;

			*nl = 0;
			o = json_tokener_parse(q->buf);
			q->n -= (size_t)(nl + 1 - q->buf);
			memmove(q->buf, nl + 1, q->n);
			if (o && json_object_is_type(o, json_type_object))
				return o;
			json_object_put(o);
			vmm_err(err, len, "QMP: a reply that is not a JSON "
				"object");
			return NULL;
		}
		if (q->n == sizeof(q->buf)) {
			vmm_err(err, len, "QMP: reply too long");
			return NULL;
		}
		left = q->deadline - now_ms();
		if (left <= 0 || poll(&p, 1, (int)left) <= 0) {
			vmm_err(err, len, "QMP: no reply in time");
			return NULL;
		}
		r = read(q->fd, q->buf + q->n, sizeof(q->buf) - q->n);
		if (r <= 0) {
			vmm_err(err, len, "QMP: %s", r ? strerror(errno) :
				"connection closed");
			return NULL;
		}
		q->n += (size_t)r;
	}
}

/* Send {"execute": CMD} and wait for its answer. */
static int qmp_exec(struct qmp_conn *q, const char *cmd, char *reply,
		    size_t rlen, char *err, size_t len)
{
	json_object *req = json_object_new_object();
	const char *s;
	int rc = -1;

	json_object_object_add(req, "execute", json_object_new_string(cmd));
	s = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	if (write(q->fd, s, strlen(s)) != (ssize_t)strlen(s)) {
		json_object_put(req);
		return vmm_err(err, len, "QMP: write: %s", strerror(errno));
	}
	json_object_put(req);
	for (;;) {
		json_object *o = qmp_read(q, err, len), *v;

		if (!o)
			return -1;
		if (json_object_object_get_ex(o, "return", &v)) {
			if (reply)
				snprintf(reply, rlen, "%s",
					 json_object_to_json_string_ext(v,
						JSON_C_TO_STRING_PLAIN));
			rc = 0;
		} else if (json_object_object_get_ex(o, "error", &v)) {
			json_object *d = NULL;

			json_object_object_get_ex(v, "desc", &d);
			vmm_err(err, len, "QMP %s: %s", cmd,
				d ? json_object_get_string(d) : "error");
		} else {
			json_object_put(o);	/* an event */
			continue;
		}
		json_object_put(o);
		return rc;
	}
}

int vmm_qmp(const char *path, const char *cmd, int timeout_ms, char *reply,
	    size_t rlen, char *err, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct qmp_conn q = { .n = 0 };
	json_object *greeting;
	int rc;

	if (strlen(path) >= sizeof(sa.sun_path))
		return vmm_err(err, len, "QMP: socket path too long");
	strcpy(sa.sun_path, path);
	q.deadline = now_ms() + timeout_ms;
	q.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (q.fd < 0)
		return vmm_err(err, len, "QMP: socket: %s", strerror(errno));
	if (connect(q.fd, (struct sockaddr *)&sa, sizeof(sa))) {
		rc = vmm_err(err, len, "QMP: %s: %s", path, strerror(errno));
		close(q.fd);
		return rc;
	}
	greeting = qmp_read(&q, err, len);
	if (!greeting || !json_object_object_get_ex(greeting, "QMP", NULL)) {
		if (greeting)
			vmm_err(err, len, "QMP: no greeting");
		json_object_put(greeting);
		close(q.fd);
		return -1;
	}
	json_object_put(greeting);
	rc = qmp_exec(&q, "qmp_capabilities", NULL, 0, err, len);
	if (!rc)
		rc = qmp_exec(&q, cmd, reply, rlen, err, len);
	close(q.fd);
	return rc;
}
