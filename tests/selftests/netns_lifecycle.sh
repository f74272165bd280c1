#!/bin/bash
# Per-namespace state follows namespaces while the module stays loaded:
# created when a namespace appears, freed when it goes away.
. "$(dirname "$0")/lib.sh"

ddc=/proc/dynamic_debug/control
[ -w $ddc ] || skip_all "kernel without dynamic debug"
echo 'module kipsec +p' >$ddc

logged() {
	dmesg | grep -q "kipsec: state $1 for netns $2\$"
}

ns=$(netns_name life)
ip netns add "$ns"
inum=$(netns_inum "$ns")
ok "state is created for a new namespace" wait_for 5 logged created "$inum"
ok "the namespace has its own /proc/net/kipsec_stat" \
	ip netns exec "$ns" test -r /proc/net/kipsec_stat
ip netns delete "$ns"
ok "state is freed when the namespace is deleted" \
	wait_for 20 logged freed "$inum"
ok "the module is still loaded" module_loaded

# A burst, as container hosts produce: every state must be freed again.
# 30 namespaces; 10 on the debug kernel, where each deletion costs seconds
# (KASAN, lockdep) and CI's time is short.
burst=30
[ "${KIPSEC_KERNEL:-}" != debug ] || burst=10
inums=()
for i in $(seq 1 $burst); do
	ip netns add "$ns-$i"
	inums+=("$(netns_inum "$ns-$i")")
done
for i in $(seq 1 $burst); do
	ip netns delete "$ns-$i"
done
all_freed() {
	local n
	for n in "${inums[@]}"; do
		logged freed "$n" || return 1
	done
}
ok "$burst namespaces created and deleted: every state freed" wait_for 30 all_freed

echo 'module kipsec -p' >$ddc
finish
