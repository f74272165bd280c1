"""Two network namespaces for interop tests of AH and bundles: A runs
kipsec, B the kernel's own XFRM, joined by a veth pair (va-a/va-b) with
IPv4 and IPv6 addresses, inner addresses for tunnels, a capture of A's
interface, helpers that configure the same SAs and policies on both sides
(single transforms or bundles), run traffic, read kipsec's counters, and
re-inject frames from B's side. Sets everything up on import."""
import os
import random
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import ok  # noqa
from kipsec_nl import (A, AH, ALG, ESP, POL, SA, SAS, TMPL, Kipsec, attr,  # noqa
                       ip, parse_attrs, sa_id, u8, u16, u32, u64)
from traffic import tcp_send  # noqa
from netns import inside, pair, sh  # noqa

# enum kipsec_drop_reason (include/uapi/linux/kipsec.h)
NO_SA_IN, REPLAY, INTEGRITY, MALFORMED, POLICY_MISMATCH = 5, 6, 7, 9, 10

NSA, NSB = "ah-a", "ah-b"
pair(NSA, NSB, "va")
ADDR = {4: ("192.0.2.1", "192.0.2.2"), 6: ("2001:db8::1", "2001:db8::2")}
INNER = {4: ("10.1.0.1", "10.2.0.1"), 6: ("fd01::1", "fd02::1")}
for fam, (a, b) in ADDR.items():
    extra = ["nodad"] if fam == 6 else []
    plen = 24 if fam == 4 else 64
    sh("ip", "addr", "add", "%s/%d" % (a, plen), "dev", "va-a", *extra, ns=NSA)
    sh("ip", "addr", "add", "%s/%d" % (b, plen), "dev", "va-b", *extra, ns=NSB)
for fam, (a, b) in INNER.items():
    bits = 32 if fam == 4 else 128
    sh("ip", "addr", "add", "%s/%d" % (a, bits), "dev", "lo", ns=NSA)
    sh("ip", "addr", "add", "%s/%d" % (b, bits), "dev", "lo", ns=NSB)
    sh("ip", "route", "add", "%s/%d" % (b, bits), "dev", "va-a", ns=NSA)
    sh("ip", "route", "add", "%s/%d" % (a, bits), "dev", "va-b", ns=NSB)

with inside(NSA):
    k = Kipsec()


def l4proto(f):
    """(IP protocol, its offset) of an Ethernet frame; (None, 0) for what
    is not checked: non-IP, neighbour discovery, fragments."""
    etype = f[12:14]
    if etype == b"\x08\x00":
        if struct.unpack("!H", f[20:22])[0] & 0x3fff:
            return None, 0
        return f[23], 14 + (f[14] & 15) * 4
    if etype == b"\x86\xdd":
        nh, off = f[20], 54
        while nh in (0, 43, 60) and len(f) >= off + 8:
            nh, off = f[off], off + (f[off + 1] + 1) * 8
        if nh == 58 and len(f) > off and 133 <= f[off] <= 137:
            return None, 0
        if nh == 44:
            return None, 0
        return nh, off
    return None, 0


class Capture:
    """Frames on A's interface, both directions: AH frames by SPI (the
    first few of each), and IP frames that are neither AH nor ESP."""
    PER_SPI = 16

    def __init__(self):
        with inside(NSA):
            self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                      socket.htons(3))
        self.sock.bind(("va-a", 0))
        self.sock.settimeout(0.2)
        self.ah, self.plain = {}, []
        self.ah_after_hbh = 0
        self.stop = False
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop:
            try:
                f = self.sock.recv(65535)
            except socket.timeout:
                continue
            proto, off = l4proto(f)
            with self.lock:
                if proto == 51:
                    if f[12:14] == b"\x86\xdd" and f[20] == 0:
                        self.ah_after_hbh += 1
                    spi = struct.unpack("!I", f[off + 4:off + 8])[0]
                    lst = self.ah.setdefault(spi, [])
                    if len(lst) < self.PER_SPI:
                        lst.append((time.time(), off, f))
                elif proto not in (None, 50):
                    self.plain.append((time.time(), f))

    def frames(self, spi):
        with self.lock:
            return list(self.ah.get(spi, []))

    def plaintext_between(self, since, a, b):
        fam = socket.AF_INET6 if ":" in a else socket.AF_INET
        pa, pb = socket.inet_pton(fam, a), socket.inet_pton(fam, b)
        hits = []
        with self.lock:
            for t, f in self.plain:
                if t < since:
                    continue
                src, dst = ((f[26:30], f[30:34]) if f[12:14] == b"\x08\x00"
                            else (f[22:38], f[38:54]))
                if {src, dst} == {pa, pb}:
                    hits.append("proto %s, %d bytes: %s" % (
                        l4proto(f)[0], len(f), f[:64].hex()))
        return hits


cap = Capture()

# (name, IANA integrity ID, key bytes, XFRM algorithm, truncation bits)
ALGS = [
    ("hmac-sha256-128", 12, 32, "hmac(sha256)", 128),
    ("hmac-sha384-192", 13, 48, "hmac(sha384)", 192),
    ("hmac-sha512-256", 14, 64, "hmac(sha512)", 256),
    ("hmac-sha1-96", 2, 20, "hmac(sha1)", 96),
]
# Legacy ones: fewer cases (transport IPv4, tunnel IPv6).
LEGACY = [
    ("aes-xcbc-96", 5, 16, "xcbc(aes)", 96),
    ("hmac-md5-96", 1, 16, "hmac(md5)", 96),
]
# ESP for bundles: AES-GCM-16-128 (key + 4 salt bytes)
ESP_GCM = ("aes-gcm-16-128", 20, 20, "rfc4106(gcm(aes))", 128)
# ESP encrypting only, the classic partner of AH in a bundle
ESP_CBC = ("aes-cbc-128 (no integrity)", 12, 16, "cbc(aes)", None)

spi_seq = [0x5000]


def hexkey(b):
    return "0x" + b.hex()


def reset():
    k.request("SA_FLUSH", [])
    k.request("POLICY_FLUSH", [])
    sh("ip", "xfrm", "state", "flush", ns=NSB)
    sh("ip", "xfrm", "policy", "flush", ns=NSB)


# spi -> (proto, algorithm, key, esn, source address), for decoders
KEYS = {}


def add_sa(proto, alg, mode, spi, src, dst, reqid, inner, window=None,
           seq_from=None, esn=False):
    """The same SA in kipsec (A) and XFRM (B)."""
    name, aid, klen, xname, bits = alg
    key = random.randbytes(klen)
    KEYS[spi] = (proto, alg, key, esn, src)
    tunnel = mode == "tunnel"
    a = [u8(SA["PROTO"], proto), u32(SA["SPI"], spi), ip(SA["SRC"], src),
         ip(SA["DST"], dst), u8(SA["MODE"], 1 if tunnel else 0),
         u32(SA["REQID"], reqid),
         attr(SA["ENCR" if proto == ESP else "INTEG"],
              [u16(ALG["ID"], aid), attr(ALG["KEY"], key)])]
    x = []
    if window is not None:
        a.append(u32(SA["REPLAY_WINDOW"], window))
    if seq_from is not None:
        a += [u64(SA["SEQ_OUT"], seq_from), u64(SA["SEQ_IN"], seq_from)]
        x += ["replay-seq", seq_from & 0xffffffff,
              "replay-oseq", seq_from & 0xffffffff]
    if esn:
        a.append(u32(SA["FLAGS"], 1))
        x += ["flag", "esn", "replay-window", 128,
              "replay-seq-hi", (seq_from or 0) >> 32,
              "replay-oseq-hi", (seq_from or 0) >> 32]
    k.request("SA_NEW", [attr(A["SA"], a)])
    if proto == AH:
        xalg = ["auth-trunc", xname, hexkey(key), bits]
    elif bits is None:
        xalg = ["enc", xname, hexkey(key)]
    else:
        xalg = ["aead", xname, hexkey(key), bits]
    anyaddr = "0.0.0.0/0" if inner == 4 else "::/0"
    sel = ["sel", "src", anyaddr, "dst", anyaddr] if tunnel else []
    sh("ip", "xfrm", "state", "add", "src", src, "dst", dst, "proto",
       "esp" if proto == ESP else "ah", "spi", spi, "reqid", reqid,
       "mode", mode, *xalg, *sel, *x, ns=NSB)


def configure(layers, inner, outer, window=None, seq_from=None, esn=False,
              kipsec_in=None):
    """SAs and policies for A <-> B. @layers: [(proto, alg, mode)] in
    template order (applied first to last on output). @kipsec_in: the
    layers of kipsec's inbound policy, if they differ. Returns
    ([(spi_ab, spi_ba)] per layer, inner addresses)."""
    reset()
    oa, ob = ADDR[outer]
    tunnel = any(m == "tunnel" for _, _, m in layers)
    ia, ib = INNER[inner] if tunnel else ADDR[outer]
    spis = []
    # A transport layer inside a tunnel one protects the inner addresses.
    ends = []
    cur = (ia, ib)
    for proto, alg, mode in layers:
        if mode == "tunnel":
            cur = (oa, ob)
        ends.append(cur)
    for n, (proto, alg, mode) in enumerate(layers):
        spi_ab, spi_ba = spi_seq[0] + 1, spi_seq[0] + 2
        spi_seq[0] += 16
        spis.append((spi_ab, spi_ba))
        la, lb = ends[n]
        for spi, src, dst in ((spi_ab, la, lb), (spi_ba, lb, la)):
            add_sa(proto, alg, mode, spi, src, dst, n + 1, inner, window,
                   seq_from, esn)
    bits = 32 if inner == 4 else 128

    def templates(lay, direction):
        out = []
        for n, (proto, _, mode) in enumerate(lay):
            t = [u8(TMPL["PROTO"], proto),
                 u8(TMPL["MODE"], 1 if mode == "tunnel" else 0),
                 u32(TMPL["REQID"], n + 1)]
            if mode == "tunnel":
                t += [ip(TMPL["SRC"], oa if direction == 1 else ob),
                      ip(TMPL["DST"], ob if direction == 1 else oa)]
            out.append(attr(POL["TEMPLATE"], t))
        return out

    for direction, src, dst in ((1, ia, ib), (0, ib, ia)):
        lay = kipsec_in if direction == 0 and kipsec_in else layers
        k.request("POLICY_NEW", [attr(A["POLICY"], [
            u8(POL["DIR"], direction), ip(POL["SRC"], src),
            ip(POL["DST"], dst), u8(POL["SRC_PLEN"], bits),
            u8(POL["DST_PLEN"], bits), u8(POL["ACTION"], 2),
            attr(POL["TEMPLATES"], templates(lay, direction))])])
    for xdir, src, dst in (("out", ib, ia), ("in", ia, ib)):
        tmpl = []
        for n, (proto, _, mode) in enumerate(layers):
            la, lb = ends[n]
            tsrc, tdst = (lb, la) if xdir == "out" else (la, lb)
            tmpl += ["tmpl", "src", tsrc, "dst", tdst, "proto",
                     "esp" if proto == ESP else "ah", "reqid", n + 1,
                     "mode", mode]
        sh("ip", "xfrm", "policy", "add", "src", "%s/%d" % (src, bits),
           "dst", "%s/%d" % (dst, bits), "dir", xdir, *tmpl, ns=NSB)
    return spis, ia, ib


def sa_stats(spi, dst, proto=AH):
    got = parse_attrs(k.request("SA_GET", sa_id(spi, dst, proto))[0][A["SA"]][0])
    st = parse_attrs(got[SA["STATS"]][0])
    out = {name: struct.unpack("=Q", st[num][0])[0]
           for name, num in SAS.items() if num in st}
    for name in ("SEQ_OUT", "SEQ_IN"):
        if SA[name] in got:
            out[name] = struct.unpack("=Q", got[SA[name]][0])[0]
    return out


def all_drops():
    d = parse_attrs(k.request("STATS_GET", [])[0][A["STATS_DROPS"]][0])
    return {t: struct.unpack("=Q", v[0])[0] for t, v in d.items()}


def drop_report():
    text = ", ".join("reason %d: %d" % (t, n)
                     for t, n in sorted(all_drops().items()) if n)
    xfrm = sh("cat", "/proc/net/xfrm_stat", ns=NSB, quiet=True).stdout
    return "\nkipsec drops in A: %s\nxfrm_stat in B (non-zero): %s" % (
        text or "none", " ".join(l.split()[0] + "=" + l.split()[1]
                                 for l in xfrm.splitlines()
                                 if l.split()[1] != "0"))


def ping(src, dst, size, ns=NSA):
    r = sh("ping", "-c", 2, "-i", "0.2", "-W", 3, "-s", size, "-I", src, dst,
           ns=ns, check=False, quiet=True)
    return r.returncode == 0, r.stdout


def udp_echo(src, dst, sizes=(64, 1400, 4000), hopopts=None):
    """A sends one datagram of each size to B, which echoes it back."""
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    with inside(NSB):
        srv = socket.socket(fam, socket.SOCK_DGRAM)
    srv.bind((dst, 5002))
    srv.settimeout(5)
    with inside(NSA):
        cli = socket.socket(fam, socket.SOCK_DGRAM)
    cli.bind((src, 0))
    cli.settimeout(5)
    if hopopts:
        cli.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_HOPOPTS, hopopts)
    good = True
    try:
        for size in sizes:
            data = random.randbytes(size)
            cli.sendto(data, (dst, 5002))
            got, peer = srv.recvfrom(65535)
            srv.sendto(got, peer)
            back, _ = cli.recvfrom(65535)
            good = good and got == data and back == data
    except OSError as e:
        print("# udp: %s" % e)
        good = False
    cli.close()
    srv.close()
    return good


def traffic(label, ia, ib, tcp=False):
    """Pings both ways (from A and from B), UDP echo, optionally TCP; the
    wire shows no plaintext between @ia and @ib."""
    started = time.time()
    sizes = (56, 1400, 3000)
    results = [ping(ia, ib, s) for s in sizes] + [ping(ib, ia, 1400, NSB)]
    ok(all(r[0] for r in results),
       label + ": ping 56/1400/3000 bytes from A, 1400 from B",
       "\n".join(r[1] for r in results if not r[0]) + drop_report())
    ok(udp_echo(ia, ib), label + ": UDP 64/1400/4000 bytes both ways",
       drop_report())
    if tcp:
        ok(tcp_send(NSA, NSB, ia, ib, 1 << 20),
           label + ": 1 MiB over TCP, byte for byte", drop_report())
    leaks = cap.plaintext_between(started, ia, ib)
    ok(not leaks, label + ": nothing between the protected addresses "
       "crossed the wire without AH/ESP", "\n".join(leaks[:3]))


with inside(NSB):
    inj = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
inj.bind(("va-b", 0))


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def fix_ip4(f):
    """Recomputes the IPv4 header checksum of frame @f (a bytearray)."""
    hl = (f[14] & 15) * 4
    f[24:26] = b"\0\0"
    f[24:26] = struct.pack("!H", csum(bytes(f[14:14 + hl])))
    return f


def b_frame(spi, fam):
    """A fresh AH frame B sent A under @spi: an echo request of B's."""
    before = len(cap.frames(spi))
    sh("ping", "-c", 1, "-W", 2, "-s", 100, "-I", ADDR[fam][1], ADDR[fam][0],
       ns=NSB, check=False, quiet=True)
    time.sleep(0.3)
    frames = cap.frames(spi)
    return frames[before][1:] if len(frames) > before else (None, None)


def inject(f, spi_in, spi_out, fam):
    """Sends frame @f from B's side; returns (kipsec drop deltas, inbound
    SA counter deltas, outbound SA's packets_out delta)."""
    d0, s0 = all_drops(), sa_stats(spi_in, ADDR[fam][0])
    o0 = sa_stats(spi_out, ADDR[fam][1])["PACKETS_OUT"]
    inj.send(bytes(f))
    time.sleep(0.5)
    d1, s1 = all_drops(), sa_stats(spi_in, ADDR[fam][0])
    o1 = sa_stats(spi_out, ADDR[fam][1])["PACKETS_OUT"]
    dd = {t: d1.get(t, 0) - d0.get(t, 0) for t in d1
          if d1.get(t, 0) != d0.get(t, 0)}
    sd = {n: s1[n] - s0.get(n, 0) for n in s1
          if n in SAS and s1[n] != s0.get(n, 0)}
    return dd, sd, o1 - o0


def teardown():
    cap.stop = True
    cap.thread.join()
    reset()
    print("# netns A drops: " + ", ".join(
        "%d=%d" % (t, n) for t, n in sorted(all_drops().items()) if n))
    for ns in (NSA, NSB):
        sh("ip", "netns", "del", ns)
