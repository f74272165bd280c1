/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kernel-kipsec: a charon plugin that gives charon's SAs and policies to
 * the kipsec module (generic netlink family "kipsec") instead of XFRM.
 * kernel-netlink stays loaded for addresses and routes.
 */
#ifndef KERNEL_KIPSEC_PLUGIN_H_
#define KERNEL_KIPSEC_PLUGIN_H_

#include <plugins/plugin.h>

typedef struct kernel_kipsec_plugin_t kernel_kipsec_plugin_t;

struct kernel_kipsec_plugin_t {
	plugin_t plugin;
};

/* The plugin loader finds the plugin by this name. */
plugin_t *kernel_kipsec_plugin_create(void);

#endif /* KERNEL_KIPSEC_PLUGIN_H_ */
