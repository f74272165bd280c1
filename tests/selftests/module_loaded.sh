#!/bin/bash
# The module loaded at boot is live: it is listed, answers on its generic
# netlink family, and shows its counters in the initial namespace.
. "$(dirname "$0")/lib.sh"

ok "kipsec is in /sys/module" module_loaded
ok "kipsec is listed by lsmod" bash -c 'lsmod | grep -q "^kipsec "'
ok "/proc/net/kipsec_stat lists every drop reason" \
	bash -c '[ "$(grep -c . /proc/net/kipsec_stat)" -ge 16 ]'
ok "kipsec stats prints the counters" \
	bash -c 'kipsec stats | grep -Eq "^no_sa_in +0$"'
ok "kipsec -j stats prints JSON" \
	bash -c 'kipsec -j stats | /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); assert d[\"drops\"][\"replay\"] == 0"'
finish
