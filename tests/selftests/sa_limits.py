#!/usr/bin/python3
"""Hard byte and packet limits stop an SA at the packet that reaches them,
not at the next once-a-second lifetime scan. kipsec (namespace A) and an
XFRM peer (B) in transport mode: A's outbound SA has a hard limit of
100,000 bytes, its inbound SA one of 50 packets. A burst of UDP each way,
sent faster than a second, gets exactly as far as the limit allows; the
rest is dropped (sa_expired, then no_sa_out/no_sa_in once the SA is gone),
and the hard EXPIRE removes the SAs. Before, the scan stopped the SA
wherever its once-a-second tick fell in the burst."""
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa
from netns import (inside, kipsec_drops, kipsec_esp_transport, pair,  # noqa
                   sh, xfrm_esp_transport)

NSA, NSB = "lim-a", "lim-b"
ADDR_A, ADDR_B = "192.0.2.1", "192.0.2.2"
KEY_AB, KEY_BA = "0x" + "41" * 20, "0x" + "42" * 20
SPI_AB, SPI_BA = 0x5001, 0x5002
HARD_BYTES, HARD_PACKETS = 100000, 50
SIZE = 1000                 # UDP payload bytes
# What the SA counts per datagram: UDP header and payload, then GCM's
# padding to 4 bytes and ESP's 2-byte trailer (1008 + 2 + 2).
COUNTED = 8 + SIZE + 2 + 2
SO_RCVBUFFORCE = 33


def drops(reason):
    return kipsec_drops(NSA, reason)


def receiver(ns, addr, port):
    with inside(ns):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20)
    s.bind((addr, port))
    s.settimeout(2)
    return s


def burst(ns, src, dst, port, count):
    """@count datagrams of SIZE bytes as fast as Python sends them."""
    with inside(ns):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    start = time.monotonic()
    for i in range(count):
        try:
            s.sendto(i.to_bytes(4, "big") + b"k" * (SIZE - 4), (dst, port))
        except PermissionError:
            pass    # dropped at once: the SA is gone (no_sa_out)
    s.close()
    return time.monotonic() - start


def received(sock):
    n = 0
    try:
        while True:
            sock.recv(65536)
            n += 1
    except socket.timeout:
        return n


def sa_listed(spi):
    out = sh("kipsec", "-D", ns=NSA, check=False, quiet=True).stdout
    return ("spi=%d(0x%08x)" % (spi, spi)) in out


pair(NSA, NSB, "lim")
sh("ip", "addr", "add", ADDR_A + "/24", "dev", "lim-a", ns=NSA)
sh("ip", "addr", "add", ADDR_B + "/24", "dev", "lim-b", ns=NSB)
# Neighbours resolved in the clear first: a burst into an unresolved
# neighbour loses what does not fit its queue.
for ns, dst in ((NSA, ADDR_B), (NSB, ADDR_A)):
    sh("ping", "-c", 1, "-W", 3, dst, ns=ns, quiet=True)
r = kipsec_esp_transport(NSA, ADDR_A, ADDR_B,
                         ((SPI_AB, KEY_AB), (SPI_BA, KEY_BA)), 5,
                         ("-bh %d" % HARD_BYTES, "-ph %d" % HARD_PACKETS))
ok(r.returncode == 0, "kipsec takes SAs with -bh and -ph", r.stdout)
xfrm_esp_transport(NSB, ADDR_A, ADDR_B, ((SPI_AB, KEY_AB), (SPI_BA, KEY_BA)),
                   5)

# Out: the byte limit. The packet that reaches it is the last one sent.
allowed = -(-HARD_BYTES // COUNTED)
rb = receiver(NSB, ADDR_B, 9000)
d0 = drops("sa_expired") + drops("no_sa_out")
secs = burst(NSA, ADDR_A, ADDR_B, 9000, 4 * allowed)
n = received(rb)
gone = drops("sa_expired") + drops("no_sa_out") - d0
ok(n == allowed and gone == 3 * allowed,
   "out: of %d datagrams sent in %.2f s, exactly %d (%d counted bytes, the "
   "hard limit is %d) reach the peer; the rest are dropped (sa_expired, "
   "then no_sa_out once the SA is removed)"
   % (4 * allowed, secs, allowed, allowed * COUNTED, HARD_BYTES), (n, gone))

# In: the packet limit, on the verified packets.
ra = receiver(NSA, ADDR_A, 9001)
# Once both SAs are gone the namespace has none, and ESP is plaintext to
# kipsec, which the inbound policy refuses (unprotected).
IN_DROPS = ("sa_expired", "no_sa_in", "unprotected")
d0 = sum(map(drops, IN_DROPS))
secs = burst(NSB, ADDR_B, ADDR_A, 9001, 4 * HARD_PACKETS)
n = received(ra)
gone = sum(map(drops, IN_DROPS)) - d0
ok(n == HARD_PACKETS and gone == 3 * HARD_PACKETS,
   "in: of %d datagrams sent in %.2f s, exactly %d (the hard packet limit) "
   "are delivered; the rest are dropped (sa_expired, then no_sa_in or "
   "unprotected)"
   % (4 * HARD_PACKETS, secs, HARD_PACKETS), (n, gone))

end = time.monotonic() + 5
while (sa_listed(SPI_AB) or sa_listed(SPI_BA)) and time.monotonic() < end:
    time.sleep(0.1)
ok(not sa_listed(SPI_AB) and not sa_listed(SPI_BA),
   "both SAs are gone (hard EXPIRE)")

for ns in (NSA, NSB):
    sh("ip", "netns", "del", ns)
finish()
