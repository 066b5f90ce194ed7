/* SPDX-License-Identifier: GPL-2.0 */
/*
 * http_tls.h - TLS for SSL_GET (OpenSSL), as keepalived does it.
 *
 * The root `SSL { password; ca; certificate; key }` block is parsed here
 * into struct conf's tls (opaque to lvsd, freed with hc_tls_free()); its
 * '}' builds the SSL_CTX, so a missing or wrong file is an error at
 * file:line.  Without the block SSL_GET uses a context without client
 * certificate.  Like keepalived, the server's certificate is not verified
 * (keepalived loads `ca` but never asks OpenSSL to check the peer): the
 * check tests that the service answers, not who it is.  A connection ends
 * without close_notify unless `tls_compliant` is set.
 *
 * The I/O calls never block: they say which event (LOOP_READ/LOOP_WRITE)
 * to wait for.  Called from one thread, the event loop's.
 */
#ifndef _HC_HTTP_TLS_H
#define _HC_HTTP_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "conf_kw.h"

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

/* Root row "SSL": OFF points at struct conf's void *tls. */
int hc_kw_ssl(struct conf_parser *p, const struct conf_kw *kw, void *obj,
	      int argc, char **argv);
extern const struct conf_block hc_ssl_block;
void hc_tls_free(void *tls);

/* A counted reference to the context for TLS (the SSL block's or a
 * default one); NULL when OpenSSL cannot make one.  SSL_CTX_free() it. */
SSL_CTX *hc_tls_ctx(const void *tls);

/* A client SSL on FD (not owned), SNI when NAME is non-NULL. */
SSL *hc_tls_new(SSL_CTX *ctx, int fd, const char *sni, bool compliant);
/* 1 done, 0 wait for *WANT, -1 failed (WHY says why). */
int hc_tls_handshake(SSL *ssl, int *want, char *why, size_t why_len);
/*
 * >0 bytes moved; 0 the peer closed (read) ; -1 with errno EAGAIN: wait
 * for *WANT; -1 with another errno: failed (WHY says why).
 */
ssize_t hc_tls_read(SSL *ssl, void *buf, size_t n, int *want, char *why,
		    size_t why_len);
ssize_t hc_tls_write(SSL *ssl, const void *buf, size_t n, int *want,
		     char *why, size_t why_len);
/* close_notify (once, without waiting) when compliant, then free. */
void hc_tls_free_ssl(SSL *ssl);

#endif /* _HC_HTTP_TLS_H */
