/*
 * test_chart.c - charts and the HTML report: every chart renders from a small
 * run, its files exist and are well formed (SVG parses as XML and carries its
 * own title and description, PNG has the stated size), titles are short and
 * alt text holds the headline numbers; scenarios from a hand-made summary
 * (tests/data/chart_scenarios.json), split over charts when there are more
 * than fit; every failure path (no gnuplot, a program that is not gnuplot,
 * one that hangs, a broken template, a missing or malformed summary) gives a
 * clear error and leaves no temporary files. Also the helpers: number
 * formats, axes, quoting, wrapping, SVG rewriting, label spacing.
 *
 * Needs gnuplot with the svg and pngcairo terminals on the PATH (the build
 * installs gnuplot-nox) and runs from the repository root (templates in
 * plots/). Each test works in its own mkdtemp directory.
 */
#include "carecast/chart.h"
#include "carecast/csv.h"
#include "carecast/error.h"
#include "carecast/fileio.h"
#include "carecast/htmlreport.h"
#include "carecast/model.h"
#include "carecast/report.h"
#include "carecast/results.h"
#include "carecast/sim.h"
#include "cc_test.h"
#include "chart/chart_int.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- helpers ------------------------------------------------------------- */

static char *make_tmpdir(void)
{
	char *d = strdup("/tmp/cc_test_chart.XXXXXX");
	assert_non_null(d);
	assert_non_null(mkdtemp(d));
	return d;
}

static char *join(const char *a, const char *b)
{
	char *p = cc_path_join(a, b);
	assert_non_null(p);
	return p;
}

static char *read_all(const char *path, size_t *len)
{
	cc_diags *d = cc_diags_alloc(0);
	char *data = NULL;
	size_t n = 0;
	if (cc_file_read(path, CC_FILE_MAX_BYTES, &data, &n, d) != CC_OK)
		fail_msg("cannot read %s", path);
	cc_diags_free(d);
	if (len)
		*len = n;
	return data;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void copy_file(const char *from, const char *to)
{
	char *t = read_all(from, NULL);
	write_file(to, t);
	free(t);
}

static int contains(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

#define assert_contains(hay, needle)                                                           \
	do {                                                                                   \
		if (!contains((hay), (needle)))                                                \
			fail_msg("expected to find \"%s\" in \"%.300s...\"", (needle), (hay)); \
	} while (0)

/* Some diagnostic's message contains `text`. */
static void assert_diag(const cc_diags *d, const char *text)
{
	for (size_t i = 0; i < cc_diags_count(d); i++)
		if (contains(cc_diags_get(d, i)->message, text))
			return;
	for (size_t i = 0; i < cc_diags_count(d); i++)
		fprintf(stderr, "  diag: %s\n", cc_diags_get(d, i)->message);
	fail_msg("no diagnostic contains \"%s\"", text);
}

/* Names in dir starting with '.' (temporary files). */
static size_t hidden_files(const char *dir)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return 0;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(dp)) != NULL)
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 &&
		    strcmp(e->d_name, "..") != 0)
			n++;
	closedir(dp);
	return n;
}

/* A minimal XML well-formedness check: one root element, properly nested
 * and closed tags, quoted attributes, only the predefined and numeric
 * entities, no '<' in text or attribute values. Enough to catch what a
 * broken SVG or HTML writer would produce. Returns NULL or a message. */
static const char *xml_check(const char *s)
{
	enum { MAXD = 256 };
	const char *stack[MAXD];
	size_t len[MAXD], depth = 0, roots = 0;
	const char *p = s;
	while (*p) {
		if (*p == '&') {
			const char *semi = strchr(p, ';');
			if (!semi || semi - p > 10)
				return "bad entity";
			size_t n = (size_t)(semi - p - 1);
			const char *e = p + 1;
			int ok = (n == 3 && !strncmp(e, "amp", 3)) ||
			         (n == 2 && !strncmp(e, "lt", 2)) ||
			         (n == 2 && !strncmp(e, "gt", 2)) ||
			         (n == 4 && !strncmp(e, "quot", 4)) ||
			         (n == 4 && !strncmp(e, "apos", 4)) || (n >= 2 && e[0] == '#');
			if (!ok)
				return "unknown entity";
			p = semi + 1;
			continue;
		}
		if (*p != '<') {
			if (depth == 0 && *p != ' ' && *p != '\n' && *p != '\t' && *p != '\r')
				return "text outside the root element";
			p++;
			continue;
		}
		if (!strncmp(p, "<?", 2)) {
			p = strstr(p, "?>");
			if (!p)
				return "unclosed <?";
			p += 2;
		} else if (!strncmp(p, "<!--", 4)) {
			p = strstr(p, "-->");
			if (!p)
				return "unclosed comment";
			p += 3;
		} else if (!strncmp(p, "<!DOCTYPE", 9) || !strncmp(p, "<!doctype", 9)) {
			p = strchr(p, '>');
			if (!p)
				return "unclosed doctype";
			p++;
		} else if (p[1] == '/') {
			const char *n = p + 2;
			size_t k = strcspn(n, " \t\n>");
			if (depth == 0 || k != len[depth - 1] || strncmp(n, stack[depth - 1], k))
				return "mismatched end tag";
			depth--;
			p = strchr(n, '>');
			if (!p)
				return "unclosed end tag";
			p++;
		} else {
			const char *n = p + 1;
			size_t k = strcspn(n, " \t\n/>");
			if (k == 0)
				return "empty tag name";
			const char *q = n + k;
			int self = 0;
			for (;;) {
				while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
					q++;
				if (*q == '>')
					break;
				if (q[0] == '/' && q[1] == '>') {
					self = 1;
					q++;
					break;
				}
				size_t an = strcspn(q, "= \t\n>");
				const char *eq = q + an;
				while (*eq == ' ' || *eq == '\t' || *eq == '\n')
					eq++;
				if (an == 0 || *eq != '=')
					return "attribute without a value";
				q = eq + 1;
				while (*q == ' ' || *q == '\t' || *q == '\n')
					q++;
				char quote = *q;
				if (quote != '"' && quote != '\'')
					return "unquoted attribute";
				const char *close = strchr(q + 1, quote);
				if (!close)
					return "unclosed attribute";
				if (memchr(q + 1, '<', (size_t)(close - q - 1)))
					return "'<' in an attribute";
				q = close + 1;
			}
			if (depth == 0)
				roots++;
			if (!self) {
				if (depth == MAXD)
					return "too deep";
				stack[depth] = n;
				len[depth++] = k;
			}
			p = q + 1;
		}
	}
	if (depth != 0)
		return "unclosed element";
	if (roots != 1)
		return "not exactly one root element";
	return NULL;
}

static void assert_xml(const char *path)
{
	char *t = read_all(path, NULL);
	const char *why = xml_check(t);
	if (why)
		fail_msg("%s is not well-formed XML: %s", path, why);
	free(t);
}

/* The PNG's size from its IHDR chunk. */
static void png_size(const char *path, unsigned *w, unsigned *h)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	unsigned char b[24];
	assert_int_equal(fread(b, 1, sizeof b, f), sizeof b);
	fclose(f);
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	assert_memory_equal(b, sig, 8);
	assert_memory_equal(b + 12, "IHDR", 4);
	*w = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19];
	*h = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23];
}

static long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Simulates tests/data/capacity.json (or its expected values) into dir. */
static void make_run(const char *dir, int expected)
{
	cc_model *m = cc_test_model_file("tests/data/capacity.json");
	cc_results *res = NULL;
	size_t reps = cc_test_small() ? 20 : 60;
	if (expected) {
		assert_int_equal(cc_expected_run(m, 60, &res), CC_OK);
	} else {
		cc_sim_options o;
		cc_sim_options_default(&o);
		o.months = 60;
		o.replications = reps;
		o.seed = 3;
		o.threads = 1;
		assert_int_equal(cc_sim_run(m, &o, &res), CC_OK);
	}
	cc_input_ref in[] = { { "model", "tests/data/capacity.json", m->sha256 } };
	cc_run_info info = { .seed = 3,
		             .replications = expected ? 0 : reps,
		             .parameter_uncertainty = !expected,
		             .n_inputs = 1,
		             .inputs = in };
	cc_diags *d = cc_diags_alloc(0);
	assert_int_equal(cc_report_write(dir, m, res, &info, d), CC_OK);
	cc_diags_free(d);
	cc_results_free(res);
	cc_model_free(m);
}

static int render(const char *dir, const cc_chart_options *o, cc_charts **out, cc_diags *d)
{
	cc_chart_options def;
	cc_chart_options_default(&def);
	return cc_chart_render(dir, o ? o : &def, out, d);
}

static const cc_chart_info *find_chart(const cc_charts *c, const char *name)
{
	for (size_t i = 0; i < cc_charts_count(c); i++)
		if (strcmp(cc_charts_get(c, i)->name, name) == 0)
			return cc_charts_get(c, i);
	return NULL;
}

/* ---- group state: one capacity run and the scenario fixture, drawn once ---- */

typedef struct {
	char *cap_dir, *fx_dir;
	cc_charts *cap, *fx;
} group;

static int group_setup(void **state)
{
	group *g = calloc(1, sizeof *g);
	if (!g)
		return -1;
	g->cap_dir = make_tmpdir();
	make_run(g->cap_dir, 0);
	g->fx_dir = make_tmpdir();
	char *s = join(g->fx_dir, "summary.json");
	copy_file("tests/data/chart_scenarios.json", s);
	free(s);
	cc_diags *d = cc_diags_alloc(0);
	int rc = render(g->cap_dir, NULL, &g->cap, d);
	if (rc == CC_OK)
		rc = render(g->fx_dir, NULL, &g->fx, d);
	for (size_t i = 0; i < cc_diags_count(d); i++) {
		char *m = cc_diag_format(cc_diags_get(d, i));
		fprintf(stderr, "%s\n", m);
		free(m);
	}
	cc_diags_free(d);
	*state = g;
	return rc == CC_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
	group *g = *state;
	cc_charts_free(g->cap);
	cc_charts_free(g->fx);
	cc_test_remove_tree(g->cap_dir);
	cc_test_remove_tree(g->fx_dir);
	free(g->cap_dir);
	free(g->fx_dir);
	free(g);
	return 0;
}

/* ---- rendering ------------------------------------------------------------ */

static void test_cc_chart_render_writes_every_chart(void **state)
{
	group *g = *state;
	static const char *const want[] = { "cla",
		                            "placement-mix",
		                            "sufficiency-fostering",
		                            "sufficiency-residential",
		                            "sufficiency-supported",
		                            "spend",
		                            "entries-exits" };
	assert_int_equal(cc_charts_count(g->cap), sizeof want / sizeof want[0]);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const cc_chart_info *c = find_chart(g->cap, want[i]);
		if (!c)
			fail_msg("chart %s missing", want[i]);
		const char *files[] = { c->svg, c->png, c->csv, c->txt };
		for (int k = 0; k < 4; k++)
			if (file_size(files[k]) <= 0)
				fail_msg("%s missing or empty", files[k]);
	}
	/* The baseline-only run skips the scenario charts with a note. */
	assert_int_equal(cc_charts_notes(g->cap), 1);
	assert_contains(cc_charts_note(g->cap, 0), "only the baseline");
	assert_contains(cc_charts_gnuplot_version(g->cap), "patchlevel");
	char *dir = join(g->cap_dir, "charts");
	assert_string_equal(cc_charts_dir(g->cap), dir);
	assert_int_equal(hidden_files(dir), 0);
	free(dir);
}

static void check_svgs(const cc_charts *charts)
{
	for (size_t i = 0; i < cc_charts_count(charts); i++) {
		const cc_chart_info *c = cc_charts_get(charts, i);
		assert_xml(c->svg);
		char *t = read_all(c->svg, NULL);
		sbuf want;
		sb_init(&want);
		sb_printf(&want, "<title id=\"%s-title\">", c->name);
		sb_xml(&want, c->title);
		sb_add(&want, "</title>");
		assert_contains(t, sb_str(&want));
		want.len = 0;
		sb_printf(&want, "<desc id=\"%s-desc\">", c->name);
		sb_xml(&want, c->alt);
		sb_add(&want, "</desc>");
		assert_contains(t, sb_str(&want));
		want.len = 0;
		sb_printf(&want, "role=\"img\" aria-labelledby=\"%s-title %s-desc\"", c->name,
		          c->name);
		assert_contains(t, sb_str(&want));
		sb_free(&want);
		assert_false(contains(t, "Produced by GNUPLOT"));
		assert_false(contains(t, "<title>Gnuplot</title>"));
		assert_false(contains(t, "<title>gnuplot_plot"));
		assert_false(contains(t, "id='gpPt0'"));
		free(t);
	}
}

static void test_cc_chart_svg_parses_with_own_title_and_desc(void **state)
{
	group *g = *state;
	check_svgs(g->cap);
	check_svgs(g->fx);
}

static void test_cc_chart_png_has_stated_size(void **state)
{
	group *g = *state;
	for (size_t i = 0; i < cc_charts_count(g->cap); i++) {
		unsigned w, h;
		png_size(cc_charts_get(g->cap, i)->png, &w, &h);
		assert_int_equal(w, CC_CHART_PNG_WIDTH);
		assert_int_equal(h, CC_CHART_PNG_HEIGHT);
	}
}

static void test_cc_chart_titles_captions_and_alt_files(void **state)
{
	group *g = *state;
	const cc_charts *sets[2] = { g->cap, g->fx };
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < cc_charts_count(sets[s]); i++) {
			const cc_chart_info *c = cc_charts_get(sets[s], i);
			if (count_words(c->title) > CC_CHART_TITLE_MAX_WORDS)
				fail_msg("title of %s has more than %d words: %s", c->name,
				         CC_CHART_TITLE_MAX_WORDS, c->title);
			assert_contains(c->caption, s ? "Fixture Borough" : "Tiny test authority");
			assert_contains(c->caption, s ? "seed 11" : "seed 3");
			assert_contains(c->caption, "April 2025");
			char *txt = read_all(c->txt, NULL);
			size_t n = strlen(c->alt);
			assert_int_equal(strlen(txt), n + 1);
			assert_memory_equal(txt, c->alt, n);
			assert_int_equal(txt[n], '\n');
			free(txt);
		}
}

/* The summary's statistic at a path, as the charts print it. */
static double summary_number(const char *dir, const char *fy_index_path, int fy, const char *stat)
{
	char *p = join(dir, "summary.json");
	char *t = read_all(p, NULL);
	cJSON *root = cJSON_Parse(t);
	assert_non_null(root);
	const cJSON *fys =
	    cs_at(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "scenarios"), 0), "financial_years");
	int n = cJSON_GetArraySize(fys);
	const cJSON *o = cs_at(cJSON_GetArrayItem(fys, fy < 0 ? n + fy : fy), fy_index_path);
	assert_non_null(o);
	const cJSON *v = cJSON_GetObjectItem(o, stat);
	assert_true(cJSON_IsNumber(v));
	double x = v->valuedouble;
	cJSON_Delete(root);
	free(t);
	free(p);
	return x;
}

static void test_cc_chart_alt_text_has_headline_numbers(void **state)
{
	group *g = *state;
	char buf[64];
	/* Children looked after at the last 31 March: median and 90% range. */
	const cc_chart_info *cla = find_chart(g->cap, "cla");
	const char *st[] = { "p50", "p5", "p95" };
	for (int k = 0; k < 3; k++) {
		fmt_count(summary_number(g->cap_dir, "cla_31_march", -1, st[k]), buf, sizeof buf);
		assert_contains(cla->alt, buf);
	}
	assert_contains(cla->alt, "31 March 2030");
	/* Spend in the first year and its budget. */
	const cc_chart_info *sp = find_chart(g->cap, "spend");
	double m = summary_number(g->cap_dir, "spend/total", 0, "p50");
	snprintf(buf, sizeof buf, "2025-26: £%.2fm", m / 1e6);
	assert_contains(sp->alt, buf);
	assert_contains(sp->alt, "budget of £3.00m");
	/* The fostering gap in each year. */
	const cc_chart_info *su = find_chart(g->cap, "sufficiency-fostering");
	for (int f = 0; f < 5; f++) {
		fmt_num(summary_number(g->cap_dir, "gap/fostering", f, "p50"), buf, sizeof buf);
		char fy[CC_FY_STRLEN], want[96];
		cc_date_fy_label(2025 + f, fy);
		snprintf(want, sizeof want, "%s %s", fy, buf);
		assert_contains(su->alt, want);
	}
	/* Entries in the last year. */
	const cc_chart_info *fl = find_chart(g->cap, "entries-exits");
	fmt_num(summary_number(g->cap_dir, "entries", -1, "p50"), buf, sizeof buf);
	char want[96];
	snprintf(want, sizeof want, "2029-30: %s entries", buf);
	assert_contains(fl->alt, want);
}

static void test_cc_chart_csv_tables(void **state)
{
	group *g = *state;
	for (size_t i = 0; i < cc_charts_count(g->cap); i++) {
		const cc_chart_info *c = cc_charts_get(g->cap, i);
		cc_diags *d = cc_diags_alloc(0);
		cc_csv *t = NULL;
		assert_int_equal(cc_csv_read(c->csv, NULL, &t, d), CC_OK);
		assert_int_equal(cc_diags_count(d), 0);
		assert_true(cc_csv_nrows(t) >= 1);
		assert_true(cc_csv_ncols(t) >= 2);
		cc_csv_free(t);
		cc_diags_free(d);
	}
	char *t = read_all(find_chart(g->cap, "cla")->csv, NULL);
	assert_true(strncmp(t, "date,observed,median,p5,p25,p75,p95\n2022-03-31,22,", 50) == 0);
	free(t);
	t = read_all(find_chart(g->cap, "spend")->csv, NULL);
	assert_contains(t, "2025-26,");
	assert_contains(t, ",3000000,");
	free(t);
}

static void test_cc_chart_expected_mode_draws_lines_without_bands(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	make_run(dir, 1);
	cc_diags *d = cc_diags_alloc(0);
	cc_charts *c = NULL;
	assert_int_equal(render(dir, NULL, &c, d), CC_OK);
	assert_int_equal(cc_charts_count(c), 7);
	const cc_chart_info *cla = find_chart(c, "cla");
	char *t = read_all(cla->csv, NULL);
	assert_true(strncmp(t, "date,observed,mean\n", 19) == 0);
	free(t);
	assert_contains(cla->alt, "expected (mean) forecast");
	assert_false(contains(cla->alt, "90%"));
	assert_contains(cla->caption, "expected-value projection");
	const cc_chart_info *sp = find_chart(c, "spend");
	assert_false(contains(sp->alt, "simulations overspend"));
	t = read_all(sp->csv, NULL);
	assert_false(contains(t, "p5"));
	free(t);
	check_svgs(c);
	cc_charts_free(c);
	cc_diags_free(d);
	cc_test_remove_tree(dir);
	free(dir);
}

static void test_cc_chart_scenarios_from_fixture(void **state)
{
	group *g = *state;
	const cc_chart_info *s = find_chart(g->fx, "scenarios");
	const cc_chart_info *df = find_chart(g->fx, "scenario-difference");
	assert_non_null(s);
	assert_non_null(df);
	assert_null(find_chart(g->fx, "scenarios-2"));
	assert_null(find_chart(g->fx, "sufficiency-fostering"));
	assert_int_equal(cc_charts_notes(g->fx), 1);
	assert_contains(cc_charts_note(g->fx, 0), "no capacity");
	cc_diags *d = cc_diags_alloc(0);
	cc_csv *t = NULL;
	assert_int_equal(cc_csv_read(s->csv, NULL, &t, d), CC_OK);
	assert_int_equal(cc_csv_ncols(t), 1 + 3 * 3); /* date; 3 series x median, p5, p95 */
	assert_int_equal(cc_csv_nrows(t), 24);
	assert_string_equal(cc_csv_header(t, 1), "baseline median");
	cc_csv_free(t);
	assert_int_equal(cc_csv_read(df->csv, NULL, &t, d), CC_OK);
	assert_int_not_equal(cc_csv_column(t, "financial_year"), CC_CSV_NOCOL);
	cc_csv_free(t);
	cc_diags_free(d);
	/* The edge-of-care scenario saves the most: in the title and alt text. */
	assert_contains(df->title, "Edge of care");
	assert_contains(df->alt, "Step-down <to> fostering & more");
	assert_contains(s->alt, "14 fewer than the baseline");
}

static void test_cc_chart_scenarios_split_over_charts(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char *t = read_all("tests/data/chart_scenarios.json", NULL);
	cJSON *root = cJSON_Parse(t);
	free(t);
	assert_non_null(root);
	cJSON *sc = cJSON_GetObjectItem(root, "scenarios");
	/* Five scenarios besides the baseline: 3 + 2 on the stock charts, 4 + 1
	 * on the difference charts. */
	for (int k = 0; k < 3; k++) {
		cJSON *copy = cJSON_Duplicate(cJSON_GetArrayItem(sc, 1 + k % 2), 1);
		char name[32];
		snprintf(name, sizeof name, "Copy %d", k + 1);
		cJSON_ReplaceItemInObject(copy, "name", cJSON_CreateString(name));
		cJSON_AddItemToArray(sc, copy);
	}
	char *text = cJSON_Print(root);
	char *p = join(dir, "summary.json");
	write_file(p, text);
	cJSON_free(text);
	cJSON_Delete(root);
	cc_diags *d = cc_diags_alloc(0);
	cc_charts *c = NULL;
	assert_int_equal(render(dir, NULL, &c, d), CC_OK);
	static const char *const names[] = { "scenarios", "scenarios-2", "scenario-difference",
		                             "scenario-difference-2" };
	static const size_t series[] = { 4, 3, 4, 1 };
	for (int k = 0; k < 4; k++) {
		const cc_chart_info *ch = find_chart(c, names[k]);
		if (!ch)
			fail_msg("chart %s missing", names[k]);
		cc_csv *tb = NULL;
		assert_int_equal(cc_csv_read(ch->csv, NULL, &tb, d), CC_OK);
		size_t cols = cc_csv_ncols(tb);
		/* Stock: date + 3 per series; difference: date + 3 per series +
		 * financial_year + 3 per series. */
		size_t want = k < 2 ? 1 + 3 * series[k] : 2 + 6 * series[k];
		assert_int_equal(cols, want);
		assert_true(series[k] <= CC_CHART_MAX_SERIES);
		cc_csv_free(tb);
	}
	assert_null(find_chart(c, "scenarios-3"));
	cc_charts_free(c);
	cc_diags_free(d);
	free(p);
	cc_test_remove_tree(dir);
	free(dir);
}

/* ---- failures ---------------------------------------------------------------- */

static void test_cc_chart_render_missing_gnuplot(void **state)
{
	group *g = *state;
	cc_chart_options o;
	cc_chart_options_default(&o);
	o.gnuplot = "/nonexistent/bin/gnuplot";
	char *out = make_tmpdir();
	char *sub = join(out, "charts");
	o.out_dir = sub;
	cc_diags *d = cc_diags_alloc(0);
	cc_charts *c = (cc_charts *)1;
	assert_int_equal(cc_chart_render(g->cap_dir, &o, &c, d), CC_EIO);
	assert_null(c);
	assert_diag(d, "gnuplot is needed to draw charts but '/nonexistent/bin/gnuplot' was not "
	               "found");
	assert_diag(d, "--gnuplot");
	struct stat st;
	assert_int_not_equal(stat(sub, &st), 0); /* nothing written */
	o.gnuplot = "cc-no-such-program-anywhere";
	assert_int_equal(cc_chart_check_gnuplot(&o, NULL, d), CC_EIO);
	assert_diag(d, "'cc-no-such-program-anywhere' was not found");
	cc_diags_free(d);
	free(sub);
	cc_test_remove_tree(out);
	free(out);
}

static void test_cc_chart_render_program_is_not_gnuplot(void **state)
{
	group *g = *state;
	cc_chart_options o;
	cc_chart_options_default(&o);
	o.gnuplot = "false";
	cc_diags *d = cc_diags_alloc(0);
	cc_charts *c = NULL;
	assert_int_equal(cc_chart_render(g->cap_dir, &o, &c, d), CC_EIO);
	assert_diag(d, "'false' is not a usable gnuplot 5 (status 1");
	o.gnuplot = "true";
	assert_int_equal(cc_chart_check_gnuplot(&o, NULL, d), CC_EIO);
	assert_diag(d, "does not behave like gnuplot");
	cc_diags_free(d);
}

static void test_cc_chart_render_gnuplot_timeout(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char *fake = join(dir, "slow-gnuplot");
	write_file(fake, "#!/bin/sh\nexec sleep 20\n");
	assert_int_equal(chmod(fake, 0755), 0);
	cc_chart_options o;
	cc_chart_options_default(&o);
	o.gnuplot = fake;
	o.timeout_ms = 300;
	cc_diags *d = cc_diags_alloc(0);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(cc_chart_check_gnuplot(&o, NULL, d), CC_EIO);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
	assert_true(s < 5);
	assert_diag(d, "did not finish within 0.3 s and was stopped");
	cc_diags_free(d);
	free(fake);
	cc_test_remove_tree(dir);
	free(dir);
}

static void test_cc_chart_render_missing_summary(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	cc_diags *d = cc_diags_alloc(0);
	cc_charts *c = NULL;
	assert_int_equal(render(dir, NULL, &c, d), CC_EIO);
	assert_null(c);
	assert_true(cc_diags_count(d) >= 1);
	assert_contains(cc_diags_get(d, 0)->file, "summary.json");
	assert_diag(d, "cannot open");
	cc_diags_free(d);
	cc_test_remove_tree(dir);
	free(dir);
}

static void test_cc_chart_render_malformed_summary(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char *p = join(dir, "summary.json");
	cc_diags *d = cc_diags_alloc(0);
	cc_charts *c = NULL;
	write_file(p, "{\"mode\": \"fast\", \"seed\": 1, \"replications\": 2}\n");
	assert_int_equal(render(dir, NULL, &c, d), CC_EPARSE);
	assert_diag(d, "expected \"stochastic\" or \"expected\" for \"mode\", found \"fast\"");
	assert_int_equal(cc_diags_get(d, 0)->line, 1);
	assert_int_equal(cc_diags_get(d, 0)->column, 10);
	cc_diags_free(d);
	d = cc_diags_alloc(0);
	write_file(p, "{\"mode\": \"stochastic\",\n \"seed\": ");
	assert_int_equal(render(dir, NULL, &c, d), CC_EPARSE);
	assert_int_equal(cc_diags_get(d, 0)->line, 2);
	cc_diags_free(d);
	/* A statistics array of the wrong length. */
	d = cc_diags_alloc(0);
	char *t = read_all("tests/data/chart_scenarios.json", NULL);
	char *at = strstr(t, "\"p95\": [");
	assert_non_null(at);
	at += strlen("\"p95\": [");
	char *comma = strchr(at, ',');
	memmove(at, comma + 1, strlen(comma + 1) + 1); /* drop one number */
	write_file(p, t);
	free(t);
	assert_int_equal(render(dir, NULL, &c, d), CC_EPARSE);
	assert_diag(d, "expected a list of 24 numbers (one per month) for \"p95\"");
	assert_true(cc_diags_get(d, 0)->line > 1);
	assert_null(c);
	cc_diags_free(d);
	free(p);
	cc_test_remove_tree(dir);
	free(dir);
}

static void test_cc_chart_render_missing_templates(void **state)
{
	group *g = *state;
	char *dir = make_tmpdir();
	cc_chart_options o;
	cc_chart_options_default(&o);
	o.templates = dir;
	cc_diags *d = cc_diags_alloc(0);
	cc_charts *c = NULL;
	assert_int_equal(cc_chart_render(g->cap_dir, &o, &c, d), CC_EIO);
	assert_diag(d, "cannot read the chart template");
	assert_contains(cc_diags_get(d, 0)->file, "common.gp");
	cc_diags_free(d);
	cc_test_remove_tree(dir);
	free(dir);
}

static void test_cc_chart_render_broken_template(void **state)
{
	group *g = *state;
	char *tdir = make_tmpdir();
	static const char *const files[] = { "common", "cla",       "mix",        "sufficiency",
		                             "spend",  "scenarios", "difference", "flows" };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char from[64], name[64];
		snprintf(from, sizeof from, "plots/%s.gp", files[i]);
		snprintf(name, sizeof name, "%s.gp", files[i]);
		char *to = join(tdir, name);
		copy_file(from, to);
		free(to);
	}
	char *cla = join(tdir, "cla.gp");
	write_file(cla, "load tdir.'/common.gp'\nplot no_such_function(x)\n");
	char *out = make_tmpdir();
	cc_chart_options o;
	cc_chart_options_default(&o);
	o.templates = tdir;
	o.out_dir = out;
	cc_diags *d = cc_diags_alloc(0);
	cc_charts *c = NULL;
	assert_int_equal(cc_chart_render(g->cap_dir, &o, &c, d), CC_EIO);
	assert_diag(d, "chart cla: gnuplot failed (status 1) with template");
	assert_diag(d, "no_such_function");
	assert_int_equal(hidden_files(out), 0);
	char *svg = join(out, "cla.svg");
	assert_int_equal(file_size(svg), -1);
	free(svg);
	cc_diags_free(d);
	free(cla);
	cc_test_remove_tree(tdir);
	cc_test_remove_tree(out);
	free(tdir);
	free(out);
}

/* ---- the HTML report ------------------------------------------------------------ */

static char *write_report(const char *dir, const cc_charts *c)
{
	cc_diags *d = cc_diags_alloc(0);
	int rc = cc_htmlreport_write(dir, c, NULL, d);
	for (size_t i = 0; i < cc_diags_count(d); i++)
		fprintf(stderr, "%s\n", cc_diags_get(d, i)->message);
	assert_int_equal(rc, CC_OK);
	cc_diags_free(d);
	char *p = join(dir, "report.html");
	assert_xml(p);
	char *t = read_all(p, NULL);
	free(p);
	return t;
}

static void test_cc_htmlreport_has_every_chart_and_table(void **state)
{
	group *g = *state;
	char *h = write_report(g->cap_dir, g->cap);
	assert_true(strncmp(h, "<!DOCTYPE html>\n<html lang=\"en-GB\">", 35) == 0);
	size_t tables = 0;
	for (const char *p = h; (p = strstr(p, "<table")) != NULL; p++)
		tables++;
	assert_true(tables >= cc_charts_count(g->cap));
	for (size_t i = 0; i < cc_charts_count(g->cap); i++) {
		const cc_chart_info *c = cc_charts_get(g->cap, i);
		sbuf w;
		sb_init(&w);
		sb_printf(&w, "<section id=\"chart-%s\"", c->name);
		assert_contains(h, sb_str(&w));
		w.len = 0;
		sb_printf(&w, "<svg role=\"img\" aria-labelledby=\"%s-title %s-desc\"", c->name,
		          c->name);
		assert_contains(h, sb_str(&w));
		w.len = 0;
		sb_add(&w, "<p class=\"title\">");
		sb_xml(&w, c->title);
		assert_contains(h, sb_str(&w));
		w.len = 0;
		sb_add(&w, "<summary>Data table: ");
		sb_xml(&w, c->heading);
		assert_contains(h, sb_str(&w));
		sb_free(&w);
	}
	/* Self-contained: no scripts, no fetched resources. */
	assert_false(contains(h, "<script"));
	assert_false(contains(h, "src=\""));
	assert_false(contains(h, "href=\"http"));
	assert_false(contains(h, "<?xml"));
	/* Assumptions from the unchanged model file, and provenance. */
	assert_contains(h, "unchanged since the run");
	assert_contains(h, "Children entering care per year by age band");
	assert_contains(h, "Oak House");
	assert_contains(h, "Weekly prices per child");
	assert_contains(h, "<dt>Seed</dt><dd>3</dd>");
	cc_model *m = cc_test_model_file("tests/data/capacity.json");
	assert_contains(h, m->sha256);
	cc_model_free(m);
	assert_contains(h, "only the baseline");
	free(h);
}

static void test_cc_htmlreport_escapes_text_and_says_model_unavailable(void **state)
{
	group *g = *state;
	char *h = write_report(g->fx_dir, g->fx);
	assert_false(contains(h, "<to>"));
	assert_contains(h, "Step-down &lt;to&gt; fostering &amp; more");
	assert_contains(h, "rates, capacity and prices are unavailable");
	assert_contains(h, "not available where the run read it");
	assert_contains(h, "Fewer entries through edge-of-care work.");
	assert_contains(h, "multiplier 0.75");
	free(h);
}

static void test_cc_htmlreport_model_changed_since_run(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char *t = read_all("tests/data/chart_scenarios.json", NULL);
	/* Point the summary at a real model whose hash (zeros) does not match. */
	const char *from = "tests/data/no-such-model.json", *to = "tests/data/capacity.json";
	char *at = strstr(t, from);
	assert_non_null(at);
	memmove(at + strlen(to), at + strlen(from), strlen(at + strlen(from)) + 1);
	memcpy(at, to, strlen(to));
	char *p = join(dir, "summary.json");
	write_file(p, t);
	free(t);
	free(p);
	char *h = write_report(dir, NULL);
	assert_contains(h, "has changed since the run");
	assert_false(contains(h, "Oak House"));
	free(h);
	cc_test_remove_tree(dir);
	free(dir);
}

/* ---- helpers of the chart module ----------------------------------------------- */

static void test_fmt_numbers(void **state)
{
	(void)state;
	char b[64];
	fmt_count(1234567.4, b, sizeof b);
	assert_string_equal(b, "1,234,567");
	fmt_count(-999.5, b, sizeof b);
	assert_string_equal(b, "-1,000");
	fmt_count(0.2, b, sizeof b);
	assert_string_equal(b, "0");
	fmt_num(43.5, b, sizeof b);
	assert_string_equal(b, "43.5");
	fmt_num(4, b, sizeof b);
	assert_string_equal(b, "4");
	fmt_money(1234567, 0, b, sizeof b);
	assert_string_equal(b, "£1.2m");
	fmt_money(3537882.16, 1, b, sizeof b);
	assert_string_equal(b, "£3.54m");
	fmt_money(16400000, 0, b, sizeof b);
	assert_string_equal(b, "£16.4m");
	fmt_money(850400, 0, b, sizeof b);
	assert_string_equal(b, "£850k");
	fmt_money(999600, 0, b, sizeof b);
	assert_string_equal(b, "£1.0m");
	fmt_money(-950, 0, b, sizeof b);
	assert_string_equal(b, "-£950");
	cc_date d;
	cc_date_parse_iso("2030-03-31", &d);
	fmt_date_long(d, b, sizeof b);
	assert_string_equal(b, "31 March 2030");
	fmt_month_year(d, b, sizeof b);
	assert_string_equal(b, "March 2030");
	display_name("with_parents", b, sizeof b);
	assert_string_equal(b, "With parents");
	display_name("sgo", b, sizeof b);
	assert_string_equal(b, "Special guardianship");
	assert_int_equal(count_words("  Children looked after   forecast "), 4);
}

static void test_chart_axis_nice_round_ticks(void **state)
{
	(void)state;
	chart_axis a;
	chart_axis_nice(22, 132, 1, 1, 7, &a);
	assert_near(a.min, 0, 0);
	assert_near(a.max, 150, 0);
	assert_near(a.step, 25, 0);
	assert_int_equal(a.n, 7);
	chart_axis_nice(621, 746, 0, 1, 7, &a);
	assert_true(a.min <= 621 && a.max >= 746 && a.n <= 7 && a.n >= 3);
	chart_axis_nice(0, 0, 1, 1, 6, &a); /* a difference of nothing */
	assert_true(a.min < 0 && a.max > 0);
	chart_axis_nice(0, 3, 1, 1, 7, &a); /* small counts: whole steps */
	assert_near(a.step, 1, 0);
	sbuf v;
	sb_init(&v);
	chart_axis_nice(0, 9.9e6, 1, 0, 5, &a);
	chart_axis_vars(&v, "ytic", &a, AXIS_MONEY);
	assert_contains(sb_str(&v), "ytic_lab = '£0 £2.5m £5.0m £7.5m £10.0m'");
	sb_free(&v);
	sb_init(&v);
	chart_axis_nice(0, 1234, 1, 1, 5, &a);
	chart_axis_vars(&v, "ytic", &a, AXIS_COUNT);
	assert_contains(sb_str(&v), "1,500'");
	sb_free(&v);
}

static void test_gp_quote_and_wrap(void **state)
{
	(void)state;
	sbuf b;
	sb_init(&b);
	sb_gp_quote(&b, "It's `rm -rf` @x\nnext");
	assert_string_equal(sb_str(&b), "'It''s `rm -rf` @x next'");
	sb_free(&b);
	sb_init(&b);
	size_t n = gp_wrapped(&b, "cap", "one two three four five", 9);
	assert_int_equal(n, 3);
	assert_string_equal(sb_str(&b), "array cap[3]\ncap[1] = 'one two'\ncap[2] = 'three'\n"
	                                "cap[3] = 'four five'\ncap_lines = 3\n");
	sb_free(&b);
	sb_init(&b);
	sb_xml(&b, "a<b & 'c' \"d\" >");
	assert_string_equal(sb_str(&b), "a&lt;b &amp; &#39;c&#39; &quot;d&quot; &gt;");
	sb_free(&b);
}

static void test_svg_rewrite_title_desc_ids_fonts(void **state)
{
	(void)state;
	const char *in = "<?xml version=\"1.0\"?>\n<svg \n width=\"640\" height=\"440\"\n "
	                 "xmlns=\"http://www.w3.org/2000/svg\">\n\n<title>Gnuplot</title>\n"
	                 "<desc>Produced by GNUPLOT 5.4</desc>\n<g id=\"gnuplot_canvas\">\n"
	                 "<defs><circle id='gpDot' r='0.5'/></defs>\n"
	                 "<g id=\"gnuplot_plot_1\" ><title>gnuplot_plot_1</title>\n"
	                 "<use xlink:href='#gpDot' fill='url(#gpDot)'/></g>\n"
	                 "<g font-family=\"Arial:Bold\"><text>id='x' &amp; more</text></g>\n"
	                 "<g font-family=\"Arial\"><text>plain</text></g>\n</g>\n</svg>\n";
	sbuf out;
	sb_init(&out);
	assert_int_equal(svg_rewrite(in, strlen(in), "cla", "Rise & fall", "A <b> chart", &out),
	                 CC_OK);
	const char *s = sb_str(&out);
	assert_contains(s, "<svg role=\"img\" aria-labelledby=\"cla-title cla-desc\"");
	assert_contains(s, "<title id=\"cla-title\">Rise &amp; fall</title>");
	assert_contains(s, "<desc id=\"cla-desc\">A &lt;b&gt; chart</desc>");
	assert_false(contains(s, "gnuplot_plot_1</title>"));
	assert_contains(s, "id=\"cla-gnuplot_canvas\"");
	assert_contains(s, "id='cla-gpDot'");
	assert_contains(s, "xlink:href='#cla-gpDot'");
	assert_contains(s, "url(#cla-gpDot)");
	assert_contains(s, "<text>id='x' &amp; more</text>"); /* text is left alone */
	assert_contains(s, "font-family=\"Arial, Helvetica, 'Liberation Sans', Arial, "
	                   "sans-serif\" font-weight=\"bold\"");
	assert_null(xml_check(s));
	sb_free(&out);
	sb_init(&out);
	assert_int_equal(svg_rewrite("<html></html>", 13, "x", "t", "d", &out), CC_EPARSE);
	sb_free(&out);
}

static void test_repel_labels_and_titles(void **state)
{
	(void)state;
	double y[4] = { 10, 10.5, 11, 50 };
	repel_labels(y, 4, 3, 0, 100);
	double s[4] = { y[0], y[1], y[2], y[3] };
	for (int i = 0; i < 4; i++)
		for (int k = 0; k < 4; k++)
			if (i != k)
				assert_true(fabs(s[i] - s[k]) >= 3 - 1e-9);
	assert_near(y[3], 50, 0);
	double top[3] = { 99, 99.5, 100 };
	repel_labels(top, 3, 3, 0, 100);
	assert_true(top[0] <= 94 + 1e-9 && top[2] <= 100 + 1e-9);
	const char *c[] = { "one two three four five six seven eight nine ten eleven",
		            "short title", "last" };
	char *t = pick_title(c, 3);
	assert_string_equal(t, "short title");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cc_chart_render_writes_every_chart),
		cmocka_unit_test(test_cc_chart_svg_parses_with_own_title_and_desc),
		cmocka_unit_test(test_cc_chart_png_has_stated_size),
		cmocka_unit_test(test_cc_chart_titles_captions_and_alt_files),
		cmocka_unit_test(test_cc_chart_alt_text_has_headline_numbers),
		cmocka_unit_test(test_cc_chart_csv_tables),
		cmocka_unit_test(test_cc_chart_expected_mode_draws_lines_without_bands),
		cmocka_unit_test(test_cc_chart_scenarios_from_fixture),
		cmocka_unit_test(test_cc_chart_scenarios_split_over_charts),
		cmocka_unit_test(test_cc_chart_render_missing_gnuplot),
		cmocka_unit_test(test_cc_chart_render_program_is_not_gnuplot),
		cmocka_unit_test(test_cc_chart_render_gnuplot_timeout),
		cmocka_unit_test(test_cc_chart_render_missing_summary),
		cmocka_unit_test(test_cc_chart_render_malformed_summary),
		cmocka_unit_test(test_cc_chart_render_missing_templates),
		cmocka_unit_test(test_cc_chart_render_broken_template),
		cmocka_unit_test(test_cc_htmlreport_has_every_chart_and_table),
		cmocka_unit_test(test_cc_htmlreport_escapes_text_and_says_model_unavailable),
		cmocka_unit_test(test_cc_htmlreport_model_changed_since_run),
		cmocka_unit_test(test_fmt_numbers),
		cmocka_unit_test(test_chart_axis_nice_round_ticks),
		cmocka_unit_test(test_gp_quote_and_wrap),
		cmocka_unit_test(test_svg_rewrite_title_desc_ids_fonts),
		cmocka_unit_test(test_repel_labels_and_titles),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
