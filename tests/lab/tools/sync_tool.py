#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""sync_tool.py: the pieces of the connection sync lab test (t/sync.sh).

  serve PORT...            line echo server on every port (IPv4), threaded
  traffic OUT TARGET...    long-lived streams and short connections until
                           SIGTERM, then a summary in OUT; TARGET is
                           long:ADDR:PORT:N (N streams, one line every
                           50 ms each, echo awaited) or short:ADDR:PORT
                           (connect, one line, echo, close, in a loop);
                           SIGUSR1 appends the figures since the last
                           SIGUSR1 to OUT.snap
  garp IFACE ADDR          one gratuitous ARP request for ADDR from IFACE
  takeover OUT STEP...     on SIGUSR1, run the steps at once, in this
                           process (a process start takes a second in
                           the loaded emulated guest), and write the time
                           they took to OUT: down:NS:IFACE (link down),
                           addr:NS:IFACE:ADDR:MASK (an address, as the
                           ioctl alias IFACE:1), garp:NS:IFACE:ADDR,
                           killns:NS (SIGKILL to every process in NS);
                           the wall-clock time they started goes in
                           OUT.at
  rogue GROUP PORT KIND    one sync datagram a peer would not send: KIND
                           syncid (well formed, syncid 99) or garbage

Summary lines: "streams N lost L maxgap_ms G" and
"short ok K fail F rate R maxgap_ms G"; snapshot lines: "snap lost L
short_ok K short_fail F stream_gap_ms G short_gap_ms H" (L, K, F since
the start, the gaps since the last snapshot).  A stream is lost on any error
(reset, end of file) or when no echo came for 20 s.
"""
import signal
import socket
import socketserver
import struct
import sys
import threading
import time


class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(line)


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 256


def serve(ports):
    for p in ports:
        srv = Server(("0.0.0.0", int(p)), Echo)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)


stop = threading.Event()


def stream(addr, port, res, live):
    me = {"gap": 0.0, "win": 0.0}
    live.append(me)
    try:
        s = socket.create_connection((addr, port), timeout=20)
        f = s.makefile("rwb")
        last = time.monotonic()
        n = 0
        while not stop.is_set():
            f.write(b"%d\n" % n)
            f.flush()
            line = f.readline()
            if line != b"%d\n" % n:
                raise OSError("bad or no echo: %r" % line)
            now = time.monotonic()
            me["gap"] = max(me["gap"], now - last)
            me["win"] = max(me["win"], now - last)
            last = now
            n += 1
            time.sleep(0.05)
        s.close()
        res.append(("ok", me["gap"]))
    except OSError as e:
        res.append(("lost", me["gap"], "%s at %s" % (
            e, time.strftime("%H:%M:%S", time.localtime()))))


def short(addr, port, st):
    last = time.monotonic()
    while not stop.is_set():
        try:
            s = socket.create_connection((addr, port), timeout=10)
            s.settimeout(10)
            s.sendall(b"x\n")
            if s.recv(16) != b"x\n":
                raise OSError("bad echo")
            s.close()
            st["ok"] += 1
            now = time.monotonic()
            st["gap"] = max(st["gap"], now - last)
            st["win"] = max(st["win"], now - last)
            last = now
        except OSError:
            st["fail"] += 1


def snapshot(out, res, live, st):
    """One line of figures since the last one, appended to OUT.snap."""
    lost = len([r for r in res if r[0] == "lost"])
    gap = max([m["win"] for m in live] or [0])
    for m in live:
        m["win"] = 0.0
    with open(out + ".snap", "a") as f:
        f.write("snap lost %d short_ok %d short_fail %d stream_gap_ms %d "
                "short_gap_ms %d\n" % (lost, st["ok"], st["fail"],
                                        1000 * gap, 1000 * st["win"]))
    st["win"] = 0.0


def traffic(out, targets):
    res, threads, live = [], [], []
    st = {"ok": 0, "fail": 0, "gap": 0.0, "win": 0.0}
    t0 = time.monotonic()
    for t in targets:
        kind, addr, port = t.split(":")[:3]
        if kind == "long":
            for _ in range(int(t.split(":")[3])):
                threads.append(threading.Thread(target=stream,
                                                args=(addr, int(port), res,
                                                      live)))
        else:
            threads.append(threading.Thread(target=short,
                                            args=(addr, int(port), st)))
    for th in threads:
        th.start()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGUSR1,
                  lambda *a: snapshot(out, res, live, st))
    print("ready", flush=True)
    while not stop.is_set():
        time.sleep(0.2)
    for th in threads:
        th.join()
    dur = time.monotonic() - t0
    lost = [r for r in res if r[0] == "lost"]
    with open(out, "w") as f:
        f.write("streams %d lost %d maxgap_ms %d\n" %
                (len(res), len(lost),
                 1000 * max([r[1] for r in res] or [0])))
        f.write("short ok %d fail %d rate %.1f maxgap_ms %d\n" %
                (st["ok"], st["fail"], st["ok"] / dur, 1000 * st["gap"]))
        for r in lost:
            f.write("lost: %s\n" % r[2])


def garp(iface, addr):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    mac = s.getsockname()[4]
    ip = socket.inet_aton(addr)
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, mac, ip,
                      b"\0" * 6, ip)
    s.send(b"\xff" * 6 + mac + b"\x08\x06" + arp)


SIOCGIFFLAGS, SIOCSIFFLAGS = 0x8913, 0x8914
SIOCSIFADDR, SIOCSIFNETMASK = 0x8916, 0x891c
CLONE_NEWNET = 0x40000000


def ifreq_addr(name, addr):
    return struct.pack("16sH2s4s8s", name.encode(), socket.AF_INET, b"\0\0",
                       socket.inet_aton(addr), b"\0" * 8)


def takeover(out, steps):
    import ctypes
    import fcntl
    import os
    libc = ctypes.CDLL(None, use_errno=True)
    fds = {}
    for st in steps:
        ns = st.split(":")[1]
        if ns not in fds:
            fds[ns] = os.open("/run/netns/" + ns, os.O_RDONLY)
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
    print("ready", flush=True)
    signal.sigwait([signal.SIGUSR1])
    t0 = time.monotonic()
    at = time.time()
    for st in steps:
        f = st.split(":")
        if f[0] == "killns":
            killns(f[1])
            continue
        if libc.setns(fds[f[1]], CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns " + f[1])
        if f[0] == "garp":
            garp(f[2], f[3])
            continue
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        if f[0] == "down":
            req = struct.pack("16sH22s", f[2].encode(), 0, b"")
            flags = struct.unpack("16sH22s",
                                  fcntl.ioctl(s, SIOCGIFFLAGS, req))[1]
            fcntl.ioctl(s, SIOCSIFFLAGS,
                        struct.pack("16sH22s", f[2].encode(), flags & ~1,
                                    b""))
        else:
            fcntl.ioctl(s, SIOCSIFADDR, ifreq_addr(f[2] + ":1", f[3]))
            fcntl.ioctl(s, SIOCSIFNETMASK, ifreq_addr(f[2] + ":1", f[4]))
        s.close()
    with open(out, "w") as fp:
        fp.write("%d\n" % (1000 * (time.monotonic() - t0)))
    with open(out + ".at", "w") as fp:
        fp.write("%.3f\n" % at)


def killns(ns):
    import os
    want = os.stat("/run/netns/" + ns)
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            st = os.stat("/proc/%s/ns/net" % pid)
            if (st.st_dev, st.st_ino) == (want.st_dev, want.st_ino):
                os.kill(int(pid), signal.SIGKILL)
        except OSError:
            pass


def rogue(group, port, kind):
    # The header of docs/sync.md: magic, version, type, syncid, count, seq.
    if kind == "syncid":
        pkt = struct.pack("!IBBBBI", 0x4c565353, 1, 1, 99, 0, 1)
    else:
        pkt = b"not a sync datagram"
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    s.sendto(pkt, (group, int(port)))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "serve":
        serve(args)
    elif cmd == "traffic":
        traffic(args[0], args[1:])
    elif cmd == "garp":
        garp(args[0], args[1])
    elif cmd == "takeover":
        takeover(args[0], args[1:])
    elif cmd == "rogue":
        rogue(*args)
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
