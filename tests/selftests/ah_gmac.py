#!/usr/bin/python3
"""AH with AES-GMAC (RFC 4543), which the kernel's XFRM does not offer for
AH: an independent implementation judges instead (Python's cryptography
package, AES-GCM with nothing to encrypt). Namespace A runs kipsec; on
IPv4 and IPv6, the ICV of every AH frame A sends is recomputed over the
muted packet and must match, the IV must be the sequence number, and an
echo request sealed here and injected from B's side is accepted and
answered (the answer verifies too), while the same frame with a payload
byte changed fails as integrity."""
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa
from xfrm_pair import (A, ADDR, AH, ALG, INTEGRITY, POL, SA, TMPL,  # noqa
                       attr, cap, csum, fix_ip4, inject, ip, k, reset,
                       sa_stats, sh, teardown, u8, u16, u32, NSA, NSB)

try:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
except ImportError:
    AESGCM = None

AH_LEN = 40            # 12 + IV 8 + ICV 16, padded to 8 bytes
GMAC_128 = 9           # AUTH_AES_128_GMAC
UNPROTECTED = 11       # enum kipsec_drop_reason
# SPIs per family (the capture keeps frames by SPI)
OUT, IN = {4: 0x6001, 6: 0x6011}, {4: 0x6002, 6: 0x6012}


def gmac(key, iv, data):
    """RFC 4543: the GCM tag over @data, nothing encrypted; the last 4
    bytes of @key are the salt."""
    return AESGCM(key[:-4]).encrypt(key[-4:] + iv, b"", data)


def muted(fam, hdr):
    h = bytearray(hdr)
    if fam == 4:
        h[1] = 0                # TOS
        h[6:8] = b"\0\0"        # flags, fragment offset
        h[8] = 0                # TTL
        h[10:12] = b"\0\0"      # checksum
    else:
        h[0], h[1], h[2], h[3] = 0x60, 0, 0, 0   # class, flow label
        h[7] = 0                # hop limit
    return bytes(h)


def check_frame(fam, f, off, key):
    """(ICV right, IV == sequence number) of a captured AH frame."""
    ah = f[off:off + AH_LEN]
    seq = struct.unpack("!I", ah[8:12])[0]
    iv, icv = ah[12:20], ah[20:36]
    zeroed = ah[:20] + bytes(16) + ah[36:]
    want = gmac(key, iv, muted(fam, f[14:off]) + zeroed + f[off + AH_LEN:])
    return want == icv, iv == struct.pack("!Q", seq)


def quiet(dd):
    """Drop deltas without unprotected: B, with no AH SA, answers A's AH
    with ICMP errors in clear, which A's policy rightly drops."""
    return {t: n for t, n in dd.items() if t != UNPROTECTED}


def setup(fam):
    reset()
    a, b = ADDR[fam]
    keys = {}
    for spi, src, dst in ((OUT[fam], a, b), (IN[fam], b, a)):
        keys[spi] = os.urandom(20)
        k.request("SA_NEW", [attr(A["SA"], [
            u8(SA["PROTO"], AH), u32(SA["SPI"], spi), ip(SA["SRC"], src),
            ip(SA["DST"], dst), u8(SA["MODE"], 0), u32(SA["REQID"], 1),
            attr(SA["INTEG"], [u16(ALG["ID"], GMAC_128),
                               attr(ALG["KEY"], keys[spi])])])])
    bits = 32 if fam == 4 else 128
    if fam == 6:
        # B sends its neighbour advertisements in clear, which A's policy
        # would drop: fixed neighbour entries instead.
        for ns, dev, peer, addr in ((NSA, "va-a", "va-b", b),
                                    (NSB, "va-b", "va-a", a)):
            other = NSB if ns == NSA else NSA
            mac = sh("cat", "/sys/class/net/%s/address" % peer, ns=other,
                     quiet=True).stdout.strip()
            sh("ip", "neigh", "replace", addr, "lladdr", mac, "dev", dev,
               "nud", "permanent", ns=ns)
    for d, src, dst in ((1, a, b), (0, b, a)):
        k.request("POLICY_NEW", [attr(A["POLICY"], [
            u8(POL["DIR"], d), ip(POL["SRC"], src), ip(POL["DST"], dst),
            u8(POL["SRC_PLEN"], bits), u8(POL["DST_PLEN"], bits),
            u8(POL["ACTION"], 2), attr(POL["TEMPLATES"], [
                attr(POL["TEMPLATE"], [u8(TMPL["PROTO"], AH),
                                       u32(TMPL["REQID"], 1)])])])])
    return keys


def echo_request(fam, key, spi, seq, macs):
    """An ICMP(v6) echo request B -> A in transport-mode AH-GMAC."""
    b, a = ADDR[fam][1], ADDR[fam][0]
    data = os.urandom(48)
    iv = struct.pack("!Q", seq)
    if fam == 4:
        icmp = bytearray(struct.pack("!BBHHH", 8, 0, 0, 0x4242, seq) + data)
        icmp[2:4] = struct.pack("!H", csum(bytes(icmp)))
        ip4 = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0,
                                    20 + AH_LEN + len(icmp), 0x1234, 0x4000,
                                    64, 51, 0, socket.inet_aton(b),
                                    socket.inet_aton(a)))
        nh, hdr, etype = 1, ip4, b"\x08\x00"
    else:
        sa6, da6 = (socket.inet_pton(socket.AF_INET6, x) for x in (b, a))
        icmp = bytearray(struct.pack("!BBHHH", 128, 0, 0, 0x4242, seq) +
                         data)
        pseudo = sa6 + da6 + struct.pack("!I3xB", len(icmp), 58)
        icmp[2:4] = struct.pack("!H", csum(pseudo + bytes(icmp)))
        hdr = bytearray(struct.pack("!IHBB16s16s", 0x60000000,
                                    AH_LEN + len(icmp), 51, 64, sa6, da6))
        nh, etype = 58, b"\x86\xdd"
    ah = bytearray(struct.pack("!BBHII", nh, AH_LEN // 4 - 2, 0, spi, seq) +
                   iv + bytes(16) + bytes(4))
    ah[20:36] = gmac(key, iv, muted(fam, hdr) + bytes(ah) + bytes(icmp))
    frame = bytearray(macs + etype + bytes(hdr) + bytes(ah) + bytes(icmp))
    if fam == 4:
        fix_ip4(frame)
    return frame


if AESGCM is None:
    ok(False, "AH AES-GMAC against an independent implementation",
       "python3-cryptography is missing (scripts/deps vm installs it)")
    teardown()
    finish()

for fam in (4, 6):
    keys = setup(fam)
    a, b = ADDR[fam]
    sh("ping", "-c", 2, "-i", "0.2", "-W", 1, "-I", a, b, ns=NSA,
       check=False, quiet=True)
    time.sleep(0.3)
    frames = cap.frames(OUT[fam])
    verdicts = [check_frame(fam, f, off, keys[OUT[fam]])
                for _, off, f in frames]
    ok(len(frames) >= 2 and all(v == (True, True) for v in verdicts),
       "IPv%d: AES-GMAC AH from kipsec verifies independently (ICV, and "
       "the IV is the sequence number)" % fam,
       verdicts)

    # B's side, sealed here: A accepts and answers under AH-GMAC.
    if not frames:
        continue
    macs = frames[0][2][6:12] + frames[0][2][0:6]   # to A, from B
    req = echo_request(fam, keys[IN[fam]], IN[fam], 1, macs)
    before = len(cap.frames(OUT[fam]))
    dd, sd, replies = inject(req, IN[fam], OUT[fam], fam)
    time.sleep(0.3)
    answer = cap.frames(OUT[fam])[before:]
    ok(quiet(dd) == {} and sd.get("PACKETS_IN") == 1 and replies == 1 and answer
       and check_frame(fam, answer[-1][2], answer[-1][1],
                       keys[OUT[fam]]) == (True, True),
       "IPv%d: an AES-GMAC AH echo request sealed independently is "
       "accepted and answered, and the answer verifies" % fam,
       (dd, sd, replies, len(answer)))

    bad = echo_request(fam, keys[IN[fam]], IN[fam], 2, macs)
    bad[-1] ^= 0x01
    dd, sd, replies = inject(bad, IN[fam], OUT[fam], fam)
    ok(quiet(dd) == {INTEGRITY: 1} and sd == {"INTEGRITY_FAILS": 1} and
       replies == 0,
       "IPv%d: the same with a payload byte changed fails as integrity"
       % fam, (dd, sd, replies))

teardown()
finish()
