#!/bin/bash
# The module loads and unloads cleanly 20 times in a row (5 on the debug
# kernel) while namespaces come and go, and leaves nothing behind each time.
. "$(dirname "$0")/lib.sh"

ko=$(module_path)
ns=$(netns_name lu)
errors=()

note() {
	errors+=("round $round: $*")
}

# 20 rounds; 5 on the debug kernel, where KASAN and kmemleak watch each one
# and a round takes four times as long.
rounds=20
[ "${KIPSEC_KERNEL:-}" != debug ] || rounds=5
for round in $(seq 1 $rounds); do
	module_loaded || insmod "$ko" || note "insmod failed"
	ip netns add "$ns-a" && ip netns add "$ns-b"
	ip netns exec "$ns-a" kipsec stats >/dev/null || note "no answer in a namespace"
	ip netns exec "$ns-b" test -r /proc/net/kipsec_stat || note "no /proc/net/kipsec_stat"
	ip netns delete "$ns-a"
	# Unload while a namespace still exists: its state must go with the module.
	rmmod kipsec || note "rmmod failed"
	module_loaded && note "still loaded after rmmod"
	ip netns exec "$ns-b" test -e /proc/net/kipsec_stat && note "/proc entry survived rmmod"
	genl ctrl get name kipsec >/dev/null 2>&1 && note "genl family survived rmmod"
	ip netns delete "$ns-b"
done
for e in "${errors[@]}"; do
	echo "# $e"
done
ok "$rounds load/unload rounds with namespaces coming and going" test ${#errors[@]} = 0
# Without the module every command says so once, and fails.
for cmd in stats -D monitor; do
	ok "kipsec $cmd without the module: one line saying it is not loaded" bash -c \
		"out=\$(timeout 5 kipsec $cmd 2>&1); rc=\$?; echo \"\$out\";
		 [ \$rc = 1 ] && [ \"\$(echo \"\$out\" | wc -l)\" = 1 ] &&
		 echo \"\$out\" | grep -q 'module is not loaded'"
done
ok "the module loads again afterwards" insmod "$ko"
ok "and answers" bash -c "kipsec stats >/dev/null"
finish
