// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <netinet/in.h>
#include <daemon.h>
#include <collections/hashtable.h>
#include <collections/array.h>
#include <threading/mutex.h>
#include "kernel_kipsec_convert.h"
#include "kernel_kipsec_policies.h"
#include "kernel_kipsec_routes.h"

/* What names a policy in kipsec; zeroed before filling, so it hashes bytewise. */
typedef struct {
	u8 dir;
	struct kipsec_selector sel;
} kk_key_t;

/* One add_policy() call still in force. */
typedef struct {
	u8 action;
	u32 priority;
	struct kipsec_instance inst;	/* no template unless action ipsec */
} kk_user_t;

typedef struct {
	kk_key_t key;
	array_t *users;			/* kk_user_t, oldest first */
	/* What kipsec holds: nothing (n_inst == 0 and !installed) or this. */
	bool installed;
	u8 action;
	u32 priority;
	u8 n_inst;
	struct kipsec_instance inst[KIPSEC_POLICY_INSTANCES_MAX];	/* oldest first */
	kk_route_t *route;		/* outbound tunnels: see routes.h */
} kk_entry_t;

struct kk_policies_t {
	kipsec_channel_t *ch;
	hashtable_t *entries;		/* kk_key_t -> kk_entry_t */
	mutex_t *mutex;			/* entries, and the order of requests */
};

static u_int key_hash(const void *key)
{
	return chunk_hash(chunk_create((u_char *)key, sizeof(kk_key_t)));
}

static bool key_equals(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(kk_key_t)) == 0;
}

static const char *dir_name(u8 dir)
{
	return dir == KIPSEC_DIR_IN ? "in" : dir == KIPSEC_DIR_OUT ? "out" : "fwd";
}

static bool make_key(kernel_ipsec_policy_id_t *id, kk_key_t *key)
{
	const char *why;

	memset(key, 0, sizeof(*key));
	if (id->mark.value || id->if_id || id->label || id->interface) {
		DBG1(DBG_KNL, "kernel-kipsec: policy %R === %R %N: marks, "
		     "interface IDs, interfaces and labels are not supported",
		     id->src_ts, id->dst_ts, policy_dir_names, id->dir);
		return FALSE;
	}
	switch (id->dir) {
	case POLICY_IN:
		key->dir = KIPSEC_DIR_IN;
		break;
	case POLICY_OUT:
		key->dir = KIPSEC_DIR_OUT;
		break;
	default:
		key->dir = KIPSEC_DIR_FWD;
		break;
	}
	if (!kk_selector(id->src_ts, id->dst_ts, &key->sel, &why)) {
		DBG1(DBG_KNL, "kernel-kipsec: policy %R === %R %N: %s",
		     id->src_ts, id->dst_ts, policy_dir_names, id->dir, why);
		return FALSE;
	}
	return TRUE;
}

static bool make_user(const kk_key_t *key, kernel_ipsec_manage_policy_t *data,
		      kk_user_t *user)
{
	ipsec_sa_cfg_t *sa = data->sa;
	struct kipsec_tmpl *t = &user->inst.tmpl[0];

	memset(user, 0, sizeof(*user));
	user->priority = kk_priority(&key->sel, data->prio, data->manual_prio);
	switch (data->type) {
	case POLICY_PASS:
		user->action = KIPSEC_ACTION_BYPASS;
		return TRUE;
	case POLICY_DROP:
		user->action = KIPSEC_ACTION_DISCARD;
		return TRUE;
	default:
		user->action = KIPSEC_ACTION_IPSEC;
		break;
	}
	if (sa->esp.use == sa->ah.use || sa->ipcomp.transform != IPCOMP_NONE) {
		DBG1(DBG_KNL, "kernel-kipsec: only ESP or AH alone is "
		     "supported (no AH+ESP bundles, no IPComp)");
		return FALSE;
	}
	user->inst.n_tmpl = 1;
	t->proto = sa->esp.use ? IPPROTO_ESP : IPPROTO_AH;
	t->spi = ntohl(sa->esp.use ? sa->esp.spi : sa->ah.spi);
	t->reqid = sa->reqid;
	/*
	 * charon's second kind of FWD policy (no reqid) lets forwarded traffic
	 * that leaves through a tunnel pass a drop policy: optional.
	 */
	t->level = key->dir == KIPSEC_DIR_FWD && !sa->reqid ?
		KIPSEC_LEVEL_USE : KIPSEC_LEVEL_REQUIRE;
	t->mode = KIPSEC_MODE_TRANSPORT;
	if (sa->mode == MODE_TUNNEL) {
		t->mode = KIPSEC_MODE_TUNNEL;
		if (!kk_host_to_ip(data->src, &t->src) ||
		    !kk_host_to_ip(data->dst, &t->dst))
			return FALSE;
	} else if (sa->mode != MODE_TRANSPORT) {
		DBG1(DBG_KNL, "kernel-kipsec: only transport and tunnel mode "
		     "are supported");
		return FALSE;
	}
	return TRUE;
}

/* What kipsec should hold for @e: the best users' instances, newest last. */
static void desired(kk_entry_t *e, u8 *action, u32 *priority, u8 *n_inst,
		    struct kipsec_instance *inst)
{
	kk_user_t *u, *best = NULL;
	int i, n = array_count(e->users);

	*n_inst = 0;
	for (i = 0; i < n; i++) {
		array_get(e->users, i, &u);
		/* among equals the newest: a DROP charon adds during an
		 * address change outranks the policy it covers */
		if (!best || u->priority <= best->priority)
			best = u;
	}
	if (!best)
		return;
	*action = best->action;
	*priority = best->priority;
	for (i = 0; i < n; i++) {
		array_get(e->users, i, &u);
		if (u->action != best->action || u->priority != best->priority)
			continue;
		if (*n_inst == KIPSEC_POLICY_INSTANCES_MAX) {
			/* the oldest gives way: the newest carry traffic */
			memmove(inst, inst + 1, sizeof(*inst) * (*n_inst - 1));
			(*n_inst)--;
		}
		inst[(*n_inst)++] = u->inst;
		if (best->action != KIPSEC_ACTION_IPSEC)
			break;	/* one instance stands for all */
	}
}

static int send_op(kk_policies_t *this, kk_entry_t *e, enum kipsec_op_type type,
		   u8 action, u32 priority, const struct kipsec_instance *inst,
		   bool stack, u32 instance_spi)
{
	struct kipsec_op op = { .type = type };
	char why[256];
	int err;

	op.pol.dir = e->key.dir;
	op.pol.sel = e->key.sel;
	op.pol.has_action = TRUE;
	op.pol.action = action;
	op.pol.priority = priority;
	if (inst) {
		op.pol.n_tmpl = inst->n_tmpl;
		memcpy(op.pol.tmpl, inst->tmpl, sizeof(op.pol.tmpl));
	}
	op.pol.stack = stack;
	op.pol.instance_spi = instance_spi;
	err = kipsec_channel_run(this->ch, &op, NULL, why, sizeof(why));
	if (err)
		DBG1(DBG_KNL, "kernel-kipsec: %s policy (%s) failed: %s",
		     type == KIPSEC_OP_POLICY_DELETE ? "deleting" :
		     type == KIPSEC_OP_POLICY_UPDATE ? "updating" : "adding",
		     dir_name(e->key.dir), why);
	return err;
}

static bool same_inst(const struct kipsec_instance *a,
		      const struct kipsec_instance *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/*
 * Brings kipsec to what the entry's users want, with the smallest change:
 * stacking one instance or removing one keeps the others' SAs in use
 * without a gap; anything else replaces the policy in one update.
 */
static status_t sync_entry(kk_policies_t *this, kk_entry_t *e)
{
	struct kipsec_instance want[KIPSEC_POLICY_INSTANCES_MAX];
	u8 action = 0, n = 0;
	u32 priority = 0;
	int i, err = 0, gone = -1;

	desired(e, &action, &priority, &n, want);
	if (!n) {
		if (e->installed)
			err = send_op(this, e, KIPSEC_OP_POLICY_DELETE, 0, 0,
				      NULL, FALSE, 0);
		if (err && err != -ENOENT)
			return FAILED;
		e->installed = FALSE;
		e->n_inst = 0;
		return SUCCESS;
	}
	if (!e->installed) {
		/* an update, as XFRM's backend does: it takes over a policy
		 * with the same selector that someone else left behind */
		err = send_op(this, e, KIPSEC_OP_POLICY_UPDATE, action, priority,
			      &want[0], FALSE, 0);
		for (i = 1; !err && i < n; i++)
			err = send_op(this, e, KIPSEC_OP_POLICY_ADD, action,
				      priority, &want[i], TRUE, 0);
		goto done;
	}
	if (action == e->action && priority == e->priority) {
		if (n == e->n_inst + 1) {
			for (i = 0; i < e->n_inst && same_inst(&want[i], &e->inst[i]); i++)
				;
			if (i == e->n_inst) {
				err = send_op(this, e, KIPSEC_OP_POLICY_ADD, action,
					      priority, &want[n - 1], TRUE, 0);
				goto done;
			}
		}
		if (n + 1 == e->n_inst) {
			/* which one went? the others must be in order */
			for (i = 0; i < n && same_inst(&want[i], &e->inst[i]); i++)
				;
			gone = i;
			for (; i < n && same_inst(&want[i], &e->inst[i + 1]); i++)
				;
			if (i == n && e->inst[gone].n_tmpl &&
			    e->inst[gone].tmpl[0].spi) {
				err = send_op(this, e, KIPSEC_OP_POLICY_DELETE, 0, 0,
					      NULL, FALSE, e->inst[gone].tmpl[0].spi);
				goto done;
			}
		}
		if (n == e->n_inst) {
			for (i = 0; i < n && same_inst(&want[i], &e->inst[i]); i++)
				;
			if (i == n)
				return SUCCESS;
		}
	}
	err = send_op(this, e, KIPSEC_OP_POLICY_UPDATE, action, priority,
		      &want[0], FALSE, 0);
	for (i = 1; !err && i < n; i++)
		err = send_op(this, e, KIPSEC_OP_POLICY_ADD, action, priority,
			      &want[i], TRUE, 0);
done:
	if (err) {
		/* kipsec's state is unknown now: rebuild it on the next change */
		e->installed = TRUE;
		e->n_inst = 0;
		e->action = ~0;
		return FAILED;
	}
	e->installed = TRUE;
	e->action = action;
	e->priority = priority;
	e->n_inst = n;
	memcpy(e->inst, want, sizeof(want));
	return SUCCESS;
}

static void free_entry(kk_entry_t *e)
{
	kk_route_remove(e->route);
	array_destroy_function(e->users, (void *)free, NULL);
	free(e);
}

/* An entry without users is gone from kipsec too (sync_entry saw to it). */
static void forget_if_unused(kk_policies_t *this, kk_entry_t *e)
{
	if (array_count(e->users))
		return;
	this->entries->remove(this->entries, &e->key);
	free_entry(e);
}

kk_policies_t *kk_policies_create(kipsec_channel_t *ch)
{
	kk_policies_t *this;

	INIT(this,
		.ch = ch,
		.entries = hashtable_create(key_hash, key_equals, 64),
		.mutex = mutex_create(MUTEX_TYPE_DEFAULT),
	);
	return this;
}

status_t kk_policies_add(kk_policies_t *this, kernel_ipsec_policy_id_t *id,
			 kernel_ipsec_manage_policy_t *data)
{
	kk_entry_t *e;
	kk_user_t *user;
	kk_key_t key;
	status_t status;

	if (!make_key(id, &key))
		return NOT_SUPPORTED;
	user = malloc_thing(kk_user_t);
	if (!make_user(&key, data, user)) {
		free(user);
		return NOT_SUPPORTED;
	}
	this->mutex->lock(this->mutex);
	e = this->entries->get(this->entries, &key);
	if (!e) {
		INIT(e,
			.users = array_create(0, 0),
		);
		/* bytewise, padding included: the key is hashed and compared so */
		memcpy(&e->key, &key, sizeof(key));
		this->entries->put(this->entries, &e->key, e);
	}
	array_insert(e->users, ARRAY_TAIL, user);
	status = sync_entry(this, e);
	if (status != SUCCESS) {
		array_remove(e->users, ARRAY_TAIL, NULL);
		free(user);
		sync_entry(this, e);
	} else if (!e->route) {
		e->route = kk_route_install(id, data);
	}
	forget_if_unused(this, e);
	this->mutex->unlock(this->mutex);
	return status;
}

status_t kk_policies_del(kk_policies_t *this, kernel_ipsec_policy_id_t *id,
			 kernel_ipsec_manage_policy_t *data)
{
	kk_user_t want, *u;
	kk_entry_t *e;
	kk_key_t key;
	status_t status = NOT_FOUND;
	int i;

	if (!make_key(id, &key) || !make_user(&key, data, &want))
		return NOT_FOUND;
	this->mutex->lock(this->mutex);
	e = this->entries->get(this->entries, &key);
	/* the newest matching user: a rekey adds the same one again */
	for (i = e ? array_count(e->users) - 1 : -1; i >= 0; i--) {
		array_get(e->users, i, &u);
		if (memcmp(u, &want, sizeof(want)) == 0)
			break;
	}
	if (i >= 0) {
		array_remove(e->users, i, NULL);
		free(u);
		status = sync_entry(this, e);
		forget_if_unused(this, e);
	}
	this->mutex->unlock(this->mutex);
	return status;
}

status_t kk_policies_query(kk_policies_t *this, kernel_ipsec_policy_id_t *id,
			   time_t *use_time)
{
	struct kipsec_op op = { .type = KIPSEC_OP_POLICY_GET }, reply;
	char why[256];
	kk_key_t key;
	int err;

	if (!make_key(id, &key))
		return NOT_SUPPORTED;
	op.pol.dir = key.dir;
	op.pol.sel = key.sel;
	err = kipsec_channel_run(this->ch, &op, &reply, why, sizeof(why));
	if (err) {
		DBG2(DBG_KNL, "kernel-kipsec: querying policy %R === %R %N "
		     "failed: %s", id->src_ts, id->dst_ts, policy_dir_names,
		     id->dir, why);
		return err == -ENOENT ? NOT_FOUND : FAILED;
	}
	*use_time = 0;
	if (reply.pol.has_idle)
		*use_time = time_monotonic(NULL) - reply.pol.idle_seconds;
	return SUCCESS;
}

status_t kk_policies_flush(kk_policies_t *this)
{
	struct kipsec_op op = { .type = KIPSEC_OP_POLICY_FLUSH };
	enumerator_t *enumerator;
	kk_entry_t *e;
	char why[256];
	int err;

	this->mutex->lock(this->mutex);
	err = kipsec_channel_run(this->ch, &op, NULL, why, sizeof(why));
	enumerator = this->entries->create_enumerator(this->entries);
	while (enumerator->enumerate(enumerator, NULL, &e)) {
		this->entries->remove_at(this->entries, enumerator);
		free_entry(e);
	}
	enumerator->destroy(enumerator);
	this->mutex->unlock(this->mutex);
	if (err)
		DBG1(DBG_KNL, "kernel-kipsec: flushing policies failed: %s", why);
	return err ? FAILED : SUCCESS;
}

void kk_policies_destroy(kk_policies_t *this)
{
	enumerator_t *enumerator;
	kk_entry_t *e;

	enumerator = this->entries->create_enumerator(this->entries);
	while (enumerator->enumerate(enumerator, NULL, &e)) {
		if (e->installed)
			send_op(this, e, KIPSEC_OP_POLICY_DELETE, 0, 0, NULL,
				FALSE, 0);
		this->entries->remove_at(this->entries, enumerator);
		free_entry(e);
	}
	enumerator->destroy(enumerator);
	this->entries->destroy(this->entries);
	this->mutex->destroy(this->mutex);
	free(this);
}
