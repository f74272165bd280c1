// SPDX-License-Identifier: GPL-2.0
/*
 * Runs a parsed script. Statements that only change state are queued in
 * netlink batches; the ACKs come back by sequence number and each error is
 * reported at its statement's line. Statements that print (get, dump,
 * spddump, alloc-spi) or need to read first (deleteall) wait for the
 * queued ones, so output and changes happen in the file's order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/kipsec.h>
#include "apply.h"
#include "dump.h"
#include "genl.h"
#include "ops_decode.h"
#include "ops_encode.h"
#include "setkey_print.h"

struct apply {
	const struct kipsec_script *s;
	const struct kipsec_opts *opts;
	struct kipsec_genl *g;
	struct kipsec_batch batch;
	unsigned int failures;
	bool denied;		/* EPERM: the rest would fail the same way */
};

static void report(struct apply *a, size_t index, int err, const char *extack)
{
	const struct kipsec_op *op = &a->s->ops[index];

	a->failures++;
	if (a->denied)
		return;
	if (extack && *extack)
		fprintf(stderr, "%s:%u: %s (%s)\n", a->s->name, op->line, extack,
			strerror(err));
	else
		fprintf(stderr, "%s:%u: %s failed: %s\n", a->s->name, op->line,
			kipsec_op_keyword(op->type), strerror(err));
	if (err == EPERM) {
		fprintf(stderr,
			"kipsec: changing or reading SAs and policies needs CAP_NET_ADMIN; stopping here\n");
		a->denied = true;
	}
}

static void batch_error(void *ctx, size_t tag, int err, const char *extack)
{
	report(ctx, tag, err, extack);
}

/* A socket failure leaves no way to know what the kernel did. */
static int fatal(int err)
{
	fprintf(stderr, "kipsec: talking to the kernel failed: %s\n",
		strerror(-err));
	return err;
}

static int queue(struct apply *a, size_t index, const struct kipsec_op *op,
		 const struct kipsec_sa *del)
{
	struct nlmsghdr *nlh;
	uint16_t flags;
	uint8_t cmd;

	if (del) {
		cmd = KIPSEC_CMD_SA_DEL;
		flags = 0;
	} else {
		kipsec_op_command(op, &cmd, &flags);
	}
	nlh = kipsec_batch_add(&a->batch, cmd, flags, index);
	if (!nlh)
		return fatal(-errno);
	if (del)
		kipsec_encode_sa_id(nlh, del);
	else
		kipsec_encode_op(nlh, op);
	return 0;
}

/* What a printing statement's callback needs. */
struct show {
	struct apply *a;
	const struct kipsec_op *op;
	struct kipsec_json json;
	unsigned int count;
	struct kipsec_sa *matches;	/* deleteall */
	size_t n_matches, cap_matches;
	bool bad;
};

static bool same_addr(const struct kipsec_ip *x, const struct kipsec_ip *y)
{
	return x->family == y->family &&
	       !memcmp(x->bytes, y->bytes, x->family == AF_INET ? 4 : 16);
}

static void keep_match(struct show *sh, const struct kipsec_sa *sa)
{
	const struct kipsec_sa *want = &sh->op->sa;
	struct kipsec_sa *grown;

	if (!same_addr(&sa->src, &want->src) || !same_addr(&sa->dst, &want->dst) ||
	    (want->proto && sa->proto != want->proto))
		return;
	if (sh->n_matches == sh->cap_matches) {
		sh->cap_matches = sh->cap_matches ? 2 * sh->cap_matches : 16;
		grown = realloc(sh->matches, sh->cap_matches * sizeof(*grown));
		if (!grown) {
			sh->bad = true;
			return;
		}
		sh->matches = grown;
	}
	sh->matches[sh->n_matches++] = *sa;
}

static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[KIPSEC_A_MAX + 1];
	struct show *sh = data;
	bool json = sh->a->opts->json;
	struct kipsec_policy pol;
	struct kipsec_sa sa;

	kipsec_msg_attrs(nlh, tb);
	if (kipsec_op_is_policy(sh->op)) {
		if (!tb[KIPSEC_A_POLICY] ||
		    kipsec_decode_policy(tb[KIPSEC_A_POLICY], &pol)) {
			sh->bad = true;
			return MNL_CB_OK;
		}
		if (json) {
			kipsec_json_policy(&sh->json, NULL, &pol);
		} else if (sh->a->opts->short_dump) {
			kipsec_brief_policy(stdout, &pol);
			putchar('\n');
		} else {
			kipsec_dump_policy(stdout, &pol);
		}
		sh->count++;
		return MNL_CB_OK;
	}
	if (!tb[KIPSEC_A_SA] || kipsec_decode_sa(tb[KIPSEC_A_SA], &sa)) {
		sh->bad = true;
		return MNL_CB_OK;
	}
	sh->count++;
	switch (sh->op->type) {
	case KIPSEC_OP_SA_DELETEALL:
		keep_match(sh, &sa);
		break;
	case KIPSEC_OP_SA_ALLOC_SPI:
		if (json)
			kipsec_json_sa(&sh->json, NULL, &sa);
		else
			printf("0x%08x\n", sa.spi);
		break;
	default:
		if (json) {
			kipsec_json_sa(&sh->json, NULL, &sa);
		} else if (sh->a->opts->short_dump) {
			kipsec_brief_sa(stdout, &sa);
			if (sa.has_stats)
				printf(" in %llu/%llu out %llu/%llu",
				       (unsigned long long)sa.stats.packets_in,
				       (unsigned long long)sa.stats.bytes_in,
				       (unsigned long long)sa.stats.packets_out,
				       (unsigned long long)sa.stats.bytes_out);
			putchar('\n');
		} else {
			kipsec_dump_sa(stdout, &sa);
		}
		break;
	}
	return MNL_CB_OK;
}

static int run_now(struct apply *a, size_t index)
{
	const struct kipsec_op *op = &a->s->ops[index];
	bool is_dump = op->type == KIPSEC_OP_SA_DUMP ||
		       op->type == KIPSEC_OP_POLICY_DUMP;
	struct show sh = { .a = a, .op = op };
	struct nlmsghdr *nlh;
	uint16_t flags;
	uint8_t cmd;
	int err;

	err = kipsec_batch_flush(&a->batch);
	if (err)
		return fatal(err);
	if (a->denied)
		return 0;
	kipsec_op_command(op, &cmd, &flags);
	nlh = kipsec_genl_request(a->g, cmd, flags);
	kipsec_encode_op(nlh, op);
	/* Only SA_GET takes it: the kernel refuses what a command does not. */
	if (a->opts->no_keys && cmd == KIPSEC_CMD_SA_GET)
		mnl_attr_put(nlh, KIPSEC_A_SA_NO_KEYS, 0, NULL);
	kipsec_json_init(&sh.json, stdout);
	if (is_dump && a->opts->json)
		kipsec_json_array(&sh.json, NULL);
	err = kipsec_genl_talk(a->g, nlh, show_cb, &sh);
	if (is_dump && a->opts->json)
		kipsec_json_end_array(&sh.json);
	else if (is_dump && !err && !sh.count)
		puts(op->type == KIPSEC_OP_SA_DUMP ? "No SAD entries." :
		     "No SPD entries.");
	fflush(stdout);
	if (err)
		report(a, index, -err, a->g->extack);
	else if (sh.bad)
		fprintf(stderr, "%s:%u: the kernel's reply was malformed or incomplete\n",
			a->s->name, op->line);
	for (size_t i = 0; !err && i < sh.n_matches; i++) {
		err = queue(a, index, op, &sh.matches[i]);
		if (err) {
			free(sh.matches);
			return err;
		}
	}
	free(sh.matches);
	return 0;
}

int kipsec_apply(const struct kipsec_script *s, const struct kipsec_opts *opts)
{
	struct apply a = { .s = s, .opts = opts };
	int err = 0;

	a.g = malloc(sizeof(*a.g));
	if (!a.g) {
		fputs("kipsec: out of memory\n", stderr);
		return 1;
	}
	err = kipsec_genl_open(a.g);
	if (err) {
		free(a.g);
		return 1;
	}
	kipsec_batch_init(&a.batch, a.g, batch_error, &a);
	for (size_t i = 0; i < s->n_ops && !err && !a.denied; i++) {
		const struct kipsec_op *op = &s->ops[i];

		if (opts->verbose) {
			fprintf(stderr, "%s:%u: ", s->name, op->line);
			kipsec_print_op(stderr, op, opts->verbose > 1);
		}
		switch (op->type) {
		case KIPSEC_OP_SA_GET:
		case KIPSEC_OP_SA_DUMP:
		case KIPSEC_OP_SA_DELETEALL:
		case KIPSEC_OP_SA_ALLOC_SPI:
		case KIPSEC_OP_POLICY_DUMP:
			err = run_now(&a, i);
			break;
		default:
			err = queue(&a, i, op, NULL);
			break;
		}
	}
	if (!err) {
		err = kipsec_batch_flush(&a.batch);
		if (err)
			fatal(err);
	}
	kipsec_batch_free(&a.batch);
	kipsec_genl_close(a.g);
	free(a.g);
	return err || a.failures ? 1 : 0;
}
