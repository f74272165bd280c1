#!/bin/bash
# The generic netlink family "kipsec" is registered with its events group
# and answers in every namespace, not only the initial one.
. "$(dirname "$0")/lib.sh"

ctrl=$(genl ctrl get name kipsec 2>&1)
ok "genl ctrl knows the family" grep -q "Name: kipsec" <<<"$ctrl"
ok "the family has the events multicast group" grep -q "events" <<<"$ctrl"
ok "the family has the stats command" grep -Eq "ID-0x1 " <<<"$ctrl"

ns=$(netns_name genl)
ip netns add "$ns"
ok "kipsec stats answers inside a new namespace" \
	ip netns exec "$ns" sh -c 'kipsec stats >/dev/null'
ip netns delete "$ns"
finish
