#!/bin/bash
# The generic netlink family "kipsec" is registered with its events group,
# shows its attribute policies to introspection, and answers in every
# namespace, not only the initial one.
. "$(dirname "$0")/lib.sh"

ctrl=$(genl ctrl get name kipsec 2>&1)
ok "genl ctrl knows the family" grep -q "Name: kipsec" <<<"$ctrl"
ok "the family has the events multicast group" grep -q "events" <<<"$ctrl"
ok "the family has the stats command" grep -Eq "ID-0x1 " <<<"$ctrl"

# The constraints are in the attribute policies, so introspection shows
# them: each command its own policy, SPIs from 256, ESP or AH, prefix
# lengths to 128, addresses of 4 to 16 bytes, templates as a nested array.
pol=$(genl ctrl policy name kipsec 2>&1)
ok "genl ctrl policy: each kind of command its own policy" \
	test "$(grep -Eo 'op [0-9]+ policies:.*do=[0-9]+' <<<"$pol" |
		grep -Eo 'do=[0-9]+' | sort -u | wc -l)" -ge 6
ok "genl ctrl policy shows the ranges and lengths" bash -c \
	"grep -q 'range:\[256,4294967295\]' <<<'$pol' &&
	 grep -q 'range:\[50,51\]' <<<'$pol' &&
	 grep -q 'range:\[0,128\]' <<<'$pol' &&
	 grep -Eq 'min len:4.*max len:16' <<<'$pol' &&
	 grep -q 'type=NESTED_ARRAY' <<<'$pol'" ||
	sed 's/^/# /' <<<"$pol" | head -n 80

ns=$(netns_name genl)
ip netns add "$ns"
ok "kipsec stats answers inside a new namespace" \
	ip netns exec "$ns" sh -c 'kipsec stats >/dev/null'
ip netns delete "$ns"
finish
