// SPDX-License-Identifier: GPL-2.0
#include <daemon.h>
#include <kernel/kernel_ipsec.h>
#include "kernel_kipsec_plugin.h"
#include "kernel_kipsec_ipsec.h"

METHOD(plugin_t, get_name, char *, kernel_kipsec_plugin_t *this)
{
	return "kernel-kipsec";
}

METHOD(plugin_t, get_features, int, kernel_kipsec_plugin_t *this,
       plugin_feature_t *features[])
{
	static plugin_feature_t f[] = {
		PLUGIN_CALLBACK(kernel_ipsec_register, kernel_kipsec_ipsec_create),
			PLUGIN_PROVIDE(CUSTOM, "kernel-ipsec"),
	};

	*features = f;
	return countof(f);
}

METHOD(plugin_t, destroy, void, kernel_kipsec_plugin_t *this)
{
	free(this);
}

plugin_t *kernel_kipsec_plugin_create(void)
{
	kernel_kipsec_plugin_t *this;

	INIT(this,
		.plugin = {
			.get_name = _get_name,
			.get_features = _get_features,
			.destroy = _destroy,
		},
	);
	return &this->plugin;
}
