#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# The tunnel path's ICMP errors, seen by a UDP client (the host and lab
# bpf_tun tests): tun_probe.py ADDR pmtu|ttl [TIMEOUT [PAUSE]]
#   pmtu  sends 1500-byte datagrams with DF and prints the path MTU the
#         kernel learnt from frag-needed / packet-too-big
#   ttl   sends with TTL / hop limit 1 and prints the error it got
# TIMEOUT (s, default 3) bounds the wait for an answer, PAUSE (s, default
# 0.5) separates the pmtu sends; a slow guest wants more of both.
import errno, socket, sys, time
a, what = sys.argv[1], sys.argv[2]
tmo = float(sys.argv[3]) if len(sys.argv) > 3 else 3
pause = float(sys.argv[4]) if len(sys.argv) > 4 else 0.5
v6 = ':' in a
s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
lvl = socket.IPPROTO_IPV6 if v6 else socket.IPPROTO_IP
s.setsockopt(lvl, 23 if v6 else 10, 2)		# MTU_DISCOVER: DO (DF)
s.setsockopt(lvl, 25 if v6 else 11, 1)		# RECVERR
s.settimeout(tmo)
s.connect((a, 5354))
if what == 'ttl':
	s.setsockopt(lvl, 16 if v6 else 2, 1)	# hop limit / TTL 1
	s.send(b'q')
	try:
		s.recv(100)
		print('answered')
	except OSError as e:
		print(errno.errorcode.get(e.errno, e))
	sys.exit(0)
for i in range(3):
	try:
		s.send(b'x' * (1452 if v6 else 1472))	# 1500 bytes
	except OSError:
		pass
	time.sleep(pause)
print(s.getsockopt(lvl, 24 if v6 else 14))	# IP_MTU / IPV6_MTU
