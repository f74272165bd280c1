#!/usr/bin/python3
"""An IKE concentrator's SAD: thousands of CHILD_SAs between the same two
gateways, one reqid each, as strongSwan gives them.

Gateway A (kipsec) holds N outbound transport SAs to B, reqids 1..N. Two
policies pick among them: UDP to port 7001 through a template naming reqid
1500, UDP to port 7002 through one naming none (the newest SA then). B
(kipsec too) holds only the inbound SAs those two should use, so a datagram
arrives only if A chose the right SA out of N; A's counters must show that
SA, and no other, carried them. Deleting the reqid-1500 SA leaves its
policy without one (no_sa_out), and adding it again heals it.

Memory: SAs that never carried a packet hold no per-CPU counter block (a
block costs its size for every possible CPU); installing N idle SAs must not
grow the kernel's per-CPU memory by more than a few bytes per SA."""
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa
from netns import kipsec_drops, pair, sh  # noqa
from traffic import udp_arrivals  # noqa

NSA, NSB = "sad-a", "sad-b"
A, B = "192.0.2.1", "192.0.2.2"
N, PICKED, COUNT = 2000, 1500, 20
KEY = "0x" + "5a" * 20
SPI0 = 0x50000


def spi_of(reqid):
    return SPI0 + reqid


def kipsec_f(ns, conf):
    """`kipsec -f -` in @ns with @conf on its stdin: (exit status, stderr)."""
    res = subprocess.run(["ip", "netns", "exec", ns, "kipsec", "-f", "-"],
                         input=conf, text=True, capture_output=True)
    return res.returncode, res.stderr


def percpu_kb():
    with open("/proc/meminfo") as f:
        return int(re.search(r"^Percpu:\s+(\d+) kB", f.read(), re.M).group(1))


def drops(reason):
    return kipsec_drops(NSA, reason)


def packets_out():
    out = sh("kipsec", "-jD", ns=NSA, quiet=True).stdout
    return {sa["spi"]: sa["stats"]["packets_out"] for sa in json.loads(out)}


def send_and_count(port):
    """COUNT datagrams from A to B's @port; how many B received."""
    return udp_arrivals(NSA, NSB, B, port, COUNT, tag=b"sad")


pair(NSA, NSB, "sad")
sh("ip", "addr", "add", A + "/24", "dev", "sad-a", ns=NSA)
sh("ip", "addr", "add", B + "/24", "dev", "sad-b", ns=NSB)
sh("ping", "-c1", "-W2", B, ns=NSA, quiet=True)

# --- N idle SAs --------------------------------------------------------------
before_kb = percpu_kb()
rc, err = kipsec_f(NSA, "".join(
    "add %s %s esp %#x -m transport -u %d -E aes-gcm-16 %s;\n"
    % (A, B, spi_of(r), r, KEY) for r in range(1, N + 1)))
ok(rc == 0, "%d SAs from A to B, reqids 1..%d, installed" % (N, N), err)
ok(len(packets_out()) == N, "all %d are in the SAD" % N)
grown = (percpu_kb() - before_kb) * 1024
ok(grown < 16 * N,
   "%d idle SAs grow per-CPU memory by under 16 bytes each" % N,
   "%d bytes, %.0f per SA" % (grown, grown / N))

# --- the right SA out of N ---------------------------------------------------
rc, err = kipsec_f(NSA, "".join([
    "spdadd %s %s[7001] udp -P out ipsec esp/transport//unique:%d;\n"
    % (A, B, PICKED),
    "spdadd %s %s[7002] udp -P out ipsec esp/transport//require;\n" % (A, B),
]))
ok(rc == 0, "A's policies: reqid %d for port 7001, any reqid for 7002"
   % PICKED, err)
rc, err = kipsec_f(NSB, "".join([
    "add %s %s esp %#x -m transport -E aes-gcm-16 %s;\n"
    % (A, B, spi_of(PICKED), KEY),
    "add %s %s esp %#x -m transport -E aes-gcm-16 %s;\n"
    % (A, B, spi_of(N), KEY),
    "spdadd %s %s udp -P in ipsec esp/transport//require;\n" % (A, B),
]))
ok(rc == 0, "B takes only the SAs of reqid %d and %d" % (PICKED, N), err)

got = send_and_count(7001)
ok(got == COUNT, "port 7001: all %d datagrams reach B" % COUNT, got)
st = packets_out()
others = sum(v for spi, v in st.items() if spi != spi_of(PICKED))
ok(st[spi_of(PICKED)] == COUNT and others == 0,
   "only the SA of reqid %d carried them" % PICKED,
   "reqid %d: %d, the others: %d" % (PICKED, st[spi_of(PICKED)], others))

got = send_and_count(7002)
ok(got == COUNT, "port 7002 (no reqid): all %d reach B" % COUNT, got)
st = packets_out()
ok(st[spi_of(N)] == COUNT,
   "the newest SA (reqid %d) carried them" % N, st[spi_of(N)])

# --- removal leaves the index, adding again restores it ----------------------
rc, err = kipsec_f(NSA, "delete %s %s esp %#x;\n" % (A, B, spi_of(PICKED)))
ok(rc == 0, "the SA of reqid %d deleted" % PICKED, err)
before = drops("no_sa_out")
got = send_and_count(7001)
ok(got == 0 and drops("no_sa_out") - before == COUNT,
   "port 7001 then finds no SA: none leave, each counted as no_sa_out",
   "%d arrived, no_sa_out +%d" % (got, drops("no_sa_out") - before))
rc, err = kipsec_f(NSA, "add %s %s esp %#x -m transport -u %d -E aes-gcm-16 %s;\n"
                   % (A, B, spi_of(PICKED), PICKED, KEY))
# B's SA saw sequence numbers 1..COUNT; the new SA starts again at 1.
kipsec_f(NSB, "delete %s %s esp %#x;\nadd %s %s esp %#x -m transport -E aes-gcm-16 %s;\n"
         % (A, B, spi_of(PICKED), A, B, spi_of(PICKED), KEY))
got = send_and_count(7001)
ok(rc == 0 and got == COUNT,
   "added again, it carries port 7001 once more", "%s, %d arrived" % (err, got))

# --- flush ------------------------------------------------------------------
rc, err = kipsec_f(NSA, "flush;\nspdflush;\n")
time.sleep(1)
ok(rc == 0 and len(packets_out()) == 0, "a flush leaves A empty", err)
sh("ip", "netns", "del", NSA)
sh("ip", "netns", "del", NSB)
finish()
