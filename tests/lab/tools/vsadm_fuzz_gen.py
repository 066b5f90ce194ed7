#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Random ipvsadm command lines, valid and invalid, for the differential
test (tests/lab/t/vsadm_fuzz.sh).  Deterministic for a seed: the same seed
and count give the same lines on any machine.

The universe is small on purpose (a few services, a few real servers), so
that adds, edits and deletes hit existing entries as often as missing ones.
Addresses are literals or /etc/services names: nothing needs DNS.

A -R command is one line: "-R" then its input lines, each after " ;; ".

usage: vsadm_fuzz_gen.py SEED COUNT
"""
import random
import sys

SCHEDS = ["rr", "wrr", "lc", "wlc", "sed", "nq", "sh", "dh", "mh", "lblc",
          "lblcr", "fo", "ovf"]
BAD_SCHEDS = ["foo", "none", "RR"]
VIPS = ["10.0.0.1:80", "10.0.0.1:443", "10.0.0.2:80", "10.0.0.2:http",
        "10.0.0.3:0", "10.0.0.3", "[2001:db8::1]:80", "[2001:db8::1]:0"]
BAD_VIPS = ["10.0.0.256:80", "10.0.0.1:99999", "10.0.0.1:", "[2001:db8::1",
            "10.0.0.1:-1", "1.2.3:80", "[::1]:http"]
FWMARKS = ["1", "2", "3", "0x10"]
BAD_FWMARKS = ["0", "-1", "abc", "4294967296"]
RS4 = ["10.1.0.11", "10.1.0.12", "10.1.0.13", "10.1.0.14"]
RS6 = ["[2001:db8::10]", "[2001:db8::11]"]
BAD_RS = ["224.0.0.5", "0.0.0.0", "255.255.255.255", "239.1.1.1",
          "10.1.0.300", "[ff02::1]", "[::]", "[fe80::1]", "127.0.0.1",
          "[::1]", "10.1.0.11:70000"]
RS_PORTS = ["", ":80", ":8080", ":0", ":http"]
MASKS4 = ["255.255.255.0", "255.255.0.0", "255.255.255.255", "0.0.0.0",
          "255.0.255.0", "64", "0.0.0.64", "255.255.255.128", "1.2.3.4.5",
          "abc"]
MASKS6 = ["64", "128", "1", "0", "129", "255.255.255.0"]
FLAGS = ["sh-fallback", "sh-port", "mh-fallback", "mh-port", "flag-1",
         "flag-2,flag-3", "sh-port,sh-fallback", "bogus", ""]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def pick(self, seq):
        return self.r.choice(seq)

    def chance(self, p):
        return self.r.random() < p

    def service(self, bad=0.04):
        r = self.r.random()
        if r < bad:
            return "-t " + self.pick(BAD_VIPS)
        if r < bad + 0.02:
            return "-f " + self.pick(BAD_FWMARKS)
        if r < 0.3:
            s = "-f " + self.pick(FWMARKS)
            if self.chance(0.25):
                s += " -6"
            return s
        return self.pick(["-t ", "-t ", "-u "]) + self.pick(VIPS)

    def svc_opts(self):
        o = []
        if self.chance(0.7):
            o.append("-s " + (self.pick(BAD_SCHEDS) if self.chance(0.06)
                              else self.pick(SCHEDS)))
        if self.chance(0.35):
            if self.chance(0.5):
                o.append("-p")
            else:
                o.append("-p " + self.pick(["1", "60", "300", "2678400",
                                            "0", "2678401", "x"]))
        if self.chance(0.2):
            o.append("-M " + self.pick(MASKS4 + MASKS6 if self.chance(0.3)
                                       else MASKS4))
        if self.chance(0.12):
            o.append("-b " + self.pick(FLAGS))
        if self.chance(0.08):
            o.append("-o")
        self.r.shuffle(o)
        return o

    def real(self, svc):
        r = self.r.random()
        if r < 0.1:
            return self.pick(BAD_RS)
        if "[" in svc or " -6" in svc or r < 0.15:
            a = self.pick(RS6)
        else:
            a = self.pick(RS4)
        return a + self.pick(RS_PORTS)

    def dest_opts(self, edit=False):
        o = []
        if self.chance(0.75):
            o.append(self.pick(["-g", "-m", "-i", "-m", "-g"]))
        if self.chance(0.5):
            o.append("-w " + self.pick(["0", "1", "3", "100", "65535",
                                        "65536", "-1", "x"]))
        t = self.r.random()
        if t < 0.12:
            o.append("-x " + self.pick(["0", "10", "100", "-5"]))
        elif t < 0.24:
            o.append("-y " + self.pick(["0", "10", "100"]))
        elif t < 0.36:
            o.append("-x " + self.pick(["0", "10", "100"]))
            o.append("-y " + self.pick(["0", "5", "10", "100", "200"]))
        if self.chance(0.03):
            o.append("--tun-type " + self.pick(["ipip", "gue", "gre", "x"]))
        self.r.shuffle(o)
        return o

    def listing(self):
        opts = [["-L", "-n"], ["-l", "-n"], ["-L", "-n", "--stats"],
                ["-L", "-n", "--rate"], ["-L", "-n", "--thresholds"],
                ["-L", "-n", "--persistent-conn"], ["-L", "--timeout"],
                ["-L", "-n", "-c"], ["-L", "-n", "--exact"],
                ["-L", "-n", "--nosort"], ["-L", "-n", "--tun-info"],
                ["-S", "-n"], ["-L", "-n", "--stats", "--exact"]]
        o = list(self.pick(opts))
        if o[0] in ("-L", "-l") and "--timeout" not in o and "-c" not in o \
           and self.chance(0.4):
            o.append(self.service())
        return " ".join(o)

    def garbage(self):
        return self.pick([
            "-A", "-a", "-E", "-X", "--bogus", "-A -t 10.0.0.1:80 extra",
            "-a -t 10.0.0.1:80", "-a -r 10.1.0.11", "-A -s rr",
            "-L -c --stats", "-L --timeout --stats", "-A -t 10.0.0.1:80 -r 10.1.0.11",
            "-D -t 10.0.0.1:80 -s rr", "-t 10.0.0.1:80 -A", "-A -A",
            "-A -t 10.0.0.1:80 -t 10.0.0.2:80", "-a -t 10.0.0.1:80 -r 10.1.0.11 -w",
            "-C -t 10.0.0.1:80", "--set 1 2", "--set 1 2 3 4", "-Z -r 10.1.0.11",
            "-A -u 10.0.0.1:53 -o -s rr", "-A -t 10.0.0.1:0 -s rr",
            "-d -t 10.0.0.1:80 -r 10.1.0.11 -w 3", "-6 -A -f 1",
            "-A -t 10.0.0.1:80 -6", "-L -n -6", "-a -f 1 -6 -r 10.1.0.11",
            "-e -f 1 -r [2001:db8::10] -m", "-A -f 5 -M 255.0.0.0 -6 -s rr",
            "-A -f 5 -6 -M 64 -p 10", "-A -t 10.0.0.9:80 -s rr -p -M 64",
        ])

    def change(self):
        r = self.r.random()
        if r < 0.26:
            svc = self.service()
            return " ".join(["-A", svc] + self.svc_opts())
        if r < 0.34:
            svc = self.service()
            return " ".join(["-E", svc] + self.svc_opts())
        if r < 0.41:
            return "-D " + self.service()
        if r < 0.70:
            svc = self.service()
            return " ".join(["-a", svc, "-r", self.real(svc)] +
                            self.dest_opts())
        if r < 0.80:
            svc = self.service()
            return " ".join(["-e", svc, "-r", self.real(svc)] +
                            self.dest_opts(edit=True))
        if r < 0.88:
            svc = self.service()
            return "-d %s -r %s" % (svc, self.real(svc))
        if r < 0.91:
            return "-Z" + ("" if self.chance(0.5) else " " + self.service())
        if r < 0.96:
            return "--set " + " ".join(
                self.pick(["0", "0", "10", "900", "120", "300", "5", "-1",
                           "x", "2147483647"]) for _ in range(3))
        return "-C"

    def restore(self):
        lines = []
        for _ in range(self.r.randint(1, 5)):
            if self.chance(0.15):
                lines.append(self.pick(["-L -n", "-L -n --stats", "-S -n"]))
            else:
                c = self.change()
                # Keep -R input free of syntax errors most of the time:
                # vsadm checks the whole input first on purpose.
                lines.append(c)
        return "-R ;; " + " ;; ".join(lines)

    def line(self):
        r = self.r.random()
        if r < 0.12:
            return self.listing()
        if r < 0.15:
            return self.garbage()
        if r < 0.18:
            return self.restore()
        return self.change()


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: vsadm_fuzz_gen.py SEED COUNT")
    g = Gen(int(sys.argv[1]))
    for _ in range(int(sys.argv[2])):
        print(g.line())


if __name__ == "__main__":
    main()
