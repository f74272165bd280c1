/* SPDX-License-Identifier: GPL-2.0 */
/* Carrying out parsed setkey statements against the kernel module. */
#ifndef KIPSEC_CLI_APPLY_H
#define KIPSEC_CLI_APPLY_H

#include "commands.h"
#include "setkey_parse.h"

/*
 * Runs every operation of @s in order, as setkey does: a rejected one is
 * reported as NAME:LINE: <kernel's message> (<strerror>) and the rest still
 * run. Changes go in batches; get, dump and the like print their results.
 * Return: the exit status (0 when everything succeeded).
 */
int kipsec_apply(const struct kipsec_script *s, const struct kipsec_opts *opts);

#endif /* KIPSEC_CLI_APPLY_H */
