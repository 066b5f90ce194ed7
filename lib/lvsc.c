// SPDX-License-Identifier: GPL-2.0
/*
 * lvsc.c - the public calls of liblvsc and its generic netlink transport.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "lvsc_int.h"
#include "lvsc_bpf.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Large enough for the refusals of a whole chunk plus a dump datagram. */
#define SOCK_RCVBUF	(4 * 1024 * 1024)

static int sock_send(void *ctx, const void *buf, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int fd = nl_socket_get_fd(ctx);
	ssize_t n;

	do {
		n = sendto(fd, buf, len, 0, (struct sockaddr *)&kernel,
			   sizeof(kernel));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EMSGSIZE;
}

static ssize_t sock_recv(void *ctx, void *buf, size_t len, bool nonblock)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	int fd = nl_socket_get_fd(ctx);
	ssize_t n;

	do {
		n = recvmsg(fd, &mh, nonblock ? MSG_DONTWAIT : 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (mh.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	return n;
}

static void sock_close(void *ctx)
{
	nl_socket_free(ctx);
}

static const struct lvsc_transport nl_transport = {
	.send = sock_send,
	.recv = sock_recv,
	.close = sock_close,
};

static struct lvsc *open_kernel(struct lvsc_err *err)
{
	struct nl_sock *sk = nl_socket_alloc();
	int one = 1, size = SOCK_RCVBUF, family, fd;
	struct lvsc *h;

	if (!sk) {
		lvsc_set_err(err, -ENOMEM, "out of memory");
		return NULL;
	}
	if (genl_connect(sk) < 0) {
		lvsc_set_err(err, -EPROTONOSUPPORT,
			     "cannot open a generic netlink socket");
		goto free_sock;
	}
	family = genl_ctrl_resolve(sk, LVS_GENL_NAME);
	if (family < 0) {
		lvsc_set_err(err, -ENOENT,
			     "generic netlink family \"%s\" not found "
			     "(is the lvs module loaded?)", LVS_GENL_NAME);
		goto free_sock;
	}
	fd = nl_socket_get_fd(sk);
	/* Extended acks carry the kernel's reason for a refusal. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	/* Room for a chunk's refusals; the forced size needs CAP_NET_ADMIN,
	 * which every change needs anyway. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	h = lvsc_open_transport(&nl_transport, sk, family, err);
	if (!h)
		goto free_sock;
	return h;

free_sock:
	nl_socket_free(sk);
	return NULL;
}

/* Is lvs.ko's netlink family there? */
static bool kernel_present(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	bool yes = false;

	if (!sk)
		return false;
	if (!genl_connect(sk))
		yes = genl_ctrl_resolve(sk, LVS_GENL_NAME) >= 0;
	nl_socket_free(sk);
	return yes;
}

static struct lvsc *open_bpf(struct lvsc_err *err)
{
	struct lvsc *h = calloc(1, sizeof(*h));

	if (!h) {
		lvsc_set_err(err, -ENOMEM, "out of memory");
		return NULL;
	}
	h->bpf = lvsc_bpf_open(err);
	if (!h->bpf) {
		free(h);
		return NULL;
	}
	return h;
}

/* The datapath: LVS_DATAPATH, else the module where it is loaded. */
static int datapath(const char *name, struct lvsc_err *err)
{
	if (!name || !*name)
		name = getenv("LVS_DATAPATH");
	if (!name || !*name)
		return kernel_present() ? 0 : 1;
	if (!strcmp(name, "kernel"))
		return 0;
	if (!strcmp(name, "bpf"))
		return 1;
	return lvsc_set_err(err, -EINVAL, "unknown datapath \"%s\" "
			    "(kernel or bpf)", name);
}

struct lvsc *lvsc_open(struct lvsc_err *err)
{
	return lvsc_open_datapath(NULL, err);
}

struct lvsc *lvsc_open_datapath(const char *name, struct lvsc_err *err)
{
	int dp = datapath(name, err);

	if (dp < 0)
		return NULL;
	return dp ? open_bpf(err) : open_kernel(err);
}

const char *lvsc_datapath(const struct lvsc *h)
{
	return h->bpf ? "bpf" : "kernel";
}

int lvsc_unload(struct lvsc_err *err)
{
	int dp = datapath(NULL, err);

	if (dp < 0)
		return dp;
	if (!dp)
		return lvsc_set_err(err, -EOPNOTSUPP, "the kernel datapath "
				    "is unloaded with modprobe -r lvs");
	return lvsc_bpf_unload(err);
}

/* A change on the bpf backend: applied now, or, inside a batch, applied
 * now with a refusal kept for lvsc_batch_end(), as the kernel's. */
static int bpf_change(struct lvsc *h, int rc, const struct lvsc_err *e,
		      struct lvsc_err *err)
{
	if (!h->batching) {
		if (rc && err)
			*err = *e;
		return rc;
	}
	if (rc && !h->batch_failed++) {
		h->batch_first = h->batch_n;
		h->batch_err = *e;
	}
	if (rc && h->batch_fn)
		h->batch_fn(h->batch_arg, h->batch_n, e);
	h->batch_n++;
	return 0;
}

static int bpf_read(struct lvsc *h, struct lvsc_err *err)
{
	if (h->batching)
		return lvsc_set_err(err, -EBUSY,
				    "cannot read while a batch is open");
	return 0;
}


#define BPF_CHANGE(h, err, call) do {					\
	struct lvsc_err e_ = { 0 };					\
	if ((h)->bpf) {							\
		int rc_;						\
		lvsc_bpf_lock((h)->bpf, true);				\
		rc_ = (call);						\
		lvsc_bpf_lock((h)->bpf, false);				\
		return bpf_change((h), rc_, &e_, (err));		\
	}								\
} while (0)

#define BPF_READ(h, err, call) do {					\
	if ((h)->bpf) {							\
		int rc_ = bpf_read((h), (err));				\
		return rc_ ? rc_ : (call);				\
	}								\
} while (0)

static struct nl_msg *new_msg(struct lvsc *h, uint8_t cmd,
			      struct lvsc_err *err)
{
	struct nl_msg *m = lvsc_msg_new(h->family, cmd, 0);

	if (!m)
		lvsc_set_err(err, -ENOMEM, "out of memory");
	return m;
}

/* Explain a request that could not be built; frees m. */
static int build_failed(struct nl_msg *m, int rc, struct lvsc_err *err)
{
	nlmsg_free(m);
	if (rc == -EAFNOSUPPORT)
		return lvsc_set_err(err, rc, "address family not supported");
	return lvsc_set_err(err, rc, "request too large");
}

static int svc_change(struct lvsc *h, uint8_t cmd,
		      const struct lvsc_service *svc, bool full,
		      struct lvsc_err *err)
{
	struct nl_msg *m = new_msg(h, cmd, err);
	int rc;

	if (!m)
		return -ENOMEM;
	if (svc && full && !memchr(svc->sched, 0, sizeof(svc->sched))) {
		nlmsg_free(m);
		return lvsc_set_err(err, -EINVAL, "scheduler name too long");
	}
	if (svc) {
		rc = lvsc_put_service(m, svc, full);
		if (rc)
			return build_failed(m, rc, err);
	}
	return lvsc_change(h, m, err);
}

int lvsc_service_add(struct lvsc *h, const struct lvsc_service *svc,
		     struct lvsc_err *err)
{
	BPF_CHANGE(h, err, lvsc_bpf_service_add(h->bpf, svc, &e_));
	return svc_change(h, LVS_CMD_NEW_SERVICE, svc, true, err);
}

int lvsc_service_edit(struct lvsc *h, const struct lvsc_service *svc,
		      struct lvsc_err *err)
{
	BPF_CHANGE(h, err, lvsc_bpf_service_edit(h->bpf, svc, &e_));
	return svc_change(h, LVS_CMD_SET_SERVICE, svc, true, err);
}

int lvsc_service_del(struct lvsc *h, const struct lvsc_service *svc,
		     struct lvsc_err *err)
{
	BPF_CHANGE(h, err, lvsc_bpf_service_del(h->bpf, svc, &e_));
	return svc_change(h, LVS_CMD_DEL_SERVICE, svc, false, err);
}

int lvsc_flush(struct lvsc *h, struct lvsc_err *err)
{
	BPF_CHANGE(h, err, lvsc_bpf_flush(h->bpf, &e_));
	return svc_change(h, LVS_CMD_FLUSH, NULL, false, err);
}

int lvsc_zero(struct lvsc *h, const struct lvsc_service *svc,
	      struct lvsc_err *err)
{
	BPF_CHANGE(h, err, lvsc_bpf_zero(h->bpf, svc, &e_));
	return svc_change(h, LVS_CMD_ZERO, svc, false, err);
}

static int dest_change(struct lvsc *h, uint8_t cmd,
		       const struct lvsc_service *svc,
		       const struct lvsc_dest *dest, bool full,
		       struct lvsc_err *err)
{
	struct nl_msg *m = new_msg(h, cmd, err);
	int rc;

	if (!m)
		return -ENOMEM;
	rc = lvsc_put_service(m, svc, false);
	if (!rc)
		rc = lvsc_put_dest(m, dest, svc->af, full);
	if (rc)
		return build_failed(m, rc, err);
	return lvsc_change(h, m, err);
}

int lvsc_dest_add(struct lvsc *h, const struct lvsc_service *svc,
		  const struct lvsc_dest *dest, struct lvsc_err *err)
{
	BPF_CHANGE(h, err, lvsc_bpf_dest_add(h->bpf, svc, dest, &e_));
	return dest_change(h, LVS_CMD_NEW_DEST, svc, dest, true, err);
}

int lvsc_dest_edit(struct lvsc *h, const struct lvsc_service *svc,
		   const struct lvsc_dest *dest, struct lvsc_err *err)
{
	BPF_CHANGE(h, err, lvsc_bpf_dest_edit(h->bpf, svc, dest, &e_));
	return dest_change(h, LVS_CMD_SET_DEST, svc, dest, true, err);
}

int lvsc_dest_del(struct lvsc *h, const struct lvsc_service *svc,
		  const struct lvsc_dest *dest, struct lvsc_err *err)
{
	BPF_CHANGE(h, err, lvsc_bpf_dest_del(h->bpf, svc, dest, &e_));
	return dest_change(h, LVS_CMD_DEL_DEST, svc, dest, false, err);
}

int lvsc_attach_new(struct lvsc *h, struct lvsc_err *err)
{
	struct lvsc_err e = { 0 };
	int rc;

	if (!h->bpf)
		return 0;
	lvsc_bpf_lock(h->bpf, true);
	rc = lvsc_bpf_attach_new(h->bpf, &e);
	lvsc_bpf_lock(h->bpf, false);
	if (rc && err)
		*err = e;
	return rc;
}

int lvsc_config_set(struct lvsc *h, const struct lvsc_config *cfg,
		    struct lvsc_err *err)
{
	BPF_CHANGE(h, err, lvsc_bpf_config_set(h->bpf, cfg, &e_));
	struct nl_msg *m = new_msg(h, LVS_CMD_SET_CONFIG, err);
	int rc;

	if (!m)
		return -ENOMEM;
	rc = lvsc_put_config(m, cfg);
	if (rc)
		return build_failed(m, rc, err);
	return lvsc_change(h, m, err);
}

/* A growing array of fixed-size records, filled by dump callbacks. */
struct vec {
	void		*items;
	size_t		n, cap, size;
	uint16_t	af;		/* for dest replies: the service's */
};

static void *vec_add(struct vec *v)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *p = realloc(v->items, cap * v->size);

		if (!p)
			return NULL;
		v->items = p;
		v->cap = cap;
	}
	return (char *)v->items + v->n++ * v->size;
}

/* Run a dump into a vec; on success hand the array to the caller. */
static int dump_vec(struct lvsc *h, struct nl_msg *m, lvsc_reply_cb cb,
		    struct vec *v, void **out, size_t *n, struct lvsc_err *err)
{
	int rc = lvsc_get(h, m, true, cb, v, err);

	if (rc) {
		free(v->items);
		return rc;
	}
	*out = v->items;
	*n = v->n;
	return 0;
}

static int one_nest(const struct nlmsghdr *nlh, int type,
		    struct nlattr **nest)
{
	struct nlattr *tb[LVS_ATTR_MAX + 1];

	if (lvsc_parse_top(nlh, tb) || !tb[type])
		return -EINVAL;
	*nest = tb[type];
	return 0;
}

static int svc_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct lvsc_service *svc;
	struct nlattr *nest;

	if (one_nest(nlh, LVS_ATTR_SERVICE, &nest))
		return -EINVAL;
	svc = vec_add(arg);
	if (!svc)
		return -ENOMEM;
	return lvsc_parse_service(nest, svc);
}

int lvsc_service_list(struct lvsc *h, struct lvsc_service **svcs, size_t *n,
		      struct lvsc_err *err)
{
	BPF_READ(h, err, lvsc_bpf_service_list(h->bpf, svcs, n, err));
	struct vec v = { .size = sizeof(**svcs) };
	struct nl_msg *m = new_msg(h, LVS_CMD_GET_SERVICE, err);

	if (!m)
		return -ENOMEM;
	return dump_vec(h, m, svc_cb, &v, (void **)svcs, n, err);
}

static int svc_one_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *nest;

	if (one_nest(nlh, LVS_ATTR_SERVICE, &nest))
		return -EINVAL;
	return lvsc_parse_service(nest, arg);
}

int lvsc_service_get(struct lvsc *h, struct lvsc_service *svc,
		     struct lvsc_err *err)
{
	BPF_READ(h, err, lvsc_bpf_service_get(h->bpf, svc, err));
	struct nl_msg *m = new_msg(h, LVS_CMD_GET_SERVICE, err);
	struct lvsc_service out = { .af = 0 };
	int rc;

	if (!m)
		return -ENOMEM;
	rc = lvsc_put_service(m, svc, false);
	if (rc)
		return build_failed(m, rc, err);
	rc = lvsc_get(h, m, false, svc_one_cb, &out, err);
	if (rc)
		return rc;
	if (!out.af)
		return lvsc_set_err(err, -ESRCH, "No such service");
	*svc = out;
	return 0;
}

static int dest_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct vec *v = arg;
	struct lvsc_dest *d;
	struct nlattr *nest;

	if (one_nest(nlh, LVS_ATTR_DEST, &nest))
		return -EINVAL;
	d = vec_add(v);
	if (!d)
		return -ENOMEM;
	return lvsc_parse_dest(nest, v->af, d);
}

int lvsc_dest_list(struct lvsc *h, const struct lvsc_service *svc,
		   struct lvsc_dest **dests, size_t *n, struct lvsc_err *err)
{
	BPF_READ(h, err, lvsc_bpf_dest_list(h->bpf, svc, dests, n, err));
	struct vec v = { .size = sizeof(**dests), .af = svc->af };
	struct nl_msg *m = new_msg(h, LVS_CMD_GET_DEST, err);
	int rc;

	if (!m)
		return -ENOMEM;
	rc = lvsc_put_service(m, svc, false);
	if (rc)
		return build_failed(m, rc, err);
	return dump_vec(h, m, dest_cb, &v, (void **)dests, n, err);
}

static int conn_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct lvsc_conn *c;
	struct nlattr *nest;

	if (one_nest(nlh, LVS_ATTR_CONN, &nest))
		return -EINVAL;
	c = vec_add(arg);
	if (!c)
		return -ENOMEM;
	return lvsc_parse_conn(nest, c);
}

int lvsc_conn_list(struct lvsc *h, struct lvsc_conn **conns, size_t *n,
		   struct lvsc_err *err)
{
	BPF_READ(h, err, lvsc_bpf_conn_list(h->bpf, conns, n, err));
	struct vec v = { .size = sizeof(**conns) };
	struct nl_msg *m = new_msg(h, LVS_CMD_GET_CONN, err);

	if (!m)
		return -ENOMEM;
	return dump_vec(h, m, conn_cb, &v, (void **)conns, n, err);
}

static int config_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *nest;

	if (one_nest(nlh, LVS_ATTR_CONFIG, &nest))
		return -EINVAL;
	return lvsc_parse_config(nest, arg);
}

int lvsc_config_get(struct lvsc *h, struct lvsc_config *cfg,
		    struct lvsc_err *err)
{
	BPF_READ(h, err, lvsc_bpf_config_get(h->bpf, cfg, err));
	struct nl_msg *m = new_msg(h, LVS_CMD_GET_CONFIG, err);

	if (!m)
		return -ENOMEM;
	memset(cfg, 0, sizeof(*cfg));
	return lvsc_get(h, m, false, config_cb, cfg, err);
}

static int info_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *nest;

	if (one_nest(nlh, LVS_ATTR_INFO, &nest))
		return -EINVAL;
	return lvsc_parse_info(nest, arg);
}

int lvsc_info(struct lvsc *h, struct lvsc_info *info, struct lvsc_err *err)
{
	BPF_READ(h, err, lvsc_bpf_info(h->bpf, info, err));
	struct nl_msg *m = new_msg(h, LVS_CMD_GET_INFO, err);

	if (!m)
		return -ENOMEM;
	memset(info, 0, sizeof(*info));
	return lvsc_get(h, m, false, info_cb, info, err);
}

int lvsc_daemon_start(struct lvsc *h, const struct lvsc_daemon *d,
		      struct lvsc_err *err)
{
	struct nl_msg *m;
	int rc;

	/* the bpf datapath runs the protocol in a process (bpf_sync.c) */
	BPF_CHANGE(h, err, lvsc_bpf_daemon_start(h->bpf, d, &e_));
	m = new_msg(h, LVS_CMD_NEW_DAEMON, err);
	if (!m)
		return -ENOMEM;
	rc = lvsc_put_daemon(m, d);
	if (rc)
		return build_failed(m, rc, err);
	return lvsc_change(h, m, err);
}

int lvsc_daemon_stop(struct lvsc *h, uint32_t state, struct lvsc_err *err)
{
	struct lvsc_daemon d = { .state = state };
	struct nl_msg *m;
	int rc;

	BPF_CHANGE(h, err, lvsc_bpf_sync_stop(state, &e_));
	m = new_msg(h, LVS_CMD_DEL_DAEMON, err);
	if (!m)
		return -ENOMEM;
	rc = lvsc_put_daemon(m, &d);
	if (rc)
		return build_failed(m, rc, err);
	return lvsc_change(h, m, err);
}

static int daemon_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct lvsc_daemon *d;
	struct nlattr *nest;

	if (one_nest(nlh, LVS_ATTR_DAEMON, &nest))
		return -EINVAL;
	d = vec_add(arg);
	if (!d)
		return -ENOMEM;
	return lvsc_parse_daemon(nest, d);
}

int lvsc_daemon_list(struct lvsc *h, struct lvsc_daemon **ds, size_t *n,
		     struct lvsc_err *err)
{
	struct vec v = { .size = sizeof(**ds) };
	struct nl_msg *m;

	BPF_READ(h, err, lvsc_bpf_sync_list(ds, n, err));
	m = new_msg(h, LVS_CMD_GET_DAEMON, err);
	if (!m)
		return -ENOMEM;
	return dump_vec(h, m, daemon_cb, &v, (void **)ds, n, err);
}
