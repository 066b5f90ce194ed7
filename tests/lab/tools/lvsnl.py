#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""lvsnl - drive kmod/lvs.ko over generic netlink, for the lab tests.

Independent of lib/ on purpose: the tests of the module must not wait for,
nor break with, the client library.  Speaks include/uapi/lvs.h directly
(numbers mirrored below; keep in step with that header).

  lvsnl.py svc add|edit|del SVC [-s SCHED] [-p TIMEOUT] [-M MASK] [-O]
  lvsnl.py rs add|edit|del SVC -r ADDR[:PORT] [-m|-i|-g] [-w W] [-x U] [-y L]
                                [--tun-type N] [--tun-flags N]
  lvsnl.py ls                   services, real servers, counters
  lvsnl.py stat SVC [-r ADDR[:PORT]] FIELD   one number (conns inpkts ...
                                activeconns inactconns persistconns ...)
  lvsnl.py conns                connection table
  lvsnl.py info                 key=value lines
  lvsnl.py config [--tcp S] [--tcpfin S] [--udp S] [--max N] [--state N=S]
  lvsnl.py zero [SVC] | flush
  lvsnl.py fuzz SECONDS [SEED]  random and malformed messages
  lvsnl.py batch [-k]           one command per line on stdin (one
                                process start in the slow lab guest);
                                "mark TEXT" writes TEXT to the kernel's
                                log, so the console shows progress

SVC is -t ADDR:PORT, -u ADDR:PORT or -f MARK [-6]; IPv6 as [ADDR]:PORT.
Errors print the kernel's extack message and exit 1.
"""
import errno
import os
import random
import socket
import struct
import sys
import time

NETLINK_GENERIC = 16
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP = 1, 2, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLA_F_NESTED = 0x8000
NETLINK_CAP_ACK, NETLINK_EXT_ACK = 10, 11
SOL_NETLINK = 270

CMD = dict(NEW_SERVICE=1, SET_SERVICE=2, DEL_SERVICE=3, GET_SERVICE=4,
           NEW_DEST=5, SET_DEST=6, DEL_DEST=7, GET_DEST=8, GET_CONN=9,
           SET_CONFIG=10, GET_CONFIG=11, GET_INFO=12, ZERO=13, FLUSH=14)
A_SERVICE, A_DEST, A_CONN, A_CONFIG, A_INFO = 1, 2, 3, 4, 5
SVC = dict(AF=1, PROTOCOL=2, ADDR=3, PORT=4, FWMARK=5, SCHED_NAME=6,
           FLAGS=7, TIMEOUT=8, NETMASK=9, STATS=10, NUM_DESTS=11)
DEST = dict(ADDR=1, PORT=2, FWD_METHOD=3, WEIGHT=4, U_THRESH=5, L_THRESH=6,
            ACTIVE_CONNS=7, INACT_CONNS=8, PERSIST_CONNS=9, STATS=10,
            ADDR_FAMILY=11, TUN_TYPE=12, TUN_PORT=13, TUN_FLAGS=14,
            FLAGS=15)
STATS = ['', 'conns', 'inpkts', 'outpkts', 'inbytes', 'outbytes', 'cps',
         'inpps', 'outpps', 'inbps', 'outbps']
CONN = ['', 'af', 'protocol', 'caddr', 'cport', 'vaddr', 'vport', 'daddr',
        'dport', 'dest_af', 'fwmark', 'state', 'flags', 'fwd', 'expires']
CFG = dict(TIMEOUT_TCP=1, TIMEOUT_TCP_FIN=2, TIMEOUT_UDP=3, TCP_STATES=4,
           CONN_MAX=5, EXPIRE_NODEST_CONN=6, EXPIRE_QUIESCENT_TEMPLATE=7,
           SLOPPY_TCP=8, CONN_REUSE_MODE=9)
INFO = ['', 'version', 'conn_tab_size', 'conn_count', 'conn_max',
        'conn_dropped', '', 'conn_evicted', 'conn_limit']
FWD = {1: 'Masq', 2: 'Tunnel', 3: 'Route'}
STATES = ['NONE', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT',
          'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'SYNACK']
F_PERSISTENT, F_ONEPACKET = 1, 4


class NlError(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code
        self.msg = msg


def attr(t, data):
    n = 4 + len(data)
    return struct.pack('HH', n, t) + data + b'\0' * ((4 - n % 4) % 4)


def nest(t, parts):
    return attr(t | NLA_F_NESTED, b''.join(parts))


def u8(t, v): return attr(t, struct.pack('B', v))
def u16(t, v): return attr(t, struct.pack('H', v))
def be16(t, v): return attr(t, struct.pack('!H', v))
def u32(t, v): return attr(t, struct.pack('I', v))


def parse(buf):
    out = {}
    off = 0
    while off + 4 <= len(buf):
        n, t = struct.unpack_from('HH', buf, off)
        if n < 4:
            break
        out[t & 0x3fff] = buf[off + 4:off + n]
        off += (n + 3) & ~3
    return out


def num(b):
    return {1: 'B', 2: 'H', 4: 'I', 8: 'Q'}[len(b)] and \
        struct.unpack({1: 'B', 2: 'H', 4: 'I', 8: 'Q'}[len(b)], b)[0]


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                               NETLINK_GENERIC)
        self.s.bind((0, 0))
        for opt in (NETLINK_CAP_ACK, NETLINK_EXT_ACK):
            try:
                self.s.setsockopt(SOL_NETLINK, opt, 1)
            except OSError:
                pass
        self.s.settimeout(30)
        self.seq = int(time.time())
        self.fam = self.family('LVS')

    def raw(self, typ, flags, payload):
        self.seq += 1
        msg = struct.pack('IHHII', 16 + len(payload), typ, flags, self.seq,
                          0) + payload
        self.s.send(msg)
        return self.seq

    def recv(self, seq):
        """Yield (cmd, attrs) until the ack or the end of the dump."""
        while True:
            data = self.s.recv(1 << 20)
            off = 0
            while off + 16 <= len(data):
                n, typ, flags, s, _ = struct.unpack_from('IHHII', data, off)
                body = data[off + 16:off + n]
                off += (n + 3) & ~3
                if s != seq:
                    continue
                if typ == NLMSG_ERROR:
                    code = struct.unpack_from('i', body)[0]
                    if code == 0:
                        return
                    msg = os.strerror(-code)
                    # Capped ack: the request's header, then TLVs.
                    tlv = parse(body[4 + 16:]) if flags & 0x200 else {}
                    if 1 in tlv:
                        msg = tlv[1].rstrip(b'\0').decode() + \
                            ' (%s)' % os.strerror(-code)
                    raise NlError(code, msg)
                if typ == NLMSG_DONE:
                    return
                yield body[0], parse(body[4:])

    def family(self, name):
        seq = self.raw(0x10, NLM_F_REQUEST | NLM_F_ACK,
                       struct.pack('BBH', 3, 1, 0) +
                       attr(2, name.encode() + b'\0'))
        fid = None
        for _, a in self.recv(seq):
            fid = struct.unpack('H', a[1])[0]
        if fid is None:
            raise NlError(-errno.ENOENT, 'no generic netlink family ' + name)
        return fid

    def req(self, cmd, attrs=b'', dump=False):
        flags = NLM_F_REQUEST | (NLM_F_DUMP if dump else NLM_F_ACK)
        seq = self.raw(self.fam, flags, struct.pack('BBH', cmd, 1, 0) + attrs)
        return list(self.recv(seq))


# ---- command line -------------------------------------------------------

def addr_port(s, default_port=None):
    if s.startswith('['):
        a, _, p = s[1:].partition(']')
        p = p.lstrip(':')
        return socket.AF_INET6, socket.inet_pton(socket.AF_INET6, a), \
            int(p) if p else default_port
    if s.count(':') > 1:
        return socket.AF_INET6, socket.inet_pton(socket.AF_INET6, s), \
            default_port
    a, _, p = s.partition(':')
    return socket.AF_INET, socket.inet_aton(a), int(p) if p else default_port


def fmt_addr(af, b, port=None):
    if af == socket.AF_INET6:
        a = socket.inet_ntop(socket.AF_INET6, b)
        return '[%s]:%d' % (a, port) if port is not None else a
    a = socket.inet_ntoa(b)
    return '%s:%d' % (a, port) if port is not None else a


def take_svc(args):
    """Pop the service key options off args; return the SVC nest parts."""
    parts, af6, rest = [], False, []
    i = 0
    key = None
    while i < len(args):
        a = args[i]
        if a in ('-t', '-u'):
            key = ('tu', a, args[i + 1])
            i += 2
        elif a == '-f':
            key = ('f', int(args[i + 1]))
            i += 2
        elif a == '-6':
            af6 = True
            i += 1
        else:
            rest.append(a)
            i += 1
    if key is None:
        raise SystemExit('a service: -t|-u ADDR:PORT or -f MARK')
    if key[0] == 'f':
        af = socket.AF_INET6 if af6 else socket.AF_INET
        parts = [u16(SVC['AF'], af), u32(SVC['FWMARK'], key[1])]
    else:
        af, a, p = addr_port(key[2], 0)
        proto = socket.IPPROTO_TCP if key[1] == '-t' else socket.IPPROTO_UDP
        parts = [u16(SVC['AF'], af), u16(SVC['PROTOCOL'], proto),
                 attr(SVC['ADDR'], a), be16(SVC['PORT'], p)]
    return parts, af, rest


def opts(rest, spec):
    """Tiny option parser: spec maps option -> name or (name, const)."""
    out = {}
    i = 0
    while i < len(rest):
        o = rest[i]
        if o not in spec:
            raise SystemExit('unknown option ' + o)
        s = spec[o]
        if isinstance(s, tuple):
            out[s[0]] = s[1]
            i += 1
        else:
            out[s] = rest[i + 1]
            i += 2
    return out


def cmd_svc(g, argv):
    op = argv[0]
    parts, af, rest = take_svc(argv[1:])
    o = opts(rest, {'-s': 'sched', '-p': 'timeout', '-M': 'mask',
                    '-O': ('onepacket', 1), '-b': 'flags'})
    flags = 0
    mask = 0
    if 'timeout' in o:
        parts.append(u32(SVC['TIMEOUT'], int(o['timeout'])))
        flags |= F_PERSISTENT
        mask |= F_PERSISTENT
    if 'onepacket' in o:
        flags |= F_ONEPACKET
        mask |= F_ONEPACKET
    if 'flags' in o:
        flags = mask = int(o['flags'], 0)
    if mask:
        parts.append(attr(SVC['FLAGS'], struct.pack('II', flags, mask)))
    if 'sched' in o:
        parts.append(attr(SVC['SCHED_NAME'], o['sched'].encode() + b'\0'))
    if 'mask' in o:
        m = o['mask']
        v = int(m) if af == socket.AF_INET6 else \
            struct.unpack('I', socket.inet_aton(m))[0]
        parts.append(u32(SVC['NETMASK'], v))
    cmd = {'add': 'NEW_SERVICE', 'edit': 'SET_SERVICE',
           'del': 'DEL_SERVICE'}[op]
    g.req(CMD[cmd], nest(A_SERVICE, parts))


def dest_parts(af, rest, defaults):
    o = opts(rest, {'-r': 'rs', '-m': ('fwd', 1), '-i': ('fwd', 2),
                    '-g': ('fwd', 3), '-w': 'weight', '-x': 'u', '-y': 'l',
                    '--tun-type': 'tun_type', '--tun-flags': 'tun_flags'})
    if 'rs' not in o:
        raise SystemExit('a real server: -r ADDR[:PORT]')
    daf, a, p = addr_port(o['rs'], 0)
    d = [attr(DEST['ADDR'], a), be16(DEST['PORT'], p)]
    if daf != af:
        d.append(u16(DEST['ADDR_FAMILY'], daf))
    if defaults:
        if 'fwd' in o:
            d.append(u8(DEST['FWD_METHOD'], o['fwd']))
        for k, t in (('weight', 'WEIGHT'), ('u', 'U_THRESH'),
                     ('l', 'L_THRESH')):
            if k in o:
                d.append(u32(DEST[t], int(o[k])))
        if 'tun_type' in o:
            d.append(u8(DEST['TUN_TYPE'], int(o['tun_type'])))
        if 'tun_flags' in o:
            d.append(u16(DEST['TUN_FLAGS'], int(o['tun_flags'])))
    return d


def cmd_rs(g, argv):
    op = argv[0]
    parts, af, rest = take_svc(argv[1:])
    d = dest_parts(af, rest, op != 'del')
    cmd = {'add': 'NEW_DEST', 'edit': 'SET_DEST', 'del': 'DEL_DEST'}[op]
    g.req(CMD[cmd], nest(A_SERVICE, parts) + nest(A_DEST, d))


def stats(b):
    a = parse(b)
    return {STATS[t]: struct.unpack('Q', v)[0] for t, v in a.items()
            if 0 < t < len(STATS)}


def services(g):
    out = []
    for _, a in g.req(CMD['GET_SERVICE'], dump=True):
        s = parse(a[A_SERVICE])
        svc = {'af': num(s[SVC['AF']]), 'sched':
               s[SVC['SCHED_NAME']].rstrip(b'\0').decode(),
               'flags': struct.unpack('II', s[SVC['FLAGS']])[0],
               'timeout': num(s[SVC['TIMEOUT']]),
               'stats': stats(s[SVC['STATS']]), 'raw': s}
        if SVC['FWMARK'] in s:
            svc['key'] = 'FWM  %d' % num(s[SVC['FWMARK']])
            svc['fwmark'] = num(s[SVC['FWMARK']])
        else:
            proto = {6: 'TCP', 17: 'UDP'}[num(s[SVC['PROTOCOL']])]
            port = struct.unpack('!H', s[SVC['PORT']])[0]
            svc['key'] = '%s  %s' % (proto, fmt_addr(svc['af'],
                                                     s[SVC['ADDR']], port))
        out.append(svc)
    return out


def svc_nest_of(svc):
    s = svc['raw']
    if 'fwmark' in svc:
        return nest(A_SERVICE, [attr(SVC['AF'], s[SVC['AF']]),
                                attr(SVC['FWMARK'], s[SVC['FWMARK']])])
    return nest(A_SERVICE, [attr(SVC[k], s[SVC[k]])
                            for k in ('AF', 'PROTOCOL', 'ADDR', 'PORT')])


def dests(g, svc_nest):
    out = []
    for _, a in g.req(CMD['GET_DEST'], svc_nest, dump=True):
        d = parse(a[A_DEST])
        af = num(d[DEST['ADDR_FAMILY']])
        out.append({
            'name': fmt_addr(af, d[DEST['ADDR']],
                             struct.unpack('!H', d[DEST['PORT']])[0]),
            'fwd': FWD.get(num(d[DEST['FWD_METHOD']]), '?'),
            'weight': num(d[DEST['WEIGHT']]),
            'activeconns': num(d[DEST['ACTIVE_CONNS']]),
            'inactconns': num(d[DEST['INACT_CONNS']]),
            'persistconns': num(d[DEST['PERSIST_CONNS']]),
            'flags': num(d[DEST['FLAGS']]),
            'stats': stats(d[DEST['STATS']])})
    return out


def cmd_ls(g, argv):
    for svc in services(g):
        st = svc['stats']
        print('%s %s flags=%#x timeout=%d conns=%d inpkts=%d outpkts=%d '
              'inbytes=%d outbytes=%d' % (svc['key'], svc['sched'],
                                          svc['flags'], svc['timeout'],
                                          st['conns'], st['inpkts'],
                                          st['outpkts'], st['inbytes'],
                                          st['outbytes']))
        for d in dests(g, svc_nest_of(svc)):
            st = d['stats']
            print('  -> %s %s w=%d act=%d inact=%d persist=%d flags=%#x '
                  'conns=%d inpkts=%d outpkts=%d inbytes=%d outbytes=%d' %
                  (d['name'], d['fwd'], d['weight'], d['activeconns'],
                   d['inactconns'], d['persistconns'], d['flags'],
                   st['conns'], st['inpkts'], st['outpkts'], st['inbytes'],
                   st['outbytes']))


def cmd_stat(g, argv):
    parts, af, rest = take_svc(argv)
    field = rest[-1]
    o = opts(rest[:-1], {'-r': 'rs'})
    sn = nest(A_SERVICE, parts)
    if 'rs' in o:
        daf, a, p = addr_port(o['rs'], 0)
        want = fmt_addr(daf, a, p)
        for d in dests(g, sn):
            if d['name'] == want:
                print(d[field] if field in d else d['stats'][field])
                return
        raise SystemExit('no such real server ' + want)
    for _, a in g.req(CMD['GET_SERVICE'], sn):
        s = parse(a[A_SERVICE])
        print(stats(s[SVC['STATS']])[field])


def cmd_conns(g, argv):
    for _, a in g.req(CMD['GET_CONN'], dump=True):
        c = {CONN[t]: v for t, v in parse(a[A_CONN]).items()}
        af, daf = num(c['af']), num(c['dest_af'])
        port = lambda k: struct.unpack('!H', c[k])[0]
        proto = {6: 'TCP', 17: 'UDP', 0: 'IP'}.get(num(c['protocol']), '?')
        st = STATES[num(c['state'])] if proto == 'TCP' else proto
        print('%s %s %s %s %s flags=%#x fwd=%s expires=%d' % (
            proto, st, fmt_addr(af, c['caddr'], port('cport')),
            fmt_addr(af, c['vaddr'], port('vport')),
            fmt_addr(daf, c['daddr'], port('dport')), num(c['flags']),
            FWD.get(num(c['fwd']), '?'), num(c['expires'])))


def cmd_info(g, argv):
    for _, a in g.req(CMD['GET_INFO']):
        for t, v in parse(a[A_INFO]).items():
            if 0 < t < len(INFO) and INFO[t]:
                print('%s=%d' % (INFO[t], num(v)))


def cmd_config(g, argv):
    o = opts(argv, {'--tcp': 'tcp', '--tcpfin': 'tcpfin', '--udp': 'udp',
                    '--max': 'max', '--state': 'state',
                    '--expire-nodest-conn': 'nodest',
                    '--expire-quiescent-template': 'quiescent',
                    '--sloppy-tcp': 'sloppy', '--conn-reuse-mode': 'reuse'})
    parts = []
    for k, t in (('tcp', 'TIMEOUT_TCP'), ('tcpfin', 'TIMEOUT_TCP_FIN'),
                 ('udp', 'TIMEOUT_UDP'), ('max', 'CONN_MAX'),
                 ('nodest', 'EXPIRE_NODEST_CONN'),
                 ('quiescent', 'EXPIRE_QUIESCENT_TEMPLATE'),
                 ('sloppy', 'SLOPPY_TCP'), ('reuse', 'CONN_REUSE_MODE')):
        if k in o:
            parts.append(u32(CFG[t], int(o[k])))
    if 'state' in o:
        n, _, s = o['state'].partition('=')
        parts.append(nest(CFG['TCP_STATES'],
                          [u32(STATES.index(n) + 1, int(s))]))
    if parts:
        g.req(CMD['SET_CONFIG'], nest(A_CONFIG, parts))
        return
    for _, a in g.req(CMD['GET_CONFIG']):
        c = parse(a[A_CONFIG])
        print('tcp=%d tcpfin=%d udp=%d max=%d' % (
            num(c[1]), num(c[2]), num(c[3]), num(c[5])))
        if 6 in c:
            print('expire_nodest_conn=%d expire_quiescent_template=%d '
                  'sloppy_tcp=%d conn_reuse_mode=%d' % (
                      num(c[6]), num(c[7]), num(c[8]), num(c[9])))
        st = parse(c[4])
        print(' '.join('%s=%d' % (STATES[t - 1], num(v))
                       for t, v in sorted(st.items())))


def cmd_zero(g, argv):
    if argv:
        parts, _, _ = take_svc(argv)
        g.req(CMD['ZERO'], nest(A_SERVICE, parts))
    else:
        g.req(CMD['ZERO'])


def cmd_flush(g, argv):
    g.req(CMD['FLUSH'])


# ---- fuzzing ------------------------------------------------------------

def rand_attr(r, depth=0):
    t = r.randrange(0, 20)
    if depth < 3 and r.random() < 0.3:
        return nest(t, [rand_attr(r, depth + 1)
                        for _ in range(r.randrange(0, 5))])
    kind = r.randrange(6)
    if kind == 0:
        data = b''
    elif kind == 1:
        data = struct.pack('I', r.choice([0, 1, 2, 6, 10, 17, 0xffffffff,
                                          r.getrandbits(32)]))
    elif kind == 2:
        data = struct.pack('H', r.choice([2, 10, 6, 17, 80, 0, 0xffff]))
    elif kind == 3:
        data = bytes(r.getrandbits(8) for _ in range(r.choice([1, 3, 4, 16,
                                                               17, 40])))
    elif kind == 4:
        data = r.choice([b'rr\0', b'wlc\0', b'nonexistent\0', b'x' * 40,
                         b'rr', b'\0'])
    else:
        data = struct.pack('B', r.getrandbits(8))
    return attr(t, data)


def plausible(r):
    """A well-formed request with random values: reaches deep code."""
    af = r.choice([2, 10, 2, 3])
    alen = {2: 4, 10: 16}.get(af, r.choice([4, 16, 5]))
    svc = [u16(1, af)]
    if r.random() < 0.2:
        svc.append(u32(5, r.choice([0, 1, 7])))
    else:
        svc += [u16(2, r.choice([6, 17, 1])),
                attr(3, bytes([10, 0, 0, 100]) + b'\0' * (alen - 4)
                     if alen >= 4 else b'\1'),
                be16(4, r.choice([80, 0, 53]))]
    if r.random() < 0.7:
        svc.append(attr(6, r.choice([b'rr\0', b'wlc\0', b'sh\0',
                                     b'nope\0'])))
    if r.random() < 0.3:
        svc.append(attr(7, struct.pack('II', r.getrandbits(6),
                                       r.getrandbits(32))))
    if r.random() < 0.3:
        svc.append(u32(8, r.choice([0, 1, 300, 99999999])))
    if r.random() < 0.2:
        svc.append(u32(9, r.getrandbits(32)))
    d = [attr(1, bytes([10, 0, 2, r.randrange(10, 14)]) +
              b'\0' * (alen - 4) if alen >= 4 else b'')]
    if r.random() < 0.8:
        d.append(be16(2, r.choice([80, 0])))
    if r.random() < 0.6:
        d.append(u8(3, r.randrange(0, 5)))
    if r.random() < 0.5:
        d.append(u32(4, r.choice([0, 1, 5, 0x7fffffff, 0xffffffff])))
    if r.random() < 0.3:
        d.append(u32(5, r.randrange(0, 5)))
    if r.random() < 0.3:
        d.append(u32(6, r.randrange(0, 5)))
    if r.random() < 0.2:
        d.append(u16(11, r.choice([2, 10, 0])))
    if r.random() < 0.2:
        d.append(u8(12, r.randrange(0, 4)))
    if r.random() < 0.2:
        d.append(u16(14, r.randrange(0, 5)))
    parts = nest(A_SERVICE, svc)
    if r.random() < 0.6:
        parts += nest(A_DEST, d)
    if r.random() < 0.2:
        parts += nest(A_CONFIG, [u32(r.randrange(1, 7),
                                     r.choice([0, 1, 100, 0xffffffff]))])
    return parts


def cmd_fuzz(g, argv):
    secs = float(argv[0])
    seed = int(argv[1]) if len(argv) > 1 else int(time.time())
    r = random.Random(seed)
    end = time.time() + secs
    n = ok = 0
    while time.time() < end:
        n += 1
        cmd = r.randrange(0, 18)
        mode = r.random()
        if mode < 0.5:
            payload = plausible(r)
        elif mode < 0.85:
            payload = b''.join(rand_attr(r) for _ in range(r.randrange(4)))
        else:
            payload = bytes(r.getrandbits(8)
                            for _ in range(r.randrange(0, 64)))
        dump = r.random() < 0.25
        flags = NLM_F_REQUEST | (NLM_F_DUMP if dump else NLM_F_ACK)
        seq = g.raw(g.fam, flags, struct.pack('BBH', cmd, 1, 0) + payload)
        try:
            list(g.recv(seq))
            ok += 1
        except NlError:
            pass
        except socket.timeout:
            raise SystemExit('fuzz: no answer to seq %d (cmd %d)' %
                             (seq, cmd))
        if n % 50 == 0:
            # Now and then clear the state the fuzzer built up.
            g.req(CMD['FLUSH'])
    g.req(CMD['FLUSH'])
    print('fuzz: seed %d, %d messages, %d accepted' % (seed, n, ok))


def mark(text):
    # The console timestamps each line: how long a slow guest took
    # between two marks is there even if the test is stopped.
    with open('/dev/kmsg', 'w') as f:
        f.write('lvsnl: %s\n' % text)


CMDS = {'svc': cmd_svc, 'rs': cmd_rs, 'ls': cmd_ls, 'stat': cmd_stat,
        'conns': cmd_conns, 'info': cmd_info, 'config': cmd_config,
        'zero': cmd_zero, 'flush': cmd_flush, 'fuzz': cmd_fuzz}


def main(argv):
    if len(argv) < 2 or (argv[1] not in CMDS and argv[1] != 'batch'):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        g = Genl()
        if argv[1] == 'batch':
            import shlex
            keep = argv[2:] == ['-k']
            for line in sys.stdin:
                words = shlex.split(line)
                if words and words[0] in CMDS:
                    try:
                        CMDS[words[0]](g, words[1:])
                    except NlError:
                        if not keep:
                            raise
                elif words and words[0] == 'mark':
                    mark(' '.join(words[1:]))
                elif words:
                    raise SystemExit('lvsnl: unknown command ' + words[0])
        else:
            CMDS[argv[1]](g, argv[2:])
    except NlError as e:
        print('lvsnl: %s' % e.msg, file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
