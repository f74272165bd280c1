/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KIPSEC_CLI_GENL_H
#define KIPSEC_CLI_GENL_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#define KIPSEC_EXTACK_LEN 256

/* A generic netlink socket bound to the kipsec family. */
struct kipsec_genl {
	struct mnl_socket *nl;
	uint16_t family;
	uint32_t events_group;		/* multicast group ID, 0 if none */
	uint32_t seq;
	uint32_t portid;
	unsigned int batch_max;		/* requests whose ACKs the socket holds */
	char extack[KIPSEC_EXTACK_LEN];	/* the kernel's word on the last error */
	char buf[65536];
};

/*
 * Opens the socket and resolves the family; on failure prints why (one
 * line: the module is not loaded, or the socket's error) and returns a
 * negative errno, so callers print nothing more. Returns 0 on success.
 */
int kipsec_genl_open(struct kipsec_genl *g);
/* The same without a word on stderr, for programs that log elsewhere. */
int kipsec_genl_connect(struct kipsec_genl *g);
void kipsec_genl_close(struct kipsec_genl *g);

/* A request in g->buf, to fill with attributes and pass to _talk(). */
struct nlmsghdr *kipsec_genl_request(struct kipsec_genl *g, uint8_t cmd,
				     uint16_t flags);
/*
 * Sends @req and runs @cb on every reply until the ACK (or the end of a
 * dump). Returns 0 or a negative errno; the kernel's extended ACK message,
 * if any, is in g->extack.
 */
int kipsec_genl_talk(struct kipsec_genl *g, struct nlmsghdr *req,
		     mnl_cb_t cb, void *data);

/* Joins the "events" multicast group. */
int kipsec_genl_subscribe(struct kipsec_genl *g);

/*
 * Batches: many requests per sendmsg(), their ACKs collected afterwards
 * and matched to the requests by sequence number, so a long file costs a
 * few system calls per hundred statements instead of a round trip each.
 */
typedef void (*kipsec_batch_error_cb)(void *ctx, size_t tag, int err,
				      const char *extack);

struct kipsec_batch {
	struct kipsec_genl *g;
	char *buf;
	size_t len, cap;
	size_t *tags;			/* the caller's tag of each request */
	unsigned int count;
	uint32_t first_seq;
	struct nlmsghdr *open;		/* the request being filled */
	kipsec_batch_error_cb on_error;
	void *ctx;
};

void kipsec_batch_init(struct kipsec_batch *b, struct kipsec_genl *g,
		       kipsec_batch_error_cb on_error, void *ctx);
/*
 * A new request to fill with attributes (at most KIPSEC_BATCH_MSG_MAX
 * bytes); @tag comes back to on_error if the kernel rejects it. May send
 * the requests queued so far first. NULL (with errno) if that failed.
 */
#define KIPSEC_BATCH_MSG_MAX 4096
struct nlmsghdr *kipsec_batch_add(struct kipsec_batch *b, uint8_t cmd,
				  uint16_t flags, size_t tag);
/*
 * Sends what is queued and waits for every ACK. Returns 0, or a negative
 * errno when the socket failed (then the fate of the requests is unknown).
 */
int kipsec_batch_flush(struct kipsec_batch *b);
void kipsec_batch_free(struct kipsec_batch *b);

#endif
