/* SPDX-License-Identifier: GPL-2.0 */
/*
 * track_file.h - keepalived's root `track_file NAME { file PATH; weight N
 * [reverse]; init_file [VALUE] [overwrite] }` blocks, which FILE_CHECK
 * refers to by name.  Parsed here into struct conf's track_files (opaque
 * to lvsd, freed with hc_track_files_free()).
 */
#ifndef _HC_TRACK_FILE_H
#define _HC_TRACK_FILE_H

#include "conf_kw.h"

/* Root row "track_file": OFF points at struct conf's void *track_files. */
int hc_kw_track_file(struct conf_parser *p, const struct conf_kw *kw,
		     void *obj, int argc, char **argv);
extern const struct conf_block hc_track_file_block;
void hc_track_files_free(void *track_files);

#endif /* _HC_TRACK_FILE_H */
