#!/usr/bin/python3
"""What one network namespace may take: per-namespace limits on SAs,
reserved SPIs and policies (module parameters, refused with a message and
no change), memory charged to the requester's cgroup, and error texts
that no namespace can use up for the others."""
import errno
import os
import socket
import subprocess
import sys
import textwrap
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok, skip  # noqa
from netns import inside, sh  # noqa
from kipsec_nl import (A, ESP, POL, SA, Error, Kipsec, attr, ip,  # noqa
                       sa_attrs, u8, u32)

PARAMS = "/sys/module/kipsec/parameters/"
NS, FLOOD = "lim-ns", "lim-flood"


def param(name, value=None):
    path = PARAMS + name
    if value is None:
        with open(path) as f:
            return int(f.read())
    with open(path, "w") as f:
        f.write(str(value))


def fails(k, cmd, attrs, err, text):
    before = (len(k.dump("SA_GET")), len(k.dump("POLICY_GET")))
    try:
        k.request(cmd, attrs)
        return False, "accepted"
    except Error as e:
        after = (len(k.dump("SA_GET")), len(k.dump("POLICY_GET")))
        return (e.errno == err and text in e.msg and after == before,
                (errno.errorcode.get(e.errno), e.msg, before, after))


def policy(n):
    return [attr(A["POLICY"], [
        u8(POL["DIR"], 1), ip(POL["SRC"], "10.9.%d.0" % n),
        u8(POL["SRC_PLEN"], 24), ip(POL["DST"], "10.8.0.0"),
        u8(POL["DST_PLEN"], 16), u8(POL["ACTION"], 1)])]


def alloc_spi(n):
    return [attr(A["SA"], [u8(SA["PROTO"], ESP), ip(SA["SRC"], "192.0.2.1"),
                           ip(SA["DST"], "192.0.2.%d" % (10 + n))])]


sh("ip", "netns", "add", NS)
sh("ip", "netns", "add", FLOOD)
with inside(NS):
    k = Kipsec()
with inside(FLOOD):
    other = Kipsec()
have = all(os.path.exists(PARAMS + p)
           for p in ("max_sas", "max_larval_sas", "max_policies"))
ok(have, "the module has the parameters max_sas, max_larval_sas and "
   "max_policies")
saved = {p: param(p) for p in ("max_sas", "max_larval_sas", "max_policies")
         if have}
try:
    if not have:
        raise StopIteration
    # --- limits ------------------------------------------------------------
    param("max_sas", 6)
    param("max_larval_sas", 2)
    param("max_policies", 3)
    for i in range(3):
        k.request("SA_NEW", [attr(A["SA"], sa_attrs(spi=0x7000 + i))])
    for i in range(2):
        k.request("SA_ALLOC_SPI", alloc_spi(i))
    good, why = fails(k, "SA_ALLOC_SPI", alloc_spi(2), errno.ENOSPC,
                      "as many reserved SPIs as allowed (kipsec module parameter max_larval_sas)")
    ok(good, "a third reserved SPI past max_larval_sas=2: ENOSPC, says "
       "which parameter, nothing changes", why)
    k.request("SA_NEW", [attr(A["SA"], sa_attrs(spi=0x7003))])
    good, why = fails(k, "SA_NEW", [attr(A["SA"], sa_attrs(spi=0x7100))],
                      errno.ENOSPC,
                      "as many SAs as allowed (kipsec module parameter max_sas)")
    ok(good, "a seventh SA past max_sas=6 (larval ones count): ENOSPC", why)
    k.request("SA_DEL", [attr(A["SA"], [
        u8(SA["PROTO"], ESP), u32(SA["SPI"], 0x7000),
        ip(SA["DST"], "192.0.2.2")])])
    k.request("SA_NEW", [attr(A["SA"], sa_attrs(spi=0x7100))])
    ok(len(k.dump("SA_GET")) == 6, "after a delete there is room again")
    for i in range(3):
        k.request("POLICY_NEW", policy(i))
    good, why = fails(k, "POLICY_NEW", policy(3), errno.ENOSPC,
                      "as many policies as allowed (kipsec module parameter max_policies)")
    ok(good, "a fourth policy past max_policies=3: ENOSPC", why)
    other.request("POLICY_NEW", policy(0))
    other.request("SA_NEW", [attr(A["SA"], sa_attrs(spi=0x7000))])
    ok(len(other.dump("POLICY_GET")) == 1 and len(other.dump("SA_GET")) == 1,
       "the limits are per namespace: another one still has room")
    other.request("POLICY_FLUSH", [])
    other.request("SA_FLUSH", [])
except StopIteration:
    pass
finally:
    for p, v in saved.items():
        param(p, v)
k.request("SA_FLUSH", [])
k.request("POLICY_FLUSH", [])

# --- error texts: no namespace can use them up -------------------------------
# Each of these is a distinct text ("replay window N is out of range ..."),
# more than any table of texts kipsec ever kept.
flooded = 0
for i in range(700):
    try:
        other.request("SA_NEW", [attr(A["SA"], sa_attrs(
            spi=0x8000, extra=[u32(SA["REPLAY_WINDOW"], 70000 + i)]))])
    except Error as e:
        flooded += "replay window %d is out of range" % (70000 + i) in e.msg
ok(flooded == 700, "700 distinct errors in one namespace, each with its text",
   flooded)
good, why = fails(k, "SA_NEW", [attr(A["SA"], sa_attrs(
    spi=0x8000, extra=[u32(SA["REPLAY_WINDOW"], 99999)]))], errno.EINVAL,
    "replay window 99999 is out of range")
ok(good, "after them, another namespace still gets its own precise text", why)

# --- memory accounting ----------------------------------------------------
CG = "/sys/fs/cgroup"


def have_memcg():
    """The debug kernel is built without cgroups: nothing to charge there."""
    with open("/proc/filesystems") as f:
        if "cgroup2" not in f.read() or not os.path.isdir(CG):
            return False
    if subprocess.run(["stat", "-fc", "%T", CG], capture_output=True,
                      text=True).stdout.strip() != "cgroup2fs":
        sh("mount", "-t", "cgroup2", "none", CG)
    with open(CG + "/cgroup.controllers") as f:
        return "memory" in f.read().split()


USED = 200  # SAs the test sends a packet through


def check_memcg():
    with open(CG + "/cgroup.subtree_control", "w") as f:
        f.write("+memory")
    group = CG + "/kipsec-limits"
    os.makedirs(group, exist_ok=True)
    # The child joins the group once Python is loaded (what was charged before
    # stays where it was), adds 2000 SAs, and reports what the group's kernel
    # memory grew by; then USED more SAs with a policy each, towards
    # 10.0.0.1.. behind a dummy device. No memory.max: hitting it would call
    # the OOM killer.
    child = textwrap.dedent(r"""
    import os, subprocess, sys
    sys.path.insert(0, %r)
    from kipsec_nl import A, Kipsec, attr, sa_attrs
    from netns import inside
    def stat():
        with open(%r) as f:
            return {l.split()[0]: int(l.split()[1]) for l in f}
    with inside(%r):
        k = Kipsec()
    with open(%r, "w") as f:
        f.write(str(os.getpid()))
    s0 = stat()
    for n in range(2000):
        k.request("SA_NEW", [attr(A["SA"], sa_attrs(spi=0x10000 + n))])
    s1 = stat()
    conf = "".join(
        "add 192.0.2.1 10.0.0.%%d esp %%d -m transport -E aes-gcm-16 0x%%s;\n"
        "spdadd 192.0.2.1 10.0.0.%%d udp -P out ipsec esp/transport//require;\n"
        %% (n, 0x20000 + n, "11" * 20, n) for n in range(1, %d + 1))
    r = subprocess.run(["ip", "netns", "exec", %r, "kipsec", "-f", "-"],
                       input=conf, text=True, capture_output=True)
    print(s1["percpu"] - s0["percpu"], s1["slab"] - s0["slab"], r.returncode,
          flush=True)
    """) % (os.path.dirname(os.path.abspath(__file__)), group + "/memory.stat",
           NS, group + "/cgroup.procs", USED, NS)

    def group_percpu():
        with open(group + "/memory.stat") as f:
            return int(next(line.split()[1] for line in f
                            if line.startswith("percpu ")))
    sh("ip", "link", "add", "d0", "type", "dummy", ns=NS)
    sh("ip", "addr", "add", "192.0.2.1/24", "dev", "d0", ns=NS)
    sh("ip", "link", "set", "d0", "up", ns=NS)
    sh("ip", "route", "add", "10.0.0.0/16", "dev", "d0", ns=NS)
    # Not through "ip netns exec", which mounts a sysfs without the cgroups.
    r = sh("/usr/bin/python3", "-c", child, check=False, quiet=True)
    try:
        percpu, slab, rc = (int(x) for x in r.stdout.split())
    except ValueError:
        percpu = slab = rc = -1
    # Each SA: its object (keys alone are 128 bytes) and its replay state;
    # no per-CPU counters until it carries a packet.
    ok(slab >= 2000 * 600 and 0 <= percpu < 2000 * 16, MEMCG_CHECK,
       (r.stdout.strip(), percpu, slab))
    # This process is outside the group: what the packets make an SA
    # allocate must still be charged to the group that added the SA.
    before = group_percpu()
    with inside(NS):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for n in range(1, USED + 1):
        s.sendto(b"x", ("10.0.0.%d" % n, 9))
    s.close()
    time.sleep(1)
    grown = group_percpu() - before
    ok(rc == 0 and grown >= USED * 56,
       "a first packet through each of %d SAs, sent from outside the group, "
       "charges their per-CPU counters (56 bytes per CPU) to the group that "
       "added them" % USED, (rc, grown))
    k.request("SA_FLUSH", [])
    k.request("POLICY_FLUSH", [])
    for _ in range(50):
        try:
            os.rmdir(group)
            break
        except OSError:
            time.sleep(0.1)


MEMCG_CHECK = ("2000 SAs are charged to the requester's memory cgroup, "
               "and idle ones take no per-CPU memory")
if have_memcg():
    check_memcg()
else:
    skip(MEMCG_CHECK, "this kernel has no memory cgroup")
    skip("per-CPU counters charged to the group", "no memory cgroup")
sh("ip", "netns", "del", NS)
sh("ip", "netns", "del", FLOOD)
finish()
