#!/usr/bin/python3
"""A packet that hits a `require` policy with no SA is dropped, counted as
no_sa_out, and raises one ACQUIRE (policy, reqid, addresses) for the IKE
daemon, rate-limited to one per second and policy; `use` sends in clear."""
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa
from kipsec_nl import (A, ESP, POL, SA, TMPL, Kipsec, attr, ip,  # noqa
                       parse_attrs, u8, u16, u32)
from netns import inside, pair, sh  # noqa




pair("acq-a", "acq-b", "va")
sh("ip", "addr", "add", "10.9.9.1/24", "dev", "va-a", ns="acq-a")
sh("ip", "addr", "add", "10.9.9.2/24", "dev", "va-b", ns="acq-b")
with inside("acq-a"):
    k = Kipsec()
    ev = k.subscribe()
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
with inside("acq-b"):
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rx.bind(("10.9.9.2", 4000))
rx.settimeout(2)


def send(data, port):
    """Sends one datagram; a policy drop shows as EPERM to the sender."""
    try:
        udp.sendto(data, ("10.9.9.2", port))
        return True
    except PermissionError:
        return False


def drops(reason=2):
    d = parse_attrs(k.request("STATS_GET", [])[0][A["STATS_DROPS"]][0])
    return struct.unpack("=Q", d[reason][0])[0]


def policy(level, port):
    k.request("POLICY_NEW", [attr(A["POLICY"], [
        u8(POL["DIR"], 1), ip(POL["SRC"], "10.9.9.1"),
        ip(POL["DST"], "10.9.9.2"), u8(POL["PROTO"], 17),
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
ok(again is None, "a second packet within a second raises no second ACQUIRE",
   again)
time.sleep(1.1)
send(b"z", 4000)
e = ev.next(timeout=3)
ok(e and e[0] == "ACQUIRE", "after a second, the next packet raises another")

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

for ns in ("acq-a", "acq-b"):
    sh("ip", "netns", "del", ns)
finish()
