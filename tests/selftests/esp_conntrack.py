#!/usr/bin/python3
"""kipsec takes inbound ESP before conntrack's confirm hook; it must confirm
the ESP flow's entry itself, or conntrack allocates and frees one for every
packet and a stateful firewall never sees the flow. kipsec (A) with an
nftables ruleset (which makes conntrack track A's namespace) receives
one-way UDP over ESP from an XFRM peer (B); A's conntrack table must then
hold the ESP flow B->A, as it holds any other flow."""
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa
from netns import (inside, kipsec_esp_transport, pair, sh,  # noqa
                   xfrm_esp_transport)

NSA, NSB = "ct-a", "ct-b"
ADDR_A, ADDR_B = "192.0.2.1", "192.0.2.2"
KEY_AB, KEY_BA = "0x" + "51" * 20, "0x" + "52" * 20
SPI_AB, SPI_BA = 0x6001, 0x6002


def esp_entries():
    """A's conntrack entries of ESP (protocol 50) from B to A."""
    out = sh("cat", "/proc/net/nf_conntrack", ns=NSA, quiet=True).stdout
    return [ln for ln in out.splitlines()
            if " 50 " in ln and "src=%s dst=%s" % (ADDR_B, ADDR_A) in ln]


pair(NSA, NSB, "ct")
sh("ip", "addr", "add", ADDR_A + "/24", "dev", "ct-a", ns=NSA)
sh("ip", "addr", "add", ADDR_B + "/24", "dev", "ct-b", ns=NSB)
r = sh("bash", "-c", "printf '%s' \"$0\" | nft -f -", (
    "table inet kipsec_ct {\n"
    "  chain in {\n"
    "    type filter hook input priority 0;\n"
    "    meta l4proto esp ct state new counter\n"
    "  }\n"
    "}\n"), ns=NSA, check=False, quiet=True)
ok(r.returncode == 0, "A has a stateful nftables ruleset", r.stdout)
r = kipsec_esp_transport(NSA, ADDR_A, ADDR_B,
                         ((SPI_AB, KEY_AB), (SPI_BA, KEY_BA)), 6)
ok(r.returncode == 0, "kipsec takes the SAs and policies", r.stdout)
xfrm_esp_transport(NSB, ADDR_A, ADDR_B, ((SPI_AB, KEY_AB), (SPI_BA, KEY_BA)),
                   6)

with inside(NSA):
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rx.bind((ADDR_A, 9100))
rx.settimeout(3)
with inside(NSB):
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
got = 0
for i in range(5):
    tx.sendto(b"one way %d" % i, (ADDR_A, 9100))
    try:
        rx.recv(100)
        got += 1
    except socket.timeout:
        pass
time.sleep(0.2)
ok(got == 5, "5 one-way UDP datagrams B->A arrive through ESP", got)
entries = esp_entries()
ok(len(entries) == 1, "A's conntrack table holds the ESP flow B->A "
   "(kipsec confirmed its entry)", entries)

for ns in (NSA, NSB):
    sh("ip", "netns", "del", ns)
finish()
