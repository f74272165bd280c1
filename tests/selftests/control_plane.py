#!/usr/bin/python3
"""The control plane through raw netlink: SA and policy round trips,
alloc-SPI, validation (precise errno and message, no state change), EPERM,
events, lifetimes, and namespace isolation."""
import errno
import json
import os
import socket
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa
from kipsec_nl import (A, ALG, AH, CMD, ESP, LT, POL, SA, TMPL, Error, Kipsec,  # noqa
                       as_nobody,
                       NLM_F_APPEND, attr, flag, ip, parse_attrs, sa_attrs,
                       sa_id, u8, u16, u32, u64)




def expect_error(k, cmd, attrs, err, text, desc, flags=0, reserved=0):
    """The request fails with @err, a message containing @text, and the
    namespace's SAs and policies are exactly as before."""
    before = state(k)
    try:
        k.request(cmd, attrs, flags, reserved)
        ok(False, desc, "accepted")
    except Error as e:
        ok(e.errno == err and text in e.msg, desc,
           "got %s %r" % (errno.errorcode.get(e.errno), e.msg))
    ok(state(k) == before, desc + ": nothing changed")


def state(k):
    sas = sorted(repr(sorted((t, v) for t, v in parse_attrs(r[A["SA"]][0]).items()
                             if t not in (SA["CURRENT"],)))
                 for r in k.dump("SA_GET"))
    pols = sorted(repr(r[A["POLICY"]]) for r in k.dump("POLICY_GET"))
    return sas, pols


def sa_of(reply):
    return parse_attrs(reply[A["SA"]][0])


def get_u32(attrs, t):
    return struct.unpack("=I", attrs[t][0])[0]


def policy(direction=1, src="10.1.0.0", splen=16, dst="10.2.0.0", dplen=16,
           action=2, templates=None, extra=()):
    inner = [u8(POL["DIR"], direction), ip(POL["SRC"], src),
             ip(POL["DST"], dst), u8(POL["SRC_PLEN"], splen),
             u8(POL["DST_PLEN"], dplen), u8(POL["ACTION"], action)]
    if templates is None and action == 2:
        templates = [[u8(TMPL["PROTO"], ESP)]]
    if templates:
        inner.append(attr(POL["TEMPLATES"],
                          [attr(POL["TEMPLATE"], t) for t in templates]))
    return [attr(A["POLICY"], inner + list(extra))]


k = Kipsec()
k.request("SA_FLUSH", [])
k.request("POLICY_FLUSH", [])

# --- SA round trips -------------------------------------------------------
gcm_key = bytes(range(20))
# Without integrity nothing authenticates the sequence number: no window.
k.request("SA_NEW", [attr(A["SA"], sa_attrs(spi=0x1002, encr=(12, bytes(16))))])
got = sa_of(k.request("SA_GET", sa_id(0x1002))[0])
ok(get_u32(got, SA["REPLAY_WINDOW"]) == 0,
   "encryption-only ESP: the replay window defaults to 0",
   get_u32(got, SA["REPLAY_WINDOW"]))
k.request("SA_DEL", sa_id(0x1002))

k.request("SA_NEW", [attr(A["SA"], sa_attrs(spi=0x1001, encr=(20, gcm_key),
                                            extra=[u32(SA["REQID"], 7)]))])
got = sa_of(k.request("SA_GET", sa_id(0x1001))[0])
enc = parse_attrs(got[SA["ENCR"]][0])
ok(get_u32(got, SA["SPI"]) == 0x1001 and got[SA["STATE"]][0] == b"\x01",
   "SA_NEW then SA_GET returns the SA, mature")
ok(enc[ALG["KEY"]][0] == gcm_key and
   struct.unpack("=H", enc[ALG["ID"]][0])[0] == 20,
   "SA_GET returns the transform ID and key+salt as given")
ok(get_u32(got, SA["REQID"]) == 7 and
   get_u32(got, SA["REPLAY_WINDOW"]) == 1024,
   "reqid kept; replay window defaults to 1024")

# KIPSEC_A_SA_NO_KEYS: the same SA, dumped and got, without its key.
nokeys = [flag(A["SA_NO_KEYS"])]
dumped = [sa_of(r) for r in k.dump("SA_GET", nokeys)]
one = sa_of(k.request("SA_GET", sa_id(0x1001) + nokeys)[0])
ok(len(dumped) == 1 and all(ALG["KEY"] not in parse_attrs(s[SA["ENCR"]][0])
                            for s in dumped + [one]) and
   get_u32(dumped[0], SA["SPI"]) == 0x1001,
   "SA_GET with KIPSEC_A_SA_NO_KEYS (dump and doit): the SA without its key")

k.request("SA_NEW", [attr(A["SA"], sa_attrs(
    proto=AH, spi=0x2001, src="2001:db8::1", dst="2001:db8::2", encr=None,
    integ=(12, bytes(32))))])
k.request("SA_NEW", [attr(A["SA"], sa_attrs(
    spi=0x3001, encr=(12, bytes(16)), integ=(12, bytes(32)),
    extra=[u8(SA["MODE"], 1), u32(SA["FLAGS"], 1)]))])
ok(len(k.dump("SA_GET")) == 3, "SA dump lists all three SAs")
ok(len(k.dump("SA_GET", [u8(A["SA_PROTO_FILTER"], AH)])) == 1,
   "SA dump filtered by protocol lists the AH SA only")

k.request("SA_UPDATE", [attr(A["SA"], [
    u8(SA["PROTO"], ESP), u32(SA["SPI"], 0x1001), ip(SA["DST"], "192.0.2.2"),
    attr(SA["LIFETIME_HARD"], [u64(LT["ADD_SECONDS"], 3600)])])])
got = sa_of(k.request("SA_GET", sa_id(0x1001))[0])
hard = parse_attrs(got[SA["LIFETIME_HARD"]][0])
ok(struct.unpack("=Q", hard[LT["ADD_SECONDS"]][0])[0] == 3600,
   "SA_UPDATE changes the hard lifetime of an established SA")

# KIPSEC_SA_A_SELECTOR: kept as given (IPv6 inside an IPv4 tunnel SA).
sel6 = [ip(POL["SRC"], "2001:db8:1::"), u8(POL["SRC_PLEN"], 48),
        ip(POL["DST"], "2001:db8:2::"), u8(POL["DST_PLEN"], 48),
        u8(POL["PROTO"], 6), u16(POL["DPORT"], 443)]
k.request("SA_NEW", [attr(A["SA"], sa_attrs(
    spi=0x1003, extra=[u8(SA["MODE"], 1), attr(SA["SELECTOR"], sel6)]))])
got = sa_of(k.request("SA_GET", sa_id(0x1003))[0])
sel = parse_attrs(got[SA["SELECTOR"]][0]) if SA["SELECTOR"] in got else {}
ok(sel.get(POL["SRC"]) == [socket.inet_pton(socket.AF_INET6, "2001:db8:1::")]
   and sel.get(POL["DST_PLEN"]) == [b"\x30"] and sel.get(POL["PROTO"]) == [b"\x06"]
   and sel.get(POL["DPORT"]) == [struct.pack("=H", 443)]
   and POL["SPORT"] not in sel,
   "SA_NEW with a selector, SA_GET returns it as given", sel)
k.request("SA_DEL", sa_id(0x1003))

k.request("SA_DEL", sa_id(0x1001))
ok(len(k.dump("SA_GET")) == 2, "SA_DEL removes the SA")
k.request("SA_FLUSH", [u8(A["SA_PROTO_FILTER"], AH)])
ok(len(k.dump("SA_GET")) == 1, "SA_FLUSH esp/ah filter removes only AH SAs")
k.request("SA_FLUSH", [])
ok(len(k.dump("SA_GET")) == 0, "SA_FLUSH removes everything")

# --- alloc-SPI: reserve, complete with update, release -------------------
r = k.request("SA_ALLOC_SPI", [attr(A["SA"], [
    u8(SA["PROTO"], ESP), ip(SA["SRC"], "192.0.2.1"),
    ip(SA["DST"], "192.0.2.2"), u32(SA["REQID"], 9),
    u32(SA["SPI_MIN"], 0xc0000000), u32(SA["SPI_MAX"], 0xc00000ff)])])
spi = get_u32(sa_of(r[0]), SA["SPI"])
ok(0xc0000000 <= spi <= 0xc00000ff, "ALLOC_SPI picks an SPI in the range")
larval = sa_of(k.request("SA_GET", sa_id(spi))[0])
ok(larval[SA["STATE"]][0] == b"\x00", "the reserved SA is larval")
k.request("SA_UPDATE", [attr(A["SA"], sa_attrs(spi=spi))])
mature = sa_of(k.request("SA_GET", sa_id(spi))[0])
ok(mature[SA["STATE"]][0] == b"\x01" and get_u32(mature, SA["REQID"]) == 9,
   "SA_UPDATE completes the larval SA and keeps its reqid")
r = k.request("SA_ALLOC_SPI", [attr(A["SA"], [
    u8(SA["PROTO"], ESP), ip(SA["SRC"], "192.0.2.1"),
    ip(SA["DST"], "192.0.2.2"), u32(SA["SPI_MIN"], 5000),
    u32(SA["SPI_MAX"], 5000)])])
k.request("SA_DEL", sa_id(5000))
ok(len(k.dump("SA_GET")) == 1, "deleting a reserved SPI releases it")
try:
    for _ in range(2):
        k.request("SA_ALLOC_SPI", [attr(A["SA"], [
            u8(SA["PROTO"], ESP), ip(SA["SRC"], "192.0.2.1"),
            ip(SA["DST"], "192.0.2.2"), u32(SA["SPI_MIN"], 6000),
            u32(SA["SPI_MAX"], 6000)])])
    ok(False, "ALLOC_SPI on a full range fails")
except Error as e:
    ok(e.errno == errno.ENOSPC, "ALLOC_SPI on a full range fails with ENOSPC",
       e)
k.request("SA_FLUSH", [])

# ALLOC_SPI's reply is its result: when the requester's receive queue is
# full, the reply cannot be delivered, and the reserved SA must go again
# rather than stay reserved for nobody.
full = Kipsec()
full.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)


def send_only(kk, cmd, attrs):
    """A request whose answer is never read."""
    kk.seq += 1
    body = struct.pack("=BBH", CMD[cmd], 1, 0) + b"".join(attrs)
    kk.sock.send(struct.pack("=IHHII", 16 + len(body), kk.family,
                             1 | 4, kk.seq, 0) + body)   # REQUEST | ACK


for _ in range(64):   # error ACKs nobody reads fill the queue
    send_only(full, "SA_GET", sa_id(0x7777))
send_only(full, "SA_ALLOC_SPI", [attr(A["SA"], [
    u8(SA["PROTO"], ESP), ip(SA["SRC"], "198.51.100.7"),
    ip(SA["DST"], "198.51.100.8")])])
full.sock.close()
left = [s_ for s_ in map(sa_of, k.dump("SA_GET"))
        if s_[SA["DST"]][0] == bytes([198, 51, 100, 8])]
ok(left == [], "ALLOC_SPI whose reply cannot be delivered leaves no larval "
   "SA behind", len(left))

# --- policies --------------------------------------------------------------
NLM_F_ECHO = 0x8
r = k.request("POLICY_NEW", policy(src="10.9.0.0", dst="10.8.0.0"))
ok(r == [], "POLICY_NEW without NLM_F_ECHO: the ACK and no reply message "
   "(a reply that could fail after the commit)", r)
k.request("POLICY_FLUSH", [])
r = k.request("POLICY_NEW", policy(), NLM_F_ECHO)
pol = parse_attrs(r[0][A["POLICY"]][0])
index = get_u32(pol, POL["INDEX"])
ok(index > 0, "POLICY_NEW with NLM_F_ECHO replies with the policy's index")
got = parse_attrs(k.request("POLICY_GET", [attr(A["POLICY"], [
    u32(POL["INDEX"], index)])])[0][A["POLICY"]][0])
ok(got[POL["DST_PLEN"]][0] == b"\x10", "POLICY_GET by index")
ok(get_u32(got, POL["PRIORITY"]) == 0x80000000,
   "a policy without a priority gets setkey's default (0x80000000), as the "
   "CLI sends it", hex(get_u32(got, POL["PRIORITY"])))
k.request("POLICY_NEW", policy(
    direction=0, src="fec0::2", splen=128, dst="fec0::1", dplen=128,
    templates=[[u8(TMPL["PROTO"], ESP)], [u8(TMPL["PROTO"], AH)]]))
k.request("POLICY_NEW", policy(
    direction=1, src="10.0.1.0", splen=24, dst="10.0.2.0", dplen=24,
    templates=[[u8(TMPL["PROTO"], ESP), u8(TMPL["MODE"], 1),
                ip(TMPL["SRC"], "172.16.0.1"), ip(TMPL["DST"], "172.16.0.2")]]))
ok(len(k.dump("POLICY_GET")) == 3,
   "policy dump lists transport, ESP+AH bundle and tunnel policies")

# Rekey: stack a second instance naming a new SPI, then remove the old one.
def rekey_policy(spi=None):
    t = [u8(TMPL["PROTO"], ESP)] + ([u32(TMPL["SPI"], spi)] if spi else [])
    return policy(src="10.3.0.0", dst="10.4.0.0", templates=[t])


def instances():
    got = k.request("POLICY_GET", rekey_policy())[0][A["POLICY"]][0]
    return get_u32(parse_attrs(got), POL["INSTANCES"])


k.request("POLICY_NEW", rekey_policy(0x111))
k.request("POLICY_NEW", rekey_policy(0x222) + [flag(A["POLICY_STACK"])])
ok(instances() == 2,
   "KIPSEC_A_POLICY_STACK stacks a second instance (IKE rekey)")
k.request("POLICY_DEL", [attr(A["POLICY"], [
    u8(POL["DIR"], 1), ip(POL["SRC"], "10.3.0.0"), ip(POL["DST"], "10.4.0.0"),
    u8(POL["SRC_PLEN"], 16), u8(POL["DST_PLEN"], 16),
    u32(POL["SA_SPI"], 0x111)])])
ok(instances() == 1, "deleting by SPI removes only that instance")
k.request("POLICY_DEL", [attr(A["POLICY"], [
    u8(POL["DIR"], 1), ip(POL["SRC"], "10.3.0.0"), ip(POL["DST"], "10.4.0.0"),
    u8(POL["SRC_PLEN"], 16), u8(POL["DST_PLEN"], 16),
    u32(POL["SA_SPI"], 0x222)])])
ok(len(k.dump("POLICY_GET")) == 3, "the policy goes with its last instance")

# The largest policy there may be: four instances (the stacking limit) of
# four IPv6 tunnel templates. Reply, dump and event carry all of it; a
# fifth instance is refused, and nothing changes.
def big_policy(spi):
    tmpls = [[u8(TMPL["PROTO"], ESP), u8(TMPL["MODE"], 1),
              ip(TMPL["SRC"], "2001:db8:%x::1" % i),
              ip(TMPL["DST"], "2001:db8:%x::2" % i),
              u32(TMPL["REQID"], 0xffffff00 + i), u32(TMPL["SPI"], spi + i)]
             for i in range(4)]
    return [attr(A["POLICY"], [
        u8(POL["DIR"], 1), ip(POL["SRC"], "2001:db8:aaaa::"),
        ip(POL["DST"], "2001:db8:bbbb::"), u8(POL["SRC_PLEN"], 48),
        u8(POL["DST_PLEN"], 48), u8(POL["PROTO"], 6), u16(POL["SPORT"], 1),
        u16(POL["DPORT"], 2), u8(POL["ACTION"], 2),
        attr(POL["TEMPLATES"], [attr(POL["TEMPLATE"], t) for t in tmpls])])]


def big_instances(msg_attrs):
    pol = parse_attrs(msg_attrs[A["POLICY"]][0])
    return (get_u32(pol, POL["INSTANCES"]),
            [len(parse_attrs(t).get(POL["TEMPLATE"], []))
             for t in pol.get(POL["TEMPLATES"], [])])


events = k.subscribe()
k.request("POLICY_NEW", big_policy(0x10000))
for n in range(1, 4):
    k.request("POLICY_NEW", big_policy(0x10000 * (n + 1)) +
              [flag(A["POLICY_STACK"])])
last_event = None
while True:
    ev = events.next(timeout=1)
    if ev is None:
        break
    last_event = ev
got = k.request("POLICY_GET", big_policy(0))[0]
dumped = [r for r in k.dump("POLICY_GET")
          if big_instances(r)[1] == [4, 4, 4, 4]]
ok(big_instances(got) == (4, [4, 4, 4, 4]) and len(dumped) == 1 and
   last_event is not None and big_instances(last_event[1]) == (4, [4, 4, 4, 4]),
   "4 stacked instances of 4 IPv6 tunnel templates: reply, dump and event "
   "carry every one", (big_instances(got), len(dumped),
                       last_event and big_instances(last_event[1])))
# The CLI shows the newest instance as the policy's templates, the older
# ones (their SAs being retired) after it, newest first.
cli = json.loads(subprocess.run(["kipsec", "-j", "-DP"], capture_output=True,
                                text=True).stdout)
big = [p for p in cli if p["src"] == "2001:db8:aaaa::"]
ok(len(big) == 1 and [t["spi"] for t in big[0]["templates"]] ==
   [0x40000 + i for i in range(4)] and
   [[t["spi"] for t in inst] for inst in big[0]["older_instances"]] ==
   [[0x10000 * n + i for i in range(4)] for n in (3, 2, 1)],
   "kipsec -j -DP: the newest instance first, then the retiring ones",
   big and (big[0]["templates"][0]["spi"], len(big[0]["older_instances"])))
expect_error(k, "POLICY_NEW", big_policy(0x50000) + [flag(A["POLICY_STACK"])],
             errno.ENOSPC, "a policy stacks at most 4 instances",
             "a fifth instance")
# Stacking is an attribute, not a netlink flag: every command's header is
# checked, so a flag kipsec would ignore, or a future meaning, is refused.
expect_error(k, "POLICY_NEW", big_policy(0x50000), errno.EINVAL,
             "reserved bits set in nlmsg_flags",
             "NLM_F_APPEND (no longer how to stack) is refused", NLM_F_APPEND)
expect_error(k, "SA_NEW", [attr(A["SA"], sa_attrs(spi=0x5002))], errno.EINVAL,
             "genlmsghdr.reserved field is not 0",
             "a request with genlmsghdr.reserved set is refused", reserved=1)
k.request("POLICY_DEL", big_policy(0))

k.request("POLICY_UPDATE", policy(action=0))
got = parse_attrs(k.request("POLICY_GET", [attr(A["POLICY"], [
    u32(POL["INDEX"], index)])])[0][A["POLICY"]][0])
ok(got[POL["ACTION"]][0] == b"\x00" and POL["TEMPLATES"] not in got,
   "POLICY_UPDATE replaces the action, keeping the index")
k.request("POLICY_DEL", [attr(A["POLICY"], [u32(POL["INDEX"], index)])])
ok(len(k.dump("POLICY_GET")) == 2, "POLICY_DEL by index")
k.request("POLICY_FLUSH", [])
ok(len(k.dump("POLICY_GET")) == 0, "POLICY_FLUSH removes everything")

# --- validation: precise errors, no state change --------------------------
k.request("SA_NEW", [attr(A["SA"], sa_attrs(spi=0x4001))])
k.request("POLICY_NEW", policy())
E = errno
bad = [
    ("SA_NEW", sa_attrs(spi=0x5001, encr=(99, bytes(16))), E.EOPNOTSUPP,
     "encryption transform 99 is not supported", "unknown algorithm"),
    ("SA_NEW", sa_attrs(spi=0x5001, encr=(3, bytes(21)), integ=(2, bytes(20))),
     E.EINVAL, "3des-cbc needs a 192-bit key, got 168 bits",
     "the seeds' 21-byte 3des-cbc key"),
    ("SA_NEW", sa_attrs(spi=0x5001, encr=(12, bytes(13)), integ=(12, bytes(32))),
     E.EINVAL, "aes-cbc needs a 128-, 192- or 256-bit key, got 104 bits",
     "wrong AES key length"),
    ("SA_NEW", sa_attrs(proto=AH, spi=0x5001, encr=(12, bytes(16)),
                        integ=(12, bytes(32))),
     E.EINVAL, "AH does not encrypt", "AH with an encryption key"),
    ("SA_NEW", sa_attrs(spi=0x5001, encr=(20, bytes(20)), integ=(12, bytes(32))),
     E.EINVAL, "protects integrity itself", "AEAD plus integrity"),
    ("SA_NEW", sa_attrs(spi=0x5001, encr=None), E.EINVAL,
     "ESP needs an encryption algorithm", "ESP with neither transform"),
    ("SA_NEW", sa_attrs(spi=0x5001, dst="2001:db8::2"), E.EINVAL,
     "not of the same family", "SA with mixed address families"),
    ("SA_NEW", sa_attrs(spi=255), E.ERANGE, "integer out of range",
     "SPI 255 (reserved: the attribute policy's minimum is 256)"),
    ("SA_NEW", sa_attrs(spi=0x4001), E.EEXIST, "an SA with this destination",
     "duplicate SA"),
    ("SA_NEW", sa_attrs(spi=0x5001, extra=[u32(SA["REPLAY_WINDOW"], 65537)]),
     E.EINVAL, "replay window 65537 is out of range", "replay window too big"),
    ("SA_NEW", sa_attrs(spi=0x5001, extra=[u32(SA["REPLAY_WINDOW"], 16)]),
     E.EINVAL, "replay window 16 is out of range", "replay window too small"),
    ("SA_NEW", sa_attrs(spi=0x5001, encr=(12, bytes(16)),
                        extra=[u32(SA["REPLAY_WINDOW"], 64)]),
     E.EINVAL, "replay window 64 needs integrity protection",
     "a replay window on encryption-only ESP (RFC 4303 3.4.3)"),
    ("SA_NEW", sa_attrs(spi=0x5001, extra=[
        attr(SA["LIFETIME_SOFT"], [u64(LT["ADD_SECONDS"], 100)]),
        attr(SA["LIFETIME_HARD"], [u64(LT["ADD_SECONDS"], 50)])]),
     E.EINVAL, "soft lifetime (seconds since add) must not exceed",
     "soft lifetime above hard"),
    ("SA_NEW", sa_attrs(spi=0x5001, extra=[attr(99, b"x")]), E.EINVAL, "",
     "unknown attribute inside the SA"),
    ("SA_NEW", sa_attrs(spi=0x5001, extra=[u8(SA["STATE"], 1)]), E.EINVAL, "",
     "reply-only attribute in a request"),
    ("SA_NEW", sa_attrs(spi=0x5001, extra=[u64(SA["SEQ_OUT"], 1 << 32)]),
     E.EINVAL, "need extended sequence numbers",
     "a 33-bit starting sequence number without ESN"),
    ("SA_NEW", sa_attrs(spi=0x5001)[:3] + [attr(SA["DST"], b"\1\2\3\4\5")],
     E.EINVAL, "must be 4 (IPv4) or 16 (IPv6) bytes, got 5",
     "5-byte address"),
    ("SA_NEW", sa_attrs(spi=0x5001)[1:], E.EINVAL,
     "needs its protocol", "SA without protocol"),
    ("SA_NEW", sa_attrs(spi=0x5001, extra=[attr(SA["SELECTOR"], [
        ip(POL["SRC"], "10.0.0.0"), u8(POL["SRC_PLEN"], 8)])]), E.EINVAL,
     "a selector needs source and destination", "SA selector without destination"),
    ("SA_NEW", sa_attrs(spi=0x5001, extra=[attr(SA["SELECTOR"], [
        u8(POL["DIR"], 0), ip(POL["SRC"], "10.0.0.1"),
        ip(POL["DST"], "10.0.0.2")])]), E.EINVAL, "",
     "SA selector with a policy direction in it"),
    ("SA_NEW", sa_attrs(spi=0x5001, extra=[attr(SA["SELECTOR"], [
        ip(POL["SRC"], "10.0.0.1"), ip(POL["DST"], "10.0.0.2"),
        u16(POL["DPORT"], 80)])]), E.EINVAL, "ports need tcp",
     "SA selector with a port but no protocol"),
    ("SA_NEW", sa_attrs(spi=0x5001, extra=[attr(SA["SELECTOR"], [
        ip(POL["SRC"], "2001:db8::1"), ip(POL["DST"], "2001:db8::2")])]),
     E.EINVAL, "transport-mode SA's selector must be of the SA's address family",
     "IPv6 selector on an IPv4 transport-mode SA"),
    ("SA_UPDATE", [attr(A["SA"], [
        u8(SA["PROTO"], ESP), u32(SA["SPI"], 0x4001), ip(SA["DST"], "192.0.2.2"),
        attr(SA["SELECTOR"], [ip(POL["SRC"], "10.0.0.1"),
                              ip(POL["DST"], "10.0.0.2")])])],
     E.EINVAL, "only the lifetimes and tunnel DF",
     "a selector cannot change on an established SA"),
    ("SA_DEL", sa_id(0x9999)[0:0] + [attr(A["SA"], [
        u8(SA["PROTO"], ESP), u32(SA["SPI"], 0x9999),
        ip(SA["DST"], "192.0.2.2")])], E.ENOENT, "no SA with this",
     "deleting a missing SA"),
]
for cmd, inner, err, text, desc in bad:
    expect_error(k, cmd, [attr(A["SA"], inner)] if cmd == "SA_NEW" else inner,
                 err, text, desc)
expect_error(k, "SA_NEW", [attr(A["SA"], sa_attrs(spi=0x5001)), attr(77, b"")],
             E.EINVAL, "", "unknown top-level attribute")
# Each command takes only its own attributes.
expect_error(k, "SA_NEW", [attr(A["SA"], sa_attrs(spi=0x5001)),
                           attr(A["POLICY"], [])],
             E.EINVAL, "Unsupported attribute", "a policy inside SA_NEW")
expect_error(k, "SA_NEW", [attr(A["SA"], sa_attrs(spi=0x5001)),
                           flag(A["POLICY_STACK"])],
             E.EINVAL, "Unsupported attribute", "POLICY_STACK on SA_NEW")
expect_error(k, "SA_GET", sa_id(0x4001) + [u8(A["SA_PROTO_FILTER"], ESP)],
             E.EINVAL, "the protocol filter is for dumps",
             "a protocol filter on a single SA_GET")
expect_error(k, "SA_FLUSH", [u8(A["SA_PROTO_FILTER"], 17)], E.ERANGE,
             "integer out of range", "flushing protocol 17 (only ESP or AH)")
expect_error(k, "POLICY_NEW", policy(src="10.9.0.0", templates=[[
    u8(TMPL["PROTO"], 17)]]), E.ERANGE, "integer out of range",
    "a template of protocol 17")
expect_error(k, "POLICY_NEW", policy(templates=[[u8(TMPL["PROTO"], ESP),
                                                 u8(TMPL["MODE"], 1)]],
                                     src="10.9.0.0"),
             E.EINVAL, "tunnel mode and needs both tunnel endpoints",
             "tunnel template without endpoints")
expect_error(k, "POLICY_NEW", policy(src="10.9.0.0", splen=33), E.EINVAL,
             "source prefix /33 is longer than the 32-bit address",
             "IPv4 prefix /33")
expect_error(k, "POLICY_NEW", policy(src="fec0::", splen=129, dst="fec0::1",
                                     dplen=128), E.ERANGE,
             "integer out of range",
             "IPv6 prefix /129 (the attribute policy's maximum is 128)")
expect_error(k, "POLICY_NEW", policy(src="10.9.0.1", splen=16), E.EINVAL,
             "source address has bits set beyond its /16 prefix",
             "host bits beyond the prefix")
expect_error(k, "POLICY_NEW", policy(src="10.9.0.0", dst="2001:db8::"),
             E.EINVAL, "not of the same family", "selector of mixed families")
expect_error(k, "POLICY_NEW", policy(), E.EEXIST,
             "a policy with this selector and direction exists",
             "duplicate policy")
expect_error(k, "POLICY_NEW", policy(src="10.9.0.0", templates=[]), E.EINVAL,
             "action ipsec needs at least one template", "ipsec without templates")
expect_error(k, "POLICY_NEW", policy(src="10.9.0.0", extra=[
    u16(POL["DPORT"], 80)]), E.EINVAL, "ports need tcp, udp",
    "ports without a port protocol")
expect_error(k, "POLICY_DEL", [attr(A["POLICY"], [u32(POL["INDEX"], 99999)])],
             E.ENOENT, "no policy", "deleting a missing policy")

# --- privilege ----------------------------------------------------------
ok(as_nobody(lambda kk: kk.request("SA_NEW", [attr(A["SA"], sa_attrs(
    spi=0x6001))])) == errno.EPERM, "SA_NEW without CAP_NET_ADMIN: EPERM")
ok(as_nobody(lambda kk: kk.dump("SA_GET")) == errno.EPERM,
   "dumping SAs (keys) without CAP_NET_ADMIN: EPERM")
ok(as_nobody(lambda kk: kk.request("STATS_GET", [])) == 0,
   "statistics need no privilege")
ok(len(k.dump("SA_GET")) == 1, "the unprivileged attempt changed nothing")

finish()
