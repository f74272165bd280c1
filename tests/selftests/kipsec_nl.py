"""A raw generic-netlink client for the kipsec family, for tests that must
send what the CLI never would (bad lengths, unknown attributes, missing
fields) and read the kernel's answer: errno and extended-ACK message.
Standard library only, so it starts fast in the VM."""
import errno
import os
import socket
import struct

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK = 1, 2, 4
NLM_F_DUMP = 0x300
NLM_F_EXCL, NLM_F_CREATE, NLM_F_APPEND = 0x200, 0x400, 0x800
NLM_F_ACK_TLVS, NLM_F_CAPPED = 0x200, 0x100
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLA_F_NESTED = 0x8000
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
CTRL_ATTR_MCAST_GROUPS = 7

# include/uapi/linux/kipsec.h
CMD = dict(STATS_GET=1, SA_NEW=2, SA_UPDATE=3, SA_GET=4, SA_DEL=5,
           SA_FLUSH=6, SA_ALLOC_SPI=7, POLICY_NEW=8, POLICY_UPDATE=9,
           POLICY_GET=10, POLICY_DEL=11, POLICY_FLUSH=12, EXPIRE=13,
           ACQUIRE=14, SOCKET_BYPASS=15, MAPPING=16)
A = dict(PAD=1, STATS_DROPS=2, SA=3, POLICY=4, SA_PROTO_FILTER=5,
         EXPIRE_HARD=6, SA_NO_KEYS=7, POLICY_STACK=8, SOCKET_COOKIE=9,
         MAPPING_ADDR=10, MAPPING_PORT=11, STATS_ENCAP=12)
SA = dict(PAD=1, PROTO=2, SPI=3, SRC=4, DST=5, MODE=6, REQID=7,
          REPLAY_WINDOW=8, FLAGS=9, ENCR=10, INTEG=11, LIFETIME_SOFT=12,
          LIFETIME_HARD=13, TUNNEL_DF=14, SPI_MIN=15, SPI_MAX=16, STATE=17,
          CURRENT=18, SEQ_OUT=19, SEQ_IN=20, STATS=21, SELECTOR=22,
          ENCAP_SPORT=23, ENCAP_DPORT=24)
ENCS = dict(ESP_IN=2, ESP_OUT=3, IKE_IN=4)
ALG = dict(ID=1, KEY=2)
SAS = dict(PACKETS_IN=2, BYTES_IN=3, PACKETS_OUT=4, BYTES_OUT=5,
           REPLAY_DROPS=6, INTEGRITY_FAILS=7, OTHER_DROPS=8,
           REPLAY_TOO_OLD=9, REPLAY_MAX_LAG=10)
LT = dict(PAD=1, BYTES=2, PACKETS=3, ADD_SECONDS=4, USE_SECONDS=5)
POL = dict(DIR=1, SRC=2, DST=3, SRC_PLEN=4, DST_PLEN=5, PROTO=6, SPORT=7,
           DPORT=8, ICMP_TYPE=9, ICMP_CODE=10, ACTION=11, PRIORITY=12,
           TEMPLATES=13, TEMPLATE=14, INDEX=15, SA_SPI=16, INSTANCES=17,
           IDLE_SECONDS=18, PAD=19)
TMPL = dict(PROTO=1, MODE=2, SRC=3, DST=4, LEVEL=5, REQID=6, SPI=7)
ESP, AH = 50, 51


def attr(atype, payload):
    """One attribute; payload is bytes or a list of attributes (nested)."""
    if isinstance(payload, list):
        payload = b"".join(payload)
        atype |= NLA_F_NESTED
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    return hdr + payload + b"\0" * (-len(payload) % 4)


def u8(t, v): return attr(t, struct.pack("=B", v))
def u16(t, v): return attr(t, struct.pack("=H", v))
def u32(t, v): return attr(t, struct.pack("=I", v))
def u64(t, v): return attr(t, struct.pack("=Q", v))
def flag(t): return attr(t, b"")


def ip(t, text):
    fam = socket.AF_INET6 if ":" in text else socket.AF_INET
    return attr(t, socket.inet_pton(fam, text))


def parse_attrs(data):
    out = {}
    while len(data) >= 4:
        alen, atype = struct.unpack("=HH", data[:4])
        if alen < 4:
            break
        out.setdefault(atype & 0x3fff, []).append(data[4:alen])
        data = data[(alen + 3) & ~3:]
    return out


class Error(Exception):
    def __init__(self, err, msg):
        super().__init__("%s: %s" % (errno.errorcode.get(err, err), msg))
        self.errno, self.msg = err, msg


class Events:
    def __init__(self, sock):
        self.sock = sock
        self.pending = []

    def next(self, timeout=5.0):
        """The next event as (command name, attributes), or None."""
        names = {v: k for k, v in CMD.items()}
        if not self.pending:
            self.sock.settimeout(timeout)
            try:
                data = self.sock.recv(1 << 20)
            except socket.timeout:
                return None
            while data:
                mlen = struct.unpack("=I", data[:4])[0]
                cmd = data[16]
                self.pending.append((names.get(cmd, cmd),
                                     parse_attrs(data[20:mlen])))
                data = data[(mlen + 3) & ~3:]
        return self.pending.pop(0)


class Kipsec:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 1
        reply = self._talk(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
                           [attr(CTRL_ATTR_FAMILY_NAME, b"kipsec\0")])
        attrs = parse_attrs(reply[0])
        self.family = struct.unpack("=H", attrs[CTRL_ATTR_FAMILY_ID][0])[0]
        self.groups = {}
        for grp in parse_attrs(attrs[CTRL_ATTR_MCAST_GROUPS][0]).values():
            g = parse_attrs(grp[0])
            self.groups[g[1][0].rstrip(b"\0").decode()] = \
                struct.unpack("=I", g[2][0])[0]

    def subscribe(self, group="events"):
        """A second socket that receives the group's notifications."""
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        s.bind((0, 0))
        s.setsockopt(SOL_NETLINK, 1, self.groups[group])  # ADD_MEMBERSHIP
        return Events(s)

    def _talk(self, ntype, cmd, version, attrs, flags=0, reserved=0):
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, reserved) + b"".join(attrs)
        hdr = struct.pack("=IHHII", 16 + len(body), ntype,
                          NLM_F_REQUEST | NLM_F_ACK | flags, self.seq, 0)
        self.sock.send(hdr + body)
        replies = []
        while True:
            data = self.sock.recv(1 << 20)
            while data:
                mlen, mtype, mflags, seq, _ = struct.unpack("=IHHII", data[:16])
                payload = data[16:mlen]
                data = data[(mlen + 3) & ~3:]
                if seq != self.seq:
                    continue
                if mtype == NLMSG_DONE:
                    return replies
                if mtype == NLMSG_ERROR:
                    err = -struct.unpack("=i", payload[:4])[0]
                    if err == 0:
                        return replies
                    msg = ""
                    if mflags & NLM_F_ACK_TLVS:
                        off = 4 + (16 if mflags & NLM_F_CAPPED else
                                   struct.unpack("=I", payload[4:8])[0])
                        tlvs = parse_attrs(payload[off:])
                        if 1 in tlvs:
                            msg = tlvs[1][0].rstrip(b"\0").decode()
                    raise Error(err, msg)
                replies.append(payload[4:])

    def request(self, cmd, attrs, flags=0, reserved=0):
        """Sends a kipsec command; returns the reply payloads' attributes.
        @reserved goes into genlmsghdr.reserved (tests of the header check)."""
        return [parse_attrs(p) for p in
                self._talk(self.family, CMD[cmd], 1, attrs, flags, reserved)]

    def dump(self, cmd, attrs=()):
        return self.request(cmd, list(attrs), NLM_F_DUMP)


def as_nobody(fn):
    """Runs fn(Kipsec()) in a child without privileges (uid and gid
    65534, no groups); returns the errno it failed with, 0, or 99 for any
    other exception."""
    pid = os.fork()
    if pid == 0:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
        try:
            fn(Kipsec())
            os._exit(0)
        except Error as e:
            os._exit(e.errno)
        except Exception:
            os._exit(99)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def sa_attrs(proto=ESP, spi=0x1000, src="192.0.2.1", dst="192.0.2.2",
             encr=(20, bytes(20)), integ=None, extra=()):
    """A valid SA (AES-GCM-16-128 by default) as KIPSEC_A_SA contents."""
    inner = [u8(SA["PROTO"], proto), u32(SA["SPI"], spi),
             ip(SA["SRC"], src), ip(SA["DST"], dst)]
    if encr:
        inner.append(attr(SA["ENCR"], [u16(ALG["ID"], encr[0]),
                                       attr(ALG["KEY"], encr[1])]))
    if integ:
        inner.append(attr(SA["INTEG"], [u16(ALG["ID"], integ[0]),
                                        attr(ALG["KEY"], integ[1])]))
    return inner + list(extra)


def sa_id(spi=0x1000, dst="192.0.2.2", proto=ESP):
    return [attr(A["SA"], [u8(SA["PROTO"], proto), u32(SA["SPI"], spi),
                          ip(SA["DST"], dst)])]
