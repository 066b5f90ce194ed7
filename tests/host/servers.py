#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Small real servers for lvsd's host tests, loopback or netns only.

  servers.py http ADDR PORT DIR   HTTP: status from DIR/status (default
                                  200), body from DIR/body, chunked when
                                  DIR/chunked exists
  servers.py https ADDR PORT DIR CERT KEY
                                  the same over TLS; DIR/sni gets the
                                  server name the client asked for
                                  (every request writes its Host: header
                                  to DIR/host; ADDR may be IPv6)
  servers.py udp ADDR PORT        UDP: answers every datagram with b"pong"
                                  plus what it got
  servers.py udp-silent ADDR PORT UDP: reads, never answers
  servers.py dns ADDR PORT        DNS over UDP: answers A queries for
                                  ok.test with 127.0.0.1, NOERROR without
                                  answers for nodata.test, NXDOMAIN else
"""
import http.server
import os
import socket
import socketserver
import struct
import sys
import threading


def http_server(addr, port, d, tls=None):
    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            try:
                self.answer()
            except (BrokenPipeError, ConnectionResetError):
                pass    # lvsd stops reading once it has what it needs

        def answer(self):
            # One temporary name per thread: requests run concurrently.
            tmp = os.path.join(d, "host.%d" % threading.get_ident())
            with open(tmp, "w") as f:
                f.write(self.headers.get("Host", ""))
            os.replace(tmp, os.path.join(d, "host"))
            try:
                status = int(open(os.path.join(d, "status")).read().strip())
            except (OSError, ValueError):
                status = 200
            try:
                body = open(os.path.join(d, "body"), "rb").read()
            except OSError:
                body = b"hello\n"
            self.send_response(status)
            if os.path.exists(os.path.join(d, "chunked")):
                # HTTP/1.1 chunked: the body in two chunks, a trailer.
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                half = len(body) // 2
                for part in (body[:half], body[half:]):
                    self.wfile.write(b"%x;ext=1\r\n%s\r\n" % (len(part), part))
                self.wfile.write(b"0\r\nX-Trailer: 1\r\n\r\n")
                return
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
        allow_reuse_address = True
        daemon_threads = True
        address_family = socket.AF_INET6 if ":" in addr else socket.AF_INET

    srv = S((addr, port), H)
    if tls:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(tls[0], tls[1])

        def sni(sock, name, c):
            with open(os.path.join(d, "sni"), "w") as f:
                f.write(name or "")
        ctx.sni_callback = sni
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    srv.serve_forever()


def udp_server(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    while True:
        data, peer = s.recvfrom(2048)
        s.sendto(b"pong" + data, peer)


def udp_silent(addr, port):
    """Reads and never answers: no ICMP error, no reply."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    while True:
        s.recvfrom(2048)


def dns_server(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    while True:
        q, peer = s.recvfrom(2048)
        if len(q) < 12:
            continue
        qid = q[:2]
        i, labels = 12, []
        while q[i]:
            labels.append(q[i + 1:i + 1 + q[i]].decode())
            i += 1 + q[i]
        qtype = struct.unpack("!H", q[i + 1:i + 3])[0]
        question = q[12:i + 5]
        name = ".".join(labels)
        if name == "ok.test" and qtype == 1:
            ans = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + \
                bytes([127, 0, 0, 1])
            hdr = qid + struct.pack("!HHHHH", 0x8180, 1, 1, 0, 0)
        elif name == "nodata.test":
            ans = b""
            hdr = qid + struct.pack("!HHHHH", 0x8180, 1, 0, 0, 0)
        else:
            ans = b""
            hdr = qid + struct.pack("!HHHHH", 0x8183, 1, 0, 0, 0)
        s.sendto(hdr + question + ans, peer)


if __name__ == "__main__":
    kind, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if kind == "http":
        http_server(addr, port, sys.argv[4])
    elif kind == "https":
        http_server(addr, port, sys.argv[4], (sys.argv[5], sys.argv[6]))
    elif kind == "udp":
        udp_server(addr, port)
    elif kind == "udp-silent":
        udp_silent(addr, port)
    elif kind == "dns":
        dns_server(addr, port)
    else:
        sys.exit("unknown server kind " + kind)
