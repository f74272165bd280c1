"""Three namespaces for the NAT traversal tests: a host behind a NAT (nt-h,
10.99.0.2, with 10.88.1.1 on lo), the NAT doing IPv4 MASQUERADE with nft
(nt-n: 10.99.0.1 inside, 198.51.100.1 outside) and a host outside (nt-p,
198.51.100.2, with 10.88.2.1 on lo); counters on the NAT's outside
interface tell what the wire carried."""
import re
import time

from netns import pair, sh

H, N, P = "nt-h", "nt-n", "nt-p"
PRIV, NAT_IN, NAT_OUT, PUB = "10.99.0.2", "10.99.0.1", "198.51.100.1", \
    "198.51.100.2"
H_NET, P_NET = "10.88.1.1", "10.88.2.1"
NFT = """
table ip natt {
  chain post {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "ntp-a" masquerade
  }
  chain watch_out {
    type filter hook postrouting priority 300; policy accept;
    oifname "ntp-a" meta l4proto esp counter comment "c_esp"
    oifname "ntp-a" udp dport 4500 counter comment "c_udp"
    oifname "ntp-a" meta l4proto != udp counter comment "c_other"
    oifname "ntp-a" udp sport != 4500 udp dport != 4500 counter comment "c_other"
  }
  chain watch_in {
    type filter hook prerouting priority -300; policy accept;
    iifname "ntp-a" meta l4proto esp counter comment "c_esp"
    iifname "ntp-a" udp sport 4500 counter comment "c_udp"
    iifname "ntp-a" meta l4proto != udp counter comment "c_other"
    iifname "ntp-a" udp sport != 4500 udp dport != 4500 counter comment "c_other"
  }
}
"""


def topology():
    pair(H, N, "nth")
    sh("ip", "netns", "del", P, check=False, quiet=True)
    sh("ip", "netns", "add", P)
    sh("ip", "link", "set", "lo", "up", ns=P)
    sh("ip", "link", "add", "ntp-a", "netns", N, "type", "veth", "peer",
       "name", "ntp-b", "netns", P)
    for ns, dev, addr in ((H, "nth-a", PRIV + "/24"),
                          (N, "nth-b", NAT_IN + "/24"),
                          (N, "ntp-a", NAT_OUT + "/24"),
                          (P, "ntp-b", PUB + "/24")):
        sh("ip", "addr", "add", addr, "dev", dev, ns=ns)
        sh("ip", "link", "set", dev, "up", ns=ns)
    sh("ip", "route", "add", "default", "via", NAT_IN, ns=H)
    sh("ip", "addr", "add", H_NET + "/32", "dev", "lo", ns=H)
    sh("ip", "addr", "add", P_NET + "/32", "dev", "lo", ns=P)
    # the tunnel's inner traffic leaves towards the NAT's public address
    sh("ip", "route", "add", "10.88.1.0/24", "via", NAT_OUT, ns=P)
    sh("sysctl", "-qw", "net.ipv4.ip_forward=1", ns=N)
    r = sh("bash", "-c", "printf '%s' \"$0\" | nft -f -", NFT, ns=N,
           check=False, quiet=True)
    if r.returncode:
        print("# nft: " + r.stdout)


def nft_counts():
    """Packets counted by the NAT's watch rules, by their comment (anonymous
    counters: the debug kernel has no named counter objects)."""
    out = sh("nft", "list", "table", "ip", "natt", ns=N, quiet=True).stdout
    counts = {"c_esp": 0, "c_udp": 0, "c_other": 0}
    for n, name in re.findall(r'counter packets (\d+) bytes \d+ comment "(\w+)"',
                              out):
        counts[name] += int(n)
    return counts


def nat_forget():
    """The NAT forgets its mappings: removing the address MASQUERADE used
    deletes the conntrack entries translated to it (ctnetlink, which
    `conntrack -F` needs, is missing from the debug kernel)."""
    sh("ip", "addr", "del", NAT_OUT + "/24", "dev", "ntp-a", ns=N)
    sh("ip", "addr", "add", NAT_OUT + "/24", "dev", "ntp-a", ns=N)
    time.sleep(1)   # the entries go from a work item


def rebind(port):
    """From now on the NAT maps UDP to @port, and it forgets the mappings
    it had: the next packet from inside leaves from a new endpoint."""
    sh("nft", "flush", "chain", "ip", "natt", "post", ns=N)
    sh("nft", "add", "rule", "ip", "natt", "post", "oifname", "ntp-a",
       "meta", "l4proto", "udp", "masquerade", "to", ":%d" % port, ns=N)
    sh("nft", "add", "rule", "ip", "natt", "post", "oifname", "ntp-a",
       "masquerade", ns=N)
    nat_forget()
