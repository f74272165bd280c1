#!/usr/bin/python3
"""ESP packets an attacker (or a broken peer) can send, injected at layer 2
into a kipsec receiver (namespace A) next to an XFRM peer (B): a replayed
packet and one left of the window, a forged ICV, an unknown SPI, truncated
packets, and packets sealed with the real key but wrong inside (bad pad
length, bad padding, a dummy packet, inner addresses outside a tunnel
SA's policy), plus plaintext where a policy requires ESP. Each is dropped
and counted under its own reason and no other, leaves the SA's state as
the RFCs want it (no window movement without a valid ICV, nothing
delivered), and traffic continues afterwards."""
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa
from kipsec_nl import (A, ALG, ESP, POL, SA, SAS, TMPL, Kipsec, attr, ip,  # noqa
                       parse_attrs, sa_id, u8, u16, u32)
from netns import inside, pair, sh  # noqa
from esp_craft import checksum, esp_gcm, esp_plain, icmp_echo, ipv4  # noqa

# enum kipsec_drop_reason (include/uapi/linux/kipsec.h), in order
REASONS = ("unspec", "policy_discard", "no_sa_out", "seq_exhausted",
           "sa_expired", "no_sa_in", "replay", "integrity", "bad_padding",
           "malformed", "policy_mismatch", "unprotected",
           "selector_mismatch", "too_big", "no_route", "no_memory",
           "crypto_error", "dummy", "conntrack", "crypto_busy", "route_gone",
           "encap_malformed", "encap_no_sa", "encap_mismatch",
           "natt_keepalive")
TRANSPORT, TUNNEL = 0, 1
DIR_IN, DIR_OUT, DIR_FWD = 0, 1, 2
ACTION_DISCARD, ACTION_IPSEC = 0, 2
WINDOW = 32   # the kipsec SA's configured replay window
GCM, CBC = 20, 12   # IKEv2 ENCR_AES_GCM_16, ENCR_AES_CBC
STEP = 4      # how far ahead of the window top crafted packets go

NSA, NSB = "atk-a", "atk-b"
ADDR_A, ADDR_B = "192.0.2.1", "192.0.2.2"
KEY_AB, KEY_BA = bytes(range(20)), bytes(range(20, 40))
SPI_AB, SPI_BA = 0x3000, 0x3001
# Tunnel SAs: A's side only (B's frames are sealed here), 10.2/24 (B) <->
# 10.1/24 (A).
KEY_TAB, KEY_TBA = bytes(range(40, 60)), bytes(range(60, 80))
SPI_TAB, SPI_TBA = 0x3100, 0x3101
NET_A, NET_B, INNER_A = "10.1.0.0", "10.2.0.0", "10.1.0.1"


def kipsec_sa(spi, src, dst, key, mode, reqid, encr_id=GCM, window=WINDOW):
    """An SA in A: AES-GCM-16 by default; @window None: kipsec's default."""
    extra = [] if window is None else [u32(SA["REPLAY_WINDOW"], window)]
    k.request("SA_NEW", [attr(A["SA"], [
        u8(SA["PROTO"], ESP), u32(SA["SPI"], spi), ip(SA["SRC"], src),
        ip(SA["DST"], dst), u8(SA["MODE"], mode), u32(SA["REQID"], reqid)] +
        extra + [
        attr(SA["ENCR"], [u16(ALG["ID"], encr_id), attr(ALG["KEY"], key)])])])


def kipsec_policy(d, src, dst, plen, tmpl):
    k.request("POLICY_NEW", [attr(A["POLICY"], [
        u8(POL["DIR"], d), ip(POL["SRC"], src), ip(POL["DST"], dst),
        u8(POL["SRC_PLEN"], plen), u8(POL["DST_PLEN"], plen),
        u8(POL["ACTION"], ACTION_IPSEC),
        attr(POL["TEMPLATES"], [attr(POL["TEMPLATE"], tmpl)])])])


def transport_setup(addr_a, addr_b, sas, reqid, encr_id=GCM, window=WINDOW):
    """Transport SAs and policies each way between @addr_a (kipsec, in A)
    and @addr_b (XFRM, in B). @sas: (spi, key) A->B, then B->A. AES-GCM-16
    with a replay window, or AES-CBC (encr_id CBC) without integrity."""
    for (spi, key), src, dst in zip(sas, (addr_a, addr_b), (addr_b, addr_a)):
        kipsec_sa(spi, src, dst, key, TRANSPORT, reqid, encr_id, window)
        alg = (["replay-window", 32, "aead", "rfc4106(gcm(aes))",
                "0x" + key.hex(), 128] if encr_id == GCM else
               ["enc", "cbc(aes)", "0x" + key.hex()])
        sh("ip", "xfrm", "state", "add", "src", src, "dst", dst, "proto",
           "esp", "spi", spi, "reqid", reqid, "mode", "transport", *alg,
           ns=NSB)
    tmpl = [u8(TMPL["PROTO"], ESP), u32(TMPL["REQID"], reqid)]
    kipsec_policy(DIR_OUT, addr_a, addr_b, 32, tmpl)
    kipsec_policy(DIR_IN, addr_b, addr_a, 32, tmpl)
    for d, src, dst in (("out", addr_b, addr_a), ("in", addr_a, addr_b)):
        sh("ip", "xfrm", "policy", "add", "src", src, "dst", dst, "dir", d,
           "tmpl", "src", src, "dst", dst, "proto", "esp", "reqid", reqid,
           "mode", "transport", ns=NSB)


def tunnel_setup():
    """Tunnel SAs and policies in A only; B's side is sealed by hand.
    A's answers leave through the A->B tunnel SA, which shows that a
    tunnel packet was delivered."""
    for spi, src, dst, key in ((SPI_TAB, ADDR_A, ADDR_B, KEY_TAB),
                               (SPI_TBA, ADDR_B, ADDR_A, KEY_TBA)):
        kipsec_sa(spi, src, dst, key, TUNNEL, 2)
    for d, src, dst, t_src, t_dst in ((DIR_OUT, NET_A, NET_B, ADDR_A, ADDR_B),
                                      (DIR_IN, NET_B, NET_A, ADDR_B, ADDR_A)):
        kipsec_policy(d, src, dst, 24, [
            u8(TMPL["PROTO"], ESP), u8(TMPL["MODE"], TUNNEL),
            ip(TMPL["SRC"], t_src), ip(TMPL["DST"], t_dst),
            u32(TMPL["REQID"], 2)])
    sh("ip", "addr", "add", INNER_A + "/32", "dev", "lo", ns=NSA)
    sh("ip", "route", "add", NET_B + "/24", "dev", "vk-a", "src", INNER_A,
       ns=NSA)


pair(NSA, NSB, "vk")
sh("ip", "addr", "add", ADDR_A + "/24", "dev", "vk-a", ns=NSA)
sh("ip", "addr", "add", ADDR_B + "/24", "dev", "vk-b", ns=NSB)
with inside(NSA):
    k = Kipsec()
transport_setup(ADDR_A, ADDR_B, ((SPI_AB, KEY_AB), (SPI_BA, KEY_BA)), 1)
tunnel_setup()
with inside(NSB):
    raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
raw.bind(("vk-b", 0))
raw.settimeout(5)


def ping_from_b(count=1, interval=None):
    extra = ["-i", interval, "-q"] if interval else []
    r = sh("ping", "-c", count, "-W", 3, *extra, ADDR_A, ns=NSB, check=False,
           quiet=True)
    return r.returncode == 0


def is_esp_to_a(f):
    return (len(f) > 42 and f[12:14] == b"\x08\x00" and f[23] == 50 and
            f[30:34] == socket.inet_aton(ADDR_A))


def capture_esp_to_a():
    """The first ESP frame B sends to A during one ping."""
    ok_ping = ping_from_b()
    while True:
        try:
            f = raw.recv(4096)
        except socket.timeout:
            return ok_ping, None
        if is_esp_to_a(f):
            return ok_ping, f


def drain():
    """Forgets the frames captured so far."""
    raw.setblocking(False)
    try:
        while True:
            raw.recv(65536)
    except BlockingIOError:
        pass
    raw.settimeout(5)


def frames_from_a(seconds, until=None):
    """IPv4 frames A sends within @seconds; returns early once one
    satisfies @until."""
    got, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        raw.settimeout(max(end - time.monotonic(), 0.01))
        try:
            f = raw.recv(65536)
        except socket.timeout:
            break
        if f[12:14] == b"\x08\x00" and f[26:30] == socket.inet_aton(ADDR_A):
            got.append(f)
            if until and until(f):
                break
    raw.settimeout(5)
    return got


def esp_spi(spi):
    """A predicate: the frame is ESP with SPI @spi."""
    return lambda f: f[23] == 50 and f[34:38] == struct.pack("!I", spi)


def drops():
    d = parse_attrs(k.request("STATS_GET", [])[0][A["STATS_DROPS"]][0])
    return {REASONS[t] if t < len(REASONS) else t: struct.unpack("=Q", v[0])[0]
            for t, v in d.items()}


def sa_state(spi):
    """The counters and window top of A's inbound SA @spi."""
    got = parse_attrs(k.request("SA_GET", sa_id(spi, ADDR_A))[0][A["SA"]][0])
    st = parse_attrs(got[SA["STATS"]][0])
    sa = {name: struct.unpack("=Q", st[num][0])[0] for name, num in SAS.items()
          if num in st}
    sa["SEQ_IN"] = struct.unpack("=Q", got[SA["SEQ_IN"]][0])[0]
    sa["REPLAY_WINDOW"] = struct.unpack("=I", got[SA["REPLAY_WINDOW"]][0])[0]
    return sa


def in_echos():
    """ICMP echo requests A's stack received: proof of delivery."""
    with inside(NSA):
        with open("/proc/thread-self/net/snmp") as f:
            lines = [ln.split() for ln in f if ln.startswith("Icmp:")]
    return int(lines[1][lines[0].index("InEchos")])


def delta(before, after):
    """What moved between two counter snapshots, by name."""
    return {n: after[n] - before.get(n, 0) for n in after
            if after[n] != before.get(n, 0)}


def inject(f, spi=SPI_BA):
    """Sends @f to A at layer 2; returns what moved: drop reasons, the
    counters of SA @spi, and A's received echo requests."""
    d0, s0, e0 = drops(), sa_state(spi), in_echos()
    raw.send(f)
    # Every frame here moves some counter; poll for it (crypto may run
    # asynchronously, and TCG is slow), then give delivery, which follows
    # the counters, a moment.
    end = time.monotonic() + 3
    while drops() == d0 and sa_state(spi) == s0 and time.monotonic() < end:
        time.sleep(0.05)
    time.sleep(0.1)
    return delta(d0, drops()), delta(s0, sa_state(spi)), in_echos() - e0


alive, frame = capture_esp_to_a()
ok(alive and frame is not None, "B pings A through the SA; an ESP frame is captured")
if frame is None:
    finish()
ETH = frame[:14]   # B's MAC to A's MAC
EARLY_SEQ = struct.unpack("!I", frame[38:42])[0]
ECHO = icmp_echo(0x4b49, 1)   # 14 bytes: 2 mod 4, see the padding attacks


def outer(esp):
    """@esp in an IPv4 frame from B to A, checksum computed."""
    return ETH + ipv4(ADDR_B, ADDR_A, ESP, esp)


def sealed(plain, spi=SPI_BA, key=KEY_BA):
    """A frame with a valid ICV: sealed with B's real key, sequence number
    STEP ahead of A's window top so that the replay check passes while
    B's own next numbers stay inside the window. Returns (frame, seq)."""
    seq = sa_state(spi)["SEQ_IN"] + STEP
    return outer(esp_gcm(key, spi, seq, plain)), seq


# --- without a valid ICV: nothing but the drop counters may move ---

dd, sd, _ = inject(frame)
ok(dd == {"replay": 1} and sd == {"REPLAY_DROPS": 1},
   "a replayed packet is dropped as replay (namespace and SA), nothing else "
   "moved", (dd, sd))

# A forged packet: a fresh sequence number far ahead, the ICV cannot match.
forged = bytearray(frame)
forged[38:42] = struct.pack("!I", sa_state(SPI_BA)["SEQ_IN"] + 500)
dd, sd, _ = inject(bytes(forged))
ok(dd == {"integrity": 1} and sd == {"INTEGRITY_FAILS": 1},
   "a packet with a bad ICV is dropped as integrity; the window did not move",
   (dd, sd))

unknown = bytearray(frame)
unknown[34:38] = struct.pack("!I", 0x7777)
dd, sd, _ = inject(bytes(unknown))
ok(dd == {"no_sa_in": 1} and sd == {},
   "an unknown SPI is dropped as no_sa_in", (dd, sd))

# Header only: the ESP header survives, nothing after it.
dd, sd, _ = inject(outer(frame[34:42]))
ok(dd == {"malformed": 1} and sd == {"OTHER_DROPS": 1},
   "an ESP packet cut after its header is dropped as malformed", (dd, sd))

# Header, IV and 4 bytes: not even room for the 16-byte ICV. Dropped
# before decryption; the SA counts it among its other drops.
seq = sa_state(SPI_BA)["SEQ_IN"] + STEP
dd, sd, _ = inject(outer(struct.pack("!II", SPI_BA, seq) +
                         struct.pack("!Q", seq) + b"\xaa" * 4))
ok(dd == {"malformed": 1} and sd == {"OTHER_DROPS": 1},
   "an ESP packet too short for its ICV is dropped as malformed", (dd, sd))

# --- sealed with the real key: the ICV is valid, so the window moves to
# the packet's number (RFC 4303 3.4.3: updated once the ICV verified), but
# nothing is delivered and the SA counts the drop as "other" ---

drain()
dd, sd, echos = inject(sealed(esp_plain(ECHO, 1))[0])
answer = frames_from_a(3, until=esp_spi(SPI_AB))
ok(dd == {} and sd == {"PACKETS_IN": 1, "BYTES_IN": len(ECHO), "SEQ_IN": STEP}
   and echos == 1 and any(map(esp_spi(SPI_AB), answer)),
   "control: an echo sealed here is accepted and answered through the SA "
   "(the crafting is right)", (dd, sd, echos))


def sealed_drop(plain, reason, desc):
    f, seq = sealed(plain)
    top = sa_state(SPI_BA)["SEQ_IN"]
    dd, sd, echos = inject(f)
    ok(dd == {reason: 1} and
       sd == {"OTHER_DROPS": 1, "SEQ_IN": seq - top} and echos == 0,
       desc + "; not delivered, window moved to its number", (dd, sd, echos))


# A pad length byte larger than the plaintext: invalid padding.
sealed_drop(esp_plain(ECHO, 1, pad_len=200), "bad_padding",
            "a valid-ICV packet whose pad length exceeds the plaintext is "
            "dropped as bad_padding")
# Four padding bytes (14 + 4 + 2 is aligned) that are not 1, 2, 3, 4.
sealed_drop(esp_plain(ECHO, 1, pad=b"\x01\x07\x03\x04"), "bad_padding",
            "a valid-ICV packet with padding 1,7,3,4 is dropped as bad_padding")
# RFC 4303 2.6: a dummy packet is discarded after normal processing; the
# module verifies the ICV and advances the window before looking at the
# trailer, so the window moves and the dummy's number cannot be replayed.
sealed_drop(esp_plain(ECHO, 59), "dummy",
            "a valid-ICV dummy packet (next header 59) is dropped as dummy")
ok(sa_state(SPI_BA)["REPLAY_WINDOW"] == WINDOW,
   "the SA reports the replay window it was given (%d)" % WINDOW)

# --- plaintext where the inbound policy requires ESP ---

drain()
dd, sd, echos = inject(ETH + ipv4(ADDR_B, ADDR_A, 1, ECHO))
answer = frames_from_a(1)
ok(dd == {"unprotected": 1} and sd == {} and echos == 0 and not answer,
   "a plaintext echo B->A under a require policy is dropped as unprotected "
   "and not answered", (dd, sd, echos, len(answer)))

# --- tunnel mode: inner addresses checked against the inbound policy ---


def tunnel_echo(inner_src):
    inner = ipv4(inner_src, INNER_A, 1, ECHO)
    return sealed(esp_plain(inner, 4), SPI_TBA, KEY_TBA)[0]


INNER_LEN = 20 + len(ECHO)


drain()
dd, sd, echos = inject(tunnel_echo("10.2.0.5"), SPI_TBA)
answer = frames_from_a(3, until=esp_spi(SPI_TAB))
ok(dd == {} and sd == {"PACKETS_IN": 1, "BYTES_IN": INNER_LEN, "SEQ_IN": STEP}
   and echos == 1 and any(map(esp_spi(SPI_TAB), answer)),
   "control: a tunnel echo from 10.2.0.5 is delivered and answered through "
   "the tunnel", (dd, sd, echos))

# Inner source 10.9.9.9 matches no inbound policy at all: a selector
# mismatch (kipsec_check_protected). The SA did decrypt and strip it, so
# like XFRM's SA lifetime counters PACKETS_IN/BYTES_IN count it; it is
# dropped before delivery.
dd, sd, echos = inject(tunnel_echo("10.9.9.9"), SPI_TBA)
ok(dd == {"selector_mismatch": 1} and echos == 0 and
   sd == {"PACKETS_IN": 1, "BYTES_IN": INNER_LEN, "OTHER_DROPS": 1,
          "SEQ_IN": STEP},
   "a valid-ICV tunnel packet with inner source 10.9.9.9 is dropped as "
   "selector_mismatch, not delivered", (dd, sd, echos))

# Inside a tunnel the inner header passes none of ip_rcv's checks again:
# kipsec makes them. TFC padding (RFC 4303 2.7: bytes after the inner
# packet, here not zeros) must be cut off, or the echo's ICMP checksum,
# computed over the padding too, fails and nothing answers.
inner = ipv4("10.2.0.5", INNER_A, 1, ECHO) + b"\xa5" * 22
drain()
dd, sd, echos = inject(sealed(esp_plain(inner, 4), SPI_TBA, KEY_TBA)[0],
                       SPI_TBA)
answer = frames_from_a(3, until=esp_spi(SPI_TAB))
ok(dd == {} and echos == 1 and any(map(esp_spi(SPI_TAB), answer)),
   "a tunnel echo followed by 22 bytes of TFC padding is delivered and "
   "answered (the padding is trimmed)", (dd, sd, echos))

bad_csum = bytearray(ipv4("10.2.0.5", INNER_A, 1, ECHO))
bad_csum[10] ^= 0x55
too_long = bytearray(ipv4("10.2.0.5", INNER_A, 1, ECHO))
too_long[2:4] = struct.pack("!H", INNER_LEN + 8)
too_long[10:12] = b"\0\0"
too_long[10:12] = struct.pack("!H", checksum(bytes(too_long[:20])))
for pkt, what in ((bad_csum, "a wrong header checksum"),
                  (too_long, "a total length 8 bytes beyond what arrived")):
    dd, sd, echos = inject(sealed(esp_plain(bytes(pkt), 4), SPI_TBA,
                                  KEY_TBA)[0], SPI_TBA)
    ok(dd == {"malformed": 1} and echos == 0,
       "a valid-ICV tunnel packet whose inner IPv4 header has %s is dropped "
       "as malformed" % what, (dd, sd, echos))

# The checksum state the device gave the ESP packet describes the
# ciphertext. Sent with a virtio-net header asking for a checksum
# (CHECKSUM_PARTIAL, which the receiver treats as verified, as with
# hardware's CHECKSUM_UNNECESSARY), a transport-mode UDP datagram with a
# wrong checksum must still be dropped by UDP after decryption.
SOL_PACKET, PACKET_VNET_HDR = 263, 15   # <linux/if_packet.h>
with inside(NSB):
    vraw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
vraw.setsockopt(SOL_PACKET, PACKET_VNET_HDR, 1)
vraw.bind(("vk-b", 0))
with inside(NSA):
    usock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
usock.bind((ADDR_A, 7007))
usock.settimeout(2)


def udp_csum_errors():
    with inside(NSA):
        with open("/proc/thread-self/net/snmp") as f:
            lines = [ln.split() for ln in f if ln.startswith("Udp:")]
    return int(lines[1][lines[0].index("InCsumErrors")])


def udp_to_a(data, good):
    hdr = struct.pack("!HHHH", 40000, 7007, 8 + len(data), 0)
    pseudo = (socket.inet_aton(ADDR_B) + socket.inet_aton(ADDR_A) +
              struct.pack("!BBH", 0, 17, 8 + len(data)))
    csum = checksum(pseudo + hdr + data) or 0xffff
    return hdr[:6] + struct.pack("!H", csum if good else csum ^ 0x0f0f) + data


def send_marked_verified(f):
    """@f with a virtio-net header: NEEDS_CSUM over its last 2 bytes (which
    veth never computes), so A receives it as CHECKSUM_PARTIAL."""
    vraw.send(struct.pack("=BBHHHH", 1, 0, 0, 0, len(f) - 2, 0) + f)


def udp_delivered():
    try:
        return usock.recv(2048)
    except socket.timeout:
        return None


for good in (True, False):
    e0 = udp_csum_errors()
    send_marked_verified(sealed(esp_plain(udp_to_a(b"kipsec-csum", good),
                                          17))[0])
    got = udp_delivered()
    if good:
        ok(got == b"kipsec-csum", "control: a UDP datagram with a good "
           "checksum, marked verified by the device, is delivered", got)
    else:
        ok(got is None and udp_csum_errors() == e0 + 1,
           "a UDP datagram with a wrong checksum is not delivered although "
           "the device marked the ESP packet verified (UDP counts a "
           "checksum error)", (got, udp_csum_errors() - e0))

# --- left of the window ---

# The window (32, rounded up to a multiple of 64 as the UAPI says) must
# pass the first captured frame by a full width.
width = -(-WINDOW // 64) * 64
ping_from_b(count=width + 16, interval=0.01)
top = sa_state(SPI_BA)["SEQ_IN"]
ok(top - EARLY_SEQ >= width,
   "B's pings moved the window past the first frame", (EARLY_SEQ, top))
dd, sd, _ = inject(frame)
ok(dd == {"replay": 1} and sd == {"REPLAY_DROPS": 1, "REPLAY_TOO_OLD": 1,
                                  "REPLAY_MAX_LAG": top - EARLY_SEQ},
   "the first frame, now left of the window, is dropped as replay, counted "
   "as too old, %d behind; window and PACKETS_IN unchanged"
   % (top - EARLY_SEQ), (dd, sd))

ok(ping_from_b(), "a valid ping B->A right after still passes")

# --- encryption-only ESP: anti-replay would trust unauthenticated numbers ---

# A second host pair on the same link with AES-CBC and no integrity,
# configured without a replay window: kipsec's default there must be none
# (RFC 4303 3.4.3), since anyone can send a packet with a high sequence
# number, which would otherwise push the window past the peer's numbers.
ADDR_A2, ADDR_B2 = "192.0.2.11", "192.0.2.12"
SPI_C_AB, SPI_C_BA = 0x3200, 0x3201
sh("ip", "addr", "add", ADDR_A2 + "/24", "dev", "vk-a", ns=NSA)
sh("ip", "addr", "add", ADDR_B2 + "/24", "dev", "vk-b", ns=NSB)
transport_setup(ADDR_A2, ADDR_B2, ((SPI_C_AB, bytes(range(16))),
                                   (SPI_C_BA, bytes(range(16, 32)))), 3,
                encr_id=CBC, window=None)


def ping_b2():
    return sh("ping", "-c", 1, "-W", 3, "-I", ADDR_B2, ADDR_A2, ns=NSB,
              check=False, quiet=True).returncode == 0


ok(ping_b2(), "encryption-only ESP: B pings A")
forged = ETH + ipv4(ADDR_B2, ADDR_A2, ESP, struct.pack(
    "!II", SPI_C_BA, 0x7ffffff0) + os.urandom(64))
d0 = drops()
raw.send(forged)
end = time.monotonic() + 3
while drops() == d0 and time.monotonic() < end:
    time.sleep(0.05)
ok(ping_b2(), "after a forged packet with sequence number 0x7ffffff0, "
   "B's next ping (a low number) still passes: no window to push")

# --- the inbound policy of a decrypted packet follows where it goes ---

# A FWD policy that discards B->A: packets for A itself are checked
# against IN policies only (RFC 4301 5.2), so B's pings still pass.
k.request("POLICY_NEW", [attr(A["POLICY"], [
    u8(POL["DIR"], DIR_FWD), ip(POL["SRC"], ADDR_B), ip(POL["DST"], ADDR_A),
    u8(POL["SRC_PLEN"], 32), u8(POL["DST_PLEN"], 32),
    u8(POL["ACTION"], ACTION_DISCARD)])])
d0 = drops()
ok(ping_from_b(), "with a FWD policy discarding B->A, B's ESP pings to A "
   "(delivered here: IN decides) still pass", delta(d0, drops()))

for ns in (NSA, NSB):
    sh("ip", "netns", "del", ns)
finish()
