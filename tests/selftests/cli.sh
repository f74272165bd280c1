#!/bin/bash
# The kipsec command against the module: add/get/dump/update/delete/flush,
# alloc-spi, setkey files (all or nothing on a syntax error), kernel
# rejections with the line that caused them, monitor, EPERM (commands and
# the events group), JSON.
. "$(dirname "$0")/lib.sh"
# The CLI is the same program on every kernel; its netlink paths run under
# KASAN in control_plane.py. CI has 90 minutes for three kernels.
[ "${KIPSEC_KERNEL:-}" = debug ] && skip_all "the CLI's own test runs on 6.1 and 6.12"

ns=$(netns_name cli)
ip netns add "$ns"
k() { ip netns exec "$ns" kipsec "$@"; }
conf=/tmp/cli-$$.conf

cat >"$conf" <<'CONF'
# the seeds' statements, with a 3des key of the right length
add fec0::1 fec0::2 ah 700 -A hmac-md5 0xbf9a081e7ebdd4fa824c822ed94f5226;
add fec0::1 fec0::2 esp 701 -E 3des-cbc 0xdafb418410b2ca6a2ba144561fab354640080e5b7a010203;
spdadd fec0::1 fec0::2 any -P out IPsec esp/transport//require ah/transport//require;
spdadd 10.0.1.0/24 10.0.2.0/24 any -P out ipsec esp/tunnel/172.16.0.1-172.16.0.2/require;
add 192.0.2.1 192.0.2.2 esp 0x2000 -m tunnel -r 4096 -f esn -u 7
	-E aes-cbc 0x000102030405060708090a0b0c0d0e0f -A hmac-sha256 0x000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f
	-ls 100 -lh 200;
CONF
ok "a setkey file applies (the deprecated algorithms only warn)" k -f "$conf"
ok "-D lists the three SAs" test "$(k -D | grep -c 'spi=')" = 3 ||
	{ k -D | sed 's/^/# /'; dmesg | tail -n 20 | sed 's/^/# /'; }
ok "-DP lists the two policies" test "$(k -DP | grep -c 'index=')" = 2
ok "-D shows the keys, as setkey does" bash -c "ip netns exec $ns kipsec -D | grep -q ' dafb4184 '"
# A reader that needs no keys does not pull them out of the kernel.
ok "-DK lists the same SAs without a single key" bash -c \
	"out=\$(ip netns exec $ns kipsec -DK); echo \"\$out\" | grep -c 'spi=' | grep -qx 3 &&
	 echo \"\$out\" | grep -c 'key not shown' | grep -qx 4 &&
	 ! echo \"\$out\" | grep -q 'dafb4184'"
# -v output goes to terminals and logs: keys by their length unless -vv.
ok "-nv shows a key by its length only, -nvv shows it" bash -c \
	"k=0x\$(printf '5a%.0s' {1..20})
	 v=\$(kipsec -nv add 192.0.2.1 192.0.2.2 esp 0x2200 -E aes-gcm-16 \$k)
	 vv=\$(kipsec -nvv add 192.0.2.1 192.0.2.2 esp 0x2200 -E aes-gcm-16 \$k)
	 echo \"\$v\" | grep -q '<20-byte key>' && ! echo \"\$v\" | grep -q 5a5a &&
	 echo \"\$vv\" | grep -q \"\$k\""
ok "an argument already in quotes (a string key with a blank) is not quoted again" \
	k -n add 192.0.2.1 192.0.2.2 esp 0x2100 -E aes-cbc '"0123 456789abcde"' \
	-A hmac-sha256 0x000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f
ok "get shows one SA with its options" bash -c \
	"ip netns exec $ns kipsec get 192.0.2.1 192.0.2.2 esp 0x2000 | grep -q 'replay=4096 flags=esn'"
ok "-j -D is JSON with the SA's fields" bash -c "ip netns exec $ns kipsec -j -D |
	/usr/bin/python3 -c 'import json,sys; s=[x for x in json.load(sys.stdin) if x[\"spi\"]==0x2000][0]; assert s[\"reqid\"]==7 and s[\"mode\"]==\"tunnel\", s'"

printf 'add 192.0.2.1 192.0.2.2 esp 0x3000 -E aes-gcm-16 0x0001;\nspdadd 10.9.0.0/16 10.8.0.0/16 any -P out none;\nadd 192.0.2.1 192.0.2.2 esp 0x3001 -E rot13 0x00;\n' >"$conf"
out=$(k -f "$conf" 2>&1)
ok "a file with errors applies nothing" test "$(k -D | grep -c 'spi=')" = 3
ok "and names FILE:LINE:COLUMN with the reason" \
	grep -q "$conf:1:.*aes-gcm-16 needs" <<<"$out"
ok "every error of the file is reported" grep -q "$conf:3:" <<<"$out"

printf 'add 192.0.2.1 192.0.2.2 esp 0x2000 -E aes-gcm-16 0x0001020304050607080910111213141516171819;\nadd 192.0.2.1 192.0.2.2 esp 0x2001 -E aes-gcm-16 0x0001020304050607080910111213141516171819;\n' >"$conf"
out=$(k -f "$conf" 2>&1)
rc=$?
ok "a kernel rejection is reported with its line and message" \
	grep -q "$conf:1: an SA with this destination, SPI and protocol exists" <<<"$out"
ok "the exit status is 1, and the next statement still applied" \
	test "$rc" = 1 -a "$(k -D | grep -c 'spi=')" = 4

spi=$(k alloc-spi 192.0.2.9 192.0.2.8 esp -u 3 range 0x5000 0x50ff)
ok "alloc-spi prints an SPI in the range" bash -c "(( $spi >= 0x5000 && $spi <= 0x50ff ))"
ok "the reserved SA is larval" bash -c "ip netns exec $ns kipsec -D | grep -q 'state=larval'"
ok "update completes it" k update 192.0.2.9 192.0.2.8 esp "$spi" -E aes-gcm-16 0x0001020304050607080910111213141516171819
ok "update changes the lifetime of an established SA" bash -c \
	"ip netns exec $ns kipsec update 192.0.2.1 192.0.2.2 esp 0x2000 -lh 500 &&
	 ip netns exec $ns kipsec -j get 192.0.2.1 192.0.2.2 esp 0x2000 | grep -q '\"add_seconds\":500'"

ip netns exec "$ns" kipsec monitor >/tmp/cli-$$.mon 2>&1 &
mon=$!
sleep 2
k delete 192.0.2.1 192.0.2.2 esp 0x2001
k spddelete 10.0.1.0/24 10.0.2.0/24 any -P out
sleep 1
kill $mon
wait $mon 2>/dev/null
ok "monitor saw the SA deletion" grep -qi "sa-del" /tmp/cli-$$.mon
ok "monitor saw the policy deletion" grep -qi "policy-del" /tmp/cli-$$.mon
# setkey's -xx (timestamps) and -H (the bytes of each message).
ip netns exec "$ns" kipsec -xxH >/tmp/cli-$$.mon 2>&1 &
mon=$!
sleep 2
k delete 192.0.2.9 192.0.2.8 esp "$spi"
sleep 1
kill $mon
wait $mon 2>/dev/null
ok "-xx stamps each event with the time, -H adds its bytes" bash -c \
	"grep -Eq '^[0-9]{10}\.[0-9]{6} sa-del ' /tmp/cli-$$.mon &&
	 grep -Eq \$'^\t[0-9a-f]{2}( [0-9a-f]{2}){15}\$' /tmp/cli-$$.mon" ||
	sed 's/^/# /' /tmp/cli-$$.mon
# setkey -l: the dump again every second, one line per SA with its counters.
out=$(ip netns exec "$ns" timeout 2.5 kipsec -lD)
ok "-lD repeats a one-line dump every second until killed" bash -c \
	"[ \$(grep -c '^--- ' <<<'$out') -ge 2 ] &&
	 grep -q '192.0.2.1 192.0.2.2 esp spi=0x00002000.* in 0/0 out 0/0\$' <<<'$out'" ||
	echo "$out" | sed 's/^/# /'
ok "-V prints the version, -? the help, -k -r -p are accepted" bash -c \
	"kipsec -V | grep -q '^kipsec .*family \"kipsec\" version 1' &&
	 kipsec -? | grep -q 'Statements' &&
	 ip netns exec $ns kipsec -krp -D >/dev/null"
ok "setkey FILE (a saved PF_KEY dump): refused, pointing at -f" bash -c \
	"out=\$(kipsec $conf 2>&1); [ \$? = 2 ] && grep -q 'apply it with -f' <<<\"\$out\""
ok "-l without -D and -H without -x are refused with the reason" bash -c \
	"kipsec -l -F 2>&1 | grep -q 'goes with -D' && kipsec -H -D 2>&1 | grep -q 'goes with -x'"
# Another client's policy with an exact port 0 is not shown as "any".
ip netns exec "$ns" /usr/bin/python3 - "$(dirname "$0")" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
from kipsec_nl import A, POL, Kipsec, attr, ip, u8, u16
Kipsec().request("POLICY_NEW", [attr(A["POLICY"], [
    u8(POL["DIR"], 1), ip(POL["SRC"], "10.7.0.1"), ip(POL["DST"], "10.7.0.2"),
    u8(POL["PROTO"], 17), u16(POL["SPORT"], 0), u8(POL["ACTION"], 1)])])
PY
ok "a policy with port 0 (not any) dumps as [0], and 0 in JSON" bash -c \
	"ip netns exec $ns kipsec -DP | grep -q '^10.7.0.1/32\[0\] 10.7.0.2/32\[any\] udp' &&
	 ip netns exec $ns kipsec -j -DP | grep -q '\"src\":\"10.7.0.1\",[^}]*\"sport\":0,\"dport\":null'"
ok "deleteall removes every SA between two addresses" bash -c \
	"ip netns exec $ns kipsec deleteall 192.0.2.1 192.0.2.2 esp &&
	 ! ip netns exec $ns kipsec -D | grep -q '192.0.2.1 192.0.2.2'"
ok "flush ah removes only AH SAs" bash -c \
	"ip netns exec $ns kipsec flush ah && ! ip netns exec $ns kipsec -D | grep -q 'ah mode'"
ok "-F and -FP empty everything" bash -c \
	"ip netns exec $ns kipsec -F && ip netns exec $ns kipsec -FP &&
	 test -z \"\$(ip netns exec $ns kipsec -j -D | tr -d '[] \n')\""
ok "without CAP_NET_ADMIN: refused with EPERM" bash -c \
	"! ip netns exec $ns setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all kipsec -D 2>&1 | grep -q 'spi=' &&
	 ip netns exec $ns setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all kipsec -D 2>&1 | grep -qi 'not permitted'"
# Events reveal SPIs, counters and who tried to reach which peer (ACQUIRE):
# listening needs CAP_NET_ADMIN, as XFRM's group does.
ok "without CAP_NET_ADMIN: monitor refused with a message that says why" bash -c \
	"out=\$(ip netns exec $ns timeout 5 setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all kipsec monitor 2>&1); rc=\$?
	 echo \"\$out\"; [ \$rc = 1 ] && echo \"\$out\" | grep -q 'needs CAP_NET_ADMIN'"
rm -f "$conf" /tmp/cli-$$.mon
ip netns delete "$ns"
finish
