// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_conf.c - libFuzzer target: lvsd's configuration lexer and parser
 * (keepalived grammar, parameters, ~SEQ/~LST, every keyword table) on
 * arbitrary bytes.  Includes are off so no host file is read; the config
 * id is fixed so "@id" lines do not depend on the host.
 */
#include <stddef.h>
#include <stdint.h>

#include "conf_vmm.h"
#include "vs_conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The virtual-server subsystem's configuration half, as lvsd registers it. */
static const struct subsys vs_conf_only = { .name = VS_SUBSYS_NAME,
					    VS_SUBSYS_CONF };
SUBSYS_REGISTER(vs_conf_only)
static const struct subsys pool_conf_only = { .name = POOL_SUBSYS_NAME,
					      POOL_SUBSYS_CONF };
SUBSYS_REGISTER(pool_conf_only)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_opts o = { .config_id = "lb1", .no_includes = true };
	struct conf_log log = { 0 };
	struct conf *c;

	c = conf_load_mem("/fuzz/keepalived.conf", data, size, &o, &log);
	(void)conf_exit_code(&log);
	conf_free(c);
	conf_log_free(&log);
	return 0;
}
