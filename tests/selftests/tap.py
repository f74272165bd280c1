"""TAP output for the Python selftests (kselftest conventions: exit 0
when every check passed, 1 otherwise)."""
import sys

_count = 0
_failed = 0
print("TAP version 13", flush=True)


def ok(cond, desc, diag=None):
    """One TAP line for @cond; @diag is printed as a comment on failure.
    Returns @cond so a test can stop or explain further."""
    global _count, _failed
    _count += 1
    print("%sok %d %s" % ("" if cond else "not ", _count, desc), flush=True)
    if not cond:
        _failed += 1
        if diag is not None and diag != "":
            print("# " + str(diag).replace("\n", "\n# "), flush=True)
    return bool(cond)


def skip(desc, why):
    """A check this kernel cannot make (TAP's SKIP directive)."""
    global _count
    _count += 1
    print("ok %d %s # SKIP %s" % (_count, desc, why), flush=True)


def skip_all(why):
    """The whole test does not run here (exit 4: SKIP)."""
    print("1..0 # SKIP %s" % why, flush=True)
    sys.exit(4)


def finish():
    """Prints the plan and exits with the suite's status."""
    print("1..%d" % _count, flush=True)
    sys.exit(1 if _failed else 0)
