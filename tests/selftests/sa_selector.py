#!/usr/bin/python3
"""SA selectors (RFC 4301 5.2, 4.4.2.1). Gateway A (kipsec) protects two
subnets behind peer B (the kernel's XFRM): 10.2.0.0/24 and 10.3.0.0/24,
each with its own pair of tunnel SAs, and policies whose templates name no
reqid, as plain setkey files write them. Every SA on A carries the
selector of its subnet (-sel).

Inbound: B sends traffic from both subnets through the SA of 10.2.0.0/24.
Without SA selectors A accepted both (the policy for 10.3.0.0/24 is happy
with any ESP tunnel from B); with them, 10.3.0.0/24's packets are dropped
as selector_mismatch and counted on the SA they came through.

Outbound: both of A's SAs to B fit both policies' templates. Without
selectors the newest SA carried both subnets' traffic and B (whose XFRM
states check their selectors) dropped half; with them each subnet's
traffic leaves through its own SA."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa
from netns import kipsec_drops, pair, sh  # noqa
from traffic import udp_arrivals  # noqa

NSA, NSB = "sel-a", "sel-b"
GW_A, GW_B = "192.0.2.1", "192.0.2.2"
HOST_A, HOST_2, HOST_3 = "10.1.0.1", "10.2.0.5", "10.3.0.5"
PORT, COUNT = 7000, 20
KEYS = {spi: "0x" + ("%02x" % (spi & 0xff)) * 20
        for spi in (0x6102, 0x6103, 0x6202, 0x6203)}


def drops(reason):
    return kipsec_drops(NSA, reason)


def sa_stats():
    out = sh("kipsec", "-jDK", ns=NSA, quiet=True).stdout
    return {sa["spi"]: sa for sa in json.loads(out)}


def send_and_count(src_ns, src, dst_ns, dst):
    """COUNT datagrams from @src to @dst; how many arrived."""
    return udp_arrivals(src_ns, dst_ns, dst, PORT, COUNT, src=src, tag=b"sel")


pair(NSA, NSB, "sel")
sh("ip", "addr", "add", GW_A + "/24", "dev", "sel-a", ns=NSA)
sh("ip", "addr", "add", GW_B + "/24", "dev", "sel-b", ns=NSB)
sh("ip", "addr", "add", HOST_A + "/32", "dev", "lo", ns=NSA)
sh("ip", "addr", "add", HOST_2 + "/32", "dev", "lo", ns=NSB)
sh("ip", "addr", "add", HOST_3 + "/32", "dev", "lo", ns=NSB)
for net in ("10.2.0.0/24", "10.3.0.0/24"):
    sh("ip", "route", "add", net, "via", GW_B, ns=NSA)
sh("ip", "route", "add", "10.1.0.0/24", "via", GW_A, ns=NSB)
sh("ping", "-c1", "-W2", GW_B, ns=NSA, quiet=True)

conf = "".join([
    "spdadd 10.2.0.0/24 10.1.0.0/24 any -P in ipsec esp/tunnel/%s-%s/require;\n" % (GW_B, GW_A),
    "spdadd 10.3.0.0/24 10.1.0.0/24 any -P in ipsec esp/tunnel/%s-%s/require;\n" % (GW_B, GW_A),
    "spdadd 10.1.0.0/24 10.2.0.0/24 any -P out ipsec esp/tunnel/%s-%s/require;\n" % (GW_A, GW_B),
    "spdadd 10.1.0.0/24 10.3.0.0/24 any -P out ipsec esp/tunnel/%s-%s/require;\n" % (GW_A, GW_B),
    "add %s %s esp 0x6102 -m tunnel -sel 10.2.0.0/24 10.1.0.0/24 any -E aes-gcm-16 %s;\n"
    % (GW_B, GW_A, KEYS[0x6102]),
    "add %s %s esp 0x6103 -m tunnel -sel 10.3.0.0/24 10.1.0.0/24 any -E aes-gcm-16 %s;\n"
    % (GW_B, GW_A, KEYS[0x6103]),
    # 0x6203 is added last: without selectors it was the one both used.
    "add %s %s esp 0x6202 -m tunnel -sel 10.1.0.0/24 10.2.0.0/24 any -E aes-gcm-16 %s;\n"
    % (GW_A, GW_B, KEYS[0x6202]),
    "add %s %s esp 0x6203 -m tunnel -sel 10.1.0.0/24 10.3.0.0/24 any -E aes-gcm-16 %s;\n"
    % (GW_A, GW_B, KEYS[0x6203]),
])
res = sh("bash", "-c", "printf '%s' \"$1\" | kipsec -f -", "x", conf,
         ns=NSA, check=False)
ok(res.returncode == 0, "SAs with -sel and policies without reqid installed",
   res.stderr)

dump = sh("kipsec", "-D", ns=NSA, quiet=True).stdout
ok("selector: 10.2.0.0/24[any] 10.1.0.0/24[any] any" in dump,
   "kipsec -D shows the selector the kernel kept", dump)


def xfrm_state(src, dst, spi, reqid, sel):
    sh("ip", "xfrm", "state", "add", "src", src, "dst", dst, "proto", "esp",
       "spi", hex(spi), "reqid", str(reqid), "mode", "tunnel", "aead",
       "rfc4106(gcm(aes))", KEYS[spi], "128", *sel, ns=NSB)


# B: its states towards A have no selector, and its one outbound policy
# for both subnets uses reqid 2, the SA of 10.2.0.0/24 (what a peer that
# misbehaves, or is compromised, can do). Its inbound states check theirs.
xfrm_state(GW_B, GW_A, 0x6102, 2, [])
xfrm_state(GW_B, GW_A, 0x6103, 3, [])
xfrm_state(GW_A, GW_B, 0x6202, 12, ["sel", "src", "10.1.0.0/24", "dst", "10.2.0.0/24"])
xfrm_state(GW_A, GW_B, 0x6203, 13, ["sel", "src", "10.1.0.0/24", "dst", "10.3.0.0/24"])
sh("ip", "xfrm", "policy", "add", "src", "10.2.0.0/15", "dst", "10.1.0.0/24",
   "dir", "out", "tmpl", "src", GW_B, "dst", GW_A, "proto", "esp",
   "mode", "tunnel", "reqid", "2", "level", "required", ns=NSB)
for net in ("10.2.0.0/24", "10.3.0.0/24"):
    sh("ip", "xfrm", "policy", "add", "src", "10.1.0.0/24", "dst", net,
       "dir", "in", "tmpl", "src", GW_A, "dst", GW_B, "proto", "esp",
       "mode", "tunnel", "level", "required", ns=NSB)

# --- inbound --------------------------------------------------------------
before = drops("selector_mismatch")
got2 = send_and_count(NSB, HOST_2, NSA, HOST_A)
ok(got2 == COUNT, "10.2.0.5 -> A through its own SA: all %d arrive" % COUNT,
   got2)
got3 = send_and_count(NSB, HOST_3, NSA, HOST_A)
ok(got3 == 0, "10.3.0.5 -> A through 10.2.0.0/24's SA: none arrive", got3)
ok(drops("selector_mismatch") - before == COUNT,
   "each is counted as selector_mismatch",
   drops("selector_mismatch") - before)
st = sa_stats()
ok(st[0x6102]["stats"]["packets_in"] == 2 * COUNT and
   st[0x6102]["stats"]["other_drops"] == COUNT and
   st[0x6103]["stats"]["packets_in"] == 0,
   "the SA they came through verified all and counts the drops",
   {k: v["stats"] for k, v in st.items()})

# --- outbound -------------------------------------------------------------
got2 = send_and_count(NSA, HOST_A, NSB, HOST_2)
got3 = send_and_count(NSA, HOST_A, NSB, HOST_3)
st = sa_stats()
ok(st[0x6202]["stats"]["packets_out"] == COUNT and
   st[0x6203]["stats"]["packets_out"] == COUNT,
   "A sends each subnet's traffic through the SA whose selector takes it",
   {k: v["stats"]["packets_out"] for k, v in st.items()})
ok(got2 == COUNT and got3 == COUNT,
   "B's XFRM accepts both streams (its states check their selectors)",
   (got2, got3))

finish()
