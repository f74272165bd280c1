/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KIPSEC_CLI_COMMANDS_H
#define KIPSEC_CLI_COMMANDS_H

#include <stdbool.h>

struct kipsec_opts {
	bool json;
};

int kipsec_cmd_stats(const struct kipsec_opts *opts);

#endif
