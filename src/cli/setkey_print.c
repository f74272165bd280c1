// SPDX-License-Identifier: GPL-2.0
/* Prints operations back as setkey(8) statements (see setkey_parse.c). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "algs.h"
#include "names.h"
#include "setkey_parse.h"
#include "setkey_print.h"

char *kipsec_format_addr(const struct kipsec_ip *a, char *buf, size_t len)
{
	if (!a->family || !inet_ntop(a->family, a->bytes, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

static void print_addr(FILE *f, const struct kipsec_ip *a)
{
	char buf[KIPSEC_ADDR_STRLEN];

	fputs(kipsec_format_addr(a, buf, sizeof(buf)), f);
}

void kipsec_print_key(FILE *f, const struct kipsec_alg_key *k)
{
	if (!k->keylen) {
		fputs("\"\"", f);
		return;
	}
	fputs("0x", f);
	for (unsigned int i = 0; i < k->keylen; i++)
		fprintf(f, "%02x", k->key[i]);
}

const char *kipsec_encr_name(u16 id)
{
	const struct kipsec_alg *a = kipsec_encr_by_id(id);

	return a ? a->name : NULL;
}

const char *kipsec_integ_name(u16 id)
{
	const struct kipsec_alg *a = kipsec_integ_by_id(id);

	return a ? a->name : NULL;
}

static void print_selector_addr(FILE *f, const struct kipsec_ip *a, u8 plen,
				bool has_port, u16 port, bool full)
{
	print_addr(f, a);
	if (full || plen != (a->family == AF_INET ? 32 : 128))
		fprintf(f, "/%u", plen);
	if (has_port)
		fprintf(f, "[%u]", port);
	else if (full)
		fputs("[any]", f);
}

/*
 * setkey's "TYPE[,CODE]" reads 0 as any, so a 0 that is meant as a value
 * is written as kipsec's "type T code C".
 */
static void print_icmp(FILE *f, const struct kipsec_selector *sel)
{
	bool type0 = sel->has_icmp_type && sel->icmp_type == 0;
	bool code0 = sel->has_icmp_code && sel->icmp_code == 0;

	if (!sel->has_icmp_type && !sel->has_icmp_code)
		return;
	if (!type0 && !code0) {
		fprintf(f, " %u", sel->has_icmp_type ? sel->icmp_type : 0);
		if (sel->has_icmp_code)
			fprintf(f, ",%u", sel->icmp_code);
		return;
	}
	if (sel->has_icmp_type)
		fprintf(f, " type %u", sel->icmp_type);
	if (sel->has_icmp_code)
		fprintf(f, " code %u", sel->icmp_code);
}

void kipsec_print_selector(FILE *f, const struct kipsec_selector *sel, bool full)
{
	const char *name;

	print_selector_addr(f, &sel->src, sel->src_plen, sel->has_sport,
			    sel->sport, full);
	fputc(' ', f);
	print_selector_addr(f, &sel->dst, sel->dst_plen, sel->has_dport,
			    sel->dport, full);
	if (!sel->has_proto) {
		fputs(" any", f);
		return;
	}
	name = kipsec_upper_name(sel->proto);
	if (name)
		fprintf(f, " %s", name);
	else
		fprintf(f, " %u", sel->proto);
	print_icmp(f, sel);
}

void kipsec_print_template(FILE *f, const struct kipsec_tmpl *t)
{
	const char *proto = kipsec_sa_proto_name(t->proto);

	if (proto)
		fputs(proto, f);
	else
		fprintf(f, "%u", t->proto);
	fprintf(f, "/%s/", kipsec_enum_name(kipsec_mode_names, t->mode));
	if (t->src.family) {
		print_addr(f, &t->src);
		fputc('-', f);
		print_addr(f, &t->dst);
	}
	fprintf(f, "/%s", kipsec_enum_name(kipsec_level_names, t->level));
	if (t->reqid)
		fprintf(f, ":%u", t->reqid);
	if (t->spi)
		fprintf(f, "/0x%x", t->spi);
}

/* Every 32-bit priority is "prio N" (def - N) or "prio -N" (def + N). */
void kipsec_print_priority(FILE *f, u32 prio, bool show_default)
{
	if (prio == KIPSEC_PRIO_DEFAULT)
		fputs(show_default ? "prio def" : "", f);
	else if (prio == KIPSEC_PRIO_HIGH)
		fputs("prio high", f);
	else if (prio == KIPSEC_PRIO_LOW)
		fputs("prio low", f);
	else if (prio < KIPSEC_PRIO_DEFAULT)
		fprintf(f, "prio %u", KIPSEC_PRIO_DEFAULT - prio);
	else
		fprintf(f, "prio -%u", prio - KIPSEC_PRIO_DEFAULT);
}

void kipsec_print_policy_rule(FILE *f, const struct kipsec_policy *pol)
{
	fputs(kipsec_enum_name(kipsec_dir_names, pol->dir), f);
	if (pol->priority != KIPSEC_PRIO_DEFAULT)
		fputc(' ', f);
	kipsec_print_priority(f, pol->priority, false);
	if (!pol->has_action)
		return;
	fprintf(f, " %s", kipsec_enum_name(kipsec_action_names, pol->action));
	for (unsigned int i = 0; i < pol->n_tmpl; i++) {
		fputc(' ', f);
		kipsec_print_template(f, &pol->tmpl[i]);
	}
}

void kipsec_print_sa_addrs(FILE *f, const struct kipsec_sa *sa)
{
	print_addr(f, &sa->src);
	if (sa->has_encap)
		fprintf(f, "[%u]", sa->encap_sport);
	fputc(' ', f);
	print_addr(f, &sa->dst);
	if (sa->has_encap)
		fprintf(f, "[%u]", sa->encap_dport);
}

const char *kipsec_sa_proto_word(const struct kipsec_sa *sa)
{
	if (sa->has_encap && sa->proto == IPPROTO_ESP)
		return "esp-udp";
	return kipsec_sa_proto_name(sa->proto);
}

static void print_sa_ends(FILE *f, const char *cmd, const struct kipsec_sa *sa)
{
	fprintf(f, "%s ", cmd);
	kipsec_print_sa_addrs(f, sa);
	if (sa->proto)
		fprintf(f, " %s", kipsec_sa_proto_word(sa));
}

/*
 * Without @keys, a key is shown by its length only ("<20-byte key>"): what
 * -v and -nv print goes to terminals and logs. The text is then no longer
 * a statement kipsec reads back; with the keys it is.
 */
static void print_alg(FILE *f, const char *opt, const char *name,
		      const struct kipsec_alg_key *k, bool keys)
{
	fprintf(f, " %s %s", opt, name ? name : "?");
	if (k->keylen || k->id != KIPSEC_ENCR_NULL || strcmp(opt, "-E")) {
		fputc(' ', f);
		if (keys || !k->keylen)
			kipsec_print_key(f, k);
		else
			fprintf(f, "<%u-byte key>", k->keylen);
	}
}

static void print_lifetime(FILE *f, const char *kind,
			   const struct kipsec_lifetime *lt)
{
	if (lt->add_seconds)
		fprintf(f, " -l%s %llu", kind, (unsigned long long)lt->add_seconds);
	if (lt->bytes)
		fprintf(f, " -b%s %llu", kind, (unsigned long long)lt->bytes);
	if (lt->packets)
		fprintf(f, " -p%s %llu", kind, (unsigned long long)lt->packets);
	if (lt->use_seconds)
		fprintf(f, " -u%s %llu", kind, (unsigned long long)lt->use_seconds);
}

static void print_sa_add(FILE *f, const char *cmd, const struct kipsec_sa *sa,
			 bool keys)
{
	print_sa_ends(f, cmd, sa);
	fprintf(f, " 0x%x", sa->spi);
	if (sa->mode_set)
		fprintf(f, " -m %s", kipsec_enum_name(kipsec_mode_names, sa->mode));
	if (sa->reqid)
		fprintf(f, " -u %u", sa->reqid);
	if (sa->replay_set)
		fprintf(f, " -r %u", sa->replay_window);
	if (sa->has_sel) {
		fputs(" -sel ", f);
		kipsec_print_selector(f, &sa->sel, false);
	}
	for (size_t i = 0; i < KIPSEC_NAMES_COUNT(kipsec_sa_flag_names); i++)
		if (sa->flags & kipsec_sa_flag_names[i].flag)
			fprintf(f, " -f %s", kipsec_sa_flag_names[i].name);
	if (sa->df_set)
		fprintf(f, " -f df-%s", kipsec_enum_name(kipsec_df_names, sa->df));
	print_lifetime(f, "h", &sa->hard);
	print_lifetime(f, "s", &sa->soft);
	if (sa->encr.present)
		print_alg(f, "-E", kipsec_encr_name(sa->encr.id), &sa->encr,
			  keys);
	if (sa->integ.present)
		print_alg(f, "-A", kipsec_integ_name(sa->integ.id), &sa->integ,
			  keys);
}

void kipsec_print_op(FILE *f, const struct kipsec_op *op, bool keys)
{
	const char *word = kipsec_op_keyword(op->type);
	const struct kipsec_sa *sa = &op->sa;

	switch (op->type) {
	case KIPSEC_OP_SA_ADD:
	case KIPSEC_OP_SA_UPDATE:
		print_sa_add(f, word, sa, keys);
		break;
	case KIPSEC_OP_SA_GET:
	case KIPSEC_OP_SA_DELETE:
		print_sa_ends(f, word, sa);
		fprintf(f, " 0x%x", sa->spi);
		break;
	case KIPSEC_OP_SA_DELETEALL:
		print_sa_ends(f, word, sa);
		break;
	case KIPSEC_OP_SA_FLUSH:
	case KIPSEC_OP_SA_DUMP:
		fputs(word, f);
		if (sa->proto)
			fprintf(f, " %s", kipsec_sa_proto_name(sa->proto));
		break;
	case KIPSEC_OP_SA_ALLOC_SPI:
		print_sa_ends(f, word, sa);
		if (sa->reqid)
			fprintf(f, " -u %u", sa->reqid);
		if (sa->spi_min || sa->spi_max)
			fprintf(f, " range 0x%x 0x%x", sa->spi_min, sa->spi_max);
		break;
	case KIPSEC_OP_POLICY_ADD:
	case KIPSEC_OP_POLICY_UPDATE:
	case KIPSEC_OP_POLICY_DELETE:
	case KIPSEC_OP_POLICY_GET:
		fprintf(f, "%s ", word);
		kipsec_print_selector(f, &op->pol.sel, false);
		fputs(" -P ", f);
		kipsec_print_policy_rule(f, &op->pol);
		break;
	case KIPSEC_OP_POLICY_FLUSH:
	case KIPSEC_OP_POLICY_DUMP:
		fputs(word, f);
		break;
	}
	fputs(";\n", f);
}
