#!/usr/bin/python3
"""ESP packets an attacker can send, injected at layer 2 into a kipsec
receiver (namespace A) next to an XFRM peer (B): a replayed packet, a
forged ICV, an unknown SPI, a truncated packet. Each is dropped and
counted under its own reason, changes no SA state (a forged ICV does not
move the replay window), and traffic continues afterwards."""
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kipsec_nl import (A, ALG, ESP, POL, SA, SAS, TMPL, Kipsec, attr, ip,  # noqa
                       parse_attrs, sa_id, u8, u16, u32)
from netns import inside, pair, sh  # noqa

n = failed = 0
print("TAP version 13")


def ok(cond, desc, diag=None):
    global n, failed
    n += 1
    print("%sok %d %s" % ("" if cond else "not ", n, desc), flush=True)
    if not cond:
        failed += 1
        if diag is not None:
            print("# %r" % (diag,))


NSA, NSB = "atk-a", "atk-b"
ADDR_A, ADDR_B = "192.0.2.1", "192.0.2.2"
pair(NSA, NSB, "vk")
sh("ip", "addr", "add", ADDR_A + "/24", "dev", "vk-a", ns=NSA)
sh("ip", "addr", "add", ADDR_B + "/24", "dev", "vk-b", ns=NSB)
KEY_AB, KEY_BA = bytes(range(20)), bytes(range(20, 40))
SPI_AB, SPI_BA = 0x3000, 0x3001
with inside(NSA):
    k = Kipsec()
for spi, src, dst, key in ((SPI_AB, ADDR_A, ADDR_B, KEY_AB),
                           (SPI_BA, ADDR_B, ADDR_A, KEY_BA)):
    k.request("SA_NEW", [attr(A["SA"], [
        u8(SA["PROTO"], ESP), u32(SA["SPI"], spi), ip(SA["SRC"], src),
        ip(SA["DST"], dst), u32(SA["REQID"], 1),
        attr(SA["ENCR"], [u16(ALG["ID"], 20), attr(ALG["KEY"], key)])])])
    sh("ip", "xfrm", "state", "add", "src", src, "dst", dst, "proto", "esp",
       "spi", spi, "reqid", 1, "mode", "transport", "replay-window", 32,
       "aead", "rfc4106(gcm(aes))", "0x" + key.hex(), 128, ns=NSB)
for d, src, dst in ((1, ADDR_A, ADDR_B), (0, ADDR_B, ADDR_A)):
    k.request("POLICY_NEW", [attr(A["POLICY"], [
        u8(POL["DIR"], d), ip(POL["SRC"], src), ip(POL["DST"], dst),
        u8(POL["ACTION"], 2),
        attr(POL["TEMPLATES"], [attr(POL["TEMPLATE"], [
            u8(TMPL["PROTO"], ESP), u32(TMPL["REQID"], 1)])])])])
for d, src, dst in (("out", ADDR_B, ADDR_A), ("in", ADDR_A, ADDR_B)):
    sh("ip", "xfrm", "policy", "add", "src", src, "dst", dst, "dir", d,
       "tmpl", "src", src, "dst", dst, "proto", "esp", "reqid", 1,
       "mode", "transport", ns=NSB)

with inside(NSB):
    raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
raw.bind(("vk-b", 0))
raw.settimeout(5)


def ping_from_b():
    r = sh("ping", "-c", 1, "-W", 3, ADDR_A, ns=NSB, check=False, quiet=True)
    return r.returncode == 0


def capture_esp_to_a():
    """The first ESP frame B sends to A during one ping."""
    frames = []
    ok_ping = ping_from_b()
    while True:
        try:
            f = raw.recv(4096)
        except socket.timeout:
            break
        if (len(f) > 34 and f[12:14] == b"\x08\x00" and f[23] == 50 and
                f[30:34] == socket.inet_aton(ADDR_A)):
            frames.append(f)
            break
    return ok_ping, frames[0] if frames else None


def counters():
    d = parse_attrs(k.request("STATS_GET", [])[0][A["STATS_DROPS"]][0])
    drops = {t: struct.unpack("=Q", v[0])[0] for t, v in d.items()}
    got = parse_attrs(k.request("SA_GET", sa_id(SPI_BA, ADDR_A))[0][A["SA"]][0])
    st = parse_attrs(got[SA["STATS"]][0])
    sa = {name: struct.unpack("=Q", st[num][0])[0] for name, num in SAS.items()}
    sa["SEQ_IN"] = struct.unpack("=Q", got[SA["SEQ_IN"]][0])[0]
    return drops, sa


NO_SA_IN, REPLAY, INTEGRITY, MALFORMED = 5, 6, 7, 9
alive, frame = capture_esp_to_a()
ok(alive and frame is not None, "B pings A through the SA; an ESP frame is captured")
if frame is None:
    print("1..%d" % n)
    sys.exit(1)


def inject(f):
    raw.send(f)
    sh("sleep", "0.3")


drops0, sa0 = counters()
inject(frame)
drops1, sa1 = counters()
ok(drops1[REPLAY] == drops0[REPLAY] + 1 and
   sa1["REPLAY_DROPS"] == sa0["REPLAY_DROPS"] + 1 and
   sa1["PACKETS_IN"] == sa0["PACKETS_IN"],
   "a replayed packet is dropped and counted (namespace and SA)", (sa0, sa1))

# A forged packet: a fresh sequence number far ahead, the ICV cannot match.
forged = bytearray(frame)
forged[38:42] = struct.pack("!I", sa0["SEQ_IN"] + 500)
inject(bytes(forged))
drops2, sa2 = counters()
ok(drops2[INTEGRITY] == drops1[INTEGRITY] + 1 and
   sa2["INTEGRITY_FAILS"] == sa1["INTEGRITY_FAILS"] + 1,
   "a packet with a bad ICV is dropped as an integrity failure", (sa1, sa2))
ok(sa2["SEQ_IN"] == sa1["SEQ_IN"],
   "the failed ICV did not move the replay window", (sa1["SEQ_IN"], sa2["SEQ_IN"]))

unknown = bytearray(frame)
unknown[34:38] = struct.pack("!I", 0x7777)
inject(bytes(unknown))
drops3, _ = counters()
ok(drops3[NO_SA_IN] == drops2[NO_SA_IN] + 1, "an unknown SPI is dropped as no_sa_in")

# Header only: the ESP header survives, nothing after it.
short = bytearray(frame[:42])
short[16:18] = struct.pack("!H", 28)
short[24:26] = b"\0\0"
csum = 0
for i in range(14, 34, 2):
    csum += (short[i] << 8) | short[i + 1]
while csum >> 16:
    csum = (csum & 0xffff) + (csum >> 16)
short[24:26] = struct.pack("!H", ~csum & 0xffff)
inject(bytes(short))
drops4, sa4 = counters()
ok(drops4[MALFORMED] == drops3[MALFORMED] + 1,
   "a truncated ESP packet is dropped as malformed")
ok(sa4["SEQ_IN"] == sa2["SEQ_IN"], "no attack changed the SA's state")
ok(ping_from_b(), "a valid packet right after still passes")

for ns in (NSA, NSB):
    sh("ip", "netns", "del", ns)
print("1..%d" % n)
sys.exit(1 if failed else 0)
