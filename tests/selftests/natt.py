#!/usr/bin/python3
"""NAT traversal (RFC 3948): a host behind a namespace doing IPv4
MASQUERADE (nt-h, 10.99.0.2, behind nt-n) and a host outside (nt-p,
198.51.100.2) protect their traffic with ESP in UDP 4500, kipsec on one
side and the kernel's XFRM (`encap espinudp`) on the other, both ways
round, in transport and tunnel mode: ping, TCP echoed byte for byte, UDP
echoed; the wire between the NAT and the outside host carries nothing but
UDP to or from port 4500 (nft counters on the NAT), and kipsec's
encapsulation counters move. Then bad input on kipsec's encapsulation
port (keepalive, non-ESP marker, junk, a UDP length past the packet, an
unknown SPI, plain ESP for an encapsulating SA), each counted under its
reason with nothing else changed; and the NAT rebinding to another port,
which kipsec reports once (KIPSEC_CMD_MAPPING) and which traffic survives
once the SAs are moved, as an IKE daemon would."""
import hashlib
import os
import random
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa
from kipsec_nl import (A, ENCS, ESP, SA, Kipsec, attr, parse_attrs,  # noqa
                       sa_attrs, sa_id, u8, u16, u32, u64)
from netns import inside, sh  # noqa
from nat_topology import (H, N, P, PRIV, NAT_OUT, PUB, H_NET, P_NET,  # noqa
                          nat_forget, nft_counts, rebind, topology)

SPI_HP, SPI_PH = 0x2001, 0x2002
KEY_HP, KEY_PH = bytes(range(20)), bytes(range(40, 60))
TRANSPORT, TUNNEL = 0, 1
UDP_ENCAP, UDP_ENCAP_ESPINUDP = 100, 2
# enum kipsec_drop_reason
DROP = dict(no_sa_in=5, integrity=7, encap_malformed=21, encap_no_sa=22,
            encap_mismatch=23, natt_keepalive=24)

class Side:
    """One end's SAs and policies, kipsec or XFRM. @local: its address;
    @remote: the peer as this end sees it; @lport/@rport: the UDP ports
    (this end's, the peer's as seen); @spi_out/@key_out what it sends."""

    def __init__(self, impl, ns, local, remote, lport, rport, spis, nets):
        self.impl, self.ns, self.local, self.remote = impl, ns, local, remote
        self.lport, self.rport = lport, rport
        (self.spi_out, self.key_out), (self.spi_in, self.key_in) = spis
        self.nets = nets
        self.sock = None

    def sa_extra(self, mode, sport, dport, seq=()):
        return [u8(SA["MODE"], mode), u32(SA["REQID"], 7),
                u16(SA["ENCAP_SPORT"], sport),
                u16(SA["ENCAP_DPORT"], dport)] + list(seq)

    def kipsec_sas(self, mode, seqs=((), ())):
        with inside(self.ns):
            k = Kipsec()
        k.request("SA_NEW", [attr(A["SA"], sa_attrs(
            spi=self.spi_out, src=self.local, dst=self.remote,
            encr=(20, self.key_out),
            extra=self.sa_extra(mode, self.lport, self.rport, seqs[0])))])
        k.request("SA_NEW", [attr(A["SA"], sa_attrs(
            spi=self.spi_in, src=self.remote, dst=self.local,
            encr=(20, self.key_in),
            extra=self.sa_extra(mode, self.rport, self.lport, seqs[1])))])

    def setup(self, mode):
        lnet, rnet = self.nets
        if self.impl == "kipsec":
            self.kipsec_sas(mode)
            if mode == TRANSPORT:
                conf = ("spdadd %s %s any -P out ipsec esp/transport//require;\n"
                        "spdadd %s %s any -P in ipsec esp/transport//require;\n"
                        % (self.local, self.remote, self.remote, self.local))
            else:
                conf = ("spdadd %s %s any -P out ipsec esp/tunnel/%s-%s/require;\n"
                        "spdadd %s %s any -P in ipsec esp/tunnel/%s-%s/require;\n"
                        % (lnet, rnet, self.local, self.remote,
                           rnet, lnet, self.remote, self.local))
            r = sh("bash", "-c", "printf '%s' \"$0\" | kipsec -c", conf,
                   ns=self.ns, check=False, quiet=True)
            if r.returncode:
                print("# kipsec -c: " + r.stdout)
            return
        m = "transport" if mode == TRANSPORT else "tunnel"
        for spi, key, src, dst, sp, dp in (
                (self.spi_out, self.key_out, self.local, self.remote,
                 self.lport, self.rport),
                (self.spi_in, self.key_in, self.remote, self.local,
                 self.rport, self.lport)):
            sh("ip", "xfrm", "state", "add", "src", src, "dst", dst, "proto",
               "esp", "spi", spi, "reqid", 7, "mode", m, "aead",
               "rfc4106(gcm(aes))", "0x" + key.hex(), 128, "encap",
               "espinudp", sp, dp, "0.0.0.0", ns=self.ns)
        sel = ((self.local, self.remote) if mode == TRANSPORT else
               (lnet, rnet))
        for d, s, t in (("out", sel[0], sel[1]), ("in", sel[1], sel[0])):
            tmpl = ["tmpl", "proto", "esp", "reqid", 7, "mode", m]
            if mode == TUNNEL:
                ends = ((self.local, self.remote) if d == "out" else
                        (self.remote, self.local))
                tmpl[1:1] = ["src", ends[0], "dst", ends[1]]
            sh("ip", "xfrm", "policy", "add", "src", s, "dst", t, "dir", d,
               "priority", 100, *tmpl, ns=self.ns)
        if mode == TRANSPORT:
            # UDP checks its socket's policy before the encapsulation
            # hook: the ESP-carrying datagrams themselves must pass the
            # host-to-host policy (an IKE daemon's socket policy does this)
            for d, s, t, port in (("in", self.remote, self.local, "dport"),
                                  ("out", self.local, self.remote, "sport")):
                sh("ip", "xfrm", "policy", "add", "src", s, "dst", t,
                   "proto", "udp", port, self.lport, "dir", d, "priority",
                   10, ns=self.ns)
        # XFRM takes ESP out of UDP only at a socket that asked for it
        with inside(self.ns):
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("0.0.0.0", self.lport))
        self.sock.setsockopt(socket.IPPROTO_UDP, UDP_ENCAP,
                             UDP_ENCAP_ESPINUDP)

    def clear(self):
        if self.sock:
            self.sock.close()
            self.sock = None
        if self.impl == "kipsec":
            sh("kipsec", "-F", ns=self.ns, quiet=True)
            sh("kipsec", "-FP", ns=self.ns, quiet=True)
        else:
            sh("ip", "xfrm", "state", "flush", ns=self.ns)
            sh("ip", "xfrm", "policy", "flush", ns=self.ns)


def diagnose():
    for ns in (H, P):
        print("# %s: %s" % (ns, sh("bash", "-c", "cat /proc/net/xfrm_stat "
                                   "| grep -v ' 0$'; kipsec stats | grep -v ' 0$'; "
                                   "ip -s xfrm state; kipsec -D", ns=ns,
                                   check=False, quiet=True).stdout))
    print("# " + sh("nft", "list", "table", "ip", "natt", ns=N,
                    quiet=True).stdout)


def stats(ns):
    with inside(ns):
        k = Kipsec()
    reply = k.request("STATS_GET", [])[0]
    drops = {t: struct.unpack("=Q", v[0])[0]
             for t, v in parse_attrs(reply[A["STATS_DROPS"]][0]).items()}
    encap = {t: struct.unpack("=Q", v[0])[0]
             for t, v in parse_attrs(reply[A["STATS_ENCAP"]][0]).items()}
    return drops, encap


def ping(ns, src, dst, count=3):
    r = sh("ping", "-c", count, "-i", "0.3", "-W", 3, "-I", src, dst, ns=ns,
           check=False, quiet=True)
    return r.returncode == 0, r.stdout


def tcp_echo(client_ns, server_ns, src, dst, nbytes=100000, port=5101):
    """@src in @client_ns sends @nbytes random bytes to @dst in @server_ns,
    which sends them back: True when both directions arrived intact."""
    data = random.randbytes(nbytes)
    with inside(server_ns):
        srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port))
    srv.listen(1)
    srv.settimeout(60)
    seen = hashlib.sha256()

    def serve():
        try:
            conn, _ = srv.accept()
            conn.settimeout(60)
            left = nbytes
            while left:
                chunk = conn.recv(min(65536, left))
                if not chunk:
                    break
                seen.update(chunk)
                conn.sendall(chunk)
                left -= len(chunk)
            conn.close()
        except OSError as e:
            print("# tcp server: %s" % e)

    t = threading.Thread(target=serve)
    t.start()
    with inside(client_ns):
        cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    cli.settimeout(60)
    cli.bind((src, 0))
    back = b""
    try:
        cli.connect((dst, port))
        sender = threading.Thread(target=cli.sendall, args=(data,))
        sender.start()
        while len(back) < nbytes:
            chunk = cli.recv(65536)
            if not chunk:
                break
            back += chunk
        sender.join()
    except OSError as e:
        print("# tcp client: %s" % e)
    cli.close()
    t.join(90)
    srv.close()
    return back == data and seen.digest() == hashlib.sha256(data).digest()


def udp_echo(client_ns, server_ns, src, dst, port=5102, n=3):
    with inside(server_ns):
        srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.bind((dst, port))   # replies leave from the address asked
    srv.settimeout(5)
    with inside(client_ns):
        cli = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    cli.bind((src, 0))
    cli.settimeout(5)
    good = 0
    for i in range(n):
        msg = random.randbytes(700)
        try:
            cli.sendto(msg, (dst, port))
            got, peer = srv.recvfrom(2048)
            srv.sendto(got[::-1], peer)
            if got == msg and cli.recv(2048) == msg[::-1]:
                good += 1
        except OSError as e:
            print("# udp: %s" % e)
    srv.close()
    cli.close()
    return good == n


def sides(inside_impl, outside_impl, natport=4500):
    inner = Side(inside_impl, H, PRIV, PUB, 4500, 4500,
                 ((SPI_HP, KEY_HP), (SPI_PH, KEY_PH)), (H_NET, P_NET))
    outer = Side(outside_impl, P, PUB, NAT_OUT, 4500, natport,
                 ((SPI_PH, KEY_PH), (SPI_HP, KEY_HP)), (P_NET, H_NET))
    return inner, outer


def traffic_case(inside_impl, outside_impl, mode):
    label = "%s behind the NAT, %s outside, %s" % (
        inside_impl, outside_impl, "transport" if mode == TRANSPORT
        else "tunnel")
    inner, outer = sides(inside_impl, outside_impl)
    kip = inner if inside_impl == "kipsec" else outer
    nat_forget()
    wire = nft_counts()
    inner.setup(mode)
    outer.setup(mode)
    before = stats(kip.ns)[1]
    if mode == TRANSPORT:
        src, dst = PRIV, PUB
    else:
        src, dst = H_NET, P_NET
    good, out = ping(H, src, dst)
    if not ok(good, label + ": ping", out):
        diagnose()
    ok(tcp_echo(H, P, src, dst), label + ": TCP echoed byte for byte")
    ok(udp_echo(H, P, src, dst), label + ": UDP echoed")
    if mode == TUNNEL:
        good, out = ping(P, P_NET, H_NET)
        ok(good, label + ": ping from outside", out)
    now = nft_counts()
    esp, udp, other = (now[c] - wire[c] for c in ("c_esp", "c_udp",
                                                  "c_other"))
    ok(esp == 0 and other == 0 and udp > 20,
       label + ": outside the NAT only UDP 4500",
       "esp %d, udp 4500 %d, other %d" % (esp, udp, other))
    after = stats(kip.ns)[1]
    moved = (after[ENCS["ESP_IN"]] - before[ENCS["ESP_IN"]],
             after[ENCS["ESP_OUT"]] - before[ENCS["ESP_OUT"]])
    ok(min(moved) > 10, label + ": kipsec's encapsulation counters moved",
       "esp in %d, out %d" % moved)
    inner.clear()
    outer.clear()


def raw_udp(ns, dst, sport, dport, payload, length=None):
    """Sends a UDP datagram with a header of our own (length field
    @length, default the true one) from @ns."""
    with inside(ns):
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
    ulen = length if length is not None else 8 + len(payload)
    s.sendto(struct.pack("!HHHH", sport, dport, ulen, 0) + payload, (dst, 0))
    s.close()


def bad_input_case():
    """kipsec outside: whatever the NAT host itself sends to 198.51.100.2
    port 4500 arrives unchanged."""
    inner, outer = sides("xfrm", "kipsec")
    nat_forget()
    inner.setup(TUNNEL)
    outer.setup(TUNNEL)
    good, out = ping(H, H_NET, P_NET)
    ok(good, "bad input: the tunnel works first", out)
    with inside(P):
        k = Kipsec()
        other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    other.bind((PUB, 4501))
    other.settimeout(3)

    def sa_in():
        r = k.request("SA_GET", sa_id(SPI_HP, PUB))[0]
        sa = parse_attrs(r[A["SA"]][0])
        st = parse_attrs(sa[SA["STATS"]][0])
        return struct.unpack("=Q", st[2][0])[0]   # PACKETS_IN

    esp_spi = struct.pack("!II", SPI_HP, 99)
    # (what, payload, UDP length field, reason, taken out of UDP as ESP)
    cases = (
        ("a NAT keepalive", b"\xff", None, "natt_keepalive", 0),
        ("three bytes of junk", b"abc", None, "encap_malformed", 0),
        ("a UDP length past the packet", b"\x00\x00\x20\x01" + bytes(20),
         60, "encap_malformed", 0),
        ("ESP for an unknown SPI", struct.pack("!II", 0x7777, 1) + bytes(40),
         None, "encap_no_sa", 1),
        ("random junk", b"\x13\x37" + random.randbytes(60), None,
         "encap_no_sa", 1),
    )
    for desc, payload, length, reason, as_esp in cases:
        d0, e0 = stats(P)
        n0 = sa_in()
        raw_udp(N, PUB, 4500, 4500, payload, length)
        time.sleep(0.3)
        d1, e1 = stats(P)
        changed = {r: d1[t] - d0[t] for r, t in DROP.items()
                   if d1[t] != d0[t]}
        e0[ENCS["ESP_IN"]] += as_esp
        ok(changed == {reason: 1} and sa_in() == n0 and e1 == e0,
           "bad input: %s is dropped as %s, nothing else moves" % (desc,
                                                                   reason),
           "drops %s, encap %s -> %s" % (changed, e0, e1))
    # the non-ESP marker: IKE, on to the port's socket (none here)
    d0, e0 = stats(P)
    raw_udp(N, PUB, 4500, 4500, bytes(4) + b"IKE")
    time.sleep(0.3)
    d1, e1 = stats(P)
    ok(e1[ENCS["IKE_IN"]] == e0[ENCS["IKE_IN"]] + 1 and d1 == d0,
       "bad input: the non-ESP marker passes as IKE, no drop",
       "%s -> %s" % (e0, e1))
    # plain ESP for an SA that expects it in UDP
    d0, _ = stats(P)
    with inside(N):
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, ESP)
    s.sendto(esp_spi + bytes(40), (PUB, 0))
    s.close()
    time.sleep(0.3)
    d1, _ = stats(P)
    ok(d1[DROP["encap_mismatch"]] == d0[DROP["encap_mismatch"]] + 1,
       "bad input: plain ESP for an encapsulating SA is encap_mismatch")
    # other ports are not looked at
    raw_udp(N, PUB, 4500, 4501, b"\x13\x37junk")
    try:
        got = other.recv(100)
    except OSError:
        got = b""
    ok(got == b"\x13\x37junk", "bad input: junk to port 4501 reaches its "
       "socket untouched")
    other.close()
    good, out = ping(H, H_NET, P_NET)
    ok(good, "bad input: the tunnel still works afterwards", out)
    inner.clear()
    outer.clear()


def move_sas(side, natport):
    """What an IKE daemon does on a mapping event: the outside kipsec's SAs
    move to the new port, keeping their sequence numbers."""
    with inside(side.ns):
        k = Kipsec()
    seqs = []
    for spi, dst in ((side.spi_out, side.remote), (side.spi_in, side.local)):
        r = parse_attrs(k.request("SA_GET", sa_id(spi, dst))[0][A["SA"]][0])
        seqs.append(struct.unpack("=Q", r[SA["SEQ_OUT"]][0])[0])
        seqs.append(struct.unpack("=Q", r[SA["SEQ_IN"]][0])[0])
        k.request("SA_DEL", sa_id(spi, dst))
    side.rport = natport
    side.kipsec_sas(TUNNEL, ((u64(SA["SEQ_OUT"], seqs[0]),),
                             (u64(SA["SEQ_IN"], seqs[3]),)))


def rebinding_case():
    inner, outer = sides("xfrm", "kipsec")
    nat_forget()
    inner.setup(TUNNEL)
    outer.setup(TUNNEL)
    good, out = ping(H, H_NET, P_NET)
    ok(good, "rebinding: the tunnel works through NAT port 4500", out)
    # the NAT now maps UDP to port 40000, and forgets what it had; packets
    # from there while nobody listens must not use up the one report
    rebind(40000)
    ping(H, H_NET, P_NET, count=2)
    with inside(P):
        events = Kipsec().subscribe()
    ping(H, H_NET, P_NET, count=4)
    mappings = []
    while True:
        ev = events.next(timeout=2)
        if ev is None:
            break
        if ev[0] == "MAPPING":
            mappings.append(ev[1])
    ok(len(mappings) == 1, "rebinding: one mapping event for the new "
       "endpoint, once a daemon listens", "%d events" % len(mappings))
    if mappings:
        m = mappings[0]
        addr = socket.inet_ntoa(m[A["MAPPING_ADDR"]][0])
        port = struct.unpack("=H", m[A["MAPPING_PORT"]][0])[0]
        sa = parse_attrs(m[A["SA"]][0])
        spi = struct.unpack("=I", sa[SA["SPI"]][0])[0]
        ok((addr, port, spi) == (NAT_OUT, 40000, SPI_HP),
           "rebinding: the event names the SA and 198.51.100.1[40000]",
           "%s[%d] spi %#x" % (addr, port, spi))
    move_sas(outer, 40000)
    good, out = ping(H, H_NET, P_NET)
    ok(good, "rebinding: traffic flows again once the SAs moved", out)
    ok(tcp_echo(H, P, H_NET, P_NET, port=5103),
       "rebinding: TCP echoed through the new mapping")
    inner.clear()
    outer.clear()


topology()
# The debug kernel (three times slower; CI has 90 minutes) takes transport
# mode one way round and tunnel mode the other: every kipsec path once.
DEBUG = os.environ.get("KIPSEC_KERNEL") == "debug"
for mode in (TRANSPORT, TUNNEL):
    traffic_case("kipsec", "xfrm", mode)
    if not DEBUG or mode == TUNNEL:
        traffic_case("xfrm", "kipsec", mode)
bad_input_case()
rebinding_case()
for ns in (H, N, P):
    sh("ip", "netns", "del", ns, check=False)
finish()
