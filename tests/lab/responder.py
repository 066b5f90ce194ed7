#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A real server for lab tests: answers every TCP connection and every UDP
datagram on the given ports with its name, IPv4 and IPv6 alike.

A TCP client that sends an HTTP request gets an HTTP/1.0 reply whose body
is the name; one that sends nothing (or anything else) gets the name and a
close.  One process, no fork per request: in the emulated guest a process
start costs a tenth of a second or more.

usage: responder.py NAME PORT [PORT...]
"""
import selectors
import socket
import sys

name = sys.argv[1].encode()
ports = [int(p) for p in sys.argv[2:]]
sel = selectors.DefaultSelector()


def listen(kind, port):
    s = socket.socket(socket.AF_INET6, kind)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", port))
    if kind == socket.SOCK_STREAM:
        s.listen(512)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, kind)


def answer(conn, data):
    if data.startswith((b"GET ", b"HEAD ", b"POST ")):
        body = name + b"\n"
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
                     b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                     % (len(body), body))
    else:
        conn.sendall(name + b"\n")


for p in ports:
    listen(socket.SOCK_STREAM, p)
    listen(socket.SOCK_DGRAM, p)
print("ready", flush=True)

while True:
    for key, _ in sel.select():
        s = key.fileobj
        if key.data == socket.SOCK_DGRAM:
            try:
                _, peer = s.recvfrom(65535)
                s.sendto(name + b"\n", peer)
            except OSError:
                pass
            continue
        try:
            conn, _ = s.accept()
        except OSError:
            continue
        try:
            conn.settimeout(0.3)
            try:
                data = conn.recv(4096)
            except socket.timeout:
                data = b""
            answer(conn, data)
            conn.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        finally:
            conn.close()
