#!/usr/bin/python3
"""SA lifetimes by deadline, not by scan: a namespace holding a thousand SAs
runs no lifetime work until one of them is due (checked with the
workqueue trace events), an add-time limit fires on time, a use-time limit
starts with the SA's first packet, and a byte limit set by SA_UPDATE on an
SA that already carried traffic counts that traffic. Before, a scan read
every SA's counters once a second under the namespace's lock."""
import os
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok, skip  # noqa
from netns import (inside, kipsec_esp_transport, pair, sh,  # noqa
                   xfrm_esp_transport)
from kipsec_nl import (A, ESP, LT, SA, Kipsec, attr, ip, sa_attrs, u8,  # noqa
                       u32, u64)

NSA, NSB = "life-a", "life-b"
ADDR_A, ADDR_B = "192.0.2.1", "192.0.2.2"
KEY_AB, KEY_BA = "0x" + "51" * 20, "0x" + "52" * 20
SPI_AB, SPI_BA = 0x6001, 0x6002
TRACING = "/sys/kernel/tracing"
EVENT = TRACING + "/events/workqueue/workqueue_execute_start/enable"

pair(NSA, NSB, "life")
sh("ip", "addr", "add", ADDR_A + "/24", "dev", "life-a", ns=NSA)
sh("ip", "addr", "add", ADDR_B + "/24", "dev", "life-b", ns=NSB)
with inside(NSA):
    k = Kipsec()


def have_tracing():
    if not os.path.exists(TRACING + "/events"):
        subprocess.run(["mount", "-t", "tracefs", "nodev", TRACING],
                       capture_output=True)
    return os.path.exists(EVENT)


def kipsec_work_runs(seconds):
    """How often kipsec's lifetime work ran in @seconds (every namespace)."""
    with open(TRACING + "/trace", "w"):
        pass
    with open(EVENT, "w") as f:
        f.write("1")
    time.sleep(seconds)
    with open(EVENT, "w") as f:
        f.write("0")
    with open(TRACING + "/trace") as f:
        return sum("kipsec_expire" in line for line in f)


def udp_through(tx_ns, rx_ns, dst, port, count=10):
    """Sends @count datagrams from @tx_ns to @dst in @rx_ns; how many came."""
    with inside(rx_ns):
        rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind((dst, port))
    rx.settimeout(3)
    with inside(tx_ns):
        tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for _ in range(count):
        tx.sendto(b"x" * 100, (dst, port))
    got = 0
    try:
        for _ in range(count):
            rx.recv(200)
            got += 1
    except socket.timeout:
        pass
    rx.close()
    tx.close()
    return got


def next_event(cmd, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        e = events.next(timeout=max(0.01, end - time.monotonic()))
        if e and e[0] == cmd:
            return e, time.monotonic()
    return None, time.monotonic()


# --- a thousand SAs without lifetimes, then one with a deadline -----------
for n in range(1000):
    k.request("SA_NEW", [attr(A["SA"], sa_attrs(spi=0x10000 + n))])
with inside(NSA):
    events = k.subscribe()  # after the thousand SA_NEW events
if have_tracing():
    runs = kipsec_work_runs(3)
    ok(runs == 0, "1000 SAs without lifetimes: no lifetime work runs in 3 s",
       runs)
    start = time.monotonic()
    k.request("SA_NEW", [attr(A["SA"], sa_attrs(spi=0x20000, extra=[
        attr(SA["LIFETIME_HARD"], [u64(LT["ADD_SECONDS"], 2)])]))])
    runs = kipsec_work_runs(3.5)
    e, at = next_event("EXPIRE", 5)
    ok(e is not None and runs == 1 and 1 <= at - start < 4,
       "one SA with a 2 s hard limit among them: its deadline wakes the "
       "work once, and the hard EXPIRE comes on time",
       (runs, e and e[0], at - start))
else:
    skip("1000 SAs without lifetimes: no lifetime work runs in 3 s",
         "this kernel has no tracing")
    skip("one SA with a 2 s hard limit among them: its deadline wakes the "
         "work once, and the hard EXPIRE comes on time",
         "this kernel has no tracing")
k.request("SA_FLUSH", [])
while events.next(timeout=0.5):
    pass

# --- use time starts with the first packet; limits set later count -------
for ns, dst in ((NSA, ADDR_B), (NSB, ADDR_A)):
    sh("ping", "-c", 1, "-W", 3, dst, ns=ns, quiet=True)
r = kipsec_esp_transport(NSA, ADDR_A, ADDR_B,
                         ((SPI_AB, KEY_AB), (SPI_BA, KEY_BA)), 5,
                         ("-us 1 -uh 2", ""))
ok(r.returncode == 0, "kipsec takes an SA with use-time limits", r.stdout)
xfrm_esp_transport(NSB, ADDR_A, ADDR_B, ((SPI_AB, KEY_AB), (SPI_BA, KEY_BA)),
                   5)
while events.next(timeout=0.5):
    pass
e, _ = next_event("EXPIRE", 3)
ok(e is None, "unused for 3 s, an SA with a 2 s use-time limit stays", e)

got = udp_through(NSA, NSB, ADDR_B, 9100)
start = time.monotonic()
soft, soft_at = next_event("EXPIRE", 4)
hard, hard_at = next_event("EXPIRE", 4)
ok(got == 10 and soft is not None and A["EXPIRE_HARD"] not in soft[1] and
   hard is not None and A["EXPIRE_HARD"] in hard[1] and
   soft_at - start < 2.5 and hard_at - start < 3.5,
   "after the first packets: a soft EXPIRE after 1 s of use, a hard one "
   "after 2 s", (got, soft and soft[0], soft_at - start, hard and hard[0],
                 hard_at - start))

# The inbound SA carries 10 packets; a packet limit of 5 set after them is
# already reached: the soft EXPIRE comes without another packet.
got = udp_through(NSB, NSA, ADDR_A, 9101)
ok(got == 10, "10 packets arrive through the inbound SA", got)
k.request("SA_UPDATE", [attr(A["SA"], [
    u8(SA["PROTO"], ESP), u32(SA["SPI"], SPI_BA), ip(SA["DST"], ADDR_A),
    attr(SA["LIFETIME_SOFT"], [u64(LT["PACKETS"], 5)]),
    attr(SA["LIFETIME_HARD"], [u64(LT["PACKETS"], 1000)])])])
e, _ = next_event("EXPIRE", 3)
ok(e is not None and A["EXPIRE_HARD"] not in e[1],
   "a packet limit set on an SA that already carried more: soft EXPIRE at "
   "once", e)

for ns in (NSA, NSB):
    sh("ip", "netns", "del", ns)
finish()
