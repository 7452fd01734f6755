/*
 * ssda903_cli.c - reading SSDA903 inputs for the command line (fit and
 * backtest): options, folders, LA suggestions and the quality summary.
 */
#include "ssda903_cli.h"

#include "cli.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- LA names: suggestions for a name not in the data -------------------------- */

static size_t edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > 200 || m > 200)
		return (size_t)-1;
	size_t prev[201], cur[201];
	for (size_t j = 0; j <= m; j++)
		prev[j] = j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= m; j++) {
			int same =
			    tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);
			size_t best = prev[j - 1] + (same ? 0 : 1);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			cur[j] = best;
		}
		memcpy(prev, cur, (m + 1) * sizeof *prev);
	}
	return prev[m];
}

static int same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

/* Reads the data again without an LA selection (only after the selection
 * failed) and suggests the nearest name for each LA not found. */
static void suggest_las(const cc_ssda903_input *in, size_t nin, const cc_ssda903_opts *o)
{
	cc_diags *d = cc_diags_alloc(1);
	if (!d)
		return;
	cc_ssda903_opts all = *o;
	all.las = NULL;
	all.nlas = 0;
	all.strict = 0;
	cc_ssda903 *ds = NULL;
	if (cc_ssda903_read(in, nin, &all, &ds, NULL, d) == CC_OK) {
		for (size_t i = 0; i < o->nlas; i++) {
			const char *want = o->las[i];
			const char *best = NULL;
			size_t bestd = (size_t)-1, found = 0;
			for (size_t k = 0; k < cc_ssda903_nlas(ds); k++) {
				const char *name = cc_ssda903_la_at(ds, k)->name;
				if (same_name(name, want))
					found = 1;
				size_t dist = edit_distance(want, name);
				if (*name && dist < bestd) {
					bestd = dist;
					best = name;
				}
			}
			size_t len = strlen(want);
			if (!found && best && (bestd <= 2 || bestd * 3 <= len))
				cli_error("--la \"%s\" is not in the data; did you mean \"%s\"?",
				          want, best);
			else if (!found)
				cli_error("--la \"%s\" is not in the data", want);
		}
	}
	cc_ssda903_free(ds);
	cc_diags_free(d);
}

/* ---- options ---------------------------------------------------------------------- */

int cli_ssda903_option(cli_ssda903_args *a, int c, const char *arg, const char *cmd)
{
	switch (c) {
	case 'l':
		if (a->nlas == CLI_SSDA903_MAX_LAS)
			return cli_usage_error(cmd, "--la: at most %d LAs", CLI_SSDA903_MAX_LAS);
		if (!*arg)
			return cli_usage_error(cmd, "--la: expected an LA name, found ''");
		a->las[a->nlas++] = arg;
		return 1;
	case CLI_SSDA903_OPT_YEAR:
		if (strcmp(arg, "ending") == 0)
			a->label = CC_SSDA903_YEAR_ENDING;
		else if (strcmp(arg, "starting") == 0)
			a->label = CC_SSDA903_YEAR_STARTING;
		else if (strcmp(arg, "auto") == 0)
			a->label = CC_SSDA903_YEAR_AUTO;
		else
			return cli_usage_error(
			    cmd, "--year-label: expected ending, starting or auto, found '%s'",
			    arg);
		return 1;
	case CLI_SSDA903_OPT_STRICT: a->strict = 1; return 1;
	case CLI_SSDA903_OPT_HEADER:
		if (a->nheaders == CLI_SSDA903_MAX_INPUTS)
			return cli_usage_error(cmd, "--header: at most %d files",
			                       CLI_SSDA903_MAX_INPUTS);
		a->headers[a->nheaders++] = arg;
		return 1;
	case CLI_SSDA903_OPT_EPISODES:
		if (a->nepisodes == CLI_SSDA903_MAX_INPUTS)
			return cli_usage_error(cmd, "--episodes: at most %d files",
			                       CLI_SSDA903_MAX_INPUTS);
		a->episodes[a->nepisodes++] = arg;
		return 1;
	default: return 0;
	}
}

int cli_ssda903_folder(cli_ssda903_args *a, const char *dir, const char *cmd)
{
	if (a->ndirs == CLI_SSDA903_MAX_INPUTS)
		return cli_usage_error(cmd, "at most %d folders", CLI_SSDA903_MAX_INPUTS);
	a->dirs[a->ndirs++] = dir;
	return 0;
}

int cli_ssda903_prior(const char *arg, const char *cmd, double *out)
{
	char *end;
	double v = strtod(arg, &end);
	if (end == arg || *end || !(v > 0) || v > 1000)
		return cli_usage_error(cmd,
		                       "--prior-events: expected a number greater than 0 "
		                       "and at most 1000, found '%s'",
		                       arg);
	*out = v;
	return 0;
}

int cli_ssda903_check(const cli_ssda903_args *a, const char *cmd)
{
	if (a->nheaders != a->nepisodes)
		return cli_usage_error(cmd,
		                       "expected --header and --episodes in pairs, found %zu "
		                       "--header and %zu --episodes",
		                       a->nheaders, a->nepisodes);
	if (a->ndirs == 0 && a->nepisodes == 0)
		return cli_usage_error(cmd, "expected SSDA903 returns: a folder, or --header and "
		                            "--episodes files");
	return 0;
}

/* ---- reading ----------------------------------------------------------------------- */

void cli_print_diags_from(const cc_diags *d, size_t from)
{
	for (size_t i = from; i < cc_diags_count(d); i++) {
		char *s = cc_diag_format(cc_diags_get(d, i));
		fprintf(stderr, "carecast: %s\n", s ? s : "(out of memory formatting a message)");
		free(s);
	}
}

static void print_quality(const cc_ssda903_quality *q)
{
	fprintf(stderr,
	        "carecast: data quality: %zu Header and %zu Episodes rows read (%zu of other LAs "
	        "skipped); %zu children and %zu episodes kept; %zu errors, %zu warnings\n",
	        q->header_rows, q->episode_rows, q->other_la_rows, q->children, q->episodes,
	        q->errors, q->warnings);
	int any = 0;
	for (size_t i = 0; i < CC_SSDA903_NRULES; i++) {
		const cc_ssda903_rule_count *r = &q->rule[i];
		if (!r->count)
			continue;
		if (!any)
			fprintf(stderr, "  %-20s %-8s %8s  %s\n", "rule", "severity", "count",
			        "what happened");
		any = 1;
		fprintf(stderr, "  %-20s %-8s %8zu  %s\n", r->id,
		        r->severity == CC_DIAG_ERROR ? "error" : "warning", r->count, r->action);
	}
}

static const char *base_name(const char *path, char *buf, size_t size)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t s = n;
	while (s > 0 && path[s - 1] != '/')
		s--;
	snprintf(buf, size, "%.*s", (int)(n - s), path + s);
	return buf;
}

int cli_ssda903_read(const cli_ssda903_args *a, cc_diags *d, cli_ssda903_data *out)
{
	memset(out, 0, sizeof *out);
	/* Inputs: each folder's returns, then the named pairs. */
	size_t nin = a->nepisodes;
	for (size_t i = 0; i < a->ndirs; i++) {
		size_t from = cc_diags_count(d);
		out->ndirs = i + 1;
		if (cc_ssda903_discover(a->dirs[i], &out->files[i], d) != CC_OK) {
			cli_print_diags_from(d, from);
			cli_error("%s: no SSDA903 returns found; nothing written", a->dirs[i]);
			return EXIT_DATA;
		}
		nin += cc_ssda903_files_count(out->files[i]);
	}
	out->in = calloc(nin ? nin : 1, sizeof *out->in);
	if (!out->in)
		goto oom;
	size_t k = 0;
	for (size_t i = 0; i < a->ndirs; i++) {
		const cc_ssda903_input *fi = cc_ssda903_files_inputs(out->files[i]);
		char buf[256];
		if (a->ndirs > 1 &&
		    !(out->la_of_dir[i] = strdup(base_name(a->dirs[i], buf, sizeof buf))))
			goto oom;
		for (size_t j = 0; j < cc_ssda903_files_count(out->files[i]); j++) {
			out->in[k] = fi[j];
			if (out->la_of_dir[i] && !out->in[k].la)
				out->in[k].la = out->la_of_dir[i];
			k++;
		}
	}
	for (size_t i = 0; i < a->nepisodes; i++)
		out->in[k++] = (cc_ssda903_input){ a->headers[i], a->episodes[i], 0, 0, NULL };
	out->nin = nin;

	cc_ssda903_opts ro = {
		.las = a->las, .nlas = a->nlas, .strict = a->strict, .year_label = a->label
	};
	cc_ssda903_quality q;
	int rc = cc_ssda903_read(out->in, nin, &ro, &out->ds, &q, d);
	cli_print_diags(d);
	print_quality(&q);
	if (rc == CC_OK)
		return EXIT_OK;
	if (rc == CC_ENOMEM)
		goto oom;
	if (rc == CC_EINVAL && a->nlas > 0)
		suggest_las(out->in, nin, &ro);
	if (rc == CC_EPARSE && a->strict)
		cli_error("--strict: %zu problem%s in the data; nothing written", q.errors,
		          q.errors == 1 ? "" : "s");
	else
		cli_error("the SSDA903 data cannot be used; nothing written");
	return EXIT_DATA;
oom:
	cli_error("out of memory");
	return EXIT_DATA;
}

void cli_ssda903_free(cli_ssda903_data *data)
{
	cc_ssda903_free(data->ds);
	free(data->in);
	for (size_t i = 0; i < data->ndirs; i++) {
		cc_ssda903_files_free(data->files[i]);
		free(data->la_of_dir[i]);
	}
	memset(data, 0, sizeof *data);
}
