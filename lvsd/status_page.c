// SPDX-License-Identifier: GPL-2.0
/*
 * status_page.c - a read-only status page on lvsd's metrics listener.
 *
 *   GET /status       one HTML page (CSS and a little JavaScript inline,
 *                     served from memory) that polls /status.json
 *   GET /status.json  {"services": <lvsd ctl show json>,
 *                      "backend": <lvsd ctl backend json> (each service
 *                      and real server with "stats": rates cps, inpps,
 *                      outpps, inbps, outbps and totals, from liblvsc),
 *                      "pools": <lvsd ctl pool json>}: the same trees as
 *                     the control socket's read-only commands, for scripts
 *
 * It owns nothing: it calls ctl_query_json() (ctl.c) for those three
 * read-only commands and never changes state.  Any other request goes on
 * to the metrics.  The listener (metrics.c) keeps its connection cap.
 * Tested by tests/host/status_page.sh (headless chromium).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"

static const char page[] =
"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
"<title>lvsd status</title>\n<style>\n"
"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fafafa}\n"
"h1{font-size:1.3em;margin:0 0 .2em}h2{font-size:1.05em;margin:1.4em 0 .4em}\n"
"table{border-collapse:collapse;background:#fff;min-width:40em}\n"
"th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left}\n"
"th{background:#eee}.ok{color:#080;font-weight:600}.bad{color:#b00;font-weight:600}\n"
"#when{color:#777}\n</style></head><body>\n"
"<h1>lvsd status</h1><div id=\"when\">loading...</div>\n"
"<h2>Virtual services</h2><div id=\"vs\"></div>\n"
"<h2>Pools</h2><div id=\"pools\"></div>\n<script>\n"
"function esc(s){return String(s).replace(/[&<>\"]/g,function(c){return '&#'+c.charCodeAt(0)+';'})}\n"
"function table(cols,rows){var h='<table><tr>'+cols.map(function(c){return '<th>'+esc(c)+'</th>'}).join('')+'</tr>';\n"
" rows.forEach(function(r){h+='<tr>'+r.map(function(v){return '<td>'+v+'</td>'}).join('')+'</tr>'});return h+'</table>'}\n"
"function st(ok,t){return '<span class=\"'+(ok?'ok':'bad')+'\">'+esc(t)+'</span>'}\n"
"function svcOf(b,name){var f=null;(b||[]).forEach(function(s){var n=s.fwmark!==undefined?'fwmark:'+s.fwmark:\n"
" String(s.protocol).toLowerCase()+':'+s.address;if(n===name)f=s});return f}\n"
"function destOf(s,rs){var f=null;((s&&s.dests)||[]).forEach(function(d){if(d.address===rs)f=d});return f}\n"
"var RATES=['cps','inpps','outpps','inbps','outbps'];\n"
"function rates(x){return RATES.map(function(k){return esc(x&&x.stats?x.stats[k]:'')})}\n"
"function draw(j){var h='';((j.services||{}).virtual_servers||[]).forEach(function(v){\n"
" var s=svcOf(j.backend,v.name);\n"
" h+='<p><b>'+esc(v.name)+'</b> '+esc(v.scheduler||'')+' '+esc(v.method||'')+'</p>';\n"
" var rows=[['<i>service</i>','','','',''].concat(rates(s))];\n"
" (v.real_servers||[]).forEach(function(r){var d=destOf(s,r.address);\n"
"  rows.push([esc(r.address),esc(r.backend_weight!==undefined?r.backend_weight:r.weight),\n"
"   st(r.healthy,r.healthy?'up':'down'),esc(d?d.active:''),esc(d?d.inactive:'')].concat(rates(d)))});\n"
" h+=table(['real server','weight','health','active','inactive','CPS','InPPS','OutPPS','InBPS','OutBPS'],rows)});\n"
" document.getElementById('vs').innerHTML=h||'none';h='';\n"
" (j.pools||[]).forEach(function(p){h+='<p><b>pool '+esc(p.name)+'</b>: '+esc(p.in_service)+'/'+esc(p.size)+' in service</p>';\n"
"  h+=table(['node','address','state','uptime (s)','restarts'],(p.nodes||[]).map(function(n){\n"
"   return [esc(n.name),esc(n.address),st(n.state==='up',n.state),esc(Math.round(n.uptime)),esc(n.restarts)]}))});\n"
" document.getElementById('pools').innerHTML=h||'none';\n"
" document.getElementById('when').textContent='updated '+new Date().toLocaleTimeString()}\n"
"function poll(){fetch('/status.json').then(function(r){return r.json()}).then(draw)\n"
" .catch(function(e){document.getElementById('when').textContent='lvsd unreachable: '+e})}\n"
"poll();setInterval(poll,2000);\n</script></body></html>\n";

static void reply(FILE *o, const char *type, const char *body, size_t len)
{
	fprintf(o, "HTTP/1.0 200 OK\r\nContent-Type: %s\r\nContent-Length: "
		"%zu\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
		type, len);
	fwrite(body, 1, len, o);
}

/* A command's JSON without its trailing newline; "null" when it has none. */
static void query(FILE *b, const char *cmd)
{
	char *s = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&s, &n);

	if (m) {
		ctl_query_json(cmd, m);
		fclose(m);
	}
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	if (n && (s[0] == '{' || s[0] == '['))
		fwrite(s, 1, n, b);
	else
		fputs("null", b);
	free(s);
}

static bool is_get(const char *req, const char *path)
{
	size_t n = strlen(path);

	return !strncmp(req, "GET ", 4) && !strncmp(req + 4, path, n) &&
	       (req[4 + n] == ' ' || req[4 + n] == '?');
}

bool status_page_handle(const char *req, FILE *o)
{
	char *body = NULL;
	size_t len = 0;
	FILE *b;

	if (is_get(req, "/status") || is_get(req, "/status/")) {
		reply(o, "text/html; charset=utf-8", page, sizeof(page) - 1);
		return true;
	}
	if (!is_get(req, "/status.json"))
		return false;
	b = open_memstream(&body, &len);
	if (!b)
		return true;
	fputs("{\"services\":", b);
	query(b, "show");
	fputs(",\"backend\":", b);
	query(b, "backend");
	fputs(",\"pools\":", b);
	query(b, "pool");
	fputs("}\n", b);
	fclose(b);
	reply(o, "application/json", body, len);
	free(body);
	return true;
}
