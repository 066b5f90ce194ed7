#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Differential test: each generated command line (vsadm_fuzz_gen.py) runs
with ipvsadm against the kernel's IPVS in network namespace "ipvs" and
with vsadm against lvs.ko in namespace "lvs".  Compared after every
command: exit status, standard output (the listing's version line aside),
and the two tables (-S -n, -L -n --thresholds, -L --timeout).

A divergence is printed with the seed and the command's index, then the
two sides are brought back together (vsadm gets ipvsadm's saved table; if
that does not make them equal, both are flushed) so that one divergence
does not cascade.  Divergences listed in DELIBERATE (documented in
vsadm.8) are counted apart and do not fail the run.

usage: vsadm_fuzz.py VSADM SEED COUNT SECONDS
Exit status: 0 when every divergence is deliberate, 1 otherwise.
"""
import ctypes
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vsadm_fuzz_gen  # noqa: E402

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)

# (pattern on the command line, ipvsadm's exit status or None, reason):
# the differences vsadm.8 lists under DIFFERENCES.
DELIBERATE = [
    (r"-s (foo|none|RR)\b", None,
     "scheduler names are checked before anything is sent"),
    (r"--tun-type (gue|gre)", None,
     "lvs.ko tunnels with IPIP only"),
    (r"--nosort", None,
     "--nosort lists in the module's order (IPVS's hashes its netns address)"),
    (r"^-R ", 2,
     "-R checks its whole input first: a bad line changes nothing"),
    (r"-M 0\.0\.0\.0", None,
     "an IPv4 persistence mask of 0.0.0.0 is the default (all ones)"),
]


def netns_fd(name):
    return os.open("/run/netns/" + name, os.O_RDONLY)


class Side:
    def __init__(self, name, prog):
        self.fd = netns_fd(name)
        self.prog = prog

    def start(self, args, stdin=None):
        fd = self.fd

        def enter():
            if libc.setns(fd, CLONE_NEWNET) != 0:
                os._exit(126)
        p = subprocess.Popen([self.prog] + args, pass_fds=(fd,),
                             preexec_fn=enter, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        return p, stdin

    @staticmethod
    def finish(job):
        p, stdin = job
        out, err = p.communicate(stdin, timeout=60)
        return p.returncode, out, err

    def run(self, args, stdin=None):
        return self.finish(self.start(args, stdin))


def both(a, b, args, stdin=None):
    """Run args on both sides at once (the guest has two CPUs)."""
    ja, jb = a.start(args, stdin), b.start(args, stdin)
    return Side.finish(ja), Side.finish(jb)


def states(a, b, probes):
    sa, sb = [], []
    for args in probes:
        (ra, oa, _), (rb, ob, _) = both(a, b, args)
        sa.append("%s rc=%d\n%s" % (" ".join(args), ra, norm(oa)))
        sb.append("%s rc=%d\n%s" % (" ".join(args), rb, norm(ob)))
    return "\n".join(sa), "\n".join(sb)


SAVE = ["-S", "-n"]
THRESH = ["-L", "-n", "--thresholds"]
TIMEOUT = ["-L", "--timeout"]
ALL = [SAVE, THRESH, TIMEOUT]


def probes_for(argv, ra, rb):
    """The table views a command may have changed.  A command both
    sides refused is assumed to change nothing: the next accepted one
    compares the whole table anyway."""
    if argv[0] == "-R":
        return ALL
    if argv[0] in ("-L", "-l", "-S") or (ra != 0 and rb != 0):
        return []
    if argv[0] == "--set":
        return [TIMEOUT]
    if argv[0] in ("-a", "-e"):
        return [SAVE, THRESH]
    return [SAVE]


VERSION_RE = re.compile(r"^(IP Virtual Server|LVS) version [^\n]*\n",
                        re.M)


def norm(out):
    return VERSION_RE.sub("<version line>\n", out)


def split(line):
    """argv and stdin of one generated command."""
    if line.startswith("-R ;; "):
        parts = line.split(" ;; ")
        return ["-R"], "".join(p + "\n" for p in parts[1:])
    return line.split(), None


def deliberate(line, ipvsadm_status):
    for pat, status, why in DELIBERATE:
        if re.search(pat, line) and status in (None, ipvsadm_status):
            return why
    return None


def show(tag, text):
    for ln in text.rstrip("\n").split("\n"):
        print("   %s| %s" % (tag, ln))


def main():
    vsadm, seed, count, seconds = (sys.argv[1], int(sys.argv[2]),
                                   int(sys.argv[3]), float(sys.argv[4]))
    ipvs = Side("ipvs", "ipvsadm")
    lvs = Side("lvs", vsadm)
    gen = vsadm_fuzz_gen.Gen(seed)
    # The same starting point: empty tables, the same timeouts.
    for s in (ipvs, lvs):
        s.run(["-C"])
        s.run(["--set", "900", "120", "300"])
    start = time.monotonic()
    n = bad = known = 0
    for i in range(count):
        if time.monotonic() - start > seconds:
            break
        line = gen.line()
        argv, stdin = split(line)
        n += 1
        (ra, oa, ea), (rb, ob, eb) = both(ipvs, lvs, argv, stdin)
        sa, sb = states(ipvs, lvs, probes_for(argv, ra, rb))
        what = []
        if ra != rb:
            what.append("exit status %d vs %d" % (ra, rb))
        if norm(oa) != norm(ob):
            what.append("stdout")
        if sa != sb:
            what.append("table")
        if not what:
            continue
        why = deliberate(line, ra)
        if why:
            known += 1
            print("deliberate #%d (seed %d): %s  [%s; %s]" %
                  (i, seed, line, ", ".join(what), why))
        else:
            bad += 1
            print("DIVERGENCE #%d (seed %d): %s  [%s]" %
                  (i, seed, line, ", ".join(what)))
            print("   ipvsadm: exit %d, stderr: %s" % (ra, ea.strip()))
            print("   vsadm:   exit %d, stderr: %s" % (rb, eb.strip()))
            if "stdout" in what:
                show("ipvsadm", norm(oa))
                show("vsadm  ", norm(ob))
            if "table" in what:
                show("ipvsadm", sa)
                show("vsadm  ", sb)
        # Bring the sides together again.
        if sa != sb:
            _, save, _ = ipvs.run(["-S", "-n"])
            lvs.run(["-C"])
            lvs.run(["-R"], save)
            _, t, _ = ipvs.run(["-L", "--timeout"])
            m = re.search(r"(\d+) (\d+) (\d+)", t)
            if m:
                lvs.run(["--set"] + list(m.groups()))
            sa, sb = states(ipvs, lvs, ALL)
            if sa != sb:
                for s in (ipvs, lvs):
                    s.run(["-C"])
    secs = time.monotonic() - start
    print("vsadm_fuzz: seed %d: %d commands in %.0f s, %d divergences "
          "(%.1f%%), %d deliberate" % (seed, n, secs, bad,
                                        100.0 * bad / max(n, 1), known))
    print("reproduce: tests/lab/run tests/lab/t/vsadm_fuzz.sh %d" % seed)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
