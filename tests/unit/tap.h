/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP (Test Anything Protocol, version 12) producer for the native
 * unit tests.  Header-only, C11, one test program per executable.
 *
 *	tap_plan(n);			optional; without it the plan is
 *					printed by tap_done()
 *	ok(cond, "fmt", ...);		one test point
 *	is_int(got, want, "fmt", ...);	signed compare
 *	is_uint(got, want, "fmt", ...);	unsigned compare, 64-bit
 *	diag("fmt", ...);		comment line on stdout
 *	return tap_done();		0 if everything passed, 1 otherwise
 *
 * ok() and is_*() return whether the test passed, so callers can add more
 * diagnostics on failure.
 */
#ifndef KIPSEC_TAP_H
#define KIPSEC_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#if defined(__GNUC__) || defined(__clang__)
#define TAP_PRINTF_(fmt_idx, arg_idx) \
	__attribute__((format(printf, fmt_idx, arg_idx)))
#else
#define TAP_PRINTF_(fmt_idx, arg_idx)
#endif

struct tap_state_ {
	unsigned long planned;
	unsigned long run;
	unsigned long failed;
	bool have_plan;
};

/* A function-local static keeps the header free of unused-variable noise. */
static inline struct tap_state_ *tap_state_(void)
{
	static struct tap_state_ st;

	return &st;
}

static inline void tap_plan(unsigned long n)
{
	tap_state_()->planned = n;
	tap_state_()->have_plan = true;
	printf("1..%lu\n", n);
	fflush(stdout);
}

static inline void tap_vdiag_(const char *fmt, va_list ap)
{
	fputs("# ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
}

static inline TAP_PRINTF_(1, 2) void diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vdiag_(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static inline void tap_vresult_(bool pass, const char *file, int line,
				const char *fmt, va_list ap)
{
	struct tap_state_ *st = tap_state_();

	st->run++;
	if (!pass)
		st->failed++;
	printf("%sok %lu - ", pass ? "" : "not ", st->run);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	if (!pass)
		printf("#   Failed test at %s line %d.\n", file, line);
	fflush(stdout);
}

static inline TAP_PRINTF_(4, 5) bool tap_ok_(bool pass, const char *file,
					      int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vresult_(pass, file, line, fmt, ap);
	va_end(ap);
	return pass;
}

static inline TAP_PRINTF_(5, 6) bool
tap_is_int_(long long got, long long want, const char *file, int line,
	    const char *fmt, ...)
{
	bool pass = got == want;
	va_list ap;

	va_start(ap, fmt);
	tap_vresult_(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#          got: %lld\n#     expected: %lld\n", got, want);
	return pass;
}

static inline TAP_PRINTF_(5, 6) bool
tap_is_uint_(unsigned long long got, unsigned long long want,
	     const char *file, int line, const char *fmt, ...)
{
	bool pass = got == want;
	va_list ap;

	va_start(ap, fmt);
	tap_vresult_(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#          got: %llu (0x%llx)\n#     expected: %llu (0x%llx)\n",
		       got, got, want, want);
	return pass;
}

#define ok(cond, ...) tap_ok_(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) \
	tap_is_int_((long long)(got), (long long)(want), __FILE__, __LINE__, \
		    __VA_ARGS__)
#define is_uint(got, want, ...) \
	tap_is_uint_((unsigned long long)(got), (unsigned long long)(want), \
		     __FILE__, __LINE__, __VA_ARGS__)

/* Prints the trailing plan if none was given; returns the exit status. */
static inline int tap_done(void)
{
	struct tap_state_ *st = tap_state_();

	if (!st->have_plan)
		printf("1..%lu\n", st->run);
	else if (st->run != st->planned)
		diag("planned %lu tests but ran %lu", st->planned, st->run);
	if (st->failed)
		diag("failed %lu of %lu tests", st->failed, st->run);
	fflush(stdout);
	return (st->failed || (st->have_plan && st->run != st->planned)) ?
	       1 : 0;
}

#endif /* KIPSEC_TAP_H */
