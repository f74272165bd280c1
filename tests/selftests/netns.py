"""Network namespaces for the VM tests: create them, wire them with veth,
and open sockets inside them from this process (setns through libc, since
the Python here predates os.setns)."""
import contextlib
import ctypes
import os
import re
import subprocess

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


def sh(*cmd, ns=None, check=True, quiet=False):
    """Runs a command, in namespace @ns if given; returns CompletedProcess."""
    argv = (["ip", "netns", "exec", ns] if ns else []) + [str(c) for c in cmd]
    return subprocess.run(argv, check=check, text=True,
                          stdout=subprocess.PIPE if quiet else None,
                          stderr=subprocess.STDOUT if quiet else None)


def kipsec_drops(ns, reason):
    """kipsec's drop counter @reason in namespace @ns (-1: no such line)."""
    out = sh("cat", "/proc/net/kipsec_stat", ns=ns, quiet=True).stdout
    m = re.search(r"^%s\s+(\d+)" % reason, out, re.M)
    return int(m.group(1)) if m else -1


@contextlib.contextmanager
def inside(ns):
    """Runs the block with this thread in namespace @ns; sockets created
    there stay there."""
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    target = os.open("/run/netns/" + ns, os.O_RDONLY)
    try:
        if _libc.setns(target, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns " + ns)
        yield
    finally:
        _libc.setns(home, CLONE_NEWNET)
        os.close(target)
        os.close(home)


def pair(a, b, prefix):
    """Two fresh namespaces joined by a veth pair named <prefix>-a/-b."""
    for ns in (a, b):
        sh("ip", "netns", "del", ns, check=False, quiet=True)
        sh("ip", "netns", "add", ns)
        sh("ip", "link", "set", "lo", "up", ns=ns)
    sh("ip", "link", "add", prefix + "-a", "netns", a, "type", "veth",
       "peer", "name", prefix + "-b", "netns", b)
    sh("ip", "link", "set", prefix + "-a", "up", ns=a)
    sh("ip", "link", "set", prefix + "-b", "up", ns=b)


def kipsec_esp_transport(ns, addr_a, addr_b, sas, reqid, options=("", "")):
    """kipsec in namespace @ns (address @addr_a), the peer of @addr_b: the
    transport-mode AES-GCM-16 SAs of @sas ((spi, key) A->B, then B->A),
    each with its extra setkey @options, and require policies both ways,
    through `kipsec -c`. Returns the CompletedProcess."""
    (spi_ab, key_ab), (spi_ba, key_ba) = sas
    conf = (
        "add %s %s esp %#x -u %d -E aes-gcm-16 %s %s;\n"
        "add %s %s esp %#x -u %d -E aes-gcm-16 %s %s;\n"
        "spdadd %s %s any -P out ipsec esp/transport//require;\n"
        "spdadd %s %s any -P in ipsec esp/transport//require;\n"
        % (addr_a, addr_b, spi_ab, reqid, key_ab, options[0],
           addr_b, addr_a, spi_ba, reqid, key_ba, options[1],
           addr_a, addr_b, addr_b, addr_a))
    return sh("bash", "-c", "printf '%s' \"$0\" | kipsec -c", conf, ns=ns,
              check=False, quiet=True)


def xfrm_esp_transport(ns, addr_a, addr_b, sas, reqid):
    """The kernel's XFRM in namespace @ns (address @addr_b) as the peer of
    @addr_a: transport-mode AES-GCM-16 SAs from @sas ((spi, key) A->B, then
    B->A; keys as "0x..." with the salt) and policies both ways."""
    for (spi, key), src, dst in zip(sas, (addr_a, addr_b), (addr_b, addr_a)):
        sh("ip", "xfrm", "state", "add", "src", src, "dst", dst, "proto",
           "esp", "spi", spi, "reqid", reqid, "mode", "transport", "aead",
           "rfc4106(gcm(aes))", key, 128, ns=ns)
    for d, src, dst in (("out", addr_b, addr_a), ("in", addr_a, addr_b)):
        sh("ip", "xfrm", "policy", "add", "src", src, "dst", dst, "dir", d,
           "tmpl", "proto", "esp", "reqid", reqid, "mode", "transport", ns=ns)
