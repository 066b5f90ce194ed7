// SPDX-License-Identifier: GPL-2.0
/*
 * http_tls.c - the SSL block and non-blocking TLS client I/O for SSL_GET
 * (see http_tls.h for the contract).
 */
#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_tls.h"
#include "loop.h"

struct hc_tls {
	char		*password, *ca, *cert, *key;
	SSL_CTX		*ctx;
};

static SSL_CTX *default_ctx;

/* The last OpenSSL error as text, and the queue emptied. */
static void tls_why(char *why, size_t len, const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[160];

	if (e)
		ERR_error_string_n(e, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "%s", errno ? strerror(errno) :
			 "connection closed");
	snprintf(why, len, "%s: %s", what, buf);
	ERR_clear_error();
}

static int password_cb(char *buf, int size, int rwflag, void *arg)
{
	const char *pw = arg;
	size_t n = strlen(pw);

	if (n + 1 > (size_t)size)
		return 0;
	memcpy(buf, pw, n + 1);
	return (int)n;
}

static SSL_CTX *ctx_new(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (!ctx)
		return NULL;
	/* keepalived does not check the peer: see http_tls.h. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
	/* A server that closes without close_notify ends the body, as a
	 * plain HTTP/1.0 server's EOF does. */
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	return ctx;
}

static const struct conf_kw ssl_kws[] = {
	{ .name = "password", .parse = conf_kw_str,
	  .off = offsetof(struct hc_tls, password) },
	{ .name = "ca", .parse = conf_kw_str, .off = offsetof(struct hc_tls, ca) },
	{ .name = "certificate", .parse = conf_kw_str,
	  .off = offsetof(struct hc_tls, cert) },
	{ .name = "key", .parse = conf_kw_str,
	  .off = offsetof(struct hc_tls, key) },
	{ .name = NULL }
};

/* At the SSL block's '}': load its files now, so -t reports them. */
static void ssl_close(struct conf_parser *p, void *obj)
{
	struct hc_tls *t = obj;
	char why[256];

	t->ctx = ctx_new();
	if (!t->ctx) {
		tls_why(why, sizeof(why), "SSL");
		conf_err(p, "%s", why);
		return;
	}
	if (t->password) {
		SSL_CTX_set_default_passwd_cb(t->ctx, password_cb);
		SSL_CTX_set_default_passwd_cb_userdata(t->ctx, t->password);
	}
	if (t->cert && SSL_CTX_use_certificate_chain_file(t->ctx, t->cert) != 1)
		goto bad;
	if (t->key &&
	    SSL_CTX_use_PrivateKey_file(t->ctx, t->key, SSL_FILETYPE_PEM) != 1)
		goto bad;
	if (t->cert && t->key && SSL_CTX_check_private_key(t->ctx) != 1)
		goto bad;
	if (t->ca && SSL_CTX_load_verify_locations(t->ctx, t->ca, NULL) != 1)
		goto bad;
	return;
bad:
	tls_why(why, sizeof(why), "SSL: cannot load ca/certificate/key");
	conf_err(p, "%s", why);
	SSL_CTX_free(t->ctx);
	t->ctx = NULL;
}

const struct conf_block hc_ssl_block = {
	.name = "SSL", .kws = ssl_kws, .close = ssl_close,
};

void hc_tls_free(void *tls)
{
	struct hc_tls *t = tls;

	if (!t)
		return;
	SSL_CTX_free(t->ctx);
	free(t->password);
	free(t->ca);
	free(t->cert);
	free(t->key);
	free(t);
}

int hc_kw_ssl(struct conf_parser *p, const struct conf_kw *kw, void *obj,
	      int argc, char **argv)
{
	void **slot = (void **)((char *)obj + kw->off);
	struct hc_tls *t = calloc(1, sizeof(*t));

	if (!t)
		abort();
	if (*slot) {
		conf_err(p, "SSL context already specified - replacing");
		hc_tls_free(*slot);
	}
	*slot = t;
	conf_set_child(p, t);
	return 0;
}

SSL_CTX *hc_tls_ctx(const void *tls)
{
	const struct hc_tls *t = tls;
	SSL_CTX *ctx;

	if (t && t->ctx) {
		ctx = t->ctx;
	} else {
		if (!default_ctx)
			default_ctx = ctx_new();
		ctx = default_ctx;
	}
	if (!ctx || SSL_CTX_up_ref(ctx) != 1)
		return NULL;
	return ctx;
}

SSL *hc_tls_new(SSL_CTX *ctx, int fd, const char *sni, bool compliant)
{
	SSL *ssl = SSL_new(ctx);

	if (!ssl)
		return NULL;
	if (SSL_set_fd(ssl, fd) != 1 ||
	    (sni && SSL_set_tlsext_host_name(ssl, sni) != 1)) {
		SSL_free(ssl);
		return NULL;
	}
	if (!compliant)
		SSL_set_quiet_shutdown(ssl, 1);
	SSL_set_connect_state(ssl);
	return ssl;
}

/* Map SSL_get_error(): 0 wait (WANT set), -1 failed. */
static int tls_err(SSL *ssl, int rc, int *want, char *why, size_t len,
		   const char *what)
{
	switch (SSL_get_error(ssl, rc)) {
	case SSL_ERROR_WANT_READ:
		*want = LOOP_READ;
		return 0;
	case SSL_ERROR_WANT_WRITE:
		*want = LOOP_WRITE;
		return 0;
	default:
		tls_why(why, len, what);
		return -1;
	}
}

int hc_tls_handshake(SSL *ssl, int *want, char *why, size_t why_len)
{
	int rc;

	errno = 0;
	rc = SSL_do_handshake(ssl);
	if (rc == 1)
		return 1;
	return tls_err(ssl, rc, want, why, why_len, "TLS handshake");
}

ssize_t hc_tls_read(SSL *ssl, void *buf, size_t n, int *want, char *why,
		    size_t why_len)
{
	size_t got = 0;

	errno = 0;
	if (SSL_read_ex(ssl, buf, n, &got) == 1)
		return (ssize_t)got;
	switch (SSL_get_error(ssl, 0)) {
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_WANT_READ:
		*want = LOOP_READ;
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_WANT_WRITE:
		*want = LOOP_WRITE;
		errno = EAGAIN;
		return -1;
	default:
		tls_why(why, why_len, "TLS read");
		errno = EPROTO;
		return -1;
	}
}

ssize_t hc_tls_write(SSL *ssl, const void *buf, size_t n, int *want,
		     char *why, size_t why_len)
{
	size_t put = 0;

	errno = 0;
	if (SSL_write_ex(ssl, buf, n, &put) == 1)
		return (ssize_t)put;
	if (!tls_err(ssl, 0, want, why, why_len, "TLS write")) {
		errno = EAGAIN;
		return -1;
	}
	errno = EPROTO;
	return -1;
}

void hc_tls_free_ssl(SSL *ssl)
{
	if (!ssl)
		return;
	/* Quiet shutdown (not tls_compliant) sends nothing. */
	SSL_shutdown(ssl);
	ERR_clear_error();
	SSL_free(ssl);
}
