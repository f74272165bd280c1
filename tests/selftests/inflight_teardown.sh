#!/bin/bash
# Packets in crypto flight outlive neither their namespace's kipsec state
# nor the module. Every crypto completion is held back (the test knob
# debug_crypto_delay_ms, as behind a slow asynchronous engine) while ESP
# and AH traffic flows, then the namespaces are deleted mid-flow, and later
# kipsec is unloaded under traffic. What a packet in flight uses must
# still be there when it completes: the run's kernel log must stay clean
# (KASAN and kmemleak on the debug kernel; an Oops anywhere) and the module
# must unload and load again.
. "$(dirname "$0")/lib.sh"

ko=$(module_path)
param=/sys/module/kipsec/parameters/debug_crypto_delay_ms
ns=$(netns_name flight)
delay_ms=1500
sender_pid=

cleanup() {
	[ -z "$sender_pid" ] || kill -9 "$sender_pid" 2>/dev/null
	[ -w "$param" ] && echo 0 >"$param"
	ip netns del "$ns-a" 2>/dev/null
	ip netns del "$ns-b" 2>/dev/null
}
trap cleanup EXIT

# Two hosts, ESP for UDP to port 5001 and AH for UDP to port 5002, both ways.
setup() {
	ip netns add "$ns-a" && ip netns add "$ns-b" || return 1
	ip link add veth0 netns "$ns-a" type veth peer name veth0 netns "$ns-b"
	ip -n "$ns-a" addr add 192.0.2.1/24 dev veth0
	ip -n "$ns-b" addr add 192.0.2.2/24 dev veth0
	ip -n "$ns-a" link set veth0 up && ip -n "$ns-b" link set veth0 up
	ip -n "$ns-a" link set lo up && ip -n "$ns-b" link set lo up
	local conf="
add 192.0.2.1 192.0.2.2 esp 0x2001 -m transport -E aes-gcm-16 0x000102030405060708090a0b0c0d0e0f10111213;
add 192.0.2.2 192.0.2.1 esp 0x2002 -m transport -E aes-gcm-16 0x000102030405060708090a0b0c0d0e0f10111213;
add 192.0.2.1 192.0.2.2 ah 0x2003 -m transport -A hmac-sha256 0x000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f;
add 192.0.2.2 192.0.2.1 ah 0x2004 -m transport -A hmac-sha256 0x000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f;"
	local a="$conf
spdadd 192.0.2.1 192.0.2.2[5001] udp -P out ipsec esp/transport//require;
spdadd 192.0.2.2[5001] 192.0.2.1 udp -P in ipsec esp/transport//require;
spdadd 192.0.2.1 192.0.2.2[5002] udp -P out ipsec ah/transport//require;
spdadd 192.0.2.2[5002] 192.0.2.1 udp -P in ipsec ah/transport//require;"
	local b="$conf
spdadd 192.0.2.2[5001] 192.0.2.1 udp -P out ipsec esp/transport//require;
spdadd 192.0.2.1 192.0.2.2[5001] udp -P in ipsec esp/transport//require;
spdadd 192.0.2.2[5002] 192.0.2.1 udp -P out ipsec ah/transport//require;
spdadd 192.0.2.1 192.0.2.2[5002] udp -P in ipsec ah/transport//require;"
	echo "$a" | ip netns exec "$ns-a" kipsec -f - &&
		echo "$b" | ip netns exec "$ns-b" kipsec -f -
}

# A sends UDP to both ports as fast as it can, for at most a minute.
start_sender() {
	ip netns exec "$ns-a" /usr/bin/python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.time() + 60
while time.time() < end:
    for port in (5001, 5002):
        try:
            s.sendto(b"x" * 200, ("192.0.2.2", port))
        except OSError:
            pass
    time.sleep(0.002)' &
	sender_pid=$!
}

# Packets B's inbound SA SPI ($1) has taken in.
packets_in() {
	ip netns exec "$ns-b" kipsec -D 2>/dev/null |
		awk -v spi="$1" '/spi=/ { cur = ($0 ~ "spi=[0-9]+\\(" spi "\\)") }
			cur && /traffic: in/ { print $3; exit }'
}

flowing() {
	local esp ah
	esp=$(packets_in 0x00002001) ah=$(packets_in 0x00002003)
	[ "${esp:-0}" -gt 0 ] && [ "${ah:-0}" -gt 0 ]
}

module_loaded || insmod "$ko"
if ! ok "the module has the test knob debug_crypto_delay_ms" test -w "$param"; then
	finish
fi

# 1. Namespaces deleted while packets wait in crypto flight.
echo "$delay_ms" >"$param"
ok "two namespaces with ESP and AH SAs" setup
start_sender
ok "ESP and AH traffic arrives through the held-back completions" \
	wait_for $((delay_ms / 1000 + 20)) flowing
# The sender's last second of packets is still in flight at both ends.
kill -9 "$sender_pid"
wait "$sender_pid" 2>/dev/null
sender_pid=
ip netns del "$ns-a"
ip netns del "$ns-b"
# Namespace cleanup runs in a kernel worker; give the held-back completions
# time to run after it (before the fix, into freed state).
sleep $((delay_ms / 1000 + 3))
ok "the namespaces are gone" bash -c "! ip netns list | grep -q '$ns'"

# 2. The module unloaded under traffic.
ok "two namespaces again" setup
start_sender
ok "traffic flows again" wait_for $((delay_ms / 1000 + 20)) flowing
ok "rmmod kipsec while packets are in crypto flight" rmmod kipsec
ok "the module is gone" bash -c "! test -d /sys/module/kipsec"
kill -9 "$sender_pid"
wait "$sender_pid" 2>/dev/null
sender_pid=
ip netns del "$ns-a"
ip netns del "$ns-b"
sleep 1
ok "the module loads again" insmod "$ko"
ok "and answers" bash -c "kipsec stats >/dev/null"
finish
