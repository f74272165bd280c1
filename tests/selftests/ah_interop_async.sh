#!/bin/bash
# The AH interop suite once more with every AH hash run asynchronously
# (kipsec's force_async parameter wraps it in cryptd, whose worker always
# completes later), so AH's completion callbacks, the resumption of packets
# after them and the replay re-check after the ICV are exercised on any
# machine. (ESP transforms are wrapped in pcrypt at the same time.)
. "$(dirname "$0")/lib.sh"

param=/sys/module/kipsec/parameters/force_async
[ -w "$param" ] || skip_all "kipsec has no force_async parameter"
# Once is enough (minutes under TCG): on 6.12, like the ESP rerun.
[ "${KIPSEC_KERNEL:-6.12}" = 6.12 ] || skip_all "the asynchronous run is done on 6.12"
modprobe cryptd 2>/dev/null
grep -q cryptd /proc/modules || [ -d /sys/module/cryptd ] ||
	skip_all "this kernel has no cryptd"

echo 1 >"$param"
KIPSEC_INTEROP_QUICK=1 "$(dirname "$0")/ah_interop.py"
rc=$?
echo 0 >"$param"
ok "the AH interop suite passed with asynchronous hashes" test "$rc" = 0
ok "its hashes really ran under cryptd" grep -q '^driver *: cryptd(hmac' /proc/crypto
finish
