// SPDX-License-Identifier: GPL-2.0
/*
 * The SPD classifier (spd_class.c) against the linear reference model
 * (spd_ref.c): hand-written cases for the rank rules, then randomized
 * policy sets and flows with adds, deletes and spdupdates interleaved with
 * lookups, every lookup compared. The classifier runs here over a plain
 * chained hash table and malloc where the module has an rhashtable and RCU;
 * the shapes, keys, ranks, shape sets and the lookup loop are the same code.
 *
 * KIPSEC_SPD_SEED=n replays a run; a failure prints the seed and round.
 */
#include <stdlib.h>
#include "tap.h"
#include "spd_class.h"
#include "spd_ref.h"

#define MAXPOL 1200
#define NBUCKET 4096
#define NDIR 3

struct entry {
	struct kipsec_sel sel;
	struct kipsec_rank rank;
	u32 id;
	u8 dir;
	bool used;
	struct entry *next;	/* hash chain */
};

struct table {
	struct entry *bucket[NBUCKET];
};

/* The native stand-in for spd.c: one table and shape set per direction. */
struct cls {
	struct entry ent[MAXPOL];
	struct table table[NDIR];
	struct kipsec_mask_set *set[NDIR];
	u64 next_seq;
	/* Make every n-th shrink "fail", as the module may short of memory. */
	unsigned int shrink_fail_every, shrinks;
};

static struct cls cls;
static struct kipsec_ref_pol ref_buf[NDIR][MAXPOL];
static struct kipsec_spd_ref ref[NDIR];

static u64 rng_state;

static u64 rnd(void)
{
	/* xorshift64*: reproducible from the seed on every libc. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static u32 rnd_below(u32 n)
{
	return (u32)(rnd() % n);
}

static bool chance(unsigned int percent)
{
	return rnd_below(100) < percent;
}

static u32 sel_hash(const struct kipsec_sel *sel)
{
	const u8 *p = (const u8 *)sel;
	u32 h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(*sel); i++)
		h = (h ^ p[i]) * 16777619u;
	return h % NBUCKET;
}

static const struct kipsec_rank *table_find(const void *t,
					    const struct kipsec_sel *key)
{
	const struct table *tab = t;
	const struct entry *e;

	for (e = tab->bucket[sel_hash(key)]; e; e = e->next)
		if (!memcmp(&e->sel, key, sizeof(*key)))
			return &e->rank;
	return NULL;
}

static struct entry *entry_of(const struct kipsec_rank *r)
{
	return r ? (struct entry *)((char *)r - offsetof(struct entry, rank)) :
		   NULL;
}

static struct entry *cls_find(u8 dir, const struct kipsec_sel *sel)
{
	return entry_of(table_find(&cls.table[dir], sel));
}

static void cls_reset(void)
{
	unsigned int d;

	for (d = 0; d < NDIR; d++)
		free(cls.set[d]);
	memset(&cls, 0, sizeof(cls));
	for (d = 0; d < NDIR; d++) {
		ref[d].pol = ref_buf[d];
		ref[d].n = 0;
		ref[d].cap = MAXPOL;
	}
}

static struct kipsec_mask_set *set_alloc(u32 n)
{
	struct kipsec_mask_set *s = malloc(kipsec_mask_set_size(n));

	if (!s)
		abort();
	return s;
}

/* As kipsec_policy_add(): the table, then the shape set. */
static struct entry *cls_add(u8 dir, const struct kipsec_sel *sel,
			     u32 priority, u32 id)
{
	struct kipsec_sel_mask m = kipsec_sel_mask_of(sel);
	struct kipsec_mask_set *old = cls.set[dir], *new;
	struct entry *e = NULL;
	unsigned int i;
	u32 h;

	for (i = 0; i < MAXPOL && !e; i++)
		if (!cls.ent[i].used)
			e = &cls.ent[i];
	if (!e)
		return NULL;
	memset(e, 0, sizeof(*e));
	e->used = true;
	e->sel = *sel;
	e->dir = dir;
	e->id = id;
	e->rank = kipsec_rank_new(priority, &cls.next_seq);
	h = sel_hash(sel);
	e->next = cls.table[dir].bucket[h];
	cls.table[dir].bucket[h] = e;
	if (!kipsec_mask_set_hold(old, &m)) {
		new = set_alloc(old ? old->n + 1 : 1);
		kipsec_mask_set_with(new, old, &m);
		cls.set[dir] = new;
		free(old);
	}
	return e;
}

/* As kipsec_policy_remove(). */
static void cls_remove(struct entry *e)
{
	struct kipsec_sel_mask m = kipsec_sel_mask_of(&e->sel);
	struct kipsec_mask_set *old = cls.set[e->dir], *new = NULL;
	struct entry **pp = &cls.table[e->dir].bucket[sel_hash(&e->sel)];

	while (*pp != e)
		pp = &(*pp)->next;
	*pp = e->next;
	e->used = false;
	if (!kipsec_mask_set_release(old, &m))
		return;
	if (cls.shrink_fail_every &&
	    ++cls.shrinks % cls.shrink_fail_every == 0)
		return;		/* short of memory: the unused shape stays */
	if (old->n > 1) {
		new = set_alloc(old->n - 1);
		kipsec_mask_set_without(new, old, &m);
	}
	cls.set[e->dir] = new;
	free(old);
}

/* As kipsec_policy_replace(): same selector, new priority and contents. */
static void cls_replace(struct entry *e, u32 priority, u32 id)
{
	e->rank = kipsec_rank_replace(&e->rank, priority, &cls.next_seq);
	e->id = id;
}

static struct entry *cls_lookup(u8 dir, const struct kipsec_flow *flow)
{
	return entry_of(kipsec_class_lookup(cls.set[dir], flow, table_find,
					    &cls.table[dir]));
}

/* ---- hand-written cases ---- */

static struct kipsec_sel sel_v4(u32 src, u8 sp, u32 dst, u8 dp)
{
	struct kipsec_sel s;
	unsigned int i;

	memset(&s, 0, sizeof(s));
	s.family = KIPSEC_AF_INET;
	for (i = 0; i < 4; i++) {
		s.src.b[i] = (u8)(src >> (24 - 8 * i));
		s.dst.b[i] = (u8)(dst >> (24 - 8 * i));
	}
	s.src_plen = sp;
	s.dst_plen = dp;
	return s;
}

static struct kipsec_flow flow_v4(u32 src, u32 dst, u8 proto, u16 sport,
				  u16 dport)
{
	struct kipsec_flow f;
	unsigned int i;

	memset(&f, 0, sizeof(f));
	f.family = KIPSEC_AF_INET;
	for (i = 0; i < 4; i++) {
		f.src.b[i] = (u8)(src >> (24 - 8 * i));
		f.dst.b[i] = (u8)(dst >> (24 - 8 * i));
	}
	f.proto = proto;
	f.sport = sport;
	f.dport = dport;
	return f;
}

static u32 looked_up(u8 dir, const struct kipsec_flow *f)
{
	struct entry *e = cls_lookup(dir, f);

	return e ? e->id : 0;
}

static void check_cases(void)
{
	struct kipsec_sel any = sel_v4(0, 0, 0, 0);
	struct kipsec_sel net = sel_v4(0x0a000100, 24, 0x0a000200, 24);
	struct kipsec_sel host = sel_v4(0x0a000101, 32, 0x0a000202, 32);
	struct kipsec_sel tcp = net, icmp = net, icmp_code;
	struct kipsec_flow f = flow_v4(0x0a000101, 0x0a000202,
				       KIPSEC_PROTO_TCP, 1234, 443);
	struct entry *e;

	cls_reset();
	tcp.fields = KIPSEC_SEL_PROTO | KIPSEC_SEL_DPORT;
	tcp.proto = KIPSEC_PROTO_TCP;
	tcp.dport = 443;
	cls_add(0, &any, 10, 1);
	cls_add(0, &net, 10, 2);
	is_uint(looked_up(0, &f), 1, "equal priority: the policy added first wins");
	cls_add(0, &host, 9, 3);
	is_uint(looked_up(0, &f), 3, "a lower priority wins whatever its age");
	cls_replace(cls_find(0, &host), 9, 4);
	is_uint(looked_up(0, &f), 4, "spdupdate with the same priority keeps the place");
	cls_replace(cls_find(0, &host), 10, 5);
	is_uint(looked_up(0, &f), 1, "spdupdate to another priority goes last in it");
	cls_replace(cls_find(0, &any), 11, 6);
	is_uint(looked_up(0, &f), 2, "... and the next in line takes over");
	cls_add(0, &tcp, 10, 7);
	is_uint(looked_up(0, &f), 2, "a port selector added later ranks behind");
	f.dport = 80;
	cls_remove(cls_find(0, &net));
	is_uint(looked_up(0, &f), 5, "without the subnet policy the host one matches");
	f.dport = 443;
	is_uint(looked_up(0, &f), 5, "the host policy was added before the tcp one");
	cls_remove(cls_find(0, &host));
	is_uint(looked_up(0, &f), 7, "then the tcp/443 one");
	f.opaque = true;
	is_uint(looked_up(0, &f), 6, "a non-first fragment never matches ports");
	f.opaque = false;
	is_uint(looked_up(1, &f), 0, "another direction has none of them");
	cls_remove(cls_find(0, &tcp));
	cls_remove(cls_find(0, &any));
	ok(!cls.set[0], "the last policy takes the shape set with it");

	icmp.fields = KIPSEC_SEL_PROTO | KIPSEC_SEL_ICMP_TYPE;
	icmp.proto = KIPSEC_PROTO_ICMP;
	icmp.icmp_type = 8;
	icmp_code = icmp;
	icmp_code.fields |= KIPSEC_SEL_ICMP_CODE;
	icmp_code.icmp_code = 1;
	cls_add(2, &icmp_code, 5, 8);
	cls_add(2, &icmp, 5, 9);
	f = flow_v4(0x0a000101, 0x0a000202, KIPSEC_PROTO_ICMP, 0, 0);
	f.icmp_type = 8;
	is_uint(looked_up(2, &f), 9, "echo request, code 0: the type-only policy");
	f.icmp_code = 1;
	is_uint(looked_up(2, &f), 8, "code 1: the type and code policy, added first");
	f.icmp_type = 0;
	is_uint(looked_up(2, &f), 0, "echo reply: neither");
	e = cls_find(2, &icmp);
	ok(e && e->id == 9, "found by selector");
	cls_reset();
}

/* ---- randomized ---- */

static const u8 v4_pool[][4] = {
	{ 10, 0, 1, 0 }, { 10, 0, 1, 7 }, { 10, 0, 2, 1 }, { 10, 1, 0, 0 },
	{ 192, 168, 0, 1 }, { 172, 16, 0, 1 }, { 0, 0, 0, 0 },
	{ 255, 255, 255, 255 }, { 10, 0, 1, 128 },
};

static const u8 v6_pool[][4] = {
	/* bytes 0, 1, 7 and 15 of the address; the rest zero */
	{ 0x20, 0x01, 0, 1 }, { 0x20, 0x01, 1, 1 }, { 0x20, 0x01, 1, 2 },
	{ 0xfe, 0x80, 0, 1 }, { 0, 0, 0, 0 }, { 0xff, 0xff, 0xff, 0xff },
};

static const u8 protos[] = {
	KIPSEC_PROTO_TCP, KIPSEC_PROTO_UDP, KIPSEC_PROTO_SCTP,
	KIPSEC_PROTO_UDPLITE, KIPSEC_PROTO_ICMP, KIPSEC_PROTO_ICMPV6, 50, 47,
};

static const u16 ports[] = { 0, 1, 22, 80, 443, 500, 4500, 65535 };
static const u8 icmp_vals[] = { 0, 1, 3, 8, 128, 255 };
static const u32 prios[] = { 0, 1, 2, 2, 5, 100, 0x7fffffff, 0xffffffff };

/* A pool address with a few bits flipped, somewhere. */
static struct kipsec_addr rnd_addr(u8 family)
{
	struct kipsec_addr a;
	unsigned int bits = kipsec_af_bits(family), i, n;
	const u8 *p;

	memset(&a, 0, sizeof(a));
	if (family == KIPSEC_AF_INET) {
		p = v4_pool[rnd_below(sizeof(v4_pool) / sizeof(v4_pool[0]))];
		memcpy(a.b, p, 4);
	} else {
		p = v6_pool[rnd_below(sizeof(v6_pool) / sizeof(v6_pool[0]))];
		a.b[0] = p[0];
		a.b[1] = p[1];
		a.b[7] = p[2];
		a.b[15] = p[3];
	}
	n = rnd_below(3);
	if (chance(30))
		n = 0;
	for (i = 0; i < n; i++) {
		/* mostly in the low bits, where prefixes end */
		unsigned int bit = chance(70) ? bits - 1 - rnd_below(12) :
						rnd_below(bits);

		a.b[bit / 8] ^= (u8)(0x80 >> (bit % 8));
	}
	return a;
}

static u8 rnd_plen(u8 family)
{
	unsigned int bits = kipsec_af_bits(family);

	switch (rnd_below(5)) {
	case 0:
		return (u8)bits;
	case 1:
		return 0;
	case 2:
		return (u8)(bits - rnd_below(4));
	default:
		return (u8)rnd_below(bits + 1);
	}
}

static void clear_host_bits(struct kipsec_addr *a, unsigned int plen)
{
	unsigned int i;

	for (i = plen; i < 128; i++)
		a->b[i / 8] &= (u8)~(0x80 >> (i % 8));
}

static u8 rnd_proto(u8 family)
{
	if (chance(15))
		return family == KIPSEC_AF_INET ? KIPSEC_PROTO_ICMP :
						  KIPSEC_PROTO_ICMPV6;
	if (chance(3))
		return (u8)rnd();
	return protos[rnd_below(sizeof(protos))];
}

static u16 rnd_port(void)
{
	return chance(10) ? (u16)rnd() : ports[rnd_below(8)];
}

static u8 rnd_icmp(void)
{
	return chance(10) ? (u8)rnd() : icmp_vals[rnd_below(6)];
}

/*
 * A valid selector (kipsec_sel_check() agrees): a few families of shapes
 * per round so that shapes repeat, as in a real SPD.
 */
static struct kipsec_sel rnd_sel(void)
{
	struct kipsec_sel s;
	char msg[128];

	memset(&s, 0, sizeof(s));
	s.family = chance(60) ? KIPSEC_AF_INET : KIPSEC_AF_INET6;
	s.src_plen = rnd_plen(s.family);
	s.dst_plen = rnd_plen(s.family);
	s.src = rnd_addr(s.family);
	s.dst = rnd_addr(s.family);
	clear_host_bits(&s.src, s.src_plen);
	clear_host_bits(&s.dst, s.dst_plen);
	if (chance(50)) {
		s.fields |= KIPSEC_SEL_PROTO;
		s.proto = rnd_proto(s.family);
		if (kipsec_proto_has_ports(s.proto)) {
			if (chance(40)) {
				s.fields |= KIPSEC_SEL_SPORT;
				s.sport = rnd_port();
			}
			if (chance(50)) {
				s.fields |= KIPSEC_SEL_DPORT;
				s.dport = rnd_port();
			}
		} else if (kipsec_proto_is_icmp(s.proto, s.family) &&
			   chance(60)) {
			s.fields |= KIPSEC_SEL_ICMP_TYPE;
			s.icmp_type = rnd_icmp();
			if (chance(50)) {
				s.fields |= KIPSEC_SEL_ICMP_CODE;
				s.icmp_code = rnd_icmp();
			}
		}
	}
	if (kipsec_sel_check(&s, msg, sizeof(msg), NULL))
		abort();	/* the generator is wrong, not the classifier */
	return s;
}

static u32 rnd_prio(void)
{
	return chance(10) ? (u32)rnd() : prios[rnd_below(8)];
}

/* A flow, half the time built to fall under an existing policy. */
static struct kipsec_flow rnd_flow(u8 dir)
{
	struct kipsec_flow f;
	const struct kipsec_sel *s = NULL;
	unsigned int i;

	memset(&f, 0, sizeof(f));
	if (ref[dir].n && chance(60))
		s = &ref[dir].pol[rnd_below((u32)ref[dir].n)].sel;
	f.family = s ? s->family :
		       chance(60) ? KIPSEC_AF_INET : KIPSEC_AF_INET6;
	f.src = rnd_addr(f.family);
	f.dst = rnd_addr(f.family);
	f.proto = rnd_proto(f.family);
	f.sport = rnd_port();
	f.dport = rnd_port();
	f.icmp_type = rnd_icmp();
	f.icmp_code = rnd_icmp();
	if (s) {
		/* inside the selector's prefixes, host bits random */
		for (i = 0; i < s->src_plen; i++)
			f.src.b[i / 8] = (u8)((f.src.b[i / 8] & ~(0x80 >> (i % 8))) |
					      (s->src.b[i / 8] & (0x80 >> (i % 8))));
		for (i = 0; i < s->dst_plen; i++)
			f.dst.b[i / 8] = (u8)((f.dst.b[i / 8] & ~(0x80 >> (i % 8))) |
					      (s->dst.b[i / 8] & (0x80 >> (i % 8))));
		if ((s->fields & KIPSEC_SEL_PROTO) && chance(90))
			f.proto = s->proto;
		if ((s->fields & KIPSEC_SEL_SPORT) && chance(90))
			f.sport = s->sport;
		if ((s->fields & KIPSEC_SEL_DPORT) && chance(90))
			f.dport = s->dport;
		if ((s->fields & KIPSEC_SEL_ICMP_TYPE) && chance(90))
			f.icmp_type = s->icmp_type;
		if ((s->fields & KIPSEC_SEL_ICMP_CODE) && chance(90))
			f.icmp_code = s->icmp_code;
	}
	/* A non-first fragment knows no ports nor ICMP type. */
	if (chance(5)) {
		f.opaque = true;
		f.sport = f.dport = 0;
		f.icmp_type = f.icmp_code = 0;
	}
	return f;
}

static unsigned long lookups, hits, mismatches;

static bool compare_lookup(u8 dir, const struct kipsec_flow *f,
			   unsigned int round)
{
	const struct kipsec_ref_pol *want = kipsec_ref_lookup(&ref[dir], f);
	struct entry *got = cls_lookup(dir, f);

	lookups++;
	hits += want != NULL;
	if ((!want && !got) || (want && got && want->id == got->id))
		return true;
	if (!mismatches++)
		diag("round %u dir %u: the reference says policy %u, the classifier %u",
		     round, dir, want ? want->id : 0, got ? got->id : 0);
	return false;
}

/* Dumps go in rank order (spd.c's rbtree): it must be the model's order. */
static bool compare_order(u8 dir)
{
	struct entry *by_rank[MAXPOL], *t;
	size_t n = 0, i, j;

	for (i = 0; i < MAXPOL; i++)
		if (cls.ent[i].used && cls.ent[i].dir == dir)
			by_rank[n++] = &cls.ent[i];
	for (i = 1; i < n; i++)		/* insertion sort: n is small */
		for (j = i; j && kipsec_rank_before(&by_rank[j]->rank,
						    &by_rank[j - 1]->rank); j--) {
			t = by_rank[j];
			by_rank[j] = by_rank[j - 1];
			by_rank[j - 1] = t;
		}
	if (n != ref[dir].n)
		return false;
	for (i = 0; i < n; i++)
		if (by_rank[i]->id != ref[dir].pol[i].id)
			return false;
	return true;
}

/* Every shape counted as often as policies have it; no shape twice. */
static bool check_shapes(u8 dir)
{
	const struct kipsec_mask_set *set = cls.set[dir];
	struct kipsec_sel_mask m;
	static u32 count[4 * MAXPOL];
	size_t i;
	int at;

	if (set && set->n > 4 * MAXPOL)
		return false;
	memset(count, 0, sizeof(count));

	for (i = 0; i < ref[dir].n; i++) {
		m = kipsec_sel_mask_of(&ref[dir].pol[i].sel);
		at = kipsec_mask_set_find(set, &m);
		if (at < 0)
			return false;
		count[at]++;
	}
	for (i = 0; set && i < set->n; i++) {
		if (set->slot[i].users != count[i])
			return false;
		if (i && !memcmp(&set->slot[i].mask, &set->slot[i - 1].mask,
				 sizeof(set->slot[i].mask)))
			return false;
	}
	return true;
}

static u32 next_id;

static void random_op(unsigned int round, unsigned int size)
{
	u8 dir = (u8)rnd_below(NDIR);
	struct kipsec_ref_pol p;
	struct entry *e;
	long pos;
	unsigned int op = rnd_below(100);
	/* Grow towards @size, then churn around it. */
	unsigned int add_pct = ref[dir].n < size ? 70 : 35;

	if (op < add_pct) {
		memset(&p, 0, sizeof(p));
		p.sel = rnd_sel();
		p.priority = rnd_prio();
		p.id = ++next_id;
		pos = kipsec_ref_find(&ref[dir], &p.sel);
		if (pos >= 0)	/* spdadd of an existing one: EEXIST, no change */
			return;
		if (kipsec_ref_add(&ref[dir], &p))
			return;
		if (!cls_add(dir, &p.sel, p.priority, p.id))
			abort();
		return;
	}
	if (!ref[dir].n)
		return;
	pos = (long)rnd_below((u32)ref[dir].n);
	p = ref[dir].pol[pos];
	e = cls_find(dir, &p.sel);
	if (!e || e->id != p.id) {
		if (!mismatches++)
			diag("round %u: policy %u is not in the classifier's table",
			     round, p.id);
		return;
	}
	if (op < add_pct + 25) {
		kipsec_ref_remove(&ref[dir], (size_t)pos);
		cls_remove(e);
		return;
	}
	/* spdupdate: half of them keep the priority */
	if (chance(50))
		p.priority = rnd_prio();
	p.id = ++next_id;
	kipsec_ref_replace(&ref[dir], (size_t)pos, &p);
	cls_replace(e, p.priority, p.id);
}

static void random_round(unsigned int round, unsigned int size,
			 unsigned int ops, unsigned int lookups_per_op)
{
	unsigned int i, j;
	u8 dir;
	bool good = true;

	cls_reset();
	cls.shrink_fail_every = round % 3 ? 0 : 1 + round % 5;
	for (i = 0; i < ops && good; i++) {
		random_op(round, size);
		for (j = 0; j < lookups_per_op; j++) {
			struct kipsec_flow f;

			dir = (u8)rnd_below(NDIR);
			f = rnd_flow(dir);
			good &= compare_lookup(dir, &f, round);
		}
		if (i % 64 == 0)
			for (dir = 0; dir < NDIR; dir++)
				good &= compare_order(dir) && check_shapes(dir);
	}
	for (dir = 0; dir < NDIR; dir++)
		good &= compare_order(dir) && check_shapes(dir);
	/* Emptied again, policy by policy: no shape is left behind. */
	for (dir = 0; dir < NDIR && good; dir++) {
		while (ref[dir].n) {
			struct entry *e = cls_find(dir, &ref[dir].pol[0].sel);

			kipsec_ref_remove(&ref[dir], 0);
			if (!e) {
				good = false;
				break;
			}
			cls_remove(e);
		}
		if (!cls.shrink_fail_every && cls.set[dir])
			good = false;
	}
	ok(good, "round %u: %u policies at most, %u operations agree with the model",
	   round, size, ops);
}

int main(void)
{
	const char *env = getenv("KIPSEC_SPD_SEED");
	u64 seed = env ? strtoull(env, NULL, 0) : 0x5eed0f5bdc1a55ULL;
	unsigned int round = 0, i;

	rng_state = seed ? seed : 1;
	diag("seed 0x%llx", (unsigned long long)seed);
	check_cases();
	/* Small sets many times, then larger ones: ties and shapes recur. */
	for (i = 0; i < 60; i++, round++)
		random_round(round, 4 + i % 24, 800, 14);
	for (i = 0; i < 12; i++, round++)
		random_round(round, 100 + 40 * i, 1500, 16);
	for (i = 0; i < 2; i++, round++)
		random_round(round, MAXPOL - 100, 2500, 20);
	ok(lookups >= 1000000, "%lu lookups compared (%lu found a policy)",
	   lookups, hits);
	is_uint(mismatches, 0, "no lookup or table disagreed");
	cls_reset();
	return tap_done();
}
