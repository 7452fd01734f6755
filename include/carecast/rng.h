/*
 * rng.h - keyed random streams (Random123 Philox4x32-10).
 *
 * Every random number carecast uses is a pure function of
 *     key     = (seed, replication)
 *     counter = (id_lo, id_hi, purpose << 24 | index, block)
 * so a draw never depends on which thread ran a replication, on how many
 * draws other children or other purposes took, or on the order of work. That
 * is what makes outputs byte-identical whatever the thread count, and what
 * keeps common random numbers intact when a scenario changes how many children
 * enter or move: each child meets the same luck in every scenario.
 *
 * Purposes partition the counter space so streams never overlap. `index` is
 * usually the month (24 bits: up to 16 million months). `block` is 0 for
 * single-block draws and counts blocks in a stream (cc_rng_stream).
 *
 * Reference: Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as easy
 * as 1, 2, 3", SC'11.
 */
#ifndef CARECAST_RNG_H
#define CARECAST_RNG_H

#include <Random123/philox.h>
#include <gsl/gsl_rng.h>
#include <stdint.h>

/* What a stream is for. Values are part of the output contract: changing
 * one changes every forecast. */
enum {
	CC_RNG_CHILD_MONTH = 1, /* a child's event draws in one month */
	CC_RNG_ENTRY_CHILD = 2, /* a new child's age, category and provider */
	CC_RNG_ENTRY_COUNT = 3, /* Poisson number of entries per band and month */
	CC_RNG_PARAMS = 4,      /* posterior draw of one parameter per replication */
	CC_RNG_START_CHILD = 5, /* attributes of starting-population children */
	CC_RNG_CAPACITY = 6,    /* foster household approvals and deregistrations */
	CC_RNG_PRICE = 7,       /* heavy-tail price factor of a new external placement */
	CC_RNG_DISPLACE = 8,    /* which in-house children lose places that closed */
	CC_RNG_BRING_BACK = 9,  /* which external children are brought back in-house */
	CC_RNG_EVENT = 10,      /* details drawn by an event recorder (synthetic returns) */
	CC_RNG_PROGRAMME = 32,  /* a scenario programme's choice of children: 32 + programme */
};
#define CC_RNG_MAX_PROGRAMMES 200

#define CC_RNG_NAME "philox4x32-10 (Random123), key (seed, replication)"

typedef struct {
	philox4x32_key_t key;
} cc_rng_key;

static inline cc_rng_key cc_rng_key_make(uint32_t seed, uint32_t replication)
{
	cc_rng_key k = { { { seed, replication } } };
	return k;
}

/* Four independent 32-bit words for (purpose, index, id). */
static inline philox4x32_ctr_t cc_rng_block(cc_rng_key k, uint32_t purpose, uint32_t index,
                                            uint32_t id_lo, uint32_t id_hi)
{
	philox4x32_ctr_t c = { { id_lo, id_hi, (purpose << 24) | (index & 0xFFFFFFu), 0 } };
	return philox4x32(c, k.key);
}

/* A 32-bit word as a double in (0, 1), never 0 or 1. */
static inline double cc_rng_u01(uint32_t x) { return ((double)x + 0.5) * (1.0 / 4294967296.0); }

/* A double in (0, 1) with 53 random bits from two words. */
static inline double cc_rng_u01_53(uint32_t a, uint32_t b)
{
	uint64_t x = ((uint64_t)(a >> 5) << 26) | (uint64_t)(b >> 6);
	return ((double)x + 0.5) * (1.0 / 9007199254740992.0);
}

/*
 * Inverse-CDF samplers: the smallest k with P(X <= k) >= u. Monotone in u
 * and in the parameter, so two scenarios whose rates differ a little draw
 * counts that differ a little (common random numbers survive the lever),
 * which samplers based on rejection do not give. Cost grows with the
 * standard deviation (the walk starts at the mode).
 */
unsigned cc_rng_poisson_inv(double u, double mu);
unsigned cc_rng_binomial_inv(double u, unsigned n, double p);

/* A gsl_rng reading the stream (purpose, index, id), for GSL's samplers
 * (Poisson, gamma) that need an unknown number of uniforms. Allocate once
 * with cc_rng_stream_alloc (free with gsl_rng_free) and re-point it for each
 * use; re-pointing costs nothing. Up to 2^34 draws per stream. */
gsl_rng *cc_rng_stream_alloc(void);
void cc_rng_stream_reset(gsl_rng *r, cc_rng_key k, uint32_t purpose, uint32_t index, uint32_t id_lo,
                         uint32_t id_hi);

#endif
