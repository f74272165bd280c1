#!/usr/bin/python3
"""Freeing SAs at scale: 2000 flushed SAs are freed in a few batches, each
after one grace period, not by one RCU callback and one work item per SA
(counted with the workqueue trace events); a second flush right after the
first is freed too, and adding them again works (nothing left behind)."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok, skip  # noqa
from netns import inside, sh  # noqa
from kipsec_nl import A, Kipsec, attr, sa_attrs  # noqa

NS = "sa-gc"
TRACING = "/sys/kernel/tracing"
EVENT = TRACING + "/events/workqueue/workqueue_execute_start/enable"
N = 2000

sh("ip", "netns", "add", NS)
with inside(NS):
    k = Kipsec()


def add_all():
    for n in range(N):
        k.request("SA_NEW", [attr(A["SA"], sa_attrs(spi=0x30000 + n))])


def have_tracing():
    if not os.path.exists(TRACING + "/events"):
        subprocess.run(["mount", "-t", "tracefs", "nodev", TRACING],
                       capture_output=True)
    return os.path.exists(EVENT)


add_all()
DESC = "a flush of %d SAs frees them in a few batches, not one work each" % N
if have_tracing():
    with open(TRACING + "/trace", "w"):
        pass
    with open(EVENT, "w") as f:
        f.write("1")
    k.request("SA_FLUSH", [])
    time.sleep(2)
    with open(EVENT, "w") as f:
        f.write("0")
    with open(TRACING + "/trace") as f:
        runs = sum("kipsec_sa_" in line for line in f)
    ok(1 <= runs <= 20, DESC, runs)
else:
    k.request("SA_FLUSH", [])
    skip(DESC, "this kernel has no tracing")
add_all()
ok(len(k.dump("SA_GET")) == N, "the same %d SAs can be added again" % N)
k.request("SA_FLUSH", [])
ok(len(k.dump("SA_GET")) == 0, "and flushed again")
sh("ip", "netns", "del", NS)
finish()
