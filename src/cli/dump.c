// SPDX-License-Identifier: GPL-2.0
/* Text and JSON views of SAs and policies (see dump.h). */
#include <inttypes.h>
#include <netinet/in.h>
#include "algs.h"
#include "dump.h"
#include "names.h"
#include "setkey_print.h"

/* Text shows esp-udp, as setkey reads it; JSON keeps proto and ports apart. */
static const char *sa_proto(const struct kipsec_sa *sa, char *buf, size_t len)
{
	const char *name = kipsec_sa_proto_word(sa);

	if (name)
		return name;
	snprintf(buf, len, "%u", sa->proto);
	return buf;
}

static const char *sa_mode(const struct kipsec_sa *sa)
{
	return sa->mode_set ? kipsec_enum_name(kipsec_mode_names, sa->mode) :
	       "any";
}

/* setkey -D shows keys as groups of 8 hex digits */
static void dump_alg(FILE *f, const char *label, const char *name,
		     const struct kipsec_alg_key *k, u16 id)
{
	fprintf(f, "\t%s: ", label);
	if (name)
		fputs(name, f);
	else
		fprintf(f, "transform %u", id);
	if (!k->key_known) {
		fputs("  (key not shown)\n", f);
		return;
	}
	if (k->keylen)
		fputc(' ', f);
	for (unsigned int i = 0; i < k->keylen; i++)
		fprintf(f, "%s%02x", i % 4 ? "" : " ", k->key[i]);
	fputc('\n', f);
}

static void print_flags(FILE *f, u32 flags)
{
	const char *sep = "";

	if (!flags) {
		fputs("none", f);
		return;
	}
	for (size_t i = 0; i < KIPSEC_NAMES_COUNT(kipsec_sa_flag_names); i++) {
		if (flags & kipsec_sa_flag_names[i].flag) {
			fprintf(f, "%s%s", sep, kipsec_sa_flag_names[i].name);
			sep = ",";
			flags &= ~kipsec_sa_flag_names[i].flag;
		}
	}
	if (flags)
		fprintf(f, "%s0x%x", sep, flags);
}

/* A limit: "-" when there is none. */
static void limit_cell(FILE *f, u64 v, const char *unit, bool last)
{
	char buf[32];

	if (v)
		snprintf(buf, sizeof(buf), "%" PRIu64 "%s", v, unit);
	else
		snprintf(buf, sizeof(buf), "-");
	fprintf(f, last ? "%s" : "%-14s", buf);
}

/* @missing: what stands for a current value the kernel did not give */
static void lifetime_row(FILE *f, const char *name, const char *unit,
			 const char *missing, bool have_current, u64 current,
			 u64 soft, u64 hard)
{
	char buf[32];

	if (have_current)
		snprintf(buf, sizeof(buf), "%" PRIu64 "%s", current, unit);
	else
		snprintf(buf, sizeof(buf), "%s", missing);
	fprintf(f, "\t  %-9s %-14s", name, buf);
	limit_cell(f, soft, unit, false);
	limit_cell(f, hard, unit, true);
	fputs("\n", f);
}

void kipsec_dump_sa(FILE *f, const struct kipsec_sa *sa)
{
	const struct kipsec_lifetime *cur = &sa->current;
	char proto[8];

	kipsec_print_sa_addrs(f, sa);
	fputc('\n', f);
	fprintf(f, "\t%s mode=%s spi=%u(0x%08x) reqid=%u(0x%08x)\n",
		sa_proto(sa, proto, sizeof(proto)), sa_mode(sa), sa->spi,
		sa->spi, sa->reqid, sa->reqid);
	if (sa->has_sel) {
		fputs("\tselector: ", f);
		kipsec_print_selector(f, &sa->sel, true);
		fputc('\n', f);
	}
	if (sa->encr.present)
		dump_alg(f, "E", kipsec_encr_name(sa->encr.id), &sa->encr,
			 sa->encr.id);
	if (sa->integ.present)
		dump_alg(f, "A", kipsec_integ_name(sa->integ.id), &sa->integ,
			 sa->integ.id);
	fputc('\t', f);
	if (sa->replay_set)
		fprintf(f, "replay=%u ", sa->replay_window);
	fputs("flags=", f);
	print_flags(f, sa->flags);
	if (sa->df_set)
		fprintf(f, " df=%s", kipsec_enum_name(kipsec_df_names, sa->df));
	if (sa->has_state)
		fprintf(f, " state=%s",
			kipsec_enum_name(kipsec_state_names, sa->state));
	fputc('\n', f);
	if (sa->has_seq)
		fprintf(f, "\tseq: out=%" PRIu64 "(0x%08" PRIx64 ") in=%" PRIu64
			"(0x%08" PRIx64 ")\n", sa->seq_out, sa->seq_out,
			sa->seq_in, sa->seq_in);
	fprintf(f, "\tlifetime    %-14s%-14s%s\n", "current", "soft", "hard");
	lifetime_row(f, "add", "s", "-", sa->has_current, cur->add_seconds,
		     sa->soft.add_seconds, sa->hard.add_seconds);
	lifetime_row(f, "use", "s", "unused", sa->has_current && sa->used,
		     cur->use_seconds, sa->soft.use_seconds,
		     sa->hard.use_seconds);
	lifetime_row(f, "bytes", "", "-", sa->has_current, cur->bytes,
		     sa->soft.bytes, sa->hard.bytes);
	lifetime_row(f, "packets", "", "-", sa->has_current, cur->packets,
		     sa->soft.packets, sa->hard.packets);
	if (sa->has_stats) {
		const struct kipsec_sa_stats *st = &sa->stats;

		fprintf(f, "\ttraffic: in %" PRIu64 " packets %" PRIu64
			" bytes, out %" PRIu64 " packets %" PRIu64 " bytes\n",
			st->packets_in, st->bytes_in, st->packets_out,
			st->bytes_out);
		fprintf(f, "\tdrops: replay %" PRIu64, st->replay_drops);
		if (st->replay_too_old)
			fprintf(f, " (%" PRIu64 " left of the window, up to %"
				PRIu64 " behind)", st->replay_too_old,
				st->replay_max_lag);
		fprintf(f, ", integrity %" PRIu64 ", other %" PRIu64 "\n",
			st->integrity_fails, st->other_drops);
	}
}

static void print_templates(FILE *f, const struct kipsec_instance *inst)
{
	for (unsigned int i = 0; i < inst->n_tmpl; i++) {
		fputc(' ', f);
		kipsec_print_template(f, &inst->tmpl[i]);
	}
}

void kipsec_dump_policy(FILE *f, const struct kipsec_policy *pol)
{
	kipsec_print_selector(f, &pol->sel, true);
	fprintf(f, "\n\t%s ", kipsec_enum_name(kipsec_dir_names, pol->dir));
	kipsec_print_priority(f, pol->priority, true);
	if (pol->has_action)
		fprintf(f, " %s",
			kipsec_enum_name(kipsec_action_names, pol->action));
	fputc('\n', f);
	for (unsigned int i = 0; i < pol->n_tmpl; i++) {
		fputc('\t', f);
		kipsec_print_template(f, &pol->tmpl[i]);
		fputc('\n', f);
	}
	for (unsigned int i = 0; i < pol->n_older; i++) {
		fputs("\tretiring:", f);
		print_templates(f, &pol->older[i]);
		fputc('\n', f);
	}
	fputc('\t', f);
	if (pol->has_index)
		fprintf(f, "index=%u ", pol->index);
	fprintf(f, "priority=%u", pol->priority);
	if (pol->instances)
		fprintf(f, " instances=%u", pol->instances);
	/* setkey's "lastused", as an age: what an IKE daemon's DPD asks */
	if (pol->has_idle)
		fprintf(f, " idle=%" PRIu64 "s", pol->idle_seconds);
	fputc('\n', f);
}

static const char *alg_label(const char *name)
{
	return name ? name : "?";
}

void kipsec_brief_sa(FILE *f, const struct kipsec_sa *sa)
{
	char proto[8];

	kipsec_print_sa_addrs(f, sa);
	fprintf(f, " %s spi=0x%08x(%u) mode=%s reqid=%u",
		sa_proto(sa, proto, sizeof(proto)), sa->spi, sa->spi,
		sa_mode(sa), sa->reqid);
	if (sa->encr.present)
		fprintf(f, " E=%s", alg_label(kipsec_encr_name(sa->encr.id)));
	if (sa->integ.present)
		fprintf(f, " A=%s", alg_label(kipsec_integ_name(sa->integ.id)));
	if (sa->has_state)
		fprintf(f, " state=%s",
			kipsec_enum_name(kipsec_state_names, sa->state));
}

void kipsec_brief_mapping(FILE *f, const struct kipsec_sa *sa,
			  const struct kipsec_ip *addr, u16 port)
{
	char proto[8], buf[KIPSEC_ADDR_STRLEN];

	/* the event carries no mode or algorithms: only what names the SA */
	kipsec_print_sa_addrs(f, sa);
	fprintf(f, " %s spi=0x%08x(%u) reqid=%u old=%s[%u]",
		sa_proto(sa, proto, sizeof(proto)), sa->spi, sa->spi,
		sa->reqid, kipsec_format_addr(&sa->src, buf, sizeof(buf)),
		sa->encap_sport);
	fprintf(f, " new=%s[%u]", kipsec_format_addr(addr, buf, sizeof(buf)),
		port);
}

void kipsec_brief_policy(FILE *f, const struct kipsec_policy *pol)
{
	kipsec_print_selector(f, &pol->sel, true);
	fputs(" -P ", f);
	kipsec_print_policy_rule(f, pol);
	for (unsigned int i = 0; i < pol->n_older; i++) {
		fputs(" retiring:", f);
		print_templates(f, &pol->older[i]);
	}
	if (pol->has_index)
		fprintf(f, " index=%u", pol->index);
}

static void json_addr(struct kipsec_json *j, const char *key,
		      const struct kipsec_ip *a)
{
	char buf[KIPSEC_ADDR_STRLEN];

	if (a->family)
		kipsec_json_string(j, key, kipsec_format_addr(a, buf, sizeof(buf)));
	else
		kipsec_json_null(j, key);
}

static void json_alg(struct kipsec_json *j, const char *key, const char *name,
		     const struct kipsec_alg_key *k)
{
	if (!k->present) {
		kipsec_json_null(j, key);
		return;
	}
	kipsec_json_object(j, key);
	kipsec_json_string(j, "name", name);
	kipsec_json_u64(j, "id", k->id);
	if (k->key_known)
		kipsec_json_hex(j, "key", k->key, k->keylen);
	else
		kipsec_json_null(j, "key");
	kipsec_json_end_object(j);
}

static void json_lifetime(struct kipsec_json *j, const char *key,
			  const struct kipsec_lifetime *lt, bool used)
{
	kipsec_json_object(j, key);
	kipsec_json_u64(j, "bytes", lt->bytes);
	kipsec_json_u64(j, "packets", lt->packets);
	kipsec_json_u64(j, "add_seconds", lt->add_seconds);
	if (used)
		kipsec_json_u64(j, "use_seconds", lt->use_seconds);
	else
		kipsec_json_null(j, "use_seconds");
	kipsec_json_end_object(j);
}

static void json_opt_u64(struct kipsec_json *j, const char *key, bool has,
			 u64 v)
{
	if (has)
		kipsec_json_u64(j, key, v);
	else
		kipsec_json_null(j, key);
}

/* A selector's fields, in the object being written. */
static void json_selector_fields(struct kipsec_json *j,
				 const struct kipsec_selector *sel)
{
	json_addr(j, "src", &sel->src);
	kipsec_json_u64(j, "src_prefix_len", sel->src_plen);
	json_addr(j, "dst", &sel->dst);
	kipsec_json_u64(j, "dst_prefix_len", sel->dst_plen);
	json_opt_u64(j, "upper_proto", sel->has_proto, sel->proto);
	kipsec_json_string(j, "upper_proto_name",
			   sel->has_proto ? kipsec_upper_name(sel->proto) : "any");
	json_opt_u64(j, "sport", sel->has_sport, sel->sport);
	json_opt_u64(j, "dport", sel->has_dport, sel->dport);
	json_opt_u64(j, "icmp_type", sel->has_icmp_type, sel->icmp_type);
	json_opt_u64(j, "icmp_code", sel->has_icmp_code, sel->icmp_code);
}

void kipsec_json_sa(struct kipsec_json *j, const char *key,
		    const struct kipsec_sa *sa)
{
	char proto[8], spi_hex[12];

	kipsec_json_object(j, key);
	json_addr(j, "src", &sa->src);
	json_addr(j, "dst", &sa->dst);
	json_opt_u64(j, "encap_sport", sa->has_encap, sa->encap_sport);
	json_opt_u64(j, "encap_dport", sa->has_encap, sa->encap_dport);
	kipsec_json_string(j, "proto", sa->proto == IPPROTO_ESP ? "esp" :
			   sa_proto(sa, proto, sizeof(proto)));
	kipsec_json_u64(j, "spi", sa->spi);
	snprintf(spi_hex, sizeof(spi_hex), "0x%08x", sa->spi);
	kipsec_json_string(j, "spi_hex", spi_hex);
	kipsec_json_string(j, "mode", sa->mode_set ? sa_mode(sa) : NULL);
	kipsec_json_u64(j, "reqid", sa->reqid);
	if (sa->replay_set)
		kipsec_json_u64(j, "replay_window", sa->replay_window);
	else
		kipsec_json_null(j, "replay_window");
	kipsec_json_array(j, "flags");
	for (size_t i = 0; i < KIPSEC_NAMES_COUNT(kipsec_sa_flag_names); i++)
		if (sa->flags & kipsec_sa_flag_names[i].flag)
			kipsec_json_string(j, NULL, kipsec_sa_flag_names[i].name);
	kipsec_json_end_array(j);
	kipsec_json_string(j, "tunnel_df", sa->df_set ?
			   kipsec_enum_name(kipsec_df_names, sa->df) : NULL);
	kipsec_json_string(j, "state", sa->has_state ?
			   kipsec_enum_name(kipsec_state_names, sa->state) : NULL);
	json_alg(j, "encryption", kipsec_encr_name(sa->encr.id), &sa->encr);
	json_alg(j, "integrity", kipsec_integ_name(sa->integ.id), &sa->integ);
	kipsec_json_object(j, "lifetime");
	if (sa->has_current)
		json_lifetime(j, "current", &sa->current, sa->used);
	else
		kipsec_json_null(j, "current");
	json_lifetime(j, "soft", &sa->soft, true);
	json_lifetime(j, "hard", &sa->hard, true);
	kipsec_json_end_object(j);
	if (sa->has_seq) {
		kipsec_json_u64(j, "seq_out", sa->seq_out);
		kipsec_json_u64(j, "seq_in", sa->seq_in);
	} else {
		kipsec_json_null(j, "seq_out");
		kipsec_json_null(j, "seq_in");
	}
	if (sa->has_sel) {
		kipsec_json_object(j, "selector");
		json_selector_fields(j, &sa->sel);
		kipsec_json_end_object(j);
	} else {
		kipsec_json_null(j, "selector");
	}
	if (sa->has_stats) {
		const struct kipsec_sa_stats *st = &sa->stats;

		kipsec_json_object(j, "stats");
		kipsec_json_u64(j, "packets_in", st->packets_in);
		kipsec_json_u64(j, "bytes_in", st->bytes_in);
		kipsec_json_u64(j, "packets_out", st->packets_out);
		kipsec_json_u64(j, "bytes_out", st->bytes_out);
		kipsec_json_u64(j, "replay_drops", st->replay_drops);
		kipsec_json_u64(j, "integrity_fails", st->integrity_fails);
		kipsec_json_u64(j, "other_drops", st->other_drops);
		kipsec_json_u64(j, "replay_too_old", st->replay_too_old);
		kipsec_json_u64(j, "replay_max_lag", st->replay_max_lag);
		kipsec_json_end_object(j);
	} else {
		kipsec_json_null(j, "stats");
	}
	kipsec_json_end_object(j);
}

/* An array of templates (under @key, or an element when @key is NULL). */
static void json_templates(struct kipsec_json *j, const char *key,
			   unsigned int n, const struct kipsec_tmpl *tmpl)
{
	kipsec_json_array(j, key);
	for (unsigned int i = 0; i < n; i++) {
		const struct kipsec_tmpl *t = &tmpl[i];
		char proto[8];

		if (kipsec_sa_proto_name(t->proto))
			snprintf(proto, sizeof(proto), "%s",
				 kipsec_sa_proto_name(t->proto));
		else
			snprintf(proto, sizeof(proto), "%u", t->proto);
		kipsec_json_object(j, NULL);
		kipsec_json_string(j, "proto", proto);
		kipsec_json_string(j, "mode", kipsec_enum_name(kipsec_mode_names, t->mode));
		json_addr(j, "src", &t->src);
		json_addr(j, "dst", &t->dst);
		kipsec_json_string(j, "level", kipsec_enum_name(kipsec_level_names, t->level));
		kipsec_json_u64(j, "reqid", t->reqid);
		kipsec_json_u64(j, "spi", t->spi);
		kipsec_json_end_object(j);
	}
	kipsec_json_end_array(j);
}

void kipsec_json_policy(struct kipsec_json *j, const char *key,
			const struct kipsec_policy *pol)
{
	kipsec_json_object(j, key);
	json_opt_u64(j, "index", pol->has_index, pol->index);
	kipsec_json_string(j, "dir", kipsec_enum_name(kipsec_dir_names, pol->dir));
	json_selector_fields(j, &pol->sel);
	kipsec_json_string(j, "action", pol->has_action ?
			   kipsec_enum_name(kipsec_action_names, pol->action) : NULL);
	kipsec_json_u64(j, "priority", pol->priority);
	json_opt_u64(j, "instances", pol->instances, pol->instances);
	json_opt_u64(j, "idle_seconds", pol->has_idle, pol->idle_seconds);
	json_templates(j, "templates", pol->n_tmpl, pol->tmpl);
	kipsec_json_array(j, "older_instances");
	for (unsigned int i = 0; i < pol->n_older; i++)
		json_templates(j, NULL, pol->older[i].n_tmpl, pol->older[i].tmpl);
	kipsec_json_end_array(j);
	kipsec_json_end_object(j);
}
