"""strongSwan's charon for the VM tests: one daemon per namespace, each with
its own strongswan.conf, vici socket, log and a private /run (charon keeps
its pid file there, and two daemons must not see each other's), driven
with swanctl. backend="kipsec" loads kernel-kipsec before kernel-netlink;
"xfrm" leaves charon on the kernel's own IPsec."""
import os
import signal
import subprocess
import time

CHARON = "/usr/lib/ipsec/charon"
WORK = "/tmp/kipsec-charon"
# What IKE needs in a charon with an explicit plugin list: the kdf plugin
# (IKEv2's PRF+ in 5.9.8), openssl's DH groups and ciphers.
PLUGINS = ("random nonce openssl aes sha1 sha2 hmac gcm kdf pem pkcs1 x509 "
           "pubkey socket-default vici")

# delete_rekeyed_delay: a rekeyed CHILD_SA's inbound SA stays this long (5 s
# by default) for packets still in flight; shorter, so that tests rekeying
# every few seconds see a moment with only the current SAs.
CONF = """charon {{
  load = {load}
  install_routes = {routes}
  delete_rekeyed_delay = 2
  retransmit_tries = 3
  retransmit_timeout = 2
  keep_alive = 2s
  plugins {{
    vici {{ socket = unix://{vici} }}
  }}
  filelog {{
    log {{
      path = {log}
      flush_line = yes
      default = 1
      knl = 2
      ike = 1
      time_format = %H:%M:%S
    }}
  }}
}}
"""


class Charon:
    def __init__(self, name, ns, backend, routes=False):
        """@routes: charon installs routes for its tunnels (table 220)."""
        self.name, self.ns, self.backend = name, ns, backend
        self.dir = os.path.join(WORK, name)
        os.makedirs(self.dir, exist_ok=True)
        self.vici = os.path.join(self.dir, "charon.vici")
        self.log = os.path.join(self.dir, "charon.log")
        self.conf = os.path.join(self.dir, "strongswan.conf")
        self.proc = None
        kernel = ("kernel-kipsec kernel-netlink" if backend == "kipsec"
                  else "kernel-netlink")
        with open(self.conf, "w") as f:
            f.write(CONF.format(load=kernel + " " + PLUGINS, vici=self.vici,
                                log=self.log,
                                routes="yes" if routes else "no"))

    def start(self, swanctl_conf):
        """Starts the daemon and loads @swanctl_conf (swanctl.conf text)."""
        self.swanctl_file = os.path.join(self.dir, "swanctl.conf")
        with open(self.swanctl_file, "w") as f:
            f.write(swanctl_conf)
        for p in (self.vici, self.log):
            if os.path.exists(p):
                os.unlink(p)
        env = dict(os.environ, STRONGSWAN_CONF=self.conf)
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", self.ns, "unshare", "--mount", "sh", "-c",
             "mount -t tmpfs none /run && exec " + CHARON],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while not os.path.exists(self.vici):
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("charon %s did not start:\n%s" %
                                   (self.name, self.tail()))
            time.sleep(0.2)
        self.swanctl("--load-all", "--file", self.swanctl_file)

    def swanctl(self, *args, check=True):
        """Runs swanctl against this daemon; returns its output."""
        r = subprocess.run(["swanctl"] + list(args) +
                           ["--uri", "unix://" + self.vici],
                           text=True, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        if check and r.returncode:
            raise RuntimeError("swanctl %s (%s): %s" %
                               (" ".join(args), self.name, r.stdout))
        return r.stdout

    def stop(self):
        """SIGTERM, as systemd stops it; waits until it is gone."""
        if self.proc and self.proc.poll() is None:
            # the shell exec'd charon: the process we hold is charon
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def tail(self, lines=40):
        try:
            with open(self.log) as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return "(no log)"

    def logged(self, text):
        try:
            with open(self.log) as f:
                return text in f.read()
        except OSError:
            return False


def swanctl_conf(local, remote, local_id, remote_id, children, ike_extra=""):
    """One IKEv2 connection "c" with PSK and the given children (dict of
    name -> dict of child options)."""
    kids = ""
    for name, opts in children.items():
        kids += "      %s {\n%s      }\n" % (name, "".join(
            "        %s = %s\n" % kv for kv in opts.items()))
    return """connections {
  c {
    version = 2
    local_addrs = %s
    remote_addrs = %s
    proposals = aes128-sha256-ecp256
%s    local { auth = psk
      id = %s }
    remote { auth = psk
      id = %s }
    children {
%s    }
  }
}
secrets {
  ike-c { id-1 = %s
    id-2 = %s
    secret = "kipsec-test-psk-0123456789" }
}
""" % (local, remote, ike_extra, local_id, remote_id, kids, local_id,
       remote_id)
