// SPDX-License-Identifier: GPL-2.0
/*
 * bpf.c - liblvsc's eBPF backend: services, real servers, connections and
 * counters kept in the pinned maps of bpf/lvs.bpf.c (docs/bpf.md).
 *
 * State lives under /sys/fs/bpf/lvs/net<inode of the netns>/: one file
 * per map and one pinned XDP link per interface, so separate vsadm runs
 * and lvsd share one table.  The first change loads the programs and
 * attaches them; lvsc_bpf_unload() removes every pin, which detaches the
 * links and frees the maps.  Writers serialise on an flock of the
 * directory above.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <libmnl/libmnl.h>

#include "lvsc_int.h"
#include "lvsc_bpf.h"
#include "lvsc_bpf_mh.h"
#include "../bpf/lvs_bpf.h"
#include "../bpf/lvs.skel.h"

#define BPFFS_MAGIC	0xcafe4a11
#define BPF_ROOT	"/sys/fs/bpf"
#define LVS_DIR		BPF_ROOT "/lvs"

enum {
	M_SVC_IDX, M_SVCS, M_DESTS, M_DEST_CNT, M_WRR_SEQ, M_CONNS, M_OUT,
	M_CFG, M_STATE, M_SVC_STATS, M_DEST_STATS, M_MH_TAB, M_DEST_OVL,
	M_RATES, M_ADDR_BITS, M_SVC_HINT, M_FRAGS, M_N
};

static const char *const map_name[M_N] = {
	[M_SVC_IDX] = "lvs_svc_idx",	[M_SVCS] = "lvs_svcs",
	[M_DESTS] = "lvs_dests",	[M_DEST_CNT] = "lvs_dest_cnt",
	[M_WRR_SEQ] = "lvs_wrr_seq",	[M_CONNS] = "lvs_conns",
	[M_OUT] = "lvs_conns_out",	[M_CFG] = "lvs_cfg",
	[M_STATE] = "lvs_state",	[M_SVC_STATS] = "lvs_svc_stats",
	[M_DEST_STATS] = "lvs_dest_stats", [M_MH_TAB] = "lvs_mh_tab",
	[M_DEST_OVL] = "lvs_dest_ovl",	[M_RATES] = "lvs_rates",
	[M_ADDR_BITS] = "lvs_addr_bits", [M_SVC_HINT] = "lvs_svc_hint",
	[M_FRAGS] = "lvs_frags",
};

/* Schedulers the programs run; the other IPVS names are refused. */
static const char *const sched_name[__LVS_BPF_SCHED_MAX] = {
	[LVS_BPF_SCHED_RR] = "rr",	[LVS_BPF_SCHED_WRR] = "wrr",
	[LVS_BPF_SCHED_LC] = "lc",	[LVS_BPF_SCHED_WLC] = "wlc",
	[LVS_BPF_SCHED_SED] = "sed",	[LVS_BPF_SCHED_NQ] = "nq",
	[LVS_BPF_SCHED_FO] = "fo",	[LVS_BPF_SCHED_OVF] = "ovf",
	[LVS_BPF_SCHED_SH] = "sh",	[LVS_BPF_SCHED_DH] = "dh",
	[LVS_BPF_SCHED_MH] = "mh",	[LVS_BPF_SCHED_LBLC] = "lblc",
	[LVS_BPF_SCHED_LBLCR] = "lblcr",
};

/* Timeouts as lvs.ko's (kmod/proto_tcp.c), seconds. */
static const __u32 tcp_default[LVS_TCP_S_MAX + 1] = {
	2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120,
};
#define UDP_DEFAULT	300

struct lvsc_bpf {
	char	dir[128];
	int	fd[M_N];		/* -1: not loaded */
	int	lockfd;
	int	ncpus;
};

static int map_path(char *buf, size_t len, const char *dir, const char *n)
{
	return snprintf(buf, len, "%s/%s", dir, n) >= (int)len ?
	       -ENAMETOOLONG : 0;
}

static bool is_bpffs(const char *path)
{
	struct statfs st;

	return !statfs(path, &st) && st.f_type == BPFFS_MAGIC;
}

/* bpffs is where the state lives; mount it when missing, as other eBPF
 * networking tools do. */
static int need_bpffs(struct lvsc_err *err)
{
	if (is_bpffs(BPF_ROOT))
		return 0;
	if (mount("bpf", BPF_ROOT, "bpf", 0, "mode=0700"))
		return lvsc_set_err(err, -errno, "cannot mount bpffs on "
				    BPF_ROOT ": %s", strerror(errno));
	return 0;
}

static void close_maps(struct lvsc_bpf *b)
{
	int i;

	for (i = 0; i < M_N; i++) {
		if (b->fd[i] >= 0)
			close(b->fd[i]);
		b->fd[i] = -1;
	}
}

/* Open the pinned maps: 0, -ENOENT when nothing is loaded, or -errno. */
static int open_pinned(struct lvsc_bpf *b, struct lvsc_err *err)
{
	char path[256];
	int i;

	for (i = 0; i < M_N; i++) {
		if (map_path(path, sizeof(path), b->dir, map_name[i]))
			return lvsc_set_err(err, -ENAMETOOLONG, "path too long");
		b->fd[i] = bpf_obj_get(path);
		if (b->fd[i] < 0) {
			int e = -errno;

			close_maps(b);
			/* some maps but not this one: an older build's */
			if (e == -ENOENT && i > 0)
				return lvsc_set_err(err, -ESTALE, "the eBPF "
						    "datapath in this namespace "
						    "is another build's (no "
						    "%s): remove it with "
						    "--datapath bpf --unload",
						    map_name[i]);
			if (e == -ENOENT)
				return -ENOENT;
			return lvsc_set_err(err, e, "cannot open %s: %s", path,
					    strerror(-e));
		}
	}
	return 0;
}

struct lvsc_bpf *lvsc_bpf_open(struct lvsc_err *err)
{
	struct lvsc_bpf *b = calloc(1, sizeof(*b));
	struct stat st;
	int i;

	if (!b) {
		lvsc_set_err(err, -ENOMEM, "out of memory");
		return NULL;
	}
	for (i = 0; i < M_N; i++)
		b->fd[i] = -1;
	b->lockfd = -1;
	if (stat("/proc/self/ns/net", &st)) {
		lvsc_set_err(err, -errno, "cannot identify the network "
			     "namespace: %s", strerror(errno));
		goto fail;
	}
	snprintf(b->dir, sizeof(b->dir), LVS_DIR "/net%lu",
		 (unsigned long)st.st_ino);
	/* a library reports, never prints: libbpf's messages are muted */
	libbpf_set_print(NULL);
	b->ncpus = libbpf_num_possible_cpus();
	if (b->ncpus <= 0) {
		lvsc_set_err(err, -EINVAL, "cannot count the possible CPUs");
		goto fail;
	}
	if (need_bpffs(err))
		goto fail;
	if (mkdir(LVS_DIR, 0700) && errno != EEXIST) {
		lvsc_set_err(err, -errno, "cannot create " LVS_DIR ": %s",
			     strerror(errno));
		goto fail;
	}
	b->lockfd = open(LVS_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (b->lockfd < 0) {
		lvsc_set_err(err, -errno, "cannot open " LVS_DIR ": %s",
			     strerror(errno));
		goto fail;
	}
	i = open_pinned(b, err);
	if (i == -ESTALE) {
		/* or a change loading it now, pinning map after map */
		lvsc_bpf_lock(b, true);
		i = open_pinned(b, err);
		lvsc_bpf_lock(b, false);
	}
	if (i && i != -ENOENT)
		goto fail;
	return b;

fail:
	lvsc_bpf_close(b);
	return NULL;
}

void lvsc_bpf_close(struct lvsc_bpf *b)
{
	if (!b)
		return;
	close_maps(b);
	if (b->lockfd >= 0)
		close(b->lockfd);
	free(b);
}

static int open_pinned(struct lvsc_bpf *b, struct lvsc_err *err);

/* Loaded, by this handle or by another process since it was opened. */
static bool loaded(struct lvsc_bpf *b)
{
	if (b->fd[0] < 0)
		open_pinned(b, NULL);
	return b->fd[0] >= 0;
}

/*
 * Changes hold an flock of LVS_DIR, one change at a time across
 * processes (a long-lived handle, lvsd's, must not block vsadm between
 * its changes).  A change made by another process since this handle was
 * opened may have loaded the datapath: look again under the lock.
 */
void lvsc_bpf_lock(struct lvsc_bpf *b, bool on)
{
	if (!on) {
		flock(b->lockfd, LOCK_UN);
		return;
	}
	while (flock(b->lockfd, LOCK_EX) && errno == EINTR)
		;
}

/* Interfaces to serve: LVS_BPF_IFACES (comma separated) or all but lo. */
static bool wanted(const char *ifname)
{
	const char *list = getenv("LVS_BPF_IFACES");
	size_t n = strlen(ifname);
	const char *p;

	if (!list || !*list)
		return strcmp(ifname, "lo") != 0;
	for (p = list; *p; ) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == n && !strncmp(p, ifname, n))
			return true;
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

/* Is ifname a veth?  Its driver name, as ethtool -i reports it. */
static bool is_veth(const char *ifname)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr = { 0 };
	bool yes = false;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return false;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)&info;
	if (!ioctl(fd, SIOCETHTOOL, &ifr))
		yes = !strcmp(info.driver, "veth");
	close(fd);
	return yes;
}

/*
 * Whether ifname is served already: its pinned link is attached to the
 * interface of that index.  A pin left by an interface deleted since
 * (and perhaps recreated under the name) is removed.
 */
static bool served(const char *path, unsigned int ifindex)
{
	struct bpf_link_info info;
	__u32 len = sizeof(info);
	int fd = bpf_obj_get(path);
	bool yes;

	if (fd < 0)
		return false;
	memset(&info, 0, sizeof(info));
	yes = !bpf_obj_get_info_by_fd(fd, &info, &len) &&
	      info.type == BPF_LINK_TYPE_XDP &&
	      info.xdp.ifindex == ifindex;
	close(fd);
	if (!yes)
		unlink(path);
	return yes;
}

/* Attach prog to every wanted interface not served yet, pinning links. */
static int attach_all(struct lvsc_bpf *b, int prog_fd, struct lvsc_err *err)
{
	const char *mode = getenv("LVS_BPF_XDP_MODE");
	struct if_nameindex *ifs, *i;
	char path[256];
	__u32 flags = 0;
	int rc = 0;

	/* LVS_BPF_XDP_MODE=native|generic forces a mode; by default veth
	 * gets generic XDP (measured faster there, docs/bpf.md) and other
	 * devices native where their driver has it */
	if (mode && !strcmp(mode, "generic"))
		flags = XDP_FLAGS_SKB_MODE;
	else if (mode && !strcmp(mode, "native"))
		flags = XDP_FLAGS_DRV_MODE;
	else if (mode && *mode)
		return lvsc_set_err(err, -EINVAL, "LVS_BPF_XDP_MODE: \"%s\": "
				    "native or generic", mode);
	ifs = if_nameindex();
	if (!ifs)
		return lvsc_set_err(err, -errno, "cannot list interfaces: %s",
				    strerror(errno));
	for (i = ifs; i->if_index && !rc; i++) {
		LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = flags);
		int fd;

		if (!wanted(i->if_name))
			continue;
		snprintf(path, sizeof(path), "%s/xdp_%s", b->dir, i->if_name);
		if (served(path, i->if_index))
			continue;
		if (!mode || !*mode)
			opts.flags = is_veth(i->if_name) ? XDP_FLAGS_SKB_MODE : 0;
		fd = bpf_link_create(prog_fd, i->if_index, BPF_XDP, &opts);
		if (fd < 0) {
			rc = lvsc_set_err(err, -errno, "cannot attach XDP to "
					  "%s: %s", i->if_name,
					  strerror(errno));
			break;
		}
		if (bpf_obj_pin(fd, path))
			rc = lvsc_set_err(err, -errno, "cannot pin %s: %s",
					  path, strerror(errno));
		close(fd);
	}
	if_freenameindex(ifs);
	return rc;
}

static int remove_dir(const char *dir)
{
	char path[512];
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path) && !rc)
			rc = -errno;
	}
	closedir(d);
	if (rmdir(dir) && !rc)
		rc = -errno;
	return rc;
}

/* Load, pin and attach the programs: the first change does this. */
static int load(struct lvsc_bpf *b, struct lvsc_err *err)
{
	struct lvs_bpf_cfg cfg = { .udp = UDP_DEFAULT,
				   .conn_max = LVS_BPF_CONN_MAX };
	struct lvs_bpf *skel;
	struct bpf_map *m;
	char path[256];
	__u32 zero = 0;
	int rc;

	if (mkdir(b->dir, 0700) && errno != EEXIST)
		return lvsc_set_err(err, -errno, "cannot create %s: %s",
				    b->dir, strerror(errno));
	skel = lvs_bpf__open();
	if (!skel)
		return lvsc_set_err(err, -errno, "cannot open the eBPF "
				    "object: %s", strerror(errno));
	bpf_object__for_each_map(m, skel->obj) {
		if (bpf_map__is_internal(m))
			continue;	/* .rodata: the program's own */
		if (map_path(path, sizeof(path), b->dir, bpf_map__name(m)) ||
		    bpf_map__set_pin_path(m, path)) {
			rc = lvsc_set_err(err, -EINVAL, "cannot pin %s",
					  bpf_map__name(m));
			goto fail;
		}
	}
	rc = lvs_bpf__load(skel);
	if (rc) {
		rc = lvsc_set_err(err, rc, "the kernel refused the eBPF "
				  "programs: %s", strerror(-rc));
		goto fail;
	}
	memcpy(cfg.tcp, tcp_default, sizeof(tcp_default));
	cfg.ncpus = b->ncpus;
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.lvs_cfg), &zero, &cfg,
				BPF_ANY)) {
		rc = lvsc_set_err(err, -errno, "cannot write lvs_cfg: %s",
				  strerror(errno));
		goto fail;
	}
	/* the sync backup's way into the table (lib/bpf_sync.c) */
	if (map_path(path, sizeof(path), b->dir, "lvs_sync_in") ||
	    bpf_obj_pin(bpf_program__fd(skel->progs.lvs_sync_in), path)) {
		rc = lvsc_set_err(err, -errno, "cannot pin lvs_sync_in: %s",
				  strerror(errno));
		goto fail;
	}
	rc = attach_all(b, bpf_program__fd(skel->progs.lvs_xdp), err);
	if (rc)
		goto fail;
	lvs_bpf__destroy(skel);
	rc = open_pinned(b, err);
	if (rc == -ENOENT)
		rc = lvsc_set_err(err, -ENOENT, "pinned maps vanished");
	return rc;

fail:
	lvs_bpf__destroy(skel);
	remove_dir(b->dir);
	return rc;
}

/* The XDP program of the pinned links: an fd, or -1 when none is left. */
static int pinned_prog(struct lvsc_bpf *b)
{
	struct bpf_link_info info;
	char path[512];
	struct dirent *de;
	int fd = -1, lfd;
	__u32 len;
	DIR *d = opendir(b->dir);

	if (!d)
		return -1;
	while (fd < 0 && (de = readdir(d))) {
		if (strncmp(de->d_name, "xdp_", 4))
			continue;
		snprintf(path, sizeof(path), "%s/%s", b->dir, de->d_name);
		lfd = bpf_obj_get(path);
		if (lfd < 0)
			continue;
		len = sizeof(info);
		memset(&info, 0, sizeof(info));
		if (!bpf_obj_get_info_by_fd(lfd, &info, &len) && info.prog_id)
			fd = bpf_prog_get_fd_by_id(info.prog_id);
		close(lfd);
	}
	closedir(d);
	return fd;
}

int lvsc_bpf_attach_new(struct lvsc_bpf *b, struct lvsc_err *err)
{
	int fd, rc;

	if (!loaded(b))
		return 0;
	fd = pinned_prog(b);
	if (fd < 0)
		return 0;	/* no interface was served: none to add to */
	rc = attach_all(b, fd, err);
	close(fd);
	return rc;
}

/* Loaded, or load now; either way, serve interfaces created since (a
 * new interface that refuses the program is no reason to refuse the
 * change: lvsc_attach_new reports it). */
static int need_loaded(struct lvsc_bpf *b, struct lvsc_err *err)
{
	if (!loaded(b))
		return load(b, err);
	lvsc_bpf_attach_new(b, NULL);
	return 0;
}

int lvsc_bpf_unload(struct lvsc_err *err)
{
	struct stat st;
	char dir[128];
	int rc;

	if (!is_bpffs(BPF_ROOT))
		return 0;
	if (stat("/proc/self/ns/net", &st))
		return lvsc_set_err(err, -errno, "cannot identify the network "
				    "namespace: %s", strerror(errno));
	snprintf(dir, sizeof(dir), LVS_DIR "/net%lu",
		 (unsigned long)st.st_ino);
	/* the sync daemons hold the maps open: they go with the datapath */
	rc = lvsc_bpf_sync_stop(LVS_DAEMON_MASTER, err);
	if (rc && rc != -ESRCH)
		return rc;
	rc = lvsc_bpf_sync_stop(LVS_DAEMON_BACKUP, err);
	if (rc && rc != -ESRCH)
		return rc;
	if (err)
		memset(err, 0, sizeof(*err));
	rc = remove_dir(dir);
	if (rc)
		return lvsc_set_err(err, rc, "cannot remove %s: %s", dir,
				    strerror(-rc));
	rmdir(LVS_DIR);		/* only when no other namespace uses it */
	return 0;
}

/* ---- small helpers ---- */

static int sys_err(struct lvsc_err *err, const char *what)
{
	return lvsc_set_err(err, -errno, "%s: %s", what, strerror(errno));
}

static int refuse(struct lvsc_err *err, uint8_t cmd, int code)
{
	return lvsc_set_err(err, code, "%s", lvsc_strerror(cmd, code));
}

static size_t addr_len(uint16_t af)
{
	return af == AF_INET6 ? 16 : 4;
}

static int svc_key(const struct lvsc_service *svc, struct lvs_bpf_svc_key *k,
		   uint8_t cmd, struct lvsc_err *err)
{
	memset(k, 0, sizeof(*k));
	if (svc->fwmark)
		return lvsc_set_err(err, -EOPNOTSUPP, "fwmark services are "
				    "not supported by the bpf datapath "
				    "(XDP runs before marks are set)");
	if (svc->af != AF_INET && svc->af != AF_INET6)
		return lvsc_set_err(err, -EAFNOSUPPORT, "address family must "
				    "be AF_INET or AF_INET6");
	if (svc->protocol != IPPROTO_TCP && svc->protocol != IPPROTO_UDP)
		return lvsc_set_err(err, -EINVAL, "protocol must be TCP or "
				    "UDP");
	k->af = svc->af;
	k->proto = svc->protocol;
	k->port = htons(svc->port);
	memcpy(k->addr, &svc->addr, addr_len(svc->af));
	return 0;
}

/* The slot of an existing service, or -ESRCH. */
static int svc_find(struct lvsc_bpf *b, const struct lvs_bpf_svc_key *k,
		    __u32 *slot)
{
	if (!loaded(b) || bpf_map_lookup_elem(b->fd[M_SVC_IDX], k, slot))
		return -ESRCH;
	return 0;
}

static int svc_read(struct lvsc_bpf *b, __u32 slot, struct lvs_bpf_svc *s,
		    struct lvsc_err *err)
{
	if (bpf_map_lookup_elem_flags(b->fd[M_SVCS], &slot, s, BPF_F_LOCK))
		return sys_err(err, "read lvs_svcs");
	return 0;
}

static int svc_write(struct lvsc_bpf *b, __u32 slot,
		     const struct lvs_bpf_svc *s, struct lvsc_err *err)
{
	if (bpf_map_update_elem(b->fd[M_SVCS], &slot, s, BPF_F_LOCK))
		return sys_err(err, "write lvs_svcs");
	return 0;
}

/* lvs_rates' index of a service's or a real server's slot */
static __u32 rate_idx(int map, __u32 slot)
{
	return map == M_SVC_STATS ? slot : LVS_BPF_MAX_SVCS + slot;
}

/* Zero the counters and, as lvs.ko's ZERO, the estimator's state. */
static int stats_zero(struct lvsc_bpf *b, int map, __u32 slot,
		      struct lvsc_err *err)
{
	struct lvs_bpf_stats *v = calloc(b->ncpus, sizeof(*v));
	struct lvs_bpf_rate r = { 0 };
	__u32 ri = rate_idx(map, slot);
	int rc = 0;

	if (!v)
		return lvsc_set_err(err, -ENOMEM, "out of memory");
	if (bpf_map_update_elem(b->fd[map], &slot, v, BPF_ANY) ||
	    bpf_map_update_elem(b->fd[M_RATES], &ri, &r, BPF_ANY))
		rc = sys_err(err, "zero counters");
	free(v);
	return rc;
}

static int stats_read(struct lvsc_bpf *b, int map, __u32 slot,
		      struct lvsc_stats *out)
{
	struct lvs_bpf_stats *v = calloc(b->ncpus, sizeof(*v));
	__u32 ri = rate_idx(map, slot);
	struct lvs_bpf_rate r;
	int i;

	memset(out, 0, sizeof(*out));
	if (!v)
		return -ENOMEM;
	if (!bpf_map_lookup_elem(b->fd[map], &slot, v)) {
		for (i = 0; i < b->ncpus; i++) {
			out->conns += v[i].conns;
			out->inpkts += v[i].inpkts;
			out->outpkts += v[i].outpkts;
			out->inbytes += v[i].inbytes;
			out->outbytes += v[i].outbytes;
		}
	}
	free(v);
	/* the estimator's rates, per second, rounded as lvs.ko's */
	if (!bpf_map_lookup_elem(b->fd[M_RATES], &ri, &r)) {
		out->cps = (r.rate[0] + 512) >> LVS_BPF_EST_SHIFT;
		out->inpps = (r.rate[1] + 512) >> LVS_BPF_EST_SHIFT;
		out->outpps = (r.rate[2] + 512) >> LVS_BPF_EST_SHIFT;
		out->inbps = (r.rate[3] + 512) >> LVS_BPF_EST_SHIFT;
		out->outbps = (r.rate[4] + 512) >> LVS_BPF_EST_SHIFT;
	}
	return 0;
}

static int sched_id(const char *name, uint8_t cmd, struct lvsc_err *err)
{
	size_t i;

	for (i = 0; i < __LVS_BPF_SCHED_MAX; i++)
		if (!strcmp(name, sched_name[i]))
			return i;
	return refuse(err, cmd, -ENOENT);
}

static int svc_check_flags(const struct lvsc_service *svc,
			   struct lvsc_err *err)
{
	if ((svc->flags & LVS_SVC_F_PERSISTENT) && !svc->timeout)
		return lvsc_set_err(err, -EINVAL, "a persistent service needs "
				    "a TIMEOUT");
	if (svc->af == AF_INET6 && svc->netmask > 128)
		return lvsc_set_err(err, -EINVAL, "IPv6 netmask is a prefix "
				    "length, 1 to 128");
	return 0;
}

/*
 * wrr's cycle, as IPVS walks it: for cw from the largest weight (less
 * gcd - 1) down by gcd, every dest in list order whose weight reaches cw.
 */
/*
 * sh's and dh's 256 buckets, as their reassign(): the dests in list order,
 * round and round, sh giving each as many consecutive buckets as its
 * weight (at least one).
 */
static int hash_build(struct lvsc_bpf *b, __u32 slot, struct lvs_bpf_svc *s,
		      struct lvsc_err *err)
{
	struct lvs_bpf_wrr_seq *seq;
	__u32 i, p = 0;
	__s32 count = 0;
	int rc = 0;

	if (!s->n)
		return 0;
	seq = calloc(1, sizeof(*seq));
	if (!seq)
		return lvsc_set_err(err, -ENOMEM, "out of memory");
	for (i = 0; i < LVS_BPF_HASH_SIZE; i++) {
		seq->slot[i] = s->d[p].slot;
		if (s->sched_id == LVS_BPF_SCHED_DH ||
		    ++count >= s->d[p].weight) {
			p = (p + 1) % s->n;
			count = 0;
		}
	}
	if (bpf_map_update_elem(b->fd[M_WRR_SEQ], &slot, seq, BPF_ANY))
		rc = sys_err(err, "write lvs_wrr_seq");
	else
		s->seqlen = LVS_BPF_HASH_SIZE;
	free(seq);
	return rc;
}

/*
 * mh's table, by schedulers/lvs_mh.c itself (lib/bpf_mh.c) from the
 * dests in list order with their weights and last weights.
 */
static int mh_build(struct lvsc_bpf *b, __u32 slot, struct lvs_bpf_svc *s,
		    struct lvsc_err *err)
{
	struct lvsc_bpf_mh_dest md[LVS_BPF_SVC_DESTS];
	struct lvs_bpf_mh_tab *tab;
	struct lvs_bpf_dest dv;
	__u32 i;
	int rc;

	for (i = 0; i < s->n && i < LVS_BPF_SVC_DESTS; i++) {
		if (bpf_map_lookup_elem(b->fd[M_DESTS], &s->d[i].slot, &dv))
			return sys_err(err, "read lvs_dests");
		memcpy(md[i].addr, dv.addr, sizeof(md[i].addr));
		md[i].port = dv.port;
		md[i].weight = s->d[i].weight;
		md[i].last_weight = dv.last_weight;
	}
	tab = calloc(1, sizeof(*tab));
	if (!tab)
		return lvsc_set_err(err, -ENOMEM, "out of memory");
	rc = lvsc_bpf_mh_build(s->key.af, md, i, tab->slot, LVS_BPF_MH_SIZE);
	if (rc) {
		rc = lvsc_set_err(err, rc, "cannot build mh's table: %s",
				  strerror(-rc));
		goto out;
	}
	for (i = 0; i < LVS_BPF_MH_SIZE; i++)
		if (tab->slot[i] != LVSC_BPF_MH_NONE)
			tab->slot[i] = s->d[tab->slot[i]].slot;
	if (bpf_map_update_elem(b->fd[M_MH_TAB], &slot, tab, BPF_ANY))
		rc = sys_err(err, "write lvs_mh_tab");
out:
	free(tab);
	return rc;
}

/*
 * Why a scheduler table is rebuilt: the service took the scheduler
 * (IPVS's init_svc), its dests changed (add/upd/del_dest), or it was
 * edited without changing scheduler (IPVS leaves wrr's state alone).
 */
enum sched_why { SCHED_INIT, SCHED_DESTS, SCHED_EDIT };

/*
 * IPVS's wrr current weight before this change: the level of the last
 * pick made since the cycle was built, else the one it was built with
 * (0 for a service that just took wrr).
 */
static __s32 wrr_old_cw(struct lvsc_bpf *b, __u32 slot,
			const struct lvs_bpf_svc *s, enum sched_why why)
{
	struct lvs_bpf_wrr_seq *old;
	__s32 cw = s->wrr_cw;

	if (why == SCHED_INIT)
		return 0;
	if (s->wrr_last < 0 || (__u32)s->wrr_last >= s->seqlen ||
	    s->seqlen > LVS_BPF_WRR_SEQ)
		return cw;
	old = malloc(sizeof(*old));
	if (old && !bpf_map_lookup_elem(b->fd[M_WRR_SEQ], &slot, old))
		cw = old->level[s->wrr_last];
	free(old);
	return cw;
}

static int wrr_build(struct lvsc_bpf *b, __u32 slot, struct lvs_bpf_svc *s,
		     enum sched_why why, struct lvsc_err *err)
{
	struct lvs_bpf_wrr_seq *seq;
	__s32 di = 0, mw = 0, maxw = 0, cw, old_cw;
	__u32 i, len = 0, start = 0;
	int rc = 0;

	if (why == SCHED_EDIT && s->sched_id == LVS_BPF_SCHED_WRR)
		return 0;
	old_cw = s->sched_id == LVS_BPF_SCHED_WRR ?
		 wrr_old_cw(b, slot, s, why) : 0;
	s->pos = 0;
	s->seqlen = 0;
	s->wrr_cw = 0;
	s->wrr_last = -1;
	if (s->sched_id != LVS_BPF_SCHED_MH)
		bpf_map_delete_elem(b->fd[M_MH_TAB], &slot);
	if (s->sched_id == LVS_BPF_SCHED_MH)
		return mh_build(b, slot, s, err);
	if (s->sched_id == LVS_BPF_SCHED_SH || s->sched_id == LVS_BPF_SCHED_DH)
		return hash_build(b, slot, s, err);
	if (s->sched_id != LVS_BPF_SCHED_WRR)
		return 0;
	for (i = 0; i < s->n; i++) {
		__s32 w = s->d[i].weight, a, t;

		if (w > maxw)
			maxw = w;
		if (w <= 0)
			continue;
		for (a = di; a; t = w % a, w = a, a = t)
			;
		di = w;
	}
	if (!maxw)
		return 0;
	/* IPVS's dest_changed: the list restarts, the weight carries over */
	mw = maxw - (di - 1);
	cw = old_cw;
	if (cw > mw || !cw)
		cw = mw;
	else if (di > 1)
		cw = (cw / di) * di + 1;
	seq = calloc(1, sizeof(*seq));
	if (!seq)
		return lvsc_set_err(err, -ENOMEM, "out of memory");
	for (__s32 lv = mw; lv > 0; lv -= di) {
		if (lv == cw)
			start = len;
		for (i = 0; i < s->n; i++) {
			if (s->d[i].weight < lv)
				continue;
			if (len == LVS_BPF_WRR_SEQ) {
				rc = lvsc_set_err(err, -E2BIG, "wrr cycle longer "
						  "than %d picks: on the bpf "
						  "datapath the weights divided "
						  "by their gcd must add up to "
						  "at most that",
						  LVS_BPF_WRR_SEQ);
				goto out;
			}
			seq->level[len] = lv;
			seq->slot[len++] = s->d[i].slot;
		}
	}
	if (bpf_map_update_elem(b->fd[M_WRR_SEQ], &slot, seq, BPF_ANY)) {
		rc = sys_err(err, "write lvs_wrr_seq");
		goto out;
	}
	s->seqlen = len;
	s->pos = start;
	s->wrr_cw = cw;
out:
	free(seq);
	return rc;
}

/* ---- services ---- */

/*
 * Let the programs look up packets to (base 0: a virtual address) or
 * from (LVS_BPF_BITS_WORDS: a real server's) addr: set its bit in
 * lvs_addr_bits (lvs_bpf.h) before the service or real server is
 * written.  Bits are never cleared while the datapath is loaded.
 */
static int addr_bit_set(struct lvsc_bpf *b, __u32 base, __u16 af,
			const __u32 *addr, struct lvsc_err *err)
{
	__u32 h = lvs_bpf_addr_bit(af, addr), i = base + (h >> 6);
	__u64 w;

	if (bpf_map_lookup_elem(b->fd[M_ADDR_BITS], &i, &w))
		return sys_err(err, "read lvs_addr_bits");
	if (w & (1ULL << (h & 63)))
		return 0;
	w |= 1ULL << (h & 63);
	if (bpf_map_update_elem(b->fd[M_ADDR_BITS], &i, &w, BPF_ANY))
		return sys_err(err, "write lvs_addr_bits");
	return 0;
}

/*
 * Point the key's hint at the service (lvs_bpf.h), once it can be found
 * in lvs_svc_idx: the programs check a hint against lvs_svcs, so one
 * left by a deleted service, or overwritten by another key hashing
 * alike, only sends them to lvs_svc_idx.
 */
static int svc_hint_set(struct lvsc_bpf *b, const struct lvs_bpf_svc_key *k,
			__u32 slot, struct lvsc_err *err)
{
	__u32 h = lvs_bpf_svc_hint(k), v = slot + 1;

	if (bpf_map_update_elem(b->fd[M_SVC_HINT], &h, &v, BPF_ANY))
		return sys_err(err, "write lvs_svc_hint");
	return 0;
}

int lvsc_bpf_service_add(struct lvsc_bpf *b, const struct lvsc_service *svc,
			 struct lvsc_err *err)
{
	struct lvs_bpf_svc_key k;
	struct lvs_bpf_svc s;
	__u32 slot, old, gen;
	int id, rc;

	rc = svc_key(svc, &k, LVS_CMD_NEW_SERVICE, err);
	if (rc)
		return rc;
	if (!memchr(svc->sched, 0, sizeof(svc->sched)))
		return lvsc_set_err(err, -EINVAL, "scheduler name too long");
	id = sched_id(svc->sched[0] ? svc->sched : "wlc", LVS_CMD_NEW_SERVICE,
		      err);
	if (id < 0)
		return id;
	rc = svc_check_flags(svc, err);
	if (rc)
		return rc;
	rc = need_loaded(b, err);
	if (rc)
		return rc;
	if (!svc_find(b, &k, &old))
		return refuse(err, LVS_CMD_NEW_SERVICE, -EEXIST);
	for (slot = 0; slot < LVS_BPF_MAX_SVCS; slot++) {
		if (svc_read(b, slot, &s, err))
			return err->code;
		if (!s.in_use)
			break;
	}
	if (slot == LVS_BPF_MAX_SVCS)
		return lvsc_set_err(err, -ENOSPC, "the bpf datapath holds at "
				    "most %d services", LVS_BPF_MAX_SVCS);
	gen = s.gen;
	memset(&s, 0, sizeof(s));
	s.in_use = 1;
	s.gen = gen + 1;	/* lvs_loc entries of the slot's last use go */
	s.sched_id = id;
	snprintf(s.sched, sizeof(s.sched), "%s", sched_name[id]);
	s.flags = svc->flags & LVS_SVC_F_USER_MASK;
	s.timeout = svc->timeout;
	s.netmask = svc->netmask ? svc->netmask :
		    svc->af == AF_INET6 ? 128 : 0xffffffff;
	s.key = k;
	s.pos = -1;
	s.wrr_last = -1;
	rc = addr_bit_set(b, 0, k.af, k.addr, err);
	if (!rc)
		rc = stats_zero(b, M_SVC_STATS, slot, err);
	if (!rc)
		rc = svc_write(b, slot, &s, err);
	if (!rc && bpf_map_update_elem(b->fd[M_SVC_IDX], &k, &slot,
				       BPF_NOEXIST))
		rc = sys_err(err, "write lvs_svc_idx");
	if (!rc)
		rc = svc_hint_set(b, &k, slot, err);
	return rc;
}

int lvsc_bpf_service_edit(struct lvsc_bpf *b, const struct lvsc_service *svc,
			  struct lvsc_err *err)
{
	struct lvs_bpf_svc_key k;
	struct lvs_bpf_svc s;
	enum sched_why why;
	__u32 slot;
	__s32 pos;
	int id, rc;

	rc = svc_key(svc, &k, LVS_CMD_SET_SERVICE, err);
	if (rc)
		return rc;
	if (svc_find(b, &k, &slot))
		return refuse(err, LVS_CMD_SET_SERVICE, -ESRCH);
	id = sched_id(svc->sched[0] ? svc->sched : "wlc", LVS_CMD_SET_SERVICE,
		      err);
	if (id < 0)
		return id;
	rc = svc_check_flags(svc, err);
	if (rc || (rc = svc_read(b, slot, &s, err)))
		return rc;
	/* a new scheduler starts afresh; the same one keeps its state */
	why = (__u32)id != s.sched_id ? SCHED_INIT : SCHED_EDIT;
	pos = why == SCHED_INIT ? -1 : s.pos;
	if (why == SCHED_INIT) {
		s.gen++;	/* lblc/lblcr's table starts afresh */
		s.sched_id = id;
		snprintf(s.sched, sizeof(s.sched), "%s", sched_name[id]);
	}
	s.flags = svc->flags & LVS_SVC_F_USER_MASK;
	s.timeout = svc->timeout;
	s.netmask = svc->netmask ? svc->netmask :
		    svc->af == AF_INET6 ? 128 : 0xffffffff;
	rc = wrr_build(b, slot, &s, why, err);
	if (s.sched_id != LVS_BPF_SCHED_WRR)
		s.pos = pos;
	return rc ? rc : svc_write(b, slot, &s, err);
}

static int dest_free(struct lvsc_bpf *b, __u32 slot, struct lvsc_err *err)
{
	struct lvs_bpf_dest d;

	if (bpf_map_lookup_elem(b->fd[M_DESTS], &slot, &d))
		return sys_err(err, "read lvs_dests");
	d.in_use = 0;
	if (bpf_map_update_elem(b->fd[M_DESTS], &slot, &d, BPF_ANY))
		return sys_err(err, "write lvs_dests");
	return 0;
}

static int svc_free(struct lvsc_bpf *b, __u32 slot, struct lvsc_err *err)
{
	struct lvs_bpf_svc s;
	__u32 i, gen;
	int rc;

	rc = svc_read(b, slot, &s, err);
	if (rc)
		return rc;
	for (i = 0; i < s.n && i < LVS_BPF_SVC_DESTS; i++) {
		rc = dest_free(b, s.d[i].slot, err);
		if (rc)
			return rc;
	}
	bpf_map_delete_elem(b->fd[M_SVC_IDX], &s.key);
	bpf_map_delete_elem(b->fd[M_MH_TAB], &slot);
	gen = s.gen;
	memset(&s, 0, sizeof(s));
	s.gen = gen;		/* the next user bumps it (lvs_loc) */
	return svc_write(b, slot, &s, err);
}

int lvsc_bpf_service_del(struct lvsc_bpf *b, const struct lvsc_service *svc,
			 struct lvsc_err *err)
{
	struct lvs_bpf_svc_key k;
	__u32 slot;
	int rc;

	rc = svc_key(svc, &k, LVS_CMD_DEL_SERVICE, err);
	if (rc)
		return rc;
	if (svc_find(b, &k, &slot))
		return refuse(err, LVS_CMD_DEL_SERVICE, -ESRCH);
	return svc_free(b, slot, err);
}

static void svc_out(struct lvsc_bpf *b, __u32 slot,
		    const struct lvs_bpf_svc *s, struct lvsc_service *o)
{
	memset(o, 0, sizeof(*o));
	o->af = s->key.af;
	o->protocol = s->key.proto;
	memcpy(&o->addr, s->key.addr, addr_len(s->key.af));
	o->port = ntohs(s->key.port);
	snprintf(o->sched, sizeof(o->sched), "%s", s->sched);
	o->flags = s->flags;
	o->timeout = s->timeout;
	o->netmask = s->netmask;
	o->num_dests = s->n;
	stats_read(b, M_SVC_STATS, slot, &o->stats);
}

int lvsc_bpf_service_get(struct lvsc_bpf *b, struct lvsc_service *svc,
			 struct lvsc_err *err)
{
	struct lvs_bpf_svc_key k;
	struct lvs_bpf_svc s;
	__u32 slot;
	int rc;

	rc = svc_key(svc, &k, LVS_CMD_GET_SERVICE, err);
	if (rc)
		return rc;
	if (svc_find(b, &k, &slot))
		return refuse(err, LVS_CMD_GET_SERVICE, -ESRCH);
	rc = svc_read(b, slot, &s, err);
	if (!rc)
		svc_out(b, slot, &s, svc);
	return rc;
}

int lvsc_bpf_service_list(struct lvsc_bpf *b, struct lvsc_service **svcs,
			  size_t *n, struct lvsc_err *err)
{
	struct lvsc_service *v = NULL;
	struct lvs_bpf_svc s;
	size_t cnt = 0;
	__u32 slot;

	*svcs = NULL;
	*n = 0;
	if (!loaded(b))
		return 0;
	v = calloc(LVS_BPF_MAX_SVCS, sizeof(*v));
	if (!v)
		return lvsc_set_err(err, -ENOMEM, "out of memory");
	for (slot = 0; slot < LVS_BPF_MAX_SVCS; slot++) {
		if (svc_read(b, slot, &s, err)) {
			free(v);
			return err->code;
		}
		if (s.in_use)
			svc_out(b, slot, &s, &v[cnt++]);
	}
	*svcs = v;
	*n = cnt;
	return 0;
}

static int conns_clear(struct lvsc_bpf *b, struct lvsc_err *err)
{
	struct lvs_bpf_conn_key next;
	struct lvs_bpf_out_key onext;
	struct lvs_bpf_state st = { 0 };
	__u32 zero = 0;

	while (!bpf_map_get_next_key(b->fd[M_CONNS], NULL, &next))
		if (bpf_map_delete_elem(b->fd[M_CONNS], &next))
			return sys_err(err, "delete from lvs_conns");
	while (!bpf_map_get_next_key(b->fd[M_OUT], NULL, &onext))
		if (bpf_map_delete_elem(b->fd[M_OUT], &onext))
			return sys_err(err, "delete from lvs_conns_out");
	if (bpf_map_lookup_elem(b->fd[M_STATE], &zero, &st) == 0) {
		st.conn_count = 0;
		bpf_map_update_elem(b->fd[M_STATE], &zero, &st, BPF_ANY);
	}
	return 0;
}

int lvsc_bpf_flush(struct lvsc_bpf *b, struct lvsc_err *err)
{
	struct lvs_bpf_svc s;
	__u32 slot;
	int rc;

	if (!loaded(b))
		return 0;
	for (slot = 0; slot < LVS_BPF_MAX_SVCS; slot++) {
		rc = svc_read(b, slot, &s, err);
		if (!rc && s.in_use)
			rc = svc_free(b, slot, err);
		if (rc)
			return rc;
	}
	return conns_clear(b, err);
}

static int svc_zero(struct lvsc_bpf *b, __u32 slot, struct lvsc_err *err)
{
	struct lvs_bpf_svc s;
	__u32 i;
	int rc;

	rc = svc_read(b, slot, &s, err);
	if (rc || !s.in_use)
		return rc;
	rc = stats_zero(b, M_SVC_STATS, slot, err);
	for (i = 0; !rc && i < s.n && i < LVS_BPF_SVC_DESTS; i++)
		rc = stats_zero(b, M_DEST_STATS, s.d[i].slot, err);
	return rc;
}

int lvsc_bpf_zero(struct lvsc_bpf *b, const struct lvsc_service *svc,
		  struct lvsc_err *err)
{
	struct lvs_bpf_svc_key k;
	__u32 slot;
	int rc;

	if (!svc) {
		if (!loaded(b))
			return 0;
		for (slot = 0; slot < LVS_BPF_MAX_SVCS; slot++) {
			rc = svc_zero(b, slot, err);
			if (rc)
				return rc;
		}
		return 0;
	}
	rc = svc_key(svc, &k, LVS_CMD_ZERO, err);
	if (rc)
		return rc;
	if (svc_find(b, &k, &slot))
		return refuse(err, LVS_CMD_ZERO, -ESRCH);
	return svc_zero(b, slot, err);
}

/* ---- real servers ---- */

/*
 * A tunnel's outer source: the one the route to the real server picks,
 * as lvs.ko's lvs_route4/6 (a connected UDP socket's local address; no
 * packet is sent).  Found when the dest is set, not per packet.
 */
static int tun_saddr(struct lvs_bpf_dest *dv, struct lvsc_err *err)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len = sizeof(ss);
	int fd, rc = 0;

	ss.ss_family = dv->af;
	if (dv->af == AF_INET6) {
		struct sockaddr_in6 *s6 = (void *)&ss;

		memcpy(&s6->sin6_addr, dv->addr, 16);
		s6->sin6_port = htons(9);
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (void *)&ss;

		memcpy(&s4->sin_addr, dv->addr, 4);
		s4->sin_port = htons(9);
		len = sizeof(*s4);
	}
	fd = socket(dv->af, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return sys_err(err, "socket");
	if (connect(fd, (struct sockaddr *)&ss, len) ||
	    getsockname(fd, (struct sockaddr *)&ss, &len))
		rc = lvsc_set_err(err, -errno, "no route to the tunnel's real "
				  "server: %s", strerror(errno));
	close(fd);
	if (rc)
		return rc;
	memset(dv->saddr, 0, sizeof(dv->saddr));
	if (dv->af == AF_INET6)
		memcpy(dv->saddr, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
	else
		memcpy(dv->saddr, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	return 0;
}

/*
 * Ask the kernel to resolve the neighbour entry of a real server's next
 * hop (ARP/NDP), as XDP balancers do: bpf_fib_lookup answers NO_NEIGH
 * until one exists, and the programs cannot start a resolution.  The
 * route to the address gives the interface and gateway; RTM_NEWNEIGH
 * with NTF_USE creates an incomplete entry and sends the probe, as a
 * packet sent by the stack would.  Best effort: no route or a local
 * destination leaves nothing to resolve; a failure is returned for the
 * caller to ignore (the datapath counts what it drops).
 */
static int nl_talk(struct mnl_socket *nl, struct nlmsghdr *nlh, char *buf,
		   mnl_cb_t cb, void *data)
{
	unsigned int seq = nlh->nlmsg_seq, pid = mnl_socket_get_portid(nl);
	ssize_t n;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(nl, buf, MNL_SOCKET_BUFFER_SIZE);
	if (n < 0)
		return -errno;
	return mnl_cb_run(buf, n, seq, pid, cb, data) < 0 ? -errno : 0;
}

struct nh {
	int	oif;
	bool	unicast;
	bool	gw;
	__u8	addr[16];
};

static int route_attr(const struct nlattr *a, void *data)
{
	struct nh *nh = data;
	int t = mnl_attr_get_type(a);
	size_t len = mnl_attr_get_payload_len(a);

	if (t == RTA_OIF && len == 4)
		nh->oif = (int)mnl_attr_get_u32(a);
	else if (t == RTA_GATEWAY && (len == 4 || len == 16)) {
		memcpy(nh->addr, mnl_attr_get_payload(a), len);
		nh->gw = true;
	}
	return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct nh *nh = data;

	nh->unicast = rtm->rtm_type == RTN_UNICAST;
	return mnl_attr_parse(nlh, sizeof(*rtm), route_attr, data);
}

static int neigh_resolve(int af, const void *addr)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	size_t alen = af == AF_INET6 ? 16 : 4;
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;
	struct rtmsg *rtm;
	struct nh nh = { 0 };
	int rc;

	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		rc = -errno;
		goto out;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = 1;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = af;
	rtm->rtm_dst_len = alen * 8;
	mnl_attr_put(nlh, RTA_DST, alen, addr);
	memcpy(nh.addr, addr, alen);
	rc = nl_talk(nl, nlh, buf, route_cb, &nh);
	if (rc || !nh.unicast || !nh.oif)
		goto out;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_ACK;
	nlh->nlmsg_seq = 2;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = af;
	ndm->ndm_ifindex = nh.oif;
	ndm->ndm_state = NUD_NONE;
	ndm->ndm_flags = NTF_USE;
	mnl_attr_put(nlh, NDA_DST, alen, nh.addr);
	rc = nl_talk(nl, nlh, buf, NULL, NULL);
out:
	mnl_socket_close(nl);
	return rc;
}

/*
 * The overload flag after a change of thresholds, as lvs.ko's
 * lvs_rs_update_overload from the live counts (the programs redo it at
 * each count change); fresh: a new dest, no flag before.
 */
static int dest_ovl_set(struct lvsc_bpf *b, __u32 slot,
			const struct lvs_bpf_dest *dv, bool fresh,
			struct lvsc_err *err)
{
	struct lvs_bpf_dest_ovl o = { 0 };
	struct lvs_bpf_dest_cnt cnt = { 0 };
	__u32 conns, u = dv->u_threshold, l = dv->l_threshold;
	bool over;

	if (!fresh &&
	    (bpf_map_lookup_elem_flags(b->fd[M_DEST_OVL], &slot, &o,
				       BPF_F_LOCK) ||
	     bpf_map_lookup_elem(b->fd[M_DEST_CNT], &slot, &cnt)))
		return sys_err(err, "read lvs_dest_ovl");
	conns = (cnt.activeconns > 0 ? cnt.activeconns : 0) +
		(cnt.inactconns > 0 ? cnt.inactconns : 0);
	over = o.flags & LVS_DEST_F_OVERLOAD;
	if (u && conns >= u)
		over = true;
	else if (!u)
		over = false;
	else if (l)
		over = over && conns > l;
	else
		over = over && (__u64)conns * 4 >= (__u64)u * 3;
	o.flags = over ? LVS_DEST_F_OVERLOAD : 0;
	if (bpf_map_update_elem(b->fd[M_DEST_OVL], &slot, &o, BPF_F_LOCK))
		return sys_err(err, "write lvs_dest_ovl");
	return 0;
}

static int dest_check(const struct lvsc_service *svc,
		      const struct lvsc_dest *d, struct lvsc_err *err)
{
	if (d->af && d->af != svc->af && d->fwd != LVS_FWD_TUNNEL)
		return lvsc_set_err(err, -EINVAL, "only tunnelled real servers "
				    "may differ in address family from the "
				    "service");
	if (d->fwd == LVS_FWD_TUNNEL && d->tun_type != LVS_TUN_IPIP)
		return lvsc_set_err(err, -EOPNOTSUPP, "the bpf datapath "
				    "tunnels with ipip only (not gue or gre)");
	if (d->fwd != LVS_FWD_MASQ && d->fwd != LVS_FWD_DROUTE &&
	    d->fwd != LVS_FWD_TUNNEL)
		return lvsc_set_err(err, -EINVAL, "unknown forwarding method");
	/* as lvs.ko (and IPVS): a lower threshold above the upper one */
	if (d->l_threshold > d->u_threshold)
		return lvsc_set_err(err, -ERANGE, "lower threshold above the "
				    "upper threshold");
	if (d->weight > LVS_WEIGHT_MAX)
		return lvsc_set_err(err, -EINVAL, "weight out of range");
	if (d->fwd == LVS_FWD_MASQ && svc->port && !d->port)
		return lvsc_set_err(err, -EINVAL, "a NAT real server of a port "
				    "service needs a port");
	return 0;
}

/* The service's slot and state, and the dest's index in its list. */
static int dest_locate(struct lvsc_bpf *b, const struct lvsc_service *svc,
		       const struct lvsc_dest *d, uint8_t cmd, __u32 *slot,
		       struct lvs_bpf_svc *s, int *idx, struct lvsc_err *err)
{
	struct lvs_bpf_svc_key k;
	struct lvs_bpf_dest dv;
	__u32 i;
	int rc;

	rc = svc_key(svc, &k, cmd, err);
	if (rc)
		return rc;
	if (svc_find(b, &k, slot))
		return refuse(err, cmd, -ESRCH);
	rc = svc_read(b, *slot, s, err);
	if (rc)
		return rc;
	*idx = -1;
	for (i = 0; i < s->n && i < LVS_BPF_SVC_DESTS; i++) {
		if (bpf_map_lookup_elem(b->fd[M_DESTS], &s->d[i].slot, &dv))
			return sys_err(err, "read lvs_dests");
		if (dv.af == (d->af ? d->af : svc->af) &&
		    !memcmp(dv.addr, &d->addr, addr_len(dv.af)) &&
		    ntohs(dv.port) == d->port) {
			*idx = i;
			break;
		}
	}
	return 0;
}

int lvsc_bpf_dest_add(struct lvsc_bpf *b, const struct lvsc_service *svc,
		      const struct lvsc_dest *d, struct lvsc_err *err)
{
	struct lvs_bpf_dest_cnt cnt = { 0 };
	struct lvs_bpf_dest dv;
	struct lvs_bpf_svc s;
	__u32 sslot, slot;
	__s32 pos;
	int idx, rc;

	rc = dest_check(svc, d, err);
	if (rc)
		return rc;
	rc = dest_locate(b, svc, d, LVS_CMD_NEW_DEST, &sslot, &s, &idx, err);
	if (rc)
		return rc;
	if (idx >= 0)
		return refuse(err, LVS_CMD_NEW_DEST, -EEXIST);
	if (s.n >= LVS_BPF_SVC_DESTS)
		return lvsc_set_err(err, -ENOSPC, "a service has at most %d "
				    "real servers on the bpf datapath",
				    LVS_BPF_SVC_DESTS);
	for (slot = 0; slot < LVS_BPF_MAX_DESTS; slot++) {
		if (bpf_map_lookup_elem(b->fd[M_DESTS], &slot, &dv))
			return sys_err(err, "read lvs_dests");
		if (!dv.in_use)
			break;
	}
	if (slot == LVS_BPF_MAX_DESTS)
		return lvsc_set_err(err, -ENOSPC, "the bpf datapath holds at "
				    "most %d real servers", LVS_BPF_MAX_DESTS);
	dv.in_use = 1;
	dv.gen++;
	dv.svc = sslot;
	dv.af = d->af ? d->af : svc->af;
	dv.fwd = d->fwd;
	dv.port = htons(d->port);
	memset(dv.addr, 0, sizeof(dv.addr));
	memcpy(dv.addr, &d->addr, addr_len(dv.af));
	dv.weight = d->weight;
	dv.last_weight = d->weight;
	dv.u_threshold = d->u_threshold;
	dv.l_threshold = d->l_threshold;
	if (dv.fwd == LVS_FWD_TUNNEL) {
		rc = tun_saddr(&dv, err);
		if (rc)
			return rc;
	}
	rc = addr_bit_set(b, LVS_BPF_BITS_WORDS, dv.af, dv.addr, err);
	if (rc)
		return rc;
	if (bpf_map_update_elem(b->fd[M_DEST_CNT], &slot, &cnt, BPF_ANY))
		return sys_err(err, "write lvs_dest_cnt");
	rc = stats_zero(b, M_DEST_STATS, slot, err);
	if (!rc)
		rc = dest_ovl_set(b, slot, &dv, true, err);
	if (rc)
		return rc;
	if (bpf_map_update_elem(b->fd[M_DESTS], &slot, &dv, BPF_ANY))
		return sys_err(err, "write lvs_dests");
	(void)neigh_resolve(dv.af, dv.addr);	/* best effort */
	/* newest first, as IPVS's list; rr's position moves with it */
	memmove(&s.d[1], &s.d[0], s.n * sizeof(s.d[0]));
	s.d[0].slot = slot;
	s.d[0].weight = d->weight;
	s.d[0].flags = 0;
	s.n++;
	if (s.sched_id == LVS_BPF_SCHED_RR && s.pos >= 0)
		s.pos++;
	pos = s.pos;
	rc = wrr_build(b, sslot, &s, SCHED_DESTS, err);
	if (s.sched_id != LVS_BPF_SCHED_WRR)
		s.pos = pos;
	if (rc) {
		dest_free(b, slot, NULL);
		return rc;
	}
	return svc_write(b, sslot, &s, err);
}

int lvsc_bpf_dest_edit(struct lvsc_bpf *b, const struct lvsc_service *svc,
		       const struct lvsc_dest *d, struct lvsc_err *err)
{
	struct lvs_bpf_dest dv;
	struct lvs_bpf_svc s;
	__s32 pos;
	__u32 sslot;
	int idx, rc;

	rc = dest_check(svc, d, err);
	if (rc)
		return rc;
	rc = dest_locate(b, svc, d, LVS_CMD_SET_DEST, &sslot, &s, &idx, err);
	if (rc)
		return rc;
	if (idx < 0)
		return refuse(err, LVS_CMD_SET_DEST, -ENOENT);
	if (bpf_map_lookup_elem(b->fd[M_DESTS], &s.d[idx].slot, &dv))
		return sys_err(err, "read lvs_dests");
	dv.fwd = d->fwd;
	dv.weight = d->weight;
	if (d->weight)
		dv.last_weight = d->weight;
	dv.u_threshold = d->u_threshold;
	dv.l_threshold = d->l_threshold;
	if (dv.fwd == LVS_FWD_TUNNEL) {
		rc = tun_saddr(&dv, err);
		if (rc)
			return rc;
	}
	if (bpf_map_update_elem(b->fd[M_DESTS], &s.d[idx].slot, &dv, BPF_ANY))
		return sys_err(err, "write lvs_dests");
	(void)neigh_resolve(dv.af, dv.addr);
	rc = dest_ovl_set(b, s.d[idx].slot, &dv, false, err);
	if (rc)
		return rc;
	s.d[idx].weight = d->weight;
	pos = s.pos;
	rc = wrr_build(b, sslot, &s, SCHED_DESTS, err);
	if (s.sched_id != LVS_BPF_SCHED_WRR)
		s.pos = pos;
	return rc ? rc : svc_write(b, sslot, &s, err);
}

int lvsc_bpf_dest_del(struct lvsc_bpf *b, const struct lvsc_service *svc,
		      const struct lvsc_dest *d, struct lvsc_err *err)
{
	struct lvs_bpf_svc s;
	__u32 sslot, slot;
	__s32 pos;
	int idx, rc;

	rc = dest_locate(b, svc, d, LVS_CMD_DEL_DEST, &sslot, &s, &idx, err);
	if (rc)
		return rc;
	if (idx < 0)
		return refuse(err, LVS_CMD_DEL_DEST, -ENOENT);
	slot = s.d[idx].slot;
	memmove(&s.d[idx], &s.d[idx + 1], (s.n - idx - 1) * sizeof(s.d[0]));
	s.n--;
	/* nothing past the list: its old last entry names a freed slot */
	memset(&s.d[s.n], 0, sizeof(s.d[0]));
	/* rr: a pick on the deleted dest moves to the one before it */
	pos = s.pos;
	if (pos >= idx)
		pos--;
	rc = wrr_build(b, sslot, &s, SCHED_DESTS, err);
	if (s.sched_id != LVS_BPF_SCHED_WRR)
		s.pos = pos;
	if (!rc)
		rc = svc_write(b, sslot, &s, err);
	return rc ? rc : dest_free(b, slot, err);
}

int lvsc_bpf_dest_list(struct lvsc_bpf *b, const struct lvsc_service *svc,
		       struct lvsc_dest **dests, size_t *n,
		       struct lvsc_err *err)
{
	struct lvs_bpf_svc_key k;
	struct lvs_bpf_dest_cnt cnt;
	struct lvs_bpf_dest_ovl ovl;
	struct lvs_bpf_dest dv;
	struct lvs_bpf_svc s;
	struct lvsc_dest *v;
	__u32 slot, i;
	int rc;

	*dests = NULL;
	*n = 0;
	rc = svc_key(svc, &k, LVS_CMD_GET_DEST, err);
	if (rc)
		return rc;
	if (svc_find(b, &k, &slot))
		return refuse(err, LVS_CMD_GET_DEST, -ESRCH);
	rc = svc_read(b, slot, &s, err);
	if (rc)
		return rc;
	v = calloc(s.n ? s.n : 1, sizeof(*v));
	if (!v)
		return lvsc_set_err(err, -ENOMEM, "out of memory");
	for (i = 0; i < s.n && i < LVS_BPF_SVC_DESTS; i++) {
		__u32 ds = s.d[i].slot;

		if (bpf_map_lookup_elem(b->fd[M_DESTS], &ds, &dv) ||
		    bpf_map_lookup_elem(b->fd[M_DEST_CNT], &ds, &cnt)) {
			free(v);
			return sys_err(err, "read lvs_dests");
		}
		v[i].af = dv.af;
		memcpy(&v[i].addr, dv.addr, addr_len(dv.af));
		v[i].port = ntohs(dv.port);
		v[i].fwd = dv.fwd;
		v[i].weight = dv.weight;
		v[i].u_threshold = dv.u_threshold;
		v[i].l_threshold = dv.l_threshold;
		v[i].flags = LVS_DEST_F_AVAILABLE;
		if (!bpf_map_lookup_elem(b->fd[M_DEST_OVL], &ds, &ovl) &&
		    (ovl.flags & LVS_DEST_F_OVERLOAD))
			v[i].flags |= LVS_DEST_F_OVERLOAD;
		v[i].activeconns = cnt.activeconns > 0 ? cnt.activeconns : 0;
		v[i].inactconns = cnt.inactconns > 0 ? cnt.inactconns : 0;
		v[i].persistconns = cnt.persistconns > 0 ?
				    cnt.persistconns : 0;
		stats_read(b, M_DEST_STATS, ds, &v[i].stats);
	}
	*dests = v;
	*n = s.n;
	return 0;
}

/* ---- connections, configuration, info ---- */

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int lvsc_bpf_conn_list(struct lvsc_bpf *b, struct lvsc_conn **conns,
		       size_t *n, struct lvsc_err *err)
{
	struct lvs_bpf_conn_key k, next, *prev = NULL;
	struct lvsc_conn *v = NULL, *c;
	struct lvs_bpf_conn cv;
	size_t cnt = 0, cap = 0;
	__u64 now = now_ns();

	*conns = NULL;
	*n = 0;
	if (!loaded(b))
		return 0;
	while (!bpf_map_get_next_key(b->fd[M_CONNS], prev, &next)) {
		k = next;
		prev = &k;
		if (bpf_map_lookup_elem(b->fd[M_CONNS], &k, &cv) ||
		    (cv.flags & LVS_BPF_CONN_DEAD))
			continue;
		if (cnt == cap) {
			size_t nc = cap ? cap * 2 : 64;
			void *p = realloc(v, nc * sizeof(*v));

			if (!p) {
				free(v);
				return lvsc_set_err(err, -ENOMEM,
						    "out of memory");
			}
			v = p;
			cap = nc;
		}
		c = &v[cnt++];
		memset(c, 0, sizeof(*c));
		c->af = k.af;
		c->protocol = k.proto;
		memcpy(&c->caddr, k.caddr, addr_len(k.af));
		memcpy(&c->vaddr, k.vaddr, addr_len(k.af));
		memcpy(&c->daddr, cv.daddr, addr_len(cv.daf));
		c->dest_af = cv.daf;
		c->cport = ntohs(k.cport);
		c->vport = ntohs(k.vport);
		c->dport = ntohs(cv.dport);
		c->state = k.proto == IPPROTO_TCP ? cv.state : 0;
		c->fwd = cv.fwd;
		c->flags = cv.flags & ~LVS_BPF_CONN_DEAD;
		{
			__u64 end = cv.last_ns +
				    (__u64)cv.timeout_s * 1000000000ULL;

			c->expires_ms = end > now ? (end - now) / 1000000 : 0;
		}
	}
	*conns = v;
	*n = cnt;
	return 0;
}

static void cfg_default(struct lvs_bpf_cfg *c)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->tcp, tcp_default, sizeof(tcp_default));
	c->udp = UDP_DEFAULT;
	c->conn_max = LVS_BPF_CONN_MAX;
}

static int cfg_read(struct lvsc_bpf *b, struct lvs_bpf_cfg *c,
		    struct lvsc_err *err)
{
	__u32 zero = 0;

	if (!loaded(b)) {
		cfg_default(c);
		return 0;
	}
	if (bpf_map_lookup_elem(b->fd[M_CFG], &zero, c))
		return sys_err(err, "read lvs_cfg");
	return 0;
}

int lvsc_bpf_config_get(struct lvsc_bpf *b, struct lvsc_config *cfg,
			struct lvsc_err *err)
{
	struct lvs_bpf_cfg c;
	int i, rc = cfg_read(b, &c, err);

	if (rc)
		return rc;
	memset(cfg, 0, sizeof(*cfg));
	cfg->tcp = c.tcp[LVS_TCP_S_ESTABLISHED];
	cfg->tcp_fin = c.tcp[LVS_TCP_S_FIN_WAIT];
	cfg->udp = c.udp;
	for (i = 0; i <= LVS_TCP_S_MAX; i++)
		cfg->tcp_state[i] = c.tcp[i];
	cfg->conn_max = c.conn_max;
	return 0;
}

int lvsc_bpf_config_set(struct lvsc_bpf *b, const struct lvsc_config *cfg,
			struct lvsc_err *err)
{
	struct lvs_bpf_cfg c;
	__u32 zero = 0;
	int i, rc;

	if (cfg->conn_max > LVS_BPF_CONN_MAX)
		return lvsc_set_err(err, -EINVAL, "conn_max above the bpf "
				    "datapath's table (%d entries)",
				    LVS_BPF_CONN_MAX);
	rc = need_loaded(b, err);
	if (rc || (rc = cfg_read(b, &c, err)))
		return rc;
	for (i = 0; i <= LVS_TCP_S_MAX; i++)
		if (cfg->tcp_state[i])
			c.tcp[i] = cfg->tcp_state[i];
	if (cfg->tcp)
		c.tcp[LVS_TCP_S_ESTABLISHED] = cfg->tcp;
	if (cfg->tcp_fin)
		c.tcp[LVS_TCP_S_FIN_WAIT] = cfg->tcp_fin;
	if (cfg->udp)
		c.udp = cfg->udp;
	if (cfg->conn_max)
		c.conn_max = cfg->conn_max;
	if (bpf_map_update_elem(b->fd[M_CFG], &zero, &c, BPF_ANY))
		return sys_err(err, "write lvs_cfg");
	return 0;
}

int lvsc_bpf_info(struct lvsc_bpf *b, struct lvsc_info *info,
		  struct lvsc_err *err)
{
	struct lvs_bpf_state st = { 0 };
	struct lvs_bpf_cfg c;
	__u32 zero = 0;
	int rc = cfg_read(b, &c, err);

	if (rc)
		return rc;
	if (loaded(b) && bpf_map_lookup_elem(b->fd[M_STATE], &zero, &st))
		return sys_err(err, "read lvs_state");
	memset(info, 0, sizeof(*info));
	info->version = LVS_VERSION_CODE;
	info->conn_tab_size = LVS_BPF_CONN_MAX;
	info->conn_count = st.conn_count > 0 ? st.conn_count : 0;
	info->conn_max = c.conn_max;
	info->conn_dropped = st.conn_dropped;
	info->neigh_dropped = st.neigh_dropped;
	return 0;
}

/* ---- connection sync (lib/bpf_sync.c, docs/sync.md) ---- */

int lvsc_bpf_daemon_start(struct lvsc_bpf *b, const struct lvsc_daemon *d,
			  struct lvsc_err *err)
{
	int rc = need_loaded(b, err);

	return rc ? rc : lvsc_bpf_sync_start(b->dir, d, err);
}
