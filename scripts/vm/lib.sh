# shellcheck shell=bash
# Shared settings of the VM scripts: where the build tree and the kernel
# cache live, and how a Debian kernel's name (6.1, 6.12) maps to its packages
# (the third kernel, debug, is built here: scripts/vm/debug-kernel).

KIPSEC_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KIPSEC_BUILD=${KIPSEC_BUILD:-$KIPSEC_TOP/build}
KIPSEC_KERNELS_DIR=$KIPSEC_BUILD/kernels

# A guest kernel log line that fails a run: a BUG, WARNING (lockdep's reports
# start with one), Oops, panic, lockup, refcount or list corruption report,
# or a detector's report (UBSAN, KASAN, sleeping in atomic context).
KIPSEC_REPORT_PATTERN='BUG:|kernel BUG at|WARNING:|Oops|Kernel panic|refcount_t|list_(add|del) corruption|list_add double add|soft lockup|hard LOCKUP|UBSAN:|KASAN|possible circular locking|sleeping function called from invalid context|general protection fault|unreferenced object|Call Trace:'

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

# The apt "release" each kernel name is taken from.
kernel_release() {
	case "$1" in
	6.1) echo bookworm ;;
	6.12) echo bookworm-backports ;;
	*) die "unknown kernel '$1' (known: 6.1, 6.12, debug)" ;;
	esac
}

# Loads KVER, VMLINUZ, KDIR and MODROOT of an already fetched kernel.
load_kernel_env() {
	local env=$KIPSEC_KERNELS_DIR/$1/env
	[ -r "$env" ] || die "kernel $1 is not fetched; run scripts/vm/kernel $1"
	# shellcheck disable=SC1090
	. "$env"
}
