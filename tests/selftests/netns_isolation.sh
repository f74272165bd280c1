#!/bin/bash
# SAs and policies of one namespace are invisible in another and go away
# with their namespace; events stay in their namespace.
. "$(dirname "$0")/lib.sh"

a=$(netns_name iso-a)
b=$(netns_name iso-b)
ip netns add "$a"
ip netns add "$b"
nl() {
	ip netns exec "$1" /usr/bin/python3 -c "
import sys; sys.path.insert(0, 'tests/selftests')
from kipsec_nl import *
k = Kipsec()
$2"
}

nl "$a" 'k.request("SA_NEW", [attr(A["SA"], sa_attrs(spi=0x8001))])'
ok "an SA added in namespace A is listed there" \
	test "$(nl "$a" 'print(len(k.dump("SA_GET")))')" = 1
ok "and not in namespace B" \
	test "$(nl "$b" 'print(len(k.dump("SA_GET")))')" = 0
ok "B may add an SA with the same SPI and addresses" \
	nl "$b" 'k.request("SA_NEW", [attr(A["SA"], sa_attrs(spi=0x8001))])'
ok "B's events do not reach A's listener" nl "$a" '
import subprocess
ev = k.subscribe()
subprocess.run(["ip", "netns", "exec", "'"$b"'", "/usr/bin/python3", "-c",
    "import sys; sys.path.insert(0, \"tests/selftests\")\nfrom kipsec_nl import *\nKipsec().request(\"SA_FLUSH\", [])"], check=True)
sys.exit(ev.next(timeout=2) is not None)'
ok "the initial namespace sees neither" \
	test "$(nl_init() { /usr/bin/python3 -c "
import sys; sys.path.insert(0, 'tests/selftests')
from kipsec_nl import *
print(len(Kipsec().dump('SA_GET')))"; }; nl_init)" = 0
ip netns delete "$a"
ip netns delete "$b"
finish
