#!/usr/bin/python3
"""Policy order as Linux keeps it (XFRM, setkey): priority, then the order
the policies were added in; spdupdate keeps a policy's place; the policy
dump lists them in that lookup order. A setkey file written for Linux with
a broad discard before a narrower bypass must behave as it does there:
the broad one wins. (kipsec used to prefer the more specific selector at
equal priority, and dumped in index order.)"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa
from netns import pair, sh  # noqa

NSA, NSB = "ord-a", "ord-b"
A, B = "192.0.2.1", "192.0.2.2"


def kipsec(*statements):
    text = "".join(s + "\n" for s in statements)
    return sh("bash", "-c", "printf '%s' \"$1\" | kipsec -f -", "x", text,
              ns=NSA, check=False, quiet=True)


def discards():
    out = sh("cat", "/proc/net/kipsec_stat", ns=NSA, quiet=True).stdout
    m = re.search(r"^policy_discard\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else -1


def ping():
    return sh("ping", "-c1", "-W1", B, ns=NSA, check=False,
              quiet=True).returncode == 0


def dump_order():
    out = sh("kipsec", "-j", "-DP", ns=NSA, quiet=True).stdout
    return [(p["dst"], p["dst_prefix_len"], p["action"], p["priority"])
            for p in json.loads(out) if p["dir"] == "out"]


pair(NSA, NSB, "ord")
sh("ip", "addr", "add", A + "/24", "dev", "ord-a", ns=NSA)
sh("ip", "addr", "add", B + "/24", "dev", "ord-b", ns=NSB)
ok(ping(), "without policies B answers")

WIDE = "spdadd 192.0.2.0/24 192.0.2.0/24 any -P out discard;"
NARROW = "spdadd %s %s icmp -P out none;" % (A, B)
r = kipsec(WIDE, NARROW)
ok(r.returncode == 0, "a broad discard, then a narrower bypass, same priority",
   r.stdout)
before = discards()
ok(not ping() and discards() > before,
   "the policy added first wins at equal priority: the ping is discarded",
   discards() - before)
ok(dump_order() == [("192.0.2.0", 24, "discard", 0x80000000),
                    (B, 32, "none", 0x80000000)],
   "-DP lists them in lookup order", dump_order())

r = kipsec("spdupdate 192.0.2.0/24 192.0.2.0/24 any -P out discard;")
ok(r.returncode == 0 and not ping() and
   dump_order()[0] == ("192.0.2.0", 24, "discard", 0x80000000),
   "spdupdate keeps the policy's place", (r.stdout, dump_order()))

r = kipsec("spdupdate %s %s icmp -P out prio high none;" % (A, B))
ok(r.returncode == 0 and ping(),
   "a better priority (prio high) puts the bypass first", r.stdout)
ok(dump_order() == [(B, 32, "none", 0x40000000),
                    ("192.0.2.0", 24, "discard", 0x80000000)],
   "-DP follows: priority first", dump_order())

r = kipsec("spdflush;", NARROW.replace("icmp", "any"), WIDE)
ok(r.returncode == 0 and ping(),
   "added the other way round, the bypass wins", r.stdout)

# Many policies of one priority: the dump keeps the order across rounds.
stmts = ["spdflush;"] + ["spdadd 10.%d.%d.0/24 10.255.0.0/16 any -P out "
                         "prio %d discard;" % (i >> 8, i & 255, 5 - i % 3)
                         for i in range(600)]
r = kipsec(*stmts)
got = dump_order()
want = sorted([("10.255.0.0", 16, "discard", 0x80000000 - (5 - i % 3), i)
               for i in range(600)], key=lambda t: (t[3], t[4]))
ok(r.returncode == 0 and [g[3] for g in got] == [w[3] for w in want] and
   len(got) == 600,
   "600 policies: the dump spans several messages, in priority order",
   len(got))
srcs = [p["src"] for p in json.loads(sh("kipsec", "-j", "-DP", ns=NSA,
                                        quiet=True).stdout)]
ok(srcs == ["10.%d.%d.0" % (w[4] >> 8, w[4] & 255) for w in want],
   "and, within a priority, in the order they were added")
kipsec("spdflush;")
finish()
