/*
 * chart.c - drawing every chart of a run: the jobs and their files.
 *
 * A chart job writes two things next to the charts: a temporary data file in
 * the shape its gnuplot template reads (tab-separated, blocks separated by
 * blank lines) and the public <name>.csv, the data table a reader sees beside
 * the chart. The job's settings (ranges, tick labels, title, caption, flags)
 * become gnuplot variable assignments at the top of a temporary script that
 * then loads the template twice, once for SVG and once for PNG. Everything
 * about the look is in the templates (the .gp files in plots/); everything about the
 * numbers and what they say is here and in the chart_*.c files.
 *
 * Files: gnuplot writes to temporary names; the SVG is rewritten (svg.c) into
 * its final name through cc_outfile, the PNG is checked (signature, size) and
 * renamed, the CSV and alt text are committed last. Temporary files are
 * removed whatever happens.
 */
#include "chart_int.h"

#include "carecast/fileio.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cc_chart_options_default(cc_chart_options *o)
{
	memset(o, 0, sizeof *o);
	o->gnuplot = "gnuplot";
	o->templates = "plots";
	o->out_dir = NULL;
	o->timeout_ms = CC_CHART_TIMEOUT_MS;
}

/* ---- the list of charts ------------------------------------------------- */

size_t cc_charts_count(const cc_charts *c) { return c ? c->n : 0; }
const cc_chart_info *cc_charts_get(const cc_charts *c, size_t i) { return &c->v[i]; }
size_t cc_charts_notes(const cc_charts *c) { return c ? c->n_notes : 0; }
const char *cc_charts_note(const cc_charts *c, size_t i) { return c->notes[i]; }
const char *cc_charts_dir(const cc_charts *c) { return c->dir; }
const char *cc_charts_gnuplot_version(const cc_charts *c)
{
	return c->gnuplot_version ? c->gnuplot_version : "";
}

static void info_free(cc_chart_info *i)
{
	free(i->name);
	free(i->heading);
	free(i->title);
	free(i->caption);
	free(i->alt);
	free(i->svg);
	free(i->png);
	free(i->csv);
	free(i->txt);
}

void cc_charts_free(cc_charts *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		info_free(&c->v[i]);
	free(c->v);
	for (size_t i = 0; i < c->n_notes; i++)
		free(c->notes[i]);
	free(c->notes);
	free(c->dir);
	free(c->gnuplot_version);
	free(c);
}

void chart_note(chart_ctx *c, const char *fmt, ...)
{
	struct cc_charts *l = c->list;
	if (l->n_notes == l->cap_notes) {
		size_t cap = l->cap_notes ? 2 * l->cap_notes : 8;
		char **v = realloc(l->notes, cap * sizeof *v);
		if (!v)
			return;
		l->notes = v;
		l->cap_notes = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	char buf[512];
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	char *s = strdup(buf);
	if (s)
		l->notes[l->n_notes++] = s;
}

/* ---- small file helpers ---------------------------------------------------- */

void csv_text(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void csv_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.10g", v == 0 ? 0.0 : v);
}

/* A new empty temporary file in dir named after stem and ext; the name is
 * returned (caller frees) and, when fp is not NULL, the file open for writing. */
static char *temp_file(const char *dir, const char *stem, const char *ext, FILE **fp, cc_diags *d)
{
	sbuf b;
	sb_init(&b);
	sb_printf(&b, ".%s.%s.XXXXXX", stem, ext);
	char *name = sb_take(&b);
	char *path = name ? cc_path_join(dir, name) : NULL;
	free(name);
	if (!path)
		return NULL;
	int fd = mkstemp(path);
	if (fd < 0) {
		cc_diags_add(d, CC_DIAG_ERROR, dir, 0, 0, "cannot create a temporary file: %s",
		             strerror(errno));
		free(path);
		return NULL;
	}
	cc_temp_register(path); /* removed if carecast is interrupted */
	/* mkstemp makes 0600 files; the PNG is renamed into place as it is. */
	mode_t um = umask(0);
	umask(um);
	(void)fchmod(fd, 0666 & ~um);
	if (fp) {
		*fp = fdopen(fd, "w");
		if (!*fp) {
			cc_diags_add(d, CC_DIAG_ERROR, dir, 0, 0,
			             "cannot create a temporary file: %s", strerror(errno));
			close(fd);
			unlink(path);
			cc_temp_forget(path);
			free(path);
			return NULL;
		}
	} else {
		close(fd);
	}
	return path;
}

static void unlink_free(char **path)
{
	if (*path) {
		unlink(*path);
		cc_temp_forget(*path);
		free(*path);
		*path = NULL;
	}
}

/* ---- axes shared by the monthly charts -------------------------------------- */

double month_x(const chart_summary *S, cc_date d)
{
	int by, bm, bd, y, m, dd;
	cc_date_to_ymd(S->base_date, &by, &bm, &bd);
	cc_date_to_ymd(d, &y, &m, &dd);
	double dim = cc_date_days_in_month(y, m);
	return (double)((y - by) * 12 + (m - bm)) + ((double)dd - dim) / dim;
}

void job_fy_axis(chart_job *j, double x0, double x1)
{
	chart_summary *S = j->ctx->S;
	int y0, y1, mm, dd;
	cc_date first =
	    S->n_hist > 0 && S->hist_date[0] < S->base_date ? S->hist_date[0] : S->base_date;
	cc_date_to_ymd(first, &y0, &mm, &dd);
	cc_date_to_ymd(S->dates[S->T - 1], &y1, &mm, &dd);
	sbuf grid, pos, lab;
	sb_init(&grid);
	sb_init(&pos);
	sb_init(&lab);
	double xs[256];
	int years[256];
	size_t n = 0;
	for (int y = y0; y <= y1 + 1 && n < 256; y++) {
		cc_date march;
		if (cc_date_from_ymd(y, 3, 31, &march) != CC_OK)
			continue;
		double x = month_x(S, march);
		if (x >= x0 - 1e-9 && x <= x1 + 1e-9)
			sb_printf(&grid, "%s%.10g", grid.len ? " " : "", x);
		/* The year ending on this 31 March, labelled at the middle of
		 * the part shown when at least four months of it are, and never
		 * so near an end that the label would be cut. */
		double a = fmax(x - 12, x0), b = fmin(x, x1), margin = 0.055 * (x1 - x0);
		if (b - a >= 4) {
			double mid = (a + b) / 2;
			xs[n] = fmin(fmax(mid, x0 + margin), x1 - margin);
			years[n++] = y - 1;
		}
	}
	/* About 72 pixels per label ("2025-26" and a gap) over a plot about 540
	 * pixels wide: at most 7 labels; keep the last year labelled. */
	size_t k = (n + 6) / 7;
	if (k == 0)
		k = 1;
	for (size_t i = 0; i < n; i++) {
		if ((n - 1 - i) % k != 0)
			continue;
		char fy[CC_FY_STRLEN];
		cc_date_fy_label(years[i], fy);
		sb_printf(&pos, "%s%.10g", pos.len ? " " : "", xs[i]);
		sb_printf(&lab, "%s%s", lab.len ? " " : "", fy);
	}
	sb_printf(&j->vars, "xmin = %.10g\nxmax = %.10g\nxgrid = ", x0, x1);
	sb_gp_quote(&j->vars, sb_str(&grid));
	sb_add(&j->vars, "\nxtic_pos = ");
	sb_gp_quote(&j->vars, sb_str(&pos));
	sb_add(&j->vars, "\nxtic_lab = ");
	sb_gp_quote(&j->vars, sb_str(&lab));
	sb_addc(&j->vars, '\n');
	if (grid.oom || pos.oom || lab.oom)
		j->vars.oom = 1;
	sb_free(&grid);
	sb_free(&pos);
	sb_free(&lab);
}

/* ---- jobs ------------------------------------------------------------------ */

/* A file stem made of letters, digits, '-' and '_' (names from the model may
 * hold '.' and '+'), unique among the charts written so far. */
static void safe_stem(chart_ctx *c, const char *want, char *out, size_t size)
{
	char base[80];
	size_t k = 0;
	for (const char *p = want; *p && k + 1 < sizeof base; p++) {
		char ch = *p;
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		         (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
		base[k++] = ok ? ch : '_';
	}
	base[k] = '\0';
	snprintf(out, size, "%s", base);
	for (int n = 2;; n++) {
		int clash = 0;
		for (size_t i = 0; i < c->list->n; i++)
			clash |= strcmp(c->list->v[i].name, out) == 0;
		if (!clash)
			return;
		snprintf(out, size, "%s-%d", base, n);
	}
}

int job_open(chart_ctx *c, chart_job *j, const char *stem, const char *tmpl, const char *heading)
{
	memset(j, 0, sizeof *j);
	j->ctx = c;
	safe_stem(c, stem, j->stem, sizeof j->stem);
	snprintf(j->tmpl, sizeof j->tmpl, "%s", tmpl);
	sb_init(&j->vars);
	j->heading = strdup(heading);
	char *csv_name = malloc(strlen(j->stem) + 5);
	if (!j->heading || !csv_name) {
		free(csv_name);
		job_abort(j);
		return CC_ENOMEM;
	}
	sprintf(csv_name, "%s.csv", j->stem);
	j->csv_path = cc_path_join(c->out_dir, csv_name);
	free(csv_name);
	if (!j->csv_path) {
		job_abort(j);
		return CC_ENOMEM;
	}
	j->dat_path = temp_file(c->out_dir, j->stem, "dat", &j->dat, c->d);
	if (!j->dat_path) {
		job_abort(j);
		return CC_EIO;
	}
	int rc = cc_outfile_open(j->csv_path, &j->csv_out, c->d);
	if (rc != CC_OK) {
		job_abort(j);
		return rc;
	}
	j->csv = cc_outfile_stream(j->csv_out);
	return CC_OK;
}

void job_num(chart_job *j, const char *var, double v)
{
	sb_printf(&j->vars, "%s = %.10g\n", var, isfinite(v) ? v : 0.0);
}

void job_str(chart_job *j, const char *var, const char *s)
{
	sb_printf(&j->vars, "%s = ", var);
	sb_gp_quote(&j->vars, s);
	sb_addc(&j->vars, '\n');
}

void job_texts(chart_job *j, const char *title, const char *measure, const char *period,
               const char *alt)
{
	chart_ctx *c = j->ctx;
	sbuf cap;
	sb_init(&cap);
	sb_printf(&cap, "%s. %s%s%s. %s.", measure, c->S->model_name,
	          c->S->model_name[0] ? ", " : "", period ? period : c->period, c->model_line);
	free(j->title);
	free(j->caption);
	free(j->alt);
	j->title = title ? strdup(title) : NULL; /* NULL: job_finish reports CC_ENOMEM */
	j->caption = sb_take(&cap);
	j->alt = strdup(alt);
	if (!j->title || !j->caption || !j->alt) {
		j->vars.oom = 1;
		return;
	}
	j->title_lines = gp_wrapped(&j->vars, "title_l", j->title, CHART_TITLE_WIDTH);
	j->caption_lines = gp_wrapped(&j->vars, "caption_l", j->caption, CHART_CAPTION_WIDTH);
}

void job_abort(chart_job *j)
{
	if (j->dat)
		fclose(j->dat);
	j->dat = NULL;
	unlink_free(&j->dat_path);
	cc_outfile_abort(j->csv_out);
	j->csv_out = NULL;
	free(j->csv_path);
	sb_free(&j->vars);
	free(j->heading);
	free(j->title);
	free(j->caption);
	free(j->alt);
	memset(j, 0, sizeof *j);
}

/* Checks a PNG's signature and that its IHDR gives the expected size. */
static int png_ok(const char *path, unsigned w, unsigned h)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	unsigned char b[24];
	size_t n = fread(b, 1, sizeof b, f);
	fclose(f);
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	if (n != sizeof b || memcmp(b, sig, 8) != 0 || memcmp(b + 12, "IHDR", 4) != 0)
		return 0;
	unsigned pw = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19];
	unsigned ph = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23];
	return pw == w && ph == h;
}

static char *file_in(const char *dir, const char *stem, const char *ext)
{
	sbuf b;
	sb_init(&b);
	sb_printf(&b, "%s.%s", stem, ext);
	char *name = sb_take(&b);
	char *p = name ? cc_path_join(dir, name) : NULL;
	free(name);
	return p;
}

/* Writes text to path atomically. */
static int write_text(const char *path, const char *text, size_t len, cc_diags *d)
{
	cc_outfile *f;
	int rc = cc_outfile_open(path, &f, d);
	if (rc != CC_OK)
		return rc;
	fwrite(text, 1, len, cc_outfile_stream(f));
	return cc_outfile_commit(f, d);
}

static int list_add(struct cc_charts *l, cc_chart_info *info)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		cc_chart_info *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return CC_ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *info;
	return CC_OK;
}

int job_finish(chart_job *j)
{
	chart_ctx *c = j->ctx;
	cc_diags *d = c->d;
	const cc_chart_options *o = c->o;
	int rc = CC_OK;
	char *svg_tmp = NULL, *png_tmp = NULL, *script = NULL, *output = NULL;
	char *svg_text = NULL;
	cc_chart_info info;
	memset(&info, 0, sizeof info);
	sbuf s, svg;
	sb_init(&s);
	sb_init(&svg);

	if (!j->title) {
		rc = CC_ENOMEM;
		goto cleanup;
	}
	int bad = ferror(j->dat);
	if (fclose(j->dat) != 0 || bad) {
		j->dat = NULL;
		cc_diags_add(d, CC_DIAG_ERROR, j->dat_path, 0, 0, "cannot write chart data");
		rc = CC_EIO;
		goto cleanup;
	}
	j->dat = NULL;
	svg_tmp = temp_file(c->out_dir, j->stem, "svg", NULL, d);
	png_tmp = svg_tmp ? temp_file(c->out_dir, j->stem, "png", NULL, d) : NULL;
	FILE *sf = NULL;
	script = png_tmp ? temp_file(c->out_dir, j->stem, "gp", &sf, d) : NULL;
	if (!script) {
		rc = CC_EIO;
		goto cleanup;
	}

	/* The script: settings, then the template once per format. */
	sb_add(&s, "# carecast chart script (temporary; removed after use)\n");
	sb_printf(&s,
	          "W = %d\nH = %d\npng_w = %d\npng_h = %d\npng_scale = %.10g\n"
	          "font_size = %d\n",
	          CC_CHART_SVG_WIDTH, CC_CHART_SVG_HEIGHT, CC_CHART_PNG_WIDTH, CC_CHART_PNG_HEIGHT,
	          (double)CC_CHART_PNG_WIDTH / CC_CHART_SVG_WIDTH, CC_CHART_FONT_PX);
	sb_printf(&s, "expected = %d\n", c->S->expected);
	sb_add(&s, "tdir = ");
	sb_gp_quote(&s, o->templates);
	sb_add(&s, "\ndat = ");
	sb_gp_quote(&s, j->dat_path);
	sb_addc(&s, '\n');
	sb_add(&s, sb_str(&j->vars));
	if (j->vars.oom)
		s.oom = 1;
	sb_add(&s, "fmt = 'svg'\nout = ");
	sb_gp_quote(&s, svg_tmp);
	sb_printf(&s, "\nload tdir.'/%s.gp'\nunset multiplot\nreset\nfmt = 'png'\nout = ", j->tmpl);
	sb_gp_quote(&s, png_tmp);
	sb_printf(&s, "\nload tdir.'/%s.gp'\nunset multiplot\nunset output\n", j->tmpl);
	if (s.oom) {
		fclose(sf);
		rc = CC_ENOMEM;
		goto cleanup;
	}
	fputs(sb_str(&s), sf);
	bad = ferror(sf);
	if (fclose(sf) != 0 || bad) {
		cc_diags_add(d, CC_DIAG_ERROR, script, 0, 0, "cannot write the chart script");
		rc = CC_EIO;
		goto cleanup;
	}

	char *argv[] = { (char *)o->gnuplot, script, NULL };
	int status;
	rc = gp_run(argv, o->timeout_ms ? o->timeout_ms : CC_CHART_TIMEOUT_MS, &output, &status, d);
	char said[600];
	gp_excerpt(output, said, sizeof said);
	if (rc != CC_OK) {
		if (status > 0)
			cc_diags_add(
			    d, CC_DIAG_ERROR, NULL, 0, 0,
			    "chart %s: gnuplot failed (status %d) with template %s/%s.gp: %s",
			    j->stem, status, o->templates, j->tmpl,
			    said[0] ? said : "(no message)");
		goto cleanup;
	}
	if (said[0])
		cc_diags_add(d, CC_DIAG_WARNING, NULL, 0, 0, "chart %s: gnuplot: %s", j->stem,
		             said);

	size_t svg_len;
	rc = cc_file_read(svg_tmp, CC_FILE_MAX_BYTES, &svg_text, &svg_len, d);
	if (rc != CC_OK)
		goto cleanup;
	rc = svg_rewrite(svg_text, svg_len, j->stem, j->title, j->alt, &svg);
	if (rc != CC_OK || svg_len == 0) {
		cc_diags_add(d, CC_DIAG_ERROR, NULL, 0, 0,
		             "chart %s: gnuplot did not write a usable SVG", j->stem);
		rc = rc == CC_ENOMEM ? rc : CC_EIO;
		goto cleanup;
	}
	if (!png_ok(png_tmp, CC_CHART_PNG_WIDTH, CC_CHART_PNG_HEIGHT)) {
		cc_diags_add(d, CC_DIAG_ERROR, NULL, 0, 0,
		             "chart %s: gnuplot did not write a %dx%d PNG", j->stem,
		             CC_CHART_PNG_WIDTH, CC_CHART_PNG_HEIGHT);
		rc = CC_EIO;
		goto cleanup;
	}

	info.name = strdup(j->stem);
	info.heading = strdup(j->heading);
	info.title = strdup(j->title);
	info.caption = strdup(j->caption);
	info.alt = strdup(j->alt);
	info.svg = file_in(c->out_dir, j->stem, "svg");
	info.png = file_in(c->out_dir, j->stem, "png");
	info.txt = file_in(c->out_dir, j->stem, "txt");
	info.csv = strdup(j->csv_path);
	if (!info.name || !info.heading || !info.title || !info.caption || !info.alt || !info.svg ||
	    !info.png || !info.txt || !info.csv) {
		rc = CC_ENOMEM;
		goto cleanup;
	}
	rc = write_text(info.svg, sb_str(&svg), svg.len, d);
	if (rc != CC_OK)
		goto cleanup;
	if (rename(png_tmp, info.png) != 0) {
		cc_diags_add(d, CC_DIAG_ERROR, info.png, 0, 0, "cannot write output file: %s",
		             strerror(errno));
		rc = CC_EIO;
		goto cleanup;
	}
	free(png_tmp);
	png_tmp = NULL;
	rc = cc_outfile_commit(j->csv_out, d);
	j->csv_out = NULL;
	if (rc != CC_OK)
		goto cleanup;
	sbuf alt;
	sb_init(&alt);
	sb_add(&alt, j->alt);
	sb_addc(&alt, '\n');
	rc = alt.oom ? CC_ENOMEM : write_text(info.txt, sb_str(&alt), alt.len, d);
	sb_free(&alt);
	if (rc != CC_OK)
		goto cleanup;
	rc = list_add(c->list, &info);
	if (rc == CC_OK)
		memset(&info, 0, sizeof info);
cleanup:
	info_free(&info);
	unlink_free(&svg_tmp);
	unlink_free(&png_tmp);
	if (o->keep_temporary) {
		free(script);
		script = NULL;
		free(j->dat_path);
		j->dat_path = NULL;
	}
	unlink_free(&script);
	free(output);
	free(svg_text);
	sb_free(&s);
	sb_free(&svg);
	job_abort(j);
	if (rc != CC_OK)
		c->failed = 1;
	return rc;
}

/* ---- gnuplot check and the whole set ------------------------------------------ */

int cc_chart_check_gnuplot(const cc_chart_options *opt, char **version, cc_diags *diags)
{
	cc_chart_options def;
	if (!opt) {
		cc_chart_options_default(&def);
		opt = &def;
	}
	if (version)
		*version = NULL;
	static const char probe[] =
	    "print sprintf('carecast-gnuplot %.1f patchlevel %s', GPVAL_VERSION, "
	    "GPVAL_PATCHLEVEL); "
	    "if (strstrt(GPVAL_TERMINALS, 'pngcairo') == 0 || strstrt(GPVAL_TERMINALS, 'svg') == "
	    "0) { exit status 3 }";
	char *argv[] = { (char *)(opt->gnuplot ? opt->gnuplot : "gnuplot"), (char *)"-e",
		         (char *)probe, NULL };
	char *output = NULL;
	int status;
	int rc = gp_run(argv, opt->timeout_ms ? opt->timeout_ms : CC_CHART_TIMEOUT_MS, &output,
	                &status, diags);
	const char *v = output ? strstr(output, "carecast-gnuplot ") : NULL;
	if (rc == CC_OK && !v) {
		cc_diags_add(diags, CC_DIAG_ERROR, NULL, 0, 0,
		             "'%s' does not behave like gnuplot 5 (no version reported)", argv[0]);
		rc = CC_EIO;
	} else if (rc != CC_OK && status == 3) {
		cc_diags_add(diags, CC_DIAG_ERROR, NULL, 0, 0,
		             "gnuplot '%s' lacks the svg or pngcairo terminal; install gnuplot "
		             "with cairo (Debian: gnuplot-nox)",
		             argv[0]);
	} else if (rc != CC_OK && status > 0) {
		char said[400];
		gp_excerpt(output, said, sizeof said);
		cc_diags_add(diags, CC_DIAG_ERROR, NULL, 0, 0,
		             "'%s' is not a usable gnuplot 5 (status %d%s%s)", argv[0], status,
		             said[0] ? ": " : "", said);
	}
	if (rc == CC_OK && version) {
		v += strlen("carecast-gnuplot ");
		size_t n = strcspn(v, "\r\n");
		*version = malloc(n + 1);
		if (*version) {
			memcpy(*version, v, n);
			(*version)[n] = '\0';
		}
	}
	free(output);
	return rc;
}

/* The model file named in the summary, without its directories. */
static const char *model_file(const chart_summary *S)
{
	for (const cJSON *i = S->inputs ? S->inputs->child : NULL; i; i = i->next) {
		const cJSON *role = cJSON_GetObjectItemCaseSensitive(i, "role");
		const cJSON *file = cJSON_GetObjectItemCaseSensitive(i, "file");
		if (cJSON_IsString(role) && strcmp(role->valuestring, "model") == 0 &&
		    cJSON_IsString(file)) {
			const char *slash = strrchr(file->valuestring, '/');
			return slash ? slash + 1 : file->valuestring;
		}
	}
	return NULL;
}

static int make_lines(chart_ctx *c)
{
	chart_summary *S = c->S;
	sbuf b;
	sb_init(&b);
	const char *mf = model_file(S);
	sb_printf(&b, "carecast %s ", S->version[0] ? S->version : "");
	if (S->expected) {
		sb_add(&b, "expected-value projection");
		if (mf)
			sb_printf(&b, " of %s", mf);
		sb_add(&b, " (means; no random numbers)");
	} else {
		char reps[32];
		fmt_count(S->replications, reps, sizeof reps);
		sb_add(&b, "stochastic cohort model");
		if (mf)
			sb_printf(&b, " (%s)", mf);
		sb_printf(&b, ", %s replications, seed %.0f", reps, S->seed);
	}
	c->model_line = sb_take(&b);
	char from[40], to[40];
	fmt_month_year(S->base_date + 1, from, sizeof from);
	fmt_month_year(S->dates[S->T - 1], to, sizeof to);
	sb_printf(&b, "%s to %s", from, to);
	c->period = sb_take(&b);
	return c->model_line && c->period ? CC_OK : CC_ENOMEM;
}

static int template_readable(const char *dir, const char *name, cc_diags *d)
{
	char *p = file_in(dir, name, "gp");
	if (!p)
		return CC_ENOMEM;
	int rc = CC_OK;
	struct stat st;
	errno = 0;
	if (stat(p, &st) != 0 || !S_ISREG(st.st_mode) || access(p, R_OK) != 0) {
		cc_diags_add(d, CC_DIAG_ERROR, p, 0, 0,
		             "cannot read the chart template (%s); give the templates' "
		             "directory with --templates DIR",
		             errno ? strerror(errno) : "not a regular file");
		rc = CC_EIO;
	}
	free(p);
	return rc;
}

int cc_chart_render(const char *run_dir, const cc_chart_options *opt, cc_charts **out,
                    cc_diags *diags)
{
	*out = NULL;
	cc_chart_options o;
	cc_chart_options_default(&o);
	if (opt) {
		o = *opt;
		if (!o.gnuplot)
			o.gnuplot = "gnuplot";
		if (!o.templates)
			o.templates = "plots";
		if (!o.timeout_ms)
			o.timeout_ms = CC_CHART_TIMEOUT_MS;
	}
	chart_summary S;
	struct cc_charts *list = calloc(1, sizeof *list);
	char *summary = cc_path_join(run_dir, "summary.json");
	char *dir = o.out_dir ? strdup(o.out_dir) : cc_path_join(run_dir, "charts");
	chart_ctx c;
	memset(&c, 0, sizeof c);
	memset(&S, 0, sizeof S);
	int rc = CC_OK;
	if (!list || !summary || !dir) {
		rc = CC_ENOMEM;
		goto cleanup;
	}
	list->dir = dir;
	dir = NULL;
	rc = cs_load(summary, &S, diags);
	if (rc != CC_OK)
		goto cleanup;
	static const char *const templates[] = { "common", "cla",       "mix",        "sufficiency",
		                                 "spend",  "scenarios", "difference", "flows" };
	for (size_t i = 0; i < sizeof templates / sizeof templates[0]; i++)
		if ((rc = template_readable(o.templates, templates[i], diags)) != CC_OK)
			goto cleanup;
	rc = cc_chart_check_gnuplot(&o, &list->gnuplot_version, diags);
	if (rc != CC_OK)
		goto cleanup;
	rc = cc_mkdir_p(list->dir, diags);
	if (rc != CC_OK)
		goto cleanup;
	c.S = &S;
	c.o = &o;
	c.out_dir = list->dir;
	c.d = diags;
	c.list = list;
	rc = make_lines(&c);
	if (rc != CC_OK)
		goto cleanup;
	int (*const families[])(chart_ctx *) = { chart_cla,   chart_mix,       chart_sufficiency,
		                                 chart_spend, chart_scenarios, chart_flows };
	for (size_t i = 0; i < sizeof families / sizeof families[0] && rc == CC_OK; i++)
		rc = families[i](&c);
cleanup:
	free(c.model_line);
	free(c.period);
	cs_free(&S);
	free(summary);
	free(dir);
	if (rc != CC_OK) {
		cc_charts_free(list);
		return rc;
	}
	*out = list;
	return CC_OK;
}
