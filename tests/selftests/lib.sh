# shellcheck shell=bash
# Helpers for the VM selftests (kselftest conventions: TAP on stdout, exit
# 0 pass, 1 fail, 4 skip). Source it first; end the test with `finish`.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

_tap_n=0
_tap_failed=0
echo "TAP version 13"

# ok DESCRIPTION CMD...: one TAP line for whether CMD succeeded; returns
# CMD's success, so a test can print diagnostics after a failure.
ok() {
	local desc=$1
	shift
	_tap_n=$((_tap_n + 1))
	if "$@"; then
		echo "ok $_tap_n $desc"
	else
		echo "not ok $_tap_n $desc"
		_tap_failed=1
		return 1
	fi
}

# skip_all REASON: the test cannot run here.
skip_all() {
	echo "1..0 # SKIP $*"
	exit $KSFT_SKIP
}

finish() {
	echo "1..$_tap_n"
	[ $_tap_failed = 0 ] && exit $KSFT_PASS
	exit $KSFT_FAIL
}

# wait_for SECONDS CMD...: retries CMD every 0.1 s until it succeeds.
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.1
	done
}

# The kipsec.ko this VM loaded at boot (scripts/vm/guest exports it).
module_path() {
	echo "${KIPSEC_MODULE:?not running inside scripts/vm/run}"
}

module_loaded() {
	[ -d /sys/module/kipsec ]
}

netns_inum() {
	stat -L -c %i "/run/netns/$1"
}

# Unique namespace names, so tests sharing a VM never collide.
netns_name() {
	echo "kt-$1-$$"
}
