// SPDX-License-Identifier: GPL-2.0
/* Run-time error texts that stay valid for as long as netlink needs them. */
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include "extack.h"

#define KIPSEC_EXTACK_MAX_TEXTS 512

struct kipsec_text {
	struct list_head node;
	char text[];
};

static LIST_HEAD(kipsec_texts);
static unsigned int kipsec_text_count;
static DEFINE_SPINLOCK(kipsec_texts_lock);

static const char *kipsec_intern(const char *msg)
{
	struct kipsec_text *t, *fresh;
	size_t len = strlen(msg) + 1;

	fresh = kmalloc(sizeof(*fresh) + len, GFP_KERNEL);
	spin_lock(&kipsec_texts_lock);
	list_for_each_entry(t, &kipsec_texts, node) {
		if (!strcmp(t->text, msg)) {
			spin_unlock(&kipsec_texts_lock);
			kfree(fresh);
			return t->text;
		}
	}
	if (!fresh || kipsec_text_count >= KIPSEC_EXTACK_MAX_TEXTS) {
		spin_unlock(&kipsec_texts_lock);
		kfree(fresh);
		return NULL;
	}
	memcpy(fresh->text, msg, len);
	list_add(&fresh->node, &kipsec_texts);
	kipsec_text_count++;
	spin_unlock(&kipsec_texts_lock);
	return fresh->text;
}

void kipsec_extack(struct netlink_ext_ack *extack, const char *msg)
{
	const char *text;

	if (!extack)
		return;
	text = kipsec_intern(msg);
	/* Not NL_SET_ERR_MSG(): it takes string literals only. */
	extack->_msg = text ? text :
		"invalid request (details unavailable: too many distinct errors)";
}

void kipsec_extack_exit(void)
{
	struct kipsec_text *t, *tmp;

	list_for_each_entry_safe(t, tmp, &kipsec_texts, node)
		kfree(t);
	INIT_LIST_HEAD(&kipsec_texts);
	kipsec_text_count = 0;
}
