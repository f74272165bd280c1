#!/usr/bin/python3
"""A packet that hits a `require` policy with no SA is dropped, counted as
no_sa_out, and raises one ACQUIRE (policy, reqid, addresses) for the IKE
daemon: once per template and addresses, so every peer behind a wildcard
policy gets its own, again after acquire_expires seconds or as soon as an
SA for it came and went; `use` sends in clear."""
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa
from kipsec_nl import (A, ESP, POL, SA, TMPL, Kipsec, attr, ip,  # noqa
                       parse_attrs, sa_attrs, sa_id, u8, u16, u32)
from netns import inside, pair, sh  # noqa




pair("acq-a", "acq-b", "va")
sh("ip", "addr", "add", "10.9.9.1/24", "dev", "va-a", ns="acq-a")
sh("ip", "addr", "add", "10.9.9.2/24", "dev", "va-b", ns="acq-b")
for peer in ("10.9.9.3", "10.9.9.4"):
    sh("ip", "addr", "add", peer + "/24", "dev", "va-b", ns="acq-b")
PARAM = "/sys/module/kipsec/parameters/acquire_expires"
with open(PARAM) as f:
    saved_expires = f.read().strip()
ok(saved_expires == "30", "acquire_expires defaults to 30 seconds, as XFRM's",
   saved_expires)
with open(PARAM, "w") as f:
    f.write("2")
with inside("acq-a"):
    k = Kipsec()
    ev = k.subscribe()
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
with inside("acq-b"):
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rx.bind(("10.9.9.2", 4000))
rx.settimeout(2)


def send(data, port, dst="10.9.9.2"):
    """Sends one datagram; a policy drop shows as EPERM to the sender."""
    try:
        udp.sendto(data, (dst, port))
        return True
    except PermissionError:
        return False


def drops(reason=2):
    d = parse_attrs(k.request("STATS_GET", [])[0][A["STATS_DROPS"]][0])
    return struct.unpack("=Q", d[reason][0])[0]


def policy(level, port, dst="10.9.9.2", plen=32):
    k.request("POLICY_NEW", [attr(A["POLICY"], [
        u8(POL["DIR"], 1), ip(POL["SRC"], "10.9.9.1"),
        ip(POL["DST"], dst), u8(POL["DST_PLEN"], plen), u8(POL["PROTO"], 17),
        u16(POL["DPORT"], port),
        u8(POL["ACTION"], 2),
        attr(POL["TEMPLATES"], [attr(POL["TEMPLATE"], [
            u8(TMPL["PROTO"], ESP), u8(TMPL["LEVEL"], level),
            u32(TMPL["REQID"], 5)])])])])
    ev.next(timeout=2)  # its POLICY_NEW event


policy(2, 4000)  # require
before = drops()
sent = send(b"x", 4000)
e = ev.next(timeout=3)
send(b"y", 4000)
again = ev.next(timeout=0.5)
ok(e and e[0] == "ACQUIRE", "a packet on a require policy without SA raises ACQUIRE", e)
sa = parse_attrs(e[1][A["SA"]][0]) if e and A["SA"] in e[1] else {}
ok(sa and struct.unpack("=I", sa[SA["REQID"]][0])[0] == 5 and
   sa[SA["PROTO"]][0] == b"\x32" and
   socket.inet_ntoa(sa[SA["DST"]][0]) == "10.9.9.2",
   "the ACQUIRE names protocol, reqid and addresses", sa)
ok(e and A["POLICY"] in e[1], "and carries the policy")
try:
    rx.recv(10)
    got = True
except socket.timeout:
    got = False
ok(not got and not sent, "the packet did not leave in clear (EPERM to the sender)")
ok(drops() == before + 2, "both packets are counted as no_sa_out")
ok(again is None, "a second packet for the same SA raises no second ACQUIRE",
   again)
time.sleep(2.2)
send(b"z", 4000)
e = ev.next(timeout=3)
ok(e and e[0] == "ACQUIRE",
   "after acquire_expires (2 s here), the next packet raises another", e)


def acquired_dst(e):
    if not e or e[0] != "ACQUIRE":
        return e
    return socket.inet_ntoa(parse_attrs(e[1][A["SA"]][0])[SA["DST"]][0])


# One wildcard policy, two peers: each needs its own SA, each gets its own
# ACQUIRE, however the packets interleave.
policy(2, 4002, "10.9.9.0", 24)
send(b"a", 4002, "10.9.9.3")
first = acquired_dst(ev.next(timeout=3))
send(b"b", 4002, "10.9.9.4")
second = acquired_dst(ev.next(timeout=3))
send(b"c", 4002, "10.9.9.3")
send(b"d", 4002, "10.9.9.4")
third = ev.next(timeout=0.5)
ok(first == "10.9.9.3" and second == "10.9.9.4",
   "a wildcard policy raises one ACQUIRE per peer", (first, second))
ok(third is None, "and none again while those are negotiated", third)

# The daemon installs the SA, it later goes (deleted or expired): the next
# packet asks at once, not acquire_expires after the last request.
k.request("SA_NEW", [attr(A["SA"], sa_attrs(
    spi=0x5003, src="10.9.9.1", dst="10.9.9.3", extra=[u32(SA["REQID"], 5)]))])
ev.next(timeout=2)  # its SA_NEW event
k.request("SA_DEL", sa_id(0x5003, "10.9.9.3"))
ev.next(timeout=2)  # its SA_DEL event
send(b"e", 4002, "10.9.9.3")
e = ev.next(timeout=1)
ok(acquired_dst(e) == "10.9.9.3",
   "an SA that came and went: the next packet raises ACQUIRE at once", e)

policy(1, 4001)  # use
rx.close()
with inside("acq-b"):
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rx.bind(("10.9.9.2", 4001))
rx.settimeout(3)
send(b"clear", 4001)
try:
    got = rx.recv(10)
except socket.timeout:
    got = None
ok(got == b"clear", "a `use` policy without SA sends in clear", got)

with open(PARAM, "w") as f:
    f.write(saved_expires)
for ns in ("acq-a", "acq-b"):
    sh("ip", "netns", "del", ns)
finish()
