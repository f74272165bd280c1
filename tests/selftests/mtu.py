#!/usr/bin/python3
"""Path MTU across SAs (issue #5). Host H sits behind gateway G (kipsec);
G talks to peer P (native XFRM) over a 1500-byte link. G<->P traffic is
protected in transport mode, H's subnet <-> P's subnet in tunnel mode,
IPv4 and IPv6. TCP in both directions must settle on segments whose ESP
packets fit (no fragmented ESP on the wire after the handshake), a
forwarded packet with DF (or IPv6) that cannot fit gets ICMP "too big"
with the inner MTU and the sender then fits, and G's own route PMTU is not
lowered by any of it. An AH tunnel (H's subnet <-> 10.7.0.0/24) must do the
same as ESP: the engine shares MTU handling between the transforms."""
import os
import re
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa
from netns import inside, sh  # noqa
from traffic import tcp_send  # noqa

H, G, P = "mtu-h", "mtu-g", "mtu-p"
KEY = "0x" + "11" * 16, "0x" + "22" * 32      # aes-cbc-128, hmac-sha256
GCM = "0x" + "33" * 20


def setup():
    for ns in (H, G, P):
        sh("ip", "netns", "del", ns, check=False, quiet=True)
        sh("ip", "netns", "add", ns)
        sh("ip", "link", "set", "lo", "up", ns=ns)
    sh("ip", "link", "add", "h0", "netns", H, "type", "veth", "peer", "name",
       "lan", "netns", G)
    sh("ip", "link", "add", "wan", "netns", G, "type", "veth", "peer", "name",
       "wan", "netns", P)
    for ns, dev, addrs in ((H, "h0", ["10.5.0.2/24", "fd05::2/64"]),
                           (G, "lan", ["10.5.0.1/24", "fd05::1/64"]),
                           (G, "wan", ["192.0.2.1/24", "2001:db8::1/64"]),
                           (P, "wan", ["192.0.2.2/24", "2001:db8::2/64"])):
        for a in addrs:
            sh("ip", "addr", "add", a, "dev", dev,
               *(["nodad"] if ":" in a else []), ns=ns)
        sh("ip", "link", "set", dev, "up", ns=ns)
    sh("ip", "addr", "add", "10.6.0.1/32", "dev", "lo", ns=P)
    sh("ip", "addr", "add", "fd06::1/128", "dev", "lo", ns=P)
    sh("ip", "addr", "add", "10.7.0.1/32", "dev", "lo", ns=P)
    sh("ip", "route", "add", "default", "via", "10.5.0.1", ns=H)
    sh("ip", "-6", "route", "add", "default", "via", "fd05::1", ns=H)
    sh("ip", "route", "add", "10.6.0.0/24", "via", "192.0.2.2", ns=G)
    sh("ip", "-6", "route", "add", "fd06::/64", "via", "2001:db8::2", ns=G)
    sh("ip", "route", "add", "10.7.0.0/24", "via", "192.0.2.2", ns=G)
    sh("ip", "route", "add", "10.5.0.0/24", "via", "192.0.2.1", ns=P)
    sh("ip", "-6", "route", "add", "fd05::/64", "via", "2001:db8::1", ns=P)
    sh("sysctl", "-qw", "net.ipv4.ip_forward=1", ns=G)
    sh("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1", ns=G)
    time.sleep(1)       # IPv6 router/neighbour setup


def configure():
    """Transport SAs between G and P (both families), tunnel SAs for the
    subnets over IPv4: kipsec statements on G, the same with ip xfrm on P."""
    conf = []
    spi = 0x100
    for g, p in (("192.0.2.1", "192.0.2.2"), ("2001:db8::1", "2001:db8::2")):
        for src, dst in ((g, p), (p, g)):
            spi += 1
            conf.append("add %s %s esp %#x -u 1 -E aes-cbc %s -A hmac-sha256 %s;"
                        % (src, dst, spi, KEY[0], KEY[1]))
            sh("ip", "xfrm", "state", "add", "src", src, "dst", dst, "proto",
               "esp", "spi", spi, "reqid", 1, "mode", "transport", "enc",
               "cbc(aes)", KEY[0], "auth-trunc", "hmac(sha256)", KEY[1], 128,
               ns=P)
        conf.append("spdadd %s %s any -P out ipsec esp/transport//require;"
                    % (g, p))
        conf.append("spdadd %s %s any -P in ipsec esp/transport//require;"
                    % (p, g))
        for d, s_, t in (("out", p, g), ("in", g, p)):
            sh("ip", "xfrm", "policy", "add", "src", s_, "dst", t, "dir", d,
               "tmpl", "proto", "esp", "mode", "transport", "reqid", 1, ns=P)
    # One reqid per tunnel pair: the pairs share their outer addresses, and a
    # template without a reqid would take whichever SA is newest (kipsec SAs
    # carry no selectors; XFRM's do, and refuse the other inner family).
    for reqid, (lnet, rnet) in ((2, ("10.5.0.0/24", "10.6.0.0/24")),
                                (3, ("fd05::/64", "fd06::/64"))):
        spi += 0x10
        for s_, d, sp in (("192.0.2.1", "192.0.2.2", spi),
                          ("192.0.2.2", "192.0.2.1", spi + 1)):
            conf.append("add %s %s esp %#x -m tunnel -u %d -E aes-gcm-16 %s;"
                        % (s_, d, sp, reqid, GCM))
            anyaddr = "::/0" if ":" in lnet else "0.0.0.0/0"
            sh("ip", "xfrm", "state", "add", "src", s_, "dst", d, "proto", "esp",
               "spi", sp, "reqid", reqid, "mode", "tunnel", "aead",
               "rfc4106(gcm(aes))", GCM, 128, "sel", "src", anyaddr, "dst",
               anyaddr, ns=P)
        conf.append("spdadd %s %s any -P out ipsec "
                    "esp/tunnel/192.0.2.1-192.0.2.2/require:%d;"
                    % (lnet, rnet, reqid))
        conf.append("spdadd %s %s any -P in ipsec "
                    "esp/tunnel/192.0.2.2-192.0.2.1/require:%d;"
                    % (rnet, lnet, reqid))
        for d, s_, t, ts, td in (("out", rnet, lnet, "192.0.2.2", "192.0.2.1"),
                                 ("in", lnet, rnet, "192.0.2.1", "192.0.2.2")):
            sh("ip", "xfrm", "policy", "add", "src", s_, "dst", t, "dir", d,
               "tmpl", "src", ts, "dst", td, "proto", "esp", "mode", "tunnel",
               "reqid", reqid, ns=P)
    # An AH tunnel (HMAC-SHA2-256) for a third subnet, reqid 4.
    for s_, d, sp in (("192.0.2.1", "192.0.2.2", 0x400),
                      ("192.0.2.2", "192.0.2.1", 0x401)):
        conf.append("add %s %s ah %#x -m tunnel -u 4 -A hmac-sha256 %s;"
                    % (s_, d, sp, KEY[1]))
        sh("ip", "xfrm", "state", "add", "src", s_, "dst", d, "proto", "ah",
           "spi", sp, "reqid", 4, "mode", "tunnel", "auth-trunc",
           "hmac(sha256)", KEY[1], 128, ns=P)
    conf.append("spdadd 10.5.0.0/24 10.7.0.0/24 any -P out ipsec "
                "ah/tunnel/192.0.2.1-192.0.2.2/require:4;")
    conf.append("spdadd 10.7.0.0/24 10.5.0.0/24 any -P in ipsec "
                "ah/tunnel/192.0.2.2-192.0.2.1/require:4;")
    for d, s_, t, ts, td in (("out", "10.7.0.0/24", "10.5.0.0/24",
                              "192.0.2.2", "192.0.2.1"),
                             ("in", "10.5.0.0/24", "10.7.0.0/24",
                              "192.0.2.1", "192.0.2.2")):
        sh("ip", "xfrm", "policy", "add", "src", s_, "dst", t, "dir", d,
           "tmpl", "src", ts, "dst", td, "proto", "ah", "mode", "tunnel",
           "reqid", 4, ns=P)
    r = sh("bash", "-c", "printf '%s\\n' \"$0\" | kipsec -c", "\n".join(conf),
           ns=G, check=False, quiet=True)
    return r.returncode == 0, r.stdout


class Wire:
    """Counts, on G's link to P, ESP/AH packets and fragmented ones per source
    address."""

    def __init__(self):
        with inside(G):
            self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                      socket.htons(3))
        self.sock.bind(("wan", 0))
        self.sock.settimeout(0.2)
        self.esp, self.frags = {}, {}
        self.stop = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop:
            try:
                f = self.sock.recv(65535)
            except socket.timeout:
                continue
            src, esp, frag = self.classify(f)
            if src:
                self.esp[src] = self.esp.get(src, 0) + esp
                self.frags[src] = self.frags.get(src, 0) + frag

    @staticmethod
    def classify(f):
        """(source address, is ESP/AH, is a fragment of ESP/AH)"""
        if f[12:14] == b"\x08\x00" and f[23] in (50, 51):
            frag = struct.unpack("!H", f[20:22])[0] & 0x3fff != 0
            return socket.inet_ntop(socket.AF_INET, f[26:30]), 1, int(frag)
        if f[12:14] == b"\x86\xdd":
            src = socket.inet_ntop(socket.AF_INET6, f[22:38])
            if f[20] == 50:
                return src, 1, 0
            if f[20] == 44 and len(f) > 54 and f[54] == 50:
                return src, 1, 1
        return None, 0, 0

    def snapshot(self):
        return dict(self.frags), dict(self.esp)


def too_big_drops():
    out = sh("cat", "/proc/net/kipsec_stat", ns=G, quiet=True).stdout
    m = re.search(r"too_big\s+(\d+)", out)
    return int(m.group(1)) if m else -1


def route_mtu(ns, dst):
    out = sh("ip", "route", "get", dst, ns=ns, quiet=True).stdout
    m = re.search(r"mtu (\d+)", out)
    return int(m.group(1)) if m else None


setup()
good, msg = configure()
ok(good, "G's kipsec configuration and P's XFRM configuration apply", msg)
wire = Wire()

# TCP both ways in each mode and family: only the handshake may be big.
# 1 MiB each way; 256 KiB on the debug kernel (3-6x slower under TCG),
# still hundreds of full-sized segments.
NBYTES = 256 << 10 if os.environ.get("KIPSEC_KERNEL") == "debug" else 1 << 20
CASES = (("transport IPv4", G, P, "192.0.2.1", "192.0.2.2"),
         ("transport IPv6", G, P, "2001:db8::1", "2001:db8::2"),
         ("tunnel IPv4 (forwarded)", H, P, "10.5.0.2", "10.6.0.1"),
         ("tunnel IPv6-in-IPv4 (forwarded)", H, P, "fd05::2", "fd06::1"),
         ("AH tunnel IPv4 (forwarded)", H, P, "10.5.0.2", "10.7.0.1"))
for label, a_ns, b_ns, a, b in CASES:
    before, _ = wire.snapshot()
    there = tcp_send(a_ns, b_ns, a, b, nbytes=NBYTES, port=5003, timeout=60)
    back = tcp_send(b_ns, a_ns, b, a, nbytes=NBYTES, port=5003, timeout=60)
    time.sleep(0.5)
    after, esp = wire.snapshot()
    frags = {s: after.get(s, 0) - before.get(s, 0) for s in after}
    ok(there and back, label + ": %d KiB over TCP each way, byte for byte"
       % (NBYTES >> 10))
    ok(not any(frags.values()) and esp.get("192.0.2.1", 0) +
       esp.get("2001:db8::1", 0) > 0,
       label + ": no ESP/AH packet on the wire was fragmented (MSS clamped)",
       (frags, esp))

# A forwarded DF packet too big for the tunnel: ICMP with the inner MTU.
for fam, dst, size, proto_note in ((4, "10.6.0.1", 1472, "fragmentation needed"),
                                   (6, "fd06::1", 1452, "packet too big"),
                                   (4, "10.7.0.1", 1472,
                                    "fragmentation needed (AH tunnel)")):
    drops = too_big_drops()
    r = sh("ping", "-%d" % fam, "-M", "do", "-c", 2, "-W", 2, "-s", size, dst,
           ns=H, check=False, quiet=True)
    mtu = route_mtu(H, dst)
    ok(r.returncode != 0 and too_big_drops() > drops and mtu and mtu < 1500,
       "IPv%d: a forwarded %d-byte packet that may not be fragmented gets "
       "ICMP %s; H now uses MTU %s (kipsec counts too_big)"
       % (fam, size + (28 if fam == 4 else 48), proto_note, mtu),
       r.stdout[-300:])
    if mtu:
        fit = mtu - (28 if fam == 4 else 48)
        r = sh("ping", "-%d" % fam, "-M", "do", "-c", 2, "-W", 3, "-s", fit,
               dst, ns=H, check=False, quiet=True)
        ok(r.returncode == 0,
           "IPv%d: a packet of exactly that MTU (%d) gets through" % (fam, mtu),
           r.stdout[-300:])

# G's own tunnel-mode traffic learns the inner MTU through its inner route
# (which the ESP packets do not use): the first big DF packet still goes
# (ESP fragmented), the route learns, the next one is refused locally.
for fam, src, dst, size in ((4, "10.5.0.1", "10.6.0.1", 1472),
                            (6, "fd05::1", "fd06::1", 1452)):
    first = sh("ping", "-%d" % fam, "-M", "do", "-c", 1, "-W", 3, "-s", size,
               "-I", src, dst, ns=G, check=False, quiet=True)
    mtu = route_mtu(G, dst)
    again = sh("ping", "-%d" % fam, "-M", "do", "-c", 1, "-W", 3, "-s", size,
               "-I", src, dst, ns=G, check=False, quiet=True)
    ok(first.returncode == 0 and mtu and mtu < 1500 and again.returncode != 0,
       "IPv%d: G's own %d-byte DF packet in tunnel mode is delivered, its "
       "route to %s learns MTU %s, the next is refused at the source"
       % (fam, size + (28 if fam == 4 else 48), dst, mtu),
       first.stdout[-200:] + again.stdout[-200:])
    if mtu:
        r = sh("ping", "-%d" % fam, "-M", "do", "-c", 2, "-W", 3, "-s",
               mtu - (28 if fam == 4 else 48), "-I", src, dst, ns=G,
               check=False, quiet=True)
        ok(r.returncode == 0, "IPv%d: packets of that MTU get through" % fam,
           r.stdout[-300:])

# Nothing spirals: G's routes to P (the ESP packets' own) keep the link MTU.
ok(route_mtu(G, "192.0.2.2") in (None, 1500) and
   route_mtu(G, "2001:db8::2") in (None, 1500),
   "G's own routes to P keep their MTU",
   (route_mtu(G, "192.0.2.2"), route_mtu(G, "2001:db8::2")))

wire.stop = True
wire.thread.join()
sh("kipsec", "-F", ns=G)
sh("kipsec", "-FP", ns=G)
for ns in (H, G, P):
    sh("ip", "netns", "del", ns)
finish()
