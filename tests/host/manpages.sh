#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The man pages: mandoc -T lint finds nothing in any of them, and
# lvsd.conf(5) names every keyword of every configuration keyword table in
# the sources (struct conf_kw arrays, their macro rows, checker names), so a new
# keyword without its documentation fails here.
. "$(dirname "$0")/lib.sh"
command -v mandoc >/dev/null || skip "no mandoc (apt-get install mandoc)"

pages=$(cd "$TOP" && git ls-files '*.[1-8]' 2>/dev/null || ls ./*/*.[1-8])
[ -n "$pages" ] || fail "no man pages found"
for p in $pages; do
	mandoc -T lint -W warning "$TOP/$p" >"$T/lint" 2>&1 ||
		{ cat "$T/lint"; fail "mandoc -T lint: $p"; }
	[ -s "$T/lint" ] && { cat "$T/lint"; fail "mandoc -T lint: $p"; }
	# Renders with man(1) too (when installed), without a groff warning.
	command -v man >/dev/null || continue
	MANWIDTH=80 man --warnings -l "$TOP/$p" >/dev/null 2>"$T/man" || true
	[ -s "$T/man" ] && { cat "$T/man"; fail "man -l $p warns"; }
done
ok "mandoc -T lint and man: $(echo "$pages" | wc -w) pages clean"

# The keywords of every table in the sources.
files=$(cd "$TOP" && grep -l 'struct conf_kw\|struct checker_ops' \
	$(git ls-files '*.c' 2>/dev/null || ls ./*/*.c) | grep -v '^tests/')
(cd "$TOP" && awk '
	/struct conf_kw [a-z_0-9]*\[\] *= *\{/ { intab = 1 }
	/struct checker_ops [a-z_0-9]* *= *\{/ { inops = 1 }
	# A checker is named in capitals (TCP_CHECK); a lower-case
	# checker_ops is internal (the stand-in for unsupported ones).
	inops && /\.name[ \t]*=[ \t]*"[a-z]/ { next }
	intab || inops {
		s = $0
		while (match(s, /\.name[ \t]*=[ \t]*"[^"]+"/)) {
			n = substr(s, RSTART, RLENGTH); sub(/^[^"]*"/, "", n)
			sub(/"$/, "", n); print n
			s = substr(s, RSTART + RLENGTH)
		}
		s = $0
		# Rows made by a macro: SKIP("name"), RE_ROW("name", fn)...
		while (match(s, /[A-Z_]+\("[^"]+"/)) {
			n = substr(s, RSTART, RLENGTH); sub(/^[^"]*"/, "", n)
			sub(/"$/, "", n); print n
			s = substr(s, RSTART + RLENGTH)
		}
	}
	/^};/ { intab = 0; inops = 0 }' $files) | sort -u >"$T/kws"
[ "$(wc -l <"$T/kws")" -gt 50 ] || fail "keyword extraction found only $(wc -l <"$T/kws")"
# The page's words, roff escapes for hyphens undone.
sed 's/\\-/-/g; s/\\f[BIRP]//g' "$TOP/lvsd/lvsd.conf.5" |
	tr -c 'A-Za-z0-9_-' '\n' | sort -u >"$T/words"
missing=$(comm -23 "$T/kws" "$T/words")
[ -z "$missing" ] || fail "lvsd.conf.5 does not document:" $missing
ok "lvsd.conf.5 names all $(wc -l <"$T/kws") keywords of the sources' tables"
