#!/bin/bash
# The seeds' site-to-site example, run as written in kipsec syntax, with
# kipsec on both gateways: hosts behind them ping and transfer data, the
# gateway link carries only ESP, and the counters account for it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/site_to_site.lib"

s2s_topology
ok "both gateways accept the seed's configuration (kipsec -f)" s2s_configure
ok "gw-a lists the two SAs" \
	test "$(ip netns exec s2s-gwa kipsec -D | grep -c 'esp mode=tunnel')" = 2
ok "gw-a lists the two policies" \
	test "$(ip netns exec s2s-gwa kipsec -DP | grep -c 'esp/tunnel/')" = 2

# Watch the gateway link from gw-b's side: only ESP may cross it.
ip netns exec s2s-gwb /usr/bin/python3 -c '
import socket, struct, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
s.bind(("wan", 0)); s.settimeout(1); esp = other = 0; end = time.time() + 40
while time.time() < end:
    try: f = s.recv(65535)
    except socket.timeout: continue
    if struct.unpack("!H", f[20:22])[0] & 0x1fff: continue  # later fragments
    if f[23] == 50: esp += 1
    else: other += 1
    open("/tmp/s2s.wire", "w").write("%d %d\n" % (esp, other))
' &
watcher=$!
sleep 2

ok "h-a pings h-b through the tunnel" \
	ip netns exec s2s-ha ping -c 3 -i 0.3 -W 3 10.0.2.10
ok "h-b pings h-a (1400 and 3000 bytes)" bash -c '
	ip netns exec s2s-hb ping -c 2 -W 3 -s 1400 10.0.1.10 &&
	ip netns exec s2s-hb ping -c 2 -W 3 -s 3000 10.0.1.10'
ok "1 MiB from h-a to h-b over TCP arrives byte for byte" s2s_tcp_transfer 1048576
kill $watcher 2>/dev/null
wait $watcher 2>/dev/null
read -r esp other </tmp/s2s.wire
echo "# gateway link: $esp ESP frames, $other other IPv4 frames"
ok "the gateway link carried ESP and nothing else" \
	test "$esp" -gt 100 -a "$other" = 0
ok "gw-a's outbound SA counted the traffic" bash -c \
	'ip netns exec s2s-gwa kipsec -j -D | /usr/bin/python3 -c "
import json, sys
sas = {s[\"spi\"]: s for s in json.load(sys.stdin)}
assert sas[0x1001][\"stats\"][\"packets_out\"] > 100, sas"'
ok "no drops on either gateway" bash -c '
	for gw in s2s-gwa s2s-gwb; do
		ip netns exec $gw kipsec stats | awk "\$1 !~ /^encap_/ && \$2 != 0 { bad = 1; print } END { exit bad }"
	done'
s2s_teardown
finish
