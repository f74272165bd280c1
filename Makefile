# SPDX-License-Identifier: GPL-2.0
# kipsec: the kernel module (Kbuild), the CLI, and the test entry points.
#
#   make              kipsec.ko for KDIR, and the kipsec CLI
#   make check        everything a change must pass (installs what it needs)
#   make unit         native unit tests only
#   make install      module (modules_install) and CLI (PREFIX=/usr/local),
#                     and the charon plugin when strongSwan is installed
#   make strongswan   the charon plugin (src/strongswan) for the installed
#                     strongSwan, built against its source
#   make install-strongswan  the plugin into /usr/lib/ipsec/plugins and its
#                     snippet into /etc/strongswan.d/charon (disabled)
#   make demo         boots the test VM and shows the module at work
#   make fresh        CI's fresh-machine stage (scripts/fresh-root)
#   make bench        kipsec vs XFRM vs WireGuard vs raw crypto, in the VM
#                     (icount; about 2 h at 1,000,000 entries on 2 cores;
#                     BENCH_ARGS="--scale 100000 --no-tcrypt": 40 min)
#
# KDIR defaults to the running kernel's build folder, or else to the cached
# Debian 6.1 headers (fetched into build/ by scripts/vm/kernel).

TOP := $(CURDIR)
BUILD ?= $(TOP)/build
PREFIX ?= /usr/local
KERNELS ?= 6.1 6.12 debug

KDIR ?= $(shell d=/lib/modules/$$(uname -r)/build; \
	if [ -d $$d ]; then echo $$d; \
	else $(TOP)/scripts/vm/kernel 6.1 >&2 && . $(BUILD)/kernels/6.1/env && echo $$KDIR; fi)

CC ?= cc
USER_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -O2 -g \
	-Iinclude/uapi -Isrc/core $(CFLAGS)
# kipsec -V: the commit the CLI was built from (a copy without git: unknown).
CLI_VERSION := $(shell git -C $(TOP) describe --always --dirty 2>/dev/null || echo unknown)
MNL_CFLAGS = $(shell pkg-config --cflags libmnl)
MNL_LIBS = $(shell pkg-config --libs libmnl)

CORE_SRCS := $(wildcard src/core/*.c)
CLI_SRCS := $(wildcard src/cli/*.c)
CLI_HDRS := $(wildcard src/cli/*.h src/core/*.h) include/uapi/linux/kipsec.h
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRCS))

# Package sets of scripts/deps. A target that needs packages names its set as
# an order-only prerequisite: it runs first (a quick dpkg query when nothing
# is missing) and never makes the target look out of date.
DEP_SETS := build vm debug bench fresh strongswan demo check
DEP_TARGETS := $(addprefix deps-,$(DEP_SETS))

.PHONY: all module userspace cli unit check install demo bench fresh clean \
	strongswan install-strongswan $(DEP_TARGETS)

all: module userspace

$(DEP_TARGETS): deps-%:
	@scripts/deps $*

module: | deps-build
	$(MAKE) -C $(KDIR) M=$(TOP) modules

userspace: cli

cli: src/cli/kipsec

src/cli/kipsec: $(CLI_SRCS) $(CORE_SRCS) $(CLI_HDRS) | deps-build
	$(CC) $(USER_CFLAGS) $(MNL_CFLAGS) -DKIPSEC_CLI_VERSION='"$(CLI_VERSION)"' \
		-o $@ $(CLI_SRCS) $(CORE_SRCS) $(MNL_LIBS)

# Parser tests include the CLI's sources directly, hence the CLI prerequisites;
# libmnl for those of the netlink encoder and decoder (test_ops).
$(BUILD)/unit/%: tests/unit/%.c $(CORE_SRCS) $(wildcard tests/unit/*.h src/core/*.h src/cli/*.c src/cli/*.h) | deps-build
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(MNL_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all \
		-o $@ $< $(CORE_SRCS) $(MNL_LIBS)

# Prints TAP; scripts/check counts the results.
unit: $(UNIT_BINS)
	@rc=0; for t in $(UNIT_BINS); do echo "# $${t##*/}"; $$t || rc=1; done; exit $$rc

# TESTS="a.sh b.py" limits the VM selftests (KIPSEC_INTEROP_ONLY=LABEL the
# cases of esp_interop); KERNELS the kernels.
check:
	@KIPSEC_SELFTESTS="$(TESTS)" bash scripts/check $(KERNELS)

install: all
	$(MAKE) -C $(KDIR) M=$(TOP) modules_install
	install -D -m 0755 src/cli/kipsec $(DESTDIR)$(PREFIX)/sbin/kipsec
	install -D -m 0644 include/uapi/linux/kipsec.h \
		$(DESTDIR)$(PREFIX)/include/linux/kipsec.h
	@if dpkg-query -W strongswan-libcharon >/dev/null 2>&1; then \
		$(MAKE) install-strongswan; fi

strongswan: | deps-strongswan
	@scripts/strongswan-plugin

install-strongswan: | deps-strongswan
	@scripts/strongswan-plugin --install

demo: | deps-demo
	@$(MAKE) -s userspace
	@scripts/strongswan-plugin --install
	@scripts/vm/run --kernel 6.1 -- scripts/demo

# The fresh-machine stage of CI: a clean clone in a freshly bootstrapped
# Debian root runs make demo, the unit tests and a quick make check.
fresh:
	@bash scripts/fresh-root

# Not part of check: it times nothing against a limit, it reports ratios.
bench:
	@bash scripts/bench/run $(BENCH_ARGS)

# Not kbuild's "clean": it deletes every *.ko below M, the cached test
# kernels' modules in build/ included.
clean:
	rm -f kipsec.ko kipsec.mod kipsec.mod.c kipsec.mod.o kipsec.o \
		Module.symvers modules.order .*.cmd src/cli/kipsec
	find src \( -name '*.o' -o -name '.*.cmd' -o -name '*.mod' \) -delete
	rm -rf $(BUILD)/unit $(BUILD)/vm-runs
