#!/usr/bin/python3
"""strongSwan through a NAT (nat_topology.py): charon behind a MASQUERADE
NAT and charon outside detect the NAT themselves (IKEv2 NAT_DETECTION)
and move to UDP 4500; kipsec, through the kernel-kipsec plugin, carries
the tunnel as ESP in UDP against XFRM both ways round and against
itself. Checked: the SAs kipsec holds name the encapsulation ports, ping
and TCP pass, the wire outside the NAT carries no ESP and nothing but UDP
4500 once IKE moved there, a CHILD_SA rekey keeps the encapsulation,
charon's NAT keepalives reach an outside kipsec (absorbed and counted),
and when the NAT rebinds to another port, kipsec's MAPPING event makes
the outside charon move the SAs (update_sa) and traffic resumes."""
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok, skip_all  # noqa
from netns import inside, sh  # noqa
from charon import Charon, swanctl_conf  # noqa
from ike_pair import ping, wait_for  # noqa
from kipsec_nl import A, Kipsec, parse_attrs  # noqa
from nat_topology import (H, N, P, PRIV, PUB, H_NET, P_NET,  # noqa
                          nft_counts, rebind, topology)
from traffic import tcp_send  # noqa

ESP_PROPOSAL = "aes128gcm16-esn"

# CI has 90 minutes for three kernels: the strongSwan tests exercise the
# plugin and kipsec's paths, which 6.1 and the debug kernel cover; 6.12
# runs the data-path suites.
if os.environ.get("KIPSEC_KERNEL") == "6.12":
    skip_all("the strongSwan tests run on 6.1 and the debug kernel")
NATT_KEEPALIVE = 24   # enum kipsec_drop_reason


def confs():
    def child(local, remote):
        return {"net": {"esp_proposals": ESP_PROPOSAL, "mode": "tunnel",
                        "local_ts": local, "remote_ts": remote}}
    return (swanctl_conf(PRIV, PUB, "home", "gw",
                         child("10.88.1.0/24", "10.88.2.0/24")),
            swanctl_conf(PUB, "%any", "gw", "home",
                         child("10.88.2.0/24", "10.88.1.0/24")))


def kipsec_sas(ns):
    return json.loads(sh("kipsec", "-jD", ns=ns, quiet=True).stdout or "[]")


def keepalives(ns):
    with inside(ns):
        k = Kipsec()
    reply = k.request("STATS_GET", [])[0]
    drops = parse_attrs(reply[A["STATS_DROPS"]][0])
    return struct.unpack("=Q", drops[NATT_KEEPALIVE][0])[0]


def encapsulated(sas):
    return len(sas) == 2 and all(sa.get("encap_sport") and
                                 sa.get("encap_dport") for sa in sas)


def run_case(label, home_backend, gw_backend, rekey, rebinding):
    topology()
    home = Charon("home", H, home_backend)
    gw = Charon("gw", P, gw_backend)
    hconf, gconf = confs()
    try:
        gw.start(gconf)
        home.start(hconf)
        out = home.swanctl("--initiate", "--child", "net", "--timeout", "20",
                           check=False)
        up = ok("established" in out or "successfully" in out,
                "%s: charon negotiates the CHILD_SA through the NAT" % label,
                out + home.tail() + gw.tail())
        ok(home.logged("local host is behind NAT"),
           "%s: charon behind the NAT detected it" % label, home.tail())
        for c, ns in ((home, H), (gw, P)):
            if c.backend == "kipsec":
                sas = kipsec_sas(ns)
                ok(encapsulated(sas), "%s: kipsec's SAs on %s carry ESP in "
                   "UDP" % (label, c.name), str(sas)[:1500] + c.tail())
        wire = nft_counts()
        got = ping(H, H_NET, P_NET, count=10) if up else 0
        ok(got == 10, "%s: 10 of 10 echo requests answered" % label,
           "%d\n%s" % (got, home.tail() + gw.tail()))
        ok(tcp_send(H, P, H_NET, P_NET, nbytes=1 << 18, port=5201),
           "%s: TCP arrives byte for byte" % label)
        now = nft_counts()
        delta = {k: now[k] - wire[k] for k in now}
        ok(delta["c_esp"] == 0 and delta["c_other"] == 0 and
           delta["c_udp"] > 20,
           "%s: outside the NAT only UDP 4500" % label, str(delta))
        if rekey:
            before = sorted(sa["spi"] for sa in kipsec_sas(H))
            home.swanctl("--rekey", "--child", "net", check=False)

            def rekeyed():
                sas = kipsec_sas(H)
                return (encapsulated(sas) and
                        not set(sa["spi"] for sa in sas) & set(before))
            ok(wait_for(rekeyed, 20), "%s: the rekeyed CHILD_SA is "
               "encapsulated too" % label,
               str(kipsec_sas(H))[:1500] + home.tail())
            got = ping(H, H_NET, P_NET, count=5)
            ok(got == 5, "%s: traffic after the rekey (%d of 5)"
               % (label, got), home.tail() + gw.tail())
        if gw.backend == "kipsec":
            seen = keepalives(P)
            # keep_alive is 2 s: the idle side behind the NAT sends them
            ok(wait_for(lambda: keepalives(P) > seen, 12),
               "%s: charon's NAT keepalives reach kipsec outside and are "
               "absorbed" % label, gw.tail())
        if rebinding:
            rebind(40000)
            ping(H, H_NET, P_NET, count=3, interval=0.5)

            def moved():
                sas = kipsec_sas(P)
                return any(sa.get("encap_dport") == 40000 for sa in sas) and \
                    any(sa.get("encap_sport") == 40000 for sa in sas)
            ok(wait_for(moved, 20) and
               gw.logged("kernel-kipsec: NAT mapping of SA"),
               "%s: the NAT rebound: kipsec's MAPPING made charon move the "
               "SAs to port 40000" % label,
               str(kipsec_sas(P))[:1500] + gw.tail())
            got = ping(H, H_NET, P_NET, count=5)
            ok(got == 5, "%s: traffic flows through the new mapping "
               "(%d of 5)" % (label, got), home.tail() + gw.tail())
    finally:
        home.stop()
        gw.stop()


# The debug kernel (three times slower; CI has 90 minutes) runs the case
# that has every step, kipsec on both sides; the release kernels all three.
if os.environ.get("KIPSEC_KERNEL") != "debug":
    run_case("kipsec-home xfrm-gw", "kipsec", "xfrm", rekey=True,
             rebinding=False)
    run_case("xfrm-home kipsec-gw", "xfrm", "kipsec", rekey=False,
             rebinding=True)
run_case("kipsec-home kipsec-gw", "kipsec", "kipsec", rekey=True,
         rebinding=True)
for ns in (H, N, P):
    sh("ip", "netns", "del", ns, check=False, quiet=True)
finish()
