#!/usr/bin/python3
"""Events on the "events" group: SA and policy add/delete/flush, never a
key; a reserved SPI is announced before its update; stacking or removing
one instance of a policy is an update of it; lifetimes: a soft EXPIRE,
then a hard EXPIRE removing the SA."""
import os
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa
from kipsec_nl import (A, ALG, ESP, LT, POL, SA, TMPL, Kipsec, attr,  # noqa
                       flag, ip, parse_attrs, sa_attrs, sa_id, u8, u32, u64)




k = Kipsec()
k.request("SA_FLUSH", [])
k.request("POLICY_FLUSH", [])
ev = k.subscribe()

k.request("SA_NEW", [attr(A["SA"], sa_attrs(spi=0x7001, encr=(20, b"K" * 20)))])
e = ev.next()
ok(e and e[0] == "SA_NEW", "SA_NEW event", e)
sa = parse_attrs(e[1][A["SA"]][0]) if e else {}
enc = parse_attrs(sa[SA["ENCR"]][0]) if SA["ENCR"] in sa else {}
ok(ALG["ID"] in enc and ALG["KEY"] not in enc,
   "the event names the algorithm but carries no key", enc)

k.request("POLICY_NEW", [attr(A["POLICY"], [
    u8(POL["DIR"], 1), ip(POL["SRC"], "10.1.0.0"), ip(POL["DST"], "10.2.0.0"),
    u8(POL["SRC_PLEN"], 16), u8(POL["DST_PLEN"], 16), u8(POL["ACTION"], 2),
    attr(POL["TEMPLATES"], [attr(POL["TEMPLATE"], [u8(TMPL["PROTO"], ESP)])])])])
e = ev.next()
ok(e and e[0] == "POLICY_NEW", "POLICY_NEW event", e)
k.request("SA_DEL", sa_id(0x7001))
e = ev.next()
ok(e and e[0] == "SA_DEL", "SA_DEL event", e)
k.request("POLICY_FLUSH", [])
e = ev.next()
ok(e and e[0] == "POLICY_FLUSH", "POLICY_FLUSH event", e)


def u32_of(nest, key):
    return struct.unpack("=I", nest[key][0])[0] if key in nest else None


# A reserved SPI: announced when reserved, then updated into a full SA.
r = k.request("SA_ALLOC_SPI", [attr(A["SA"], [
    u8(SA["PROTO"], ESP), ip(SA["SRC"], "192.0.2.1"),
    ip(SA["DST"], "192.0.2.2"), u32(SA["REQID"], 7)])])
spi = u32_of(parse_attrs(r[0][A["SA"]][0]), SA["SPI"])
e = ev.next()
sa = parse_attrs(e[1][A["SA"]][0]) if e and A["SA"] in e[1] else {}
ok(e and e[0] == "SA_NEW" and u32_of(sa, SA["SPI"]) == spi and
   sa[SA["STATE"]][0] == b"\x00",
   "ALLOC_SPI announces the reserved (larval) SA", e)
k.request("SA_UPDATE", [attr(A["SA"], sa_attrs(spi=spi))])
e = ev.next()
sa = parse_attrs(e[1][A["SA"]][0]) if e and A["SA"] in e[1] else {}
ok(e and e[0] == "SA_UPDATE" and sa[SA["STATE"]][0] == b"\x01",
   "its completion is an SA_UPDATE of the same SA", e)
k.request("SA_DEL", sa_id(spi))
ev.next()


# Stacked instances (an IKE rekey): one policy, updated, not created twice;
# removing one instance updates it, removing the last deletes it.
def stacked_policy(spi, spi_attr=False):
    sel = [u8(POL["DIR"], 1), ip(POL["SRC"], "10.5.0.0"),
           ip(POL["DST"], "10.6.0.0"), u8(POL["SRC_PLEN"], 16),
           u8(POL["DST_PLEN"], 16)]
    if spi_attr:
        return [attr(A["POLICY"], sel + [u32(POL["SA_SPI"], spi)])]
    return [attr(A["POLICY"], sel + [u8(POL["ACTION"], 2), attr(
        POL["TEMPLATES"], [attr(POL["TEMPLATE"], [
            u8(TMPL["PROTO"], ESP), u32(TMPL["SPI"], spi)])])])]


def instances(e):
    pol = parse_attrs(e[1][A["POLICY"]][0]) if e and A["POLICY"] in e[1] \
        else {}
    return (e and e[0], u32_of(pol, POL["INSTANCES"]))


k.request("POLICY_NEW", stacked_policy(0x111))
first = instances(ev.next())
k.request("POLICY_NEW", stacked_policy(0x222) + [flag(A["POLICY_STACK"])])
second = instances(ev.next())
ok(first == ("POLICY_NEW", 1) and second == ("POLICY_UPDATE", 2),
   "stacking a second instance announces POLICY_UPDATE, not a second "
   "POLICY_NEW", (first, second))
k.request("POLICY_DEL", stacked_policy(0x111, spi_attr=True))
e = instances(ev.next())
ok(e == ("POLICY_UPDATE", 1),
   "removing one of two instances announces POLICY_UPDATE with the rest", e)
k.request("POLICY_DEL", stacked_policy(0x222, spi_attr=True))
e = instances(ev.next())
ok(e == ("POLICY_DEL", 1), "removing the last one announces POLICY_DEL", e)

# Lifetimes: soft after 1 s, hard after 3 s (checked once a second).
k.request("SA_NEW", [attr(A["SA"], sa_attrs(spi=0x7002, extra=[
    u32(SA["REQID"], 42),
    attr(SA["LIFETIME_SOFT"], [u64(LT["ADD_SECONDS"], 1)]),
    attr(SA["LIFETIME_HARD"], [u64(LT["ADD_SECONDS"], 3)])]))])
ok(ev.next()[0] == "SA_NEW", "SA_NEW event for the short-lived SA")
start = time.monotonic()
e = ev.next(timeout=10)
soft_at = time.monotonic() - start
ok(e and e[0] == "EXPIRE" and A["EXPIRE_HARD"] not in e[1],
   "a soft EXPIRE arrives first", e)
sa = parse_attrs(e[1][A["SA"]][0]) if e else {}
ok(sa and struct.unpack("=I", sa[SA["SPI"]][0])[0] == 0x7002 and
   struct.unpack("=I", sa[SA["REQID"]][0])[0] == 42,
   "the EXPIRE names the SA (SPI, reqid)")
e = ev.next(timeout=10)
hard_at = time.monotonic() - start
ok(e and e[0] == "EXPIRE" and A["EXPIRE_HARD"] in e[1],
   "then a hard EXPIRE", e)
ok(soft_at < hard_at and hard_at < 6, "in order and on time",
   (soft_at, hard_at))
ok(len(k.dump("SA_GET")) == 0, "the hard expiry removed the SA")
e = ev.next(timeout=2)
ok(e is None, "no further event for it", e)

finish()
