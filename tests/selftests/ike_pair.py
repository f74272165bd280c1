"""Two gateways for the strongSwan tests: namespaces sw-l and sw-r joined
by a veth (10.1.0.1 and 10.1.0.2), each with an address of its
subnet on lo (10.10.1.1 of 10.10.1.0/24, 10.10.2.1 of 10.10.2.0/24), the
other subnet routed through the other gateway, and
what the tests ask of them."""
import json
import time

from netns import pair, sh
from charon import swanctl_conf

L, R = "sw-l", "sw-r"
L_IP, R_IP = "10.1.0.1", "10.1.0.2"
L_NET, R_NET = "10.10.1.1", "10.10.2.1"
GCM_ESN = "aes128gcm16-esn"
CBC_SHA2 = "aes128-sha256-noesn"


def topology(left_route=True):
    """@left_route: sw-l routes the right subnet itself (else charon's
    routes must)."""
    pair(L, R, "sw")
    for ns, ip, net, peer_net, peer in ((L, L_IP, L_NET, "10.10.2.0/24", R_IP),
                                        (R, R_IP, R_NET, "10.10.1.0/24", L_IP)):
        sh("ip", "addr", "add", ip + "/24", "dev", "sw-" + ("a" if ns == L
                                                          else "b"), ns=ns)
        # the subnet's one host is the gateway itself: its address on lo
        # (the debug kernel has no dummy interfaces)
        sh("ip", "addr", "add", net + "/32", "dev", "lo", ns=ns)
        if ns == R or left_route:
            sh("ip", "route", "add", peer_net, "via", peer, ns=ns)


def kipsec_state(ns):
    """(SAs, policies) kipsec holds in @ns."""
    sas = json.loads(sh("kipsec", "-jDK", ns=ns, quiet=True).stdout or "[]")
    pols = json.loads(sh("kipsec", "-jDP", ns=ns, quiet=True).stdout or "[]")
    return sas, pols


def xfrm_count(ns):
    out = sh("ip", "xfrm", "state", ns=ns, quiet=True).stdout
    return out.count("\nsrc ") + out.startswith("src ")


def ping(ns, src, dst, count=5, interval=0.2):
    """How many of @count echo requests were answered (@src: the source
    address, None: the kernel's choice)."""
    r = sh("ping", "-n", "-q", "-c", count, "-i", interval, "-W", 1,
           *(["-I", src] if src else []), dst, ns=ns, check=False,
           quiet=True)
    for line in r.stdout.splitlines():
        if "received" in line:
            return int(line.split(",")[1].split()[0])
    return 0


def wait_for(cond, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if cond():
            return True
        time.sleep(0.25)
    return cond()


def confs(mode, esp, start_action="none"):
    def one(me, peer, me_id, peer_id, my_net, peer_net):
        opts = {"esp_proposals": esp, "mode": mode, "start_action":
                start_action}
        if mode == "tunnel":
            opts["local_ts"] = my_net
            opts["remote_ts"] = peer_net
        return swanctl_conf(me, peer, me_id, peer_id, {"net": opts})
    return (one(L_IP, R_IP, "left", "right", "10.10.1.0/24", "10.10.2.0/24"),
            one(R_IP, L_IP, "right", "left", "10.10.2.0/24", "10.10.1.0/24"))
