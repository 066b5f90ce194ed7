// SPDX-License-Identifier: GPL-2.0
/*
 * check_http.c - HTTP_GET: a non-blocking HTTP/1.0 or 1.1 GET of each url in
 * order; the real server passes when every url answers with a status in its
 * status_code ranges (default 200-299) and, if digest is set, the MD5 of the
 * body (OpenSSL EVP, as keepalived's genhash prints it) matches, and, if
 * regex is set, the body matches it (http_regex.h).  SSL_GET is the same
 * over TLS (http_tls.h), registered from this file too since it differs
 * only by the transport: after the TCP connect a non-blocking handshake,
 * then the request and the reply through OpenSSL.  Requests
 * carry "Connection: close"; the body ends at Content-Length, at the last
 * chunk of a chunked reply (decoded before hashing), or at EOF.
 */
#include <errno.h>
#include <stdarg.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checker.h"
#include "http_chunk.h"
#include "http_regex.h"
#include "http_tls.h"
#include "loop.h"

#define HDR_MAX		16384
#define RANGES_MAX	16

struct http_url {
	char		*path;
	char		*vhost;
	unsigned char	digest[16];
	long long	has_digest;
	int		n_ranges;
	int		lo[RANGES_MAX], hi[RANGES_MAX];
	struct http_regex re;
	long long	tls_compliant;
};

struct http_conf {
	struct http_url	**urls;
	size_t		n_urls;
	char		*vhost;
	long long	proto;		/* 10 or 11 */
	long long	enable_sni, tls_compliant;
	char		*sni_name;
	SSL_CTX		*ctx;		/* SSL_GET: set by resolve */
};

struct http_state {
	int		fd;
	struct lio	*io;
	size_t		url;
	char		req[2048];
	size_t		req_len, req_off;
	char		hdr[HDR_MAX];
	size_t		hdr_len;
	bool		in_body;
	long long	clen, got;
	EVP_MD_CTX	*md;
	bool		chunked;
	struct http_chunk chunk;
	char		*body;		/* the response, for a regex */
	SSL		*ssl;		/* SSL_GET */
	bool		handshaking;
	size_t		body_len;
};


/* ---- keywords ---- */

static int kw_digest(struct conf_parser *p, const struct conf_kw *kw,
		     void *obj, int argc, char **argv)
{
	struct http_url *u = obj;

	if (argc < 2 || strlen(argv[1]) != 32 ||
	    hc_hex_decode(argv[1], u->digest, sizeof(u->digest)) != 16) {
		conf_err(p, "digest must be 32 hex digits");
		return -1;
	}
	u->has_digest = 1;
	return 0;
}

/* status_code 200 301-302 ... */
static int kw_status(struct conf_parser *p, const struct conf_kw *kw,
		     void *obj, int argc, char **argv)
{
	struct http_url *u = obj;

	for (int i = 1; i < argc; i++) {
		int lo, hi, n = 0;

		if (sscanf(argv[i], "%d-%d%n", &lo, &hi, &n) == 2 &&
		    !argv[i][n]) {
		} else if (sscanf(argv[i], "%d%n", &lo, &n) == 1 &&
			   !argv[i][n]) {
			hi = lo;
		} else {
			conf_err(p, "invalid status_code '%s'", argv[i]);
			continue;
		}
		if (lo < 100 || hi > 599 || lo > hi) {
			conf_err(p, "status_code '%s' outside 100-599",
				 argv[i]);
			continue;
		}
		if (u->n_ranges == RANGES_MAX) {
			conf_err(p, "more than %d status_code ranges",
				 RANGES_MAX);
			break;
		}
		u->lo[u->n_ranges] = lo;
		u->hi[u->n_ranges++] = hi;
	}
	return 0;
}

static const struct conf_kw url_kws[] = {
	{ .name = "path", .parse = conf_kw_str, .off = offsetof(struct http_url,
	  path) },
	{ .name = "digest", .parse = kw_digest },
	{ .name = "status_code", .parse = kw_status },
	{ .name = "virtualhost", .parse = conf_kw_str,
	  .off = offsetof(struct http_url, vhost) },
#define RE_ROW(n, fn) { .name = n, .parse = fn, .off = offsetof(struct http_url, re) }
	RE_ROW("regex", http_kw_regex),
	RE_ROW("regex_no_match", http_kw_regex_no_match),
	RE_ROW("regex_options", http_kw_regex_options),
	RE_ROW("regex_min_offset", http_kw_regex_offset),
	RE_ROW("regex_max_offset", http_kw_regex_offset),
	RE_ROW("regex_stack", http_kw_regex_stack),
#undef RE_ROW
	{ .name = "tls_compliant", .parse = conf_kw_bool,
	  .off = offsetof(struct http_url, tls_compliant) },
	{ .name = NULL }
};

static void url_close(struct conf_parser *p, void *obj)
{
	struct http_url *u = obj;

	if (!u->path)
		conf_err(p, "url without a path");
	if (!u->n_ranges) {
		u->lo[0] = 200;
		u->hi[0] = 299;
		u->n_ranges = 1;
	}
	http_regex_close(p, &u->re);
}

static const struct conf_block url_block = {
	.name = "url", .kws = url_kws, .close = url_close,
};

static int kw_url(struct conf_parser *p, const struct conf_kw *kw, void *obj,
		  int argc, char **argv)
{
	struct http_conf *h = obj;
	struct http_url *u = calloc(1, sizeof(*u));
	struct http_url **v = realloc(h->urls, (h->n_urls + 1) * sizeof(*v));

	if (!u || !v)
		abort();
	h->urls = v;
	h->urls[h->n_urls++] = u;
	conf_set_child(p, u);
	return 0;
}

static int kw_proto(struct conf_parser *p, const struct conf_kw *kw,
		    void *obj, int argc, char **argv)
{
	struct http_conf *h = obj;

	if (argc >= 2 && (!strcmp(argv[1], "1.0") || !strcmp(argv[1], "1.0C")))
		h->proto = 10;
	else if (argc >= 2 && !strcmp(argv[1], "1.1"))
		h->proto = 11;
	else
		conf_err(p, "http_protocol must be 1.0, 1.0C or 1.1");
	return 0;
}

/* sni_name NAME sets the name and enables SNI, as in keepalived. */
static int kw_sni_name(struct conf_parser *p, const struct conf_kw *kw,
		       void *obj, int argc, char **argv)
{
	struct http_conf *h = obj;

	if (argc >= 2) {
		free(h->sni_name);
		h->sni_name = strdup(argv[1]);
	} else if (h->sni_name) {
		conf_err(p, "sni_name already specified as %s - ignoring "
			 "setting to default", h->sni_name);
		return -1;
	}
	h->enable_sni = 1;
	return 0;
}

static const struct conf_kw http_kws[] = {
	{ .name = "url", .parse = kw_url, .block = &url_block },
	{ .name = "http_protocol", .parse = kw_proto, .def = "1.0" },
	{ .name = "virtualhost", .parse = conf_kw_str,
	  .off = offsetof(struct http_conf, vhost) },
	{ .name = "fast_recovery", .parse = conf_kw_ignored },
	{ .name = "enable_sni", .parse = conf_kw_bool,
	  .off = offsetof(struct http_conf, enable_sni) },
	{ .name = "sni_name", .parse = kw_sni_name },
	{ .name = "tls_compliant", .parse = conf_kw_bool,
	  .off = offsetof(struct http_conf, tls_compliant) },
	{ .name = NULL }
};

static void http_validate(struct conf_parser *p, struct check_conf *c)
{
	struct http_conf *h = c->priv;

	if (!h->n_urls)
		conf_err(p, "HTTP_GET without a url block");
}

static void http_free(void *priv)
{
	struct http_conf *h = priv;

	for (size_t i = 0; i < h->n_urls; i++) {
		free(h->urls[i]->path);
		free(h->urls[i]->vhost);
		http_regex_free(&h->urls[i]->re);
		free(h->urls[i]);
	}
	free(h->urls);
	free(h->vhost);
	free(h->sni_name);
	SSL_CTX_free(h->ctx);
}

/* ---- probe ---- */

static void http_release(struct check_probe *pr)
{
	struct http_state *st = pr->state;

	if (!st)
		return;
	lio_free(st->io);
	hc_tls_free_ssl(st->ssl);
	if (st->fd >= 0)
		close(st->fd);
	EVP_MD_CTX_free(st->md);
	free(st->body);
	free(st);
	pr->state = NULL;
}

__attribute__((format(printf, 2, 3)))
static void http_fail(struct check_probe *pr, const char *fmt, ...)
{
	char why[sizeof(pr->why)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	http_release(pr);
	probe_done(pr, CHECK_FAIL, -1, "GET %s", why);
}

static int http_connect(struct check_probe *pr);
static ssize_t tr_io(struct check_probe *pr, bool wr, void *buf, size_t n);

static void url_passed(struct check_probe *pr)
{
	struct http_state *st = pr->state;
	const struct http_conf *h = pr->conf->priv;
	size_t next = st->url + 1;

	lio_free(st->io);
	hc_tls_free_ssl(st->ssl);
	st->ssl = NULL;
	close(st->fd);
	st->io = NULL;
	st->fd = -1;
	EVP_MD_CTX_free(st->md);
	st->md = NULL;
	free(st->body);
	st->body = NULL;
	st->body_len = 0;
	if (next == h->n_urls) {
		http_release(pr);
		probe_done(pr, CHECK_OK, -1, NULL);
		return;
	}
	st->url = next;
	if (http_connect(pr) < 0) {
		int e = errno;

		if (!hc_local_error(e)) {
			http_fail(pr, "%s: connect: %s", h->urls[next]->path,
				  strerror(e));
			return;
		}
		/* Short of descriptors ourselves: says nothing of the server. */
		http_release(pr);
		probe_done(pr, CHECK_RETRY, -1, "GET %s: connect: %s",
			   h->urls[next]->path, strerror(e));
	}
}

static bool status_ok(const struct http_url *u, int code)
{
	for (int i = 0; i < u->n_ranges; i++)
		if (code >= u->lo[i] && code <= u->hi[i])
			return true;
	return false;
}

/* Headers complete: check the status, find Content-Length. */
static int http_headers(struct check_probe *pr, const struct http_url *u)
{
	struct http_state *st = pr->state;
	int code = 0;
	char *cl;

	if (sscanf(st->hdr, "HTTP/%*d.%*d %d", &code) != 1) {
		http_fail(pr, "%s: bad status line", u->path);
		return -1;
	}
	if (!status_ok(u, code)) {
		http_fail(pr, "%s: status %d", u->path, code);
		return -1;
	}
	st->clen = -1;
	for (cl = st->hdr; (cl = strcasestr(cl, "\ncontent-length:")); cl++)
		st->clen = strtoll(cl + 16, NULL, 10);
	for (cl = st->hdr; (cl = strcasestr(cl, "\ntransfer-encoding:")); cl++)
		if (strcasestr(cl, "chunked") &&
		    strcasestr(cl, "chunked") < strchr(cl + 1, '\n'))
			st->chunked = true;
	if (st->chunked)
		st->clen = -1;
	st->in_body = true;
	return 0;
}

static void body_data(struct http_state *st, const struct http_url *u,
		      const char *b, size_t n)
{
	if (u->has_digest)
		EVP_DigestUpdate(st->md, b, n);
}

/*
 * For a regex, the response as received (status line, headers, body
 * undecoded): keepalived matches its receive buffer from the first byte,
 * so its offsets count from there too.
 */
static void resp_data(struct http_state *st, const struct http_url *u,
		      const char *b, size_t n)
{
	size_t take = HTTP_REGEX_BODY_MAX - st->body_len;

	if (!http_regex_on(&u->re) || !take)
		return;
	if (take > n)
		take = n;
	if (!st->body) {
		st->body = malloc(HTTP_REGEX_BODY_MAX);
		if (!st->body)
			abort();
	}
	memcpy(st->body + st->body_len, b, take);
	st->body_len += take;
}

/* Decoded chunked bytes: counted and hashed. */
static void chunk_data(void *arg, const char *p, size_t n)
{
	struct check_probe *pr = arg;
	struct http_state *st = pr->state;
	const struct http_conf *h = pr->conf->priv;

	body_data(st, h->urls[st->url], p, n);
	st->got += (long long)n;
}

static int http_body(struct check_probe *pr, const struct http_url *u,
		     const char *buf, size_t n)
{
	struct http_state *st = pr->state;

	if (st->chunked)
		return http_chunk_feed(&st->chunk, buf, n, chunk_data, pr);
	if (st->clen >= 0 && st->got + (long long)n > st->clen)
		n = (size_t)(st->clen - st->got);
	st->got += n;
	if (n)
		body_data(st, u, buf, n);
	return st->clen >= 0 && st->got >= st->clen;
}

static void http_finish(struct check_probe *pr, const struct http_url *u)
{
	struct http_state *st = pr->state;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (u->has_digest) {
		EVP_DigestFinal_ex(st->md, md, &len);
		if (len != 16 || memcmp(md, u->digest, 16)) {
			http_fail(pr, "%s: digest mismatch", u->path);
			return;
		}
	}
	if (http_regex_on(&u->re)) {
		char why[96];

		if (!http_regex_pass(&u->re, st->body ? st->body : "",
				     st->body_len, why, sizeof(why))) {
			http_fail(pr, "%s: %s", u->path, why);
			return;
		}
	}
	url_passed(pr);
}

static void http_read(struct check_probe *pr)
{
	struct http_state *st = pr->state;
	const struct http_conf *h = pr->conf->priv;
	const struct http_url *u = h->urls[st->url];
	char buf[16384];
	ssize_t n;

	for (;;) {
		n = tr_io(pr, false, buf, sizeof(buf));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n < 0) {
			http_fail(pr, "%s: %s", u->path, pr->why);
			return;
		}
		resp_data(st, u, buf, (size_t)n);
		if (n == 0) {
			if (!st->in_body)
				http_fail(pr, "%s: closed before headers",
					  u->path);
			else if ((st->clen >= 0 && st->got < st->clen) ||
				 (st->chunked && !http_chunk_done(&st->chunk)))
				http_fail(pr, "%s: short body", u->path);
			else
				http_finish(pr, u);
			return;
		}
		if (!st->in_body) {
			size_t room = sizeof(st->hdr) - 1 - st->hdr_len;
			size_t take = (size_t)n < room ? (size_t)n : room;
			char *end;

			memcpy(st->hdr + st->hdr_len, buf, take);
			st->hdr_len += take;
			st->hdr[st->hdr_len] = '\0';
			end = strstr(st->hdr, "\r\n\r\n");
			if (!end) {
				if (st->hdr_len == sizeof(st->hdr) - 1) {
					http_fail(pr, "%s: headers too long",
						  u->path);
					return;
				}
				continue;
			}
			end += 4;
			if (http_headers(pr, u))
				return;
			if (!u->has_digest && !http_regex_on(&u->re)) {
				url_passed(pr);
				return;
			}
			/* Body bytes that came with the headers. */
			{
				size_t hl = (size_t)(end - st->hdr);
				size_t before = st->hdr_len - take;
				size_t off = hl > before ? hl - before : 0;

				int rc = http_body(pr, u, buf + off,
						   (size_t)n - off);

				if (rc < 0) {
					http_fail(pr, "%s: bad chunked body",
						  u->path);
					return;
				}
				if (rc) {
					http_finish(pr, u);
					return;
				}
			}
			continue;
		}
		switch (http_body(pr, u, buf, (size_t)n)) {
		case -1:
			http_fail(pr, "%s: bad chunked body", u->path);
			return;
		case 1:
			http_finish(pr, u);
			return;
		}
	}
}

/* Through TLS or not: see hc_tls_read() for the return values. */
static ssize_t tr_io(struct check_probe *pr, bool wr, void *buf, size_t n)
{
	struct http_state *st = pr->state;
	char why[sizeof(pr->why)];
	int want = wr ? LOOP_WRITE : LOOP_READ;
	ssize_t r;

	if (!st->ssl)
		r = wr ? send(st->fd, buf, n, MSG_NOSIGNAL) :
			 read(st->fd, buf, n);
	else if (wr)
		r = hc_tls_write(st->ssl, buf, n, &want, why, sizeof(why));
	else
		r = hc_tls_read(st->ssl, buf, n, &want, why, sizeof(why));
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		lio_set(st->io, want);
	else if (r < 0 && st->ssl)
		probe_why(pr, "%s", why);
	else if (r < 0)
		probe_why(pr, "%s: %s", wr ? "send" : "read", strerror(errno));
	return r;
}

/* SSL_GET: the name for SNI, keepalived's order; NULL: none. */
static const char *tls_sni(const struct check_probe *pr)
{
	const struct http_conf *h = pr->conf->priv;
	const struct http_url *u = h->urls[((struct http_state *)pr->state)->url];

	if (!h->enable_sni)
		return NULL;
	return h->sni_name ? h->sni_name : u->vhost ? u->vhost :
	       h->vhost ? h->vhost : pr->vhost;
}

/* The connect's outcome, then the TLS handshake: true when done. */
static bool http_connected(struct check_probe *pr, int fd)
{
	struct http_state *st = pr->state;
	const struct http_conf *h = pr->conf->priv;
	const struct http_url *u = h->urls[st->url];
	socklen_t len = sizeof(int);
	char why[160];
	int err = 0, want = 0, rc;

	if (!st->ssl && !st->handshaking) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 ||
		    err) {
			http_fail(pr, "%s: connect: %s", u->path,
				  strerror(err));
			return false;
		}
		if (!h->ctx)
			return true;
		st->ssl = hc_tls_new(h->ctx, fd, tls_sni(pr),
				     u->tls_compliant || h->tls_compliant);
		if (!st->ssl) {
			http_fail(pr, "%s: TLS: cannot set up a session",
				  u->path);
			return false;
		}
		st->handshaking = true;
	}
	if (!st->handshaking)
		return true;
	rc = hc_tls_handshake(st->ssl, &want, why, sizeof(why));
	if (rc < 0) {
		http_fail(pr, "%s: %s", u->path, why);
		return false;
	}
	if (!rc) {
		lio_set(st->io, want);
		return false;
	}
	st->handshaking = false;
	return true;
}

static void http_io(struct lio *io, int fd, int events, void *arg)
{
	struct check_probe *pr = arg;
	struct http_state *st = pr->state;
	const struct http_conf *h = pr->conf->priv;

	if (st->req_off < st->req_len) {
		ssize_t n;

		if (st->req_off == 0 && !http_connected(pr, fd))
			return;
		n = tr_io(pr, true, st->req + st->req_off,
			  st->req_len - st->req_off);
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			http_fail(pr, "%s: %s", h->urls[st->url]->path,
				  pr->why);
			return;
		}
		if (n > 0)
			st->req_off += (size_t)n;
		if (st->req_off == st->req_len)
			lio_set(st->io, LOOP_READ);
		return;
	}
	http_read(pr);
}

static int http_connect(struct check_probe *pr)
{
	struct http_state *st = pr->state;
	const struct http_conf *h = pr->conf->priv;
	const struct http_url *u = h->urls[st->url];
	const char *host = u->vhost ? u->vhost : h->vhost ? h->vhost :
			   pr->vhost;
	char ip[64];
	int fd, n;

	/* keepalived: a virtualhost as written, else address:port. */
	if (!host)
		host = hc_host_port(&pr->dst, ip, sizeof(ip));
	if (!host)
		return errno = EAFNOSUPPORT, -1;
	n = snprintf(st->req, sizeof(st->req),
		     "GET %s HTTP/%s\r\nUser-Agent: lvsd\r\nHost: %s\r\n"
		     "Connection: close\r\n\r\n", u->path,
		     h->proto == 11 ? "1.1" : "1.0", host);
	if (n < 0 || (size_t)n >= sizeof(st->req))
		return errno = E2BIG, -1;
	st->req_len = (size_t)n;
	st->req_off = 0;
	st->hdr_len = 0;
	st->in_body = false;
	st->got = 0;
	st->clen = -1;
	st->chunked = false;
	http_chunk_init(&st->chunk);
	st->handshaking = false;
	if (u->has_digest) {
		st->md = EVP_MD_CTX_new();
		if (!st->md || !EVP_DigestInit_ex(st->md, EVP_md5(), NULL))
			return errno = ENOMEM, -1;
	}
	fd = probe_socket(pr, SOCK_STREAM, 0);
	if (fd < 0)
		return errno = -fd, -1;
	st->fd = fd;
	if (connect(fd, (struct sockaddr *)&pr->dst, pr->dst_len) < 0 &&
	    errno != EINPROGRESS)
		return -1;
	st->io = lio_new(fd, LOOP_WRITE, http_io, pr);
	return 0;
}

static int http_start(struct check_probe *pr)
{
	struct http_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	st->fd = -1;
	pr->state = st;
	if (http_connect(pr) < 0) {
		int e = errno;

		http_release(pr);
		return -e;
	}
	return 0;
}

static enum check_result http_timeout(struct check_probe *pr)
{
	http_release(pr);
	return CHECK_FAIL;
}

/* Every url may take connect_timeout. */
static long long http_probe_timeout(const struct check_conf *c)
{
	const struct http_conf *h = c->priv;

	return c->r_timeout * (long long)(h->n_urls ? h->n_urls : 1);
}

static const struct checker_ops http_checker = {
	.name		= "HTTP_GET",
	.kws		= http_kws,
	.priv_size	= sizeof(struct http_conf),
	.priv_free	= http_free,
	.validate	= http_validate,
	.default_retry	= 1,
	.default_dbr	= 3000000,
	.probe_timeout	= http_probe_timeout,
	.start		= http_start,
	.timeout	= http_timeout,
};

CHECKER_REGISTER(http_checker)

/* SSL_GET: the SSL block's context (or a default one) for every probe. */
static void ssl_resolve(struct conf_log *log, struct check_conf *c,
			const struct checker_env *env)
{
	struct http_conf *h = c->priv;

	SSL_CTX_free(h->ctx);
	h->ctx = hc_tls_ctx(env->tls);
	if (!h->ctx)
		conf_log_add(log, CONF_ERR, c->file, c->line,
			     "SSL_GET: OpenSSL cannot make a TLS context");
}

static const struct checker_ops ssl_checker = {
	.name		= "SSL_GET",
	.kws		= http_kws,
	.priv_size	= sizeof(struct http_conf),
	.priv_free	= http_free,
	.validate	= http_validate,
	.resolve	= ssl_resolve,
	.default_retry	= 1,
	.default_dbr	= 3000000,
	.probe_timeout	= http_probe_timeout,
	.start		= http_start,
	.timeout	= http_timeout,
};

CHECKER_REGISTER(ssl_checker)
