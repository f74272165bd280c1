#!/usr/bin/python3
"""Per-socket SPD bypass (KIPSEC_CMD_SOCKET_BYPASS) and a policy's idle
time (KIPSEC_POL_A_IDLE_SECONDS), what an IKE daemon needs: under
host-to-host policies requiring ESP both ways and no SA, plain UDP is
dropped (no_sa_out on the sender, unprotected on the receiver) until both
hosts register their sockets' cookies; then it passes both ways, IPv4 and
IPv6, connected or not, without moving a counter or the policies' idle
time, while other sockets between the same hosts are still dropped. The
registrations go with the netlink socket that made them; 16 per namespace;
refusals (no cookie, no privilege) change nothing. A policy's idle time is
absent until a packet matches it, then counts seconds, and survives
POLICY_UPDATE and stacking."""
import errno
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa
from kipsec_nl import (A, ESP, POL, TMPL, Error, Kipsec, as_nobody,  # noqa
                       attr, flag,
                       ip, parse_attrs, u8, u32, u64)
from netns import inside, pair, sh  # noqa

SO_COOKIE = getattr(socket, "SO_COOKIE", 57)
NO_SA_OUT, UNPROTECTED = 2, 11
DIR_IN, DIR_OUT = 0, 1
A4, B4 = "10.7.7.1", "10.7.7.2"
A6, B6 = "fd00:7::1", "fd00:7::2"

pair("sb-a", "sb-b", "vsb")
macs = {}
for ns, dev, a4, a6 in (("sb-a", "vsb-a", A4, A6), ("sb-b", "vsb-b", B4, B6)):
    sh("ip", "addr", "add", a4 + "/24", "dev", dev, ns=ns)
    sh("ip", "addr", "add", a6 + "/64", "dev", dev, "nodad", ns=ns)
    macs[ns] = sh("cat", "/sys/class/net/%s/address" % dev, ns=ns,
                  quiet=True).stdout.strip()
# The policies cover every packet between the two addresses, neighbour
# advertisements too: static neighbours keep IPv6 reachable.
sh("ip", "neigh", "replace", B6, "lladdr", macs["sb-b"], "dev", "vsb-a",
   "nud", "permanent", ns="sb-a")
sh("ip", "neigh", "replace", A6, "lladdr", macs["sb-a"], "dev", "vsb-b",
   "nud", "permanent", ns="sb-b")


def policy_attrs(d, src, dst, extra=()):
    return [attr(A["POLICY"], [
        u8(POL["DIR"], d), ip(POL["SRC"], src), ip(POL["DST"], dst),
        u8(POL["ACTION"], 2),
        attr(POL["TEMPLATES"], [attr(POL["TEMPLATE"], [
            u8(TMPL["PROTO"], ESP), u8(TMPL["LEVEL"], 2)])])] + list(extra))]


def policy_key(d, src, dst, extra=()):
    return [attr(A["POLICY"], [u8(POL["DIR"], d), ip(POL["SRC"], src),
                               ip(POL["DST"], dst)] + list(extra))]


def idle(k, d, src, dst):
    """The policy's IDLE_SECONDS, or None when absent."""
    pol = parse_attrs(k.request("POLICY_GET", policy_key(d, src, dst))[0]
                      [A["POLICY"]][0])
    if POL["IDLE_SECONDS"] not in pol:
        return None
    return struct.unpack("=Q", pol[POL["IDLE_SECONDS"]][0])[0]


def drops(k):
    d = parse_attrs(k.request("STATS_GET", [])[0][A["STATS_DROPS"]][0])
    return tuple(struct.unpack("=Q", d[r][0])[0]
                 for r in (NO_SA_OUT, UNPROTECTED))


def udp(family, addr, port, peer=None):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((addr, port))
    if peer:
        s.connect(peer)
    s.settimeout(1)
    return s


def cookie(s):
    return struct.unpack("=Q", s.getsockopt(socket.SOL_SOCKET, SO_COOKIE, 8))[0]


def bypass(k, c):
    """Registers cookie @c; 0 or the errno."""
    try:
        k.request("SOCKET_BYPASS", [u64(A["SOCKET_COOKIE"], c)])
        return 0
    except Error as e:
        return e.errno


def passes(tx, rx, data=b"ike"):
    """Does a datagram from @tx reach @rx? A policy drop at the sender
    shows as EPERM there."""
    try:
        while True:             # nothing left over from an earlier check
            rx.setblocking(False)
            rx.recv(100)
    except OSError:
        pass
    rx.settimeout(1)
    try:
        if _connected(tx):
            tx.send(data)
        else:
            tx.sendto(data, rx.getsockname()[:2])
    except PermissionError:
        return False
    try:
        return rx.recv(100) == data
    except socket.timeout:
        return False


def _connected(s):
    try:
        s.getpeername()
        return True
    except OSError:
        return False


with inside("sb-a"):
    ka = Kipsec()
    ka_events = ka.subscribe()
    a4 = udp(socket.AF_INET, A4, 500)
    a6 = udp(socket.AF_INET6, A6, 500)
    other_a = udp(socket.AF_INET, A4, 4501)
    conn_a = udp(socket.AF_INET, A4, 4500, (B4, 4500))
with inside("sb-b"):
    kb = Kipsec()
    b4 = udp(socket.AF_INET, B4, 500)
    b6 = udp(socket.AF_INET6, B6, 500)
    other_b = udp(socket.AF_INET, B4, 4502)
    conn_b = udp(socket.AF_INET, B4, 4500, (A4, 4500))

for k, me, peer in ((ka, (A4, A6), (B4, B6)), (kb, (B4, B6), (A4, A6))):
    for mine, theirs in zip(me, peer):
        k.request("POLICY_NEW", policy_attrs(DIR_OUT, mine, theirs))
        k.request("POLICY_NEW", policy_attrs(DIR_IN, theirs, mine))
while ka_events.next(timeout=0.5):
    pass

# --- idle time of a policy no packet matched yet --------------------------
ok(idle(ka, DIR_OUT, A4, B4) is None,
   "a new policy has no IDLE_SECONDS", idle(ka, DIR_OUT, A4, B4))

# --- nothing registered: dropped at the sender -----------------------------
da, db = drops(ka), drops(kb)
ok(not passes(a4, b4), "unregistered: IPv4 a -> b is dropped")
ok(not passes(b6, a6), "unregistered: IPv6 b -> a is dropped")
ok(drops(ka)[0] == da[0] + 1 and drops(kb)[0] == db[0] + 1,
   "each drop counted as no_sa_out on its sender", (da, drops(ka), db,
                                                     drops(kb)))

# --- idle time once a packet matched -------------------------------------
first = idle(ka, DIR_OUT, A4, B4)
ok(first is not None and first < 3,
   "after a matching packet IDLE_SECONDS is present and small", first)
time.sleep(2.2)
later = idle(ka, DIR_OUT, A4, B4)
ok(first is not None and later is not None and later >= first + 1,
   "2 s later IDLE_SECONDS grew by at least 1", (first, later))
ka.request("POLICY_UPDATE", policy_attrs(DIR_OUT, A4, B4))
e = ka_events.next(timeout=3)
while e and e[0] != "POLICY_UPDATE":     # the drops' ACQUIREs came first
    e = ka_events.next(timeout=3)
pol = parse_attrs(e[1][A["POLICY"]][0]) if e and A["POLICY"] in e[1] else {}
ok(POL["IDLE_SECONDS"] in pol and
   struct.unpack("=Q", pol[POL["IDLE_SECONDS"]][0])[0] >= 2,
   "the POLICY_UPDATE event carries IDLE_SECONDS", pol)
upd = idle(ka, DIR_OUT, A4, B4)
ok(upd is not None and upd >= 2, "POLICY_UPDATE keeps the idle time", upd)
ka.request("POLICY_NEW", policy_attrs(DIR_OUT, A4, B4, [
    u32(POL["PRIORITY"], 0x80000000)]) + [flag(A["POLICY_STACK"])])
stk = idle(ka, DIR_OUT, A4, B4)
ok(stk is not None and stk >= 2, "stacking an instance keeps the idle time",
   stk)
dumped = [parse_attrs(r[A["POLICY"]][0]) for r in ka.dump("POLICY_GET")]
ok(any(POL["IDLE_SECONDS"] in p for p in dumped),
   "dumps carry IDLE_SECONDS", len(dumped))
for cmd, body in (("POLICY_GET", policy_key(DIR_OUT, A4, B4,
                                            [u64(POL["IDLE_SECONDS"], 5)])),
                  ("POLICY_NEW", policy_attrs(DIR_OUT, A4, "10.7.7.9", [
                      u64(POL["IDLE_SECONDS"], 5)]))):
    try:
        ka.request(cmd, body)
        got = 0
    except Error as e:
        got = e.errno
    ok(got == errno.EINVAL, "%s with IDLE_SECONDS (reply only): EINVAL" % cmd,
       got)

# --- one side registered: leaves a in clear, dropped by b's inbound check --
ok(bypass(ka, cookie(a4)) == 0, "a registers its IPv4 socket")
ok(bypass(ka, cookie(a4)) == 0, "registering the same cookie again: success")
da, db = drops(ka), drops(kb)
ok(not passes(a4, b4), "b's socket unregistered: a -> b still dropped")
ok(drops(ka) == da and drops(kb)[1] == db[1] + 1,
   "it left a in clear (no no_sa_out there) and b counted it unprotected",
   (da, drops(ka), db, drops(kb)))
b_in = idle(kb, DIR_IN, A4, B4)
ok(b_in is not None and b_in < 3,
   "the inbound check's match sets the in policy's IDLE_SECONDS", b_in)

# --- both registered: passes both ways, IPv4 and IPv6, connected too -------
for s in (a6, conn_a):
    bypass(ka, cookie(s))
for s in (b4, b6, conn_b):
    bypass(kb, cookie(s))
da, db = drops(ka), drops(kb)
ok(passes(a4, b4) and passes(b4, a4), "registered: IPv4 passes both ways")
ok(passes(a6, b6) and passes(b6, a6), "registered: IPv6 passes both ways")
ok(passes(conn_a, conn_b) and passes(conn_b, conn_a),
   "registered connected sockets (early demux) pass both ways")
ok(drops(ka) == da and drops(kb) == db, "and no drop counter moved",
   (da, drops(ka), db, drops(kb)))
ok(idle(ka, DIR_IN, B4, A4) is None and idle(ka, DIR_IN, B6, A6) is None,
   "bypassed packets are no use of the policy (a's in policies idle-less)",
   (idle(ka, DIR_IN, B4, A4), idle(ka, DIR_IN, B6, A6)))

# --- other sockets between the same hosts are still dropped ----------------
da, db = drops(ka), drops(kb)
ok(not passes(other_a, b4), "an unregistered sender is still dropped")
ok(drops(ka)[0] == da[0] + 1, "as no_sa_out", (da, drops(ka)))
ok(not passes(a4, other_b),
   "a registered sender to an unregistered receiver is still dropped")
ok(drops(kb)[1] == db[1] + 1, "as unprotected on the receiver",
   (db, drops(kb)))

# --- refusals ------------------------------------------------------------
try:
    ka.request("SOCKET_BYPASS", [])
    got = (0, "")
except Error as e:
    got = (e.errno, e.msg)
ok(got[0] == errno.EINVAL and "KIPSEC_A_SOCKET_COOKIE" in got[1],
   "without a cookie: EINVAL, naming the attribute", got)
ok(bypass(ka, 0) == errno.ERANGE, "cookie 0 (no socket's): ERANGE")


with inside("sb-a"):
    got = as_nobody(lambda kk: kk.request("SOCKET_BYPASS", [
        u64(A["SOCKET_COOKIE"], cookie(other_a))]))
ok(got == errno.EPERM, "without CAP_NET_ADMIN: EPERM", got)
ok(not passes(other_a, b4), "and the socket is not bypassed")

# --- the limit: 16 per namespace, freed with their owner -------------------
with inside("sb-a"):
    k2 = Kipsec()
n, fake = 3, 1 << 62          # a holds a4, a6, conn_a
while n < 16 and bypass(k2, fake + n) == 0:
    n += 1
ok(n == 16, "16 registrations fit in a namespace", n)
try:
    k2.request("SOCKET_BYPASS", [u64(A["SOCKET_COOKIE"], fake + 99)])
    got = (0, "")
except Error as e:
    got = (e.errno, e.msg)
ok(got[0] == errno.ENOSPC and "KIPSEC_SOCKET_BYPASS_MAX" in got[1],
   "the 17th: ENOSPC naming the limit", got)
ok(bypass(ka, cookie(a4)) == 0, "an existing registration is still a no-op "
   "success at the limit")
k2.sock.close()
ok(bypass(ka, cookie(other_a)) == 0,
   "closing the netlink socket freed its registrations' room")
ok(passes(other_a, b4), "and the socket registered in that room passes")

# --- the owner's netlink socket closes: its registrations go ----------------
kb.sock.close()
with inside("sb-b"):
    kb = Kipsec()
da, db = drops(ka), drops(kb)
ok(not passes(a4, b4) and not passes(a6, b6),
   "after b's registering netlink socket closed, a -> b is dropped again")
ok(not passes(b4, a4) and not passes(conn_b, conn_a),
   "and b -> a too")
ok(drops(kb)[1] >= db[1] + 2 and drops(kb)[0] >= db[0] + 2,
   "counted unprotected (in) and no_sa_out (out) on b", (db, drops(kb)))
ok(drops(ka) == da, "a's registrations, still owned, kept working",
   (da, drops(ka)))

for ns in ("sb-a", "sb-b"):
    sh("ip", "netns", "del", ns)
finish()
