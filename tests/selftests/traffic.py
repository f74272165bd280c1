"""Traffic between namespaces for the Python selftests, checked end to
end (what arrives is compared with what was sent)."""
import hashlib
import random
import socket
import threading

from netns import inside


def tcp_send(client_ns, server_ns, src, dst, nbytes=1 << 20, port=5001,
             timeout=120):
    """Sends @nbytes random bytes over TCP from @src in @client_ns to @dst
    in @server_ns; True when exactly those bytes arrived."""
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    data = random.randbytes(nbytes)
    with inside(server_ns):
        srv = socket.socket(fam, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((dst, port))
    srv.listen(1)
    srv.settimeout(timeout)
    got = hashlib.sha256()
    count = [0]

    def serve():
        try:
            conn, _ = srv.accept()
            conn.settimeout(timeout)
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                got.update(chunk)
                count[0] += len(chunk)
            conn.close()
        except OSError as e:
            print("# tcp server: %s" % e)

    t = threading.Thread(target=serve)
    t.start()
    with inside(client_ns):
        cli = socket.socket(fam, socket.SOCK_STREAM)
    cli.settimeout(timeout)
    cli.bind((src, 0))
    try:
        cli.connect((dst, port))
        cli.sendall(data)
        cli.close()
    except OSError as e:
        print("# tcp client: %s" % e)
    t.join(timeout + 30)
    srv.close()
    return count[0] == nbytes and got.digest() == hashlib.sha256(data).digest()


def udp_arrivals(src_ns, dst_ns, dst, port, count, src=None, tag=b"udp"):
    """Sends @count datagrams from @src_ns (from @src if given) to @dst:@port
    in @dst_ns; returns how many arrived. A datagram the sender's stack
    refuses (a policy without an SA drops it on output) counts as lost."""
    with inside(dst_ns):
        r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    r.bind((dst, port))
    r.settimeout(1)
    with inside(src_ns):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if src:
        s.bind((src, 0))
    for i in range(count):
        try:
            s.sendto(tag + b"%d" % i, (dst, port))
        except PermissionError:
            pass
    n = 0
    try:
        while True:
            r.recv(100)
            n += 1
    except socket.timeout:
        pass
    s.close()
    r.close()
    return n
