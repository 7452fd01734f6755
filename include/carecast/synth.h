/*
 * synth.h - synthetic SSDA903 returns from one simulated replication.
 *
 * Users need safe data to train on and to test pipelines with, and the fit's
 * tests need data whose true rates are known. cc_synth_ssda903 simulates one
 * replication of a model (at its point estimates unless asked otherwise) and
 * writes what happened as annual SSDA903 returns, one folder per year ending
 * 31 March: DIR/<YEAR>/header.csv and DIR/<YEAR>/episodes.csv, with
 * DD/MM/YYYY dates, valid codes and the convention that each return repeats
 * the episodes still open at 31 March (with DEC and REC blank). Children and
 * their dates of birth are invented; nothing identifies a real child.
 *
 * How model events become episodes (docs/formats.md, "Synthetic returns"):
 * an entry starts a period of care (RNE S); a move to another category, or a
 * change of provider, ends the episode (REC X1) and starts the next the same
 * day (RNE P); an exit ends the period with the REC code of its reason; the
 * 18th birthday ends it on the birthday (E17). Dates within a month are drawn
 * at random.
 */
#ifndef CARECAST_SYNTH_H
#define CARECAST_SYNTH_H

#include "carecast/error.h"
#include "carecast/model.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
	size_t years; /* years of returns after the base date (>= 1) */
	uint32_t seed;
	int draw_parameters; /* draw rates with evidence from their posterior (default: the
	                        point estimates, so the truth is known) */
} cc_synth_options;

typedef struct {
	size_t children;     /* children with at least one episode written */
	size_t episodes;     /* distinct episodes */
	size_t episode_rows; /* rows over all returns (open episodes repeat) */
	size_t returns;      /* annual returns written */
} cc_synth_stats;

/* Writes the returns under dir (created if missing). CC_OK, CC_EINVAL,
 * CC_EIO (diagnostic added), CC_ENOMEM. */
int cc_synth_ssda903(const cc_model *m, const cc_synth_options *o, const char *dir,
                     cc_synth_stats *stats, cc_diags *diags);

#endif
