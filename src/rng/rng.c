/*
 * rng.c - a gsl_rng over one keyed Philox stream.
 *
 * Random123's gsl_microrng.h does the wrapping: the fourth counter word counts
 * the blocks drawn, the first three are the stream's identity.
 */
#include "carecast/rng.h"

#include <Random123/gsl_microrng.h>

/* The macro's body is Random123's code; its implicit conversions are by
 * design (32-bit words from a 64-bit counter). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
GSL_MICRORNG(cc_philox_stream, philox4x32);
#pragma GCC diagnostic pop

gsl_rng *cc_rng_stream_alloc(void) { return gsl_rng_alloc(gsl_rng_cc_philox_stream); }

void cc_rng_stream_reset(gsl_rng *r, cc_rng_key k, uint32_t purpose, uint32_t index, uint32_t id_lo,
                         uint32_t id_hi)
{
	philox4x32_ctr_t c = { { id_lo, id_hi, (purpose << 24) | (index & 0xFFFFFFu), 0 } };
	cc_philox_stream_reset(r, c, k.key);
}
