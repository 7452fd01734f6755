/*
 * chart_util.c - text buffers, number formats, round axes, wrapping and
 * label spacing for the charts.
 *
 * Numbers on charts follow GOV.UK style: thousands separated by commas,
 * pounds as "£1.2m" or "£850k", financial years as "2025-26".
 */
#include "chart_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- sbuf ----------------------------------------------------------------- */

void sb_init(sbuf *b) { memset(b, 0, sizeof *b); }

void sb_free(sbuf *b)
{
	free(b->s);
	sb_init(b);
}

static int sb_reserve(sbuf *b, size_t extra)
{
	if (b->oom)
		return 0;
	if (b->len + extra + 1 <= b->cap)
		return 1;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1)
		cap *= 2;
	char *s = realloc(b->s, cap);
	if (!s) {
		b->oom = 1;
		return 0;
	}
	b->s = s;
	b->cap = cap;
	return 1;
}

void sb_addn(sbuf *b, const char *s, size_t n)
{
	if (!sb_reserve(b, n))
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sb_add(sbuf *b, const char *s) { sb_addn(b, s, strlen(s)); }

void sb_addc(sbuf *b, char c) { sb_addn(b, &c, 1); }

void sb_printf(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char small[256];
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	if ((size_t)n < sizeof small) {
		sb_addn(b, small, (size_t)n);
		return;
	}
	if (!sb_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *sb_str(const sbuf *b) { return b->s && !b->oom ? b->s : ""; }

char *sb_take(sbuf *b)
{
	char *s = NULL;
	if (!b->oom) {
		s = b->s ? b->s : calloc(1, 1);
		b->s = NULL;
	}
	sb_free(b);
	return s;
}

void sb_gp_quote(sbuf *b, const char *s)
{
	sb_addc(b, '\'');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\'')
			sb_add(b, "''");
		else if (*p < 0x20 || *p == 0x7f)
			sb_addc(b, ' ');
		else
			sb_addc(b, (char)*p);
	}
	sb_addc(b, '\'');
}

void sb_xml(sbuf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '&': sb_add(b, "&amp;"); break;
		case '<': sb_add(b, "&lt;"); break;
		case '>': sb_add(b, "&gt;"); break;
		case '"': sb_add(b, "&quot;"); break;
		case '\'': sb_add(b, "&#39;"); break;
		default:
			/* Control characters other than tab and newline are not
			 * allowed in XML 1.0 at all. */
			if (*p < 0x20 && *p != '\t' && *p != '\n')
				sb_addc(b, ' ');
			else
				sb_addc(b, (char)*p);
		}
	}
}

/* ---- numbers -------------------------------------------------------------- */

/* Digits of a non-negative whole number with thousands separators. */
static void group_digits(unsigned long long v, char *buf, size_t size)
{
	char raw[32];
	snprintf(raw, sizeof raw, "%llu", v);
	size_t n = strlen(raw), k = 0;
	char out[48];
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = raw[i];
	}
	out[k] = '\0';
	snprintf(buf, size, "%s", out);
}

void fmt_count(double v, char *buf, size_t size)
{
	if (!isfinite(v)) {
		snprintf(buf, size, "n/a");
		return;
	}
	double r = floor(fabs(v) + 0.5);
	char digits[48];
	group_digits(r < 1e18 ? (unsigned long long)r : 0ULL, digits, sizeof digits);
	snprintf(buf, size, "%s%s", v < 0 && r > 0 ? "-" : "", digits);
}

void fmt_num(double v, char *buf, size_t size)
{
	if (isfinite(v) && fabs(v) < 100 && fabs(v - floor(v + 0.5)) >= 0.05)
		snprintf(buf, size, "%.1f", v);
	else
		fmt_count(v, buf, size);
}

void fmt_money(double v, int precise, char *buf, size_t size)
{
	if (!isfinite(v)) {
		snprintf(buf, size, "n/a");
		return;
	}
	const char *sign = v < 0 ? "-" : "";
	double a = fabs(v);
	if (a >= 1e6) {
		double m = a / 1e6;
		int dec = m >= 100 ? 0 : m >= 10 ? 1 : (precise ? 2 : 1);
		snprintf(buf, size, "%s£%.*fm", sign, dec, m);
	} else if (a >= 1e3) {
		double k = a / 1e3;
		if (!precise || k >= 100)
			snprintf(buf, size, "%s£%.0fk", sign, k);
		else
			snprintf(buf, size, "%s£%.1fk", sign, k);
		/* £999.6k rounds to "£1000k": say £1.0m instead. */
		if (strstr(buf, "£1000k"))
			snprintf(buf, size, "%s£1.0m", sign);
	} else {
		snprintf(buf, size, "%s£%.0f", sign, a);
	}
}

static const char *const month_names[12] = { "January",   "February", "March",    "April",
	                                     "May",       "June",     "July",     "August",
	                                     "September", "October",  "November", "December" };

void fmt_date_long(cc_date d, char *buf, size_t size)
{
	int y, m, dd;
	cc_date_to_ymd(d, &y, &m, &dd);
	snprintf(buf, size, "%d %s %d", dd, month_names[m - 1], y);
}

void fmt_month_year(cc_date d, char *buf, size_t size)
{
	int y, m, dd;
	cc_date_to_ymd(d, &y, &m, &dd);
	snprintf(buf, size, "%s %d", month_names[m - 1], y);
}

size_t count_words(const char *s)
{
	size_t n = 0;
	int in = 0;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n') {
			in = 0;
		} else if (!in) {
			in = 1;
			n++;
		}
	}
	return n;
}

void display_name(const char *name, char *buf, size_t size)
{
	static const char *const known[][2] = {
		{ "sgo", "Special guardianship" },  { "cao", "Child arrangements order" },
		{ "home", "Returned home" },        { "independent", "Independent living" },
		{ "transfer", "Transferred" },      { "age18", "Reached 18" },
		{ "with_parents", "With parents" }, { "in_house", "In-house" },
		{ "external", "External" },         { "framework", "External (framework)" },
		{ "spot", "External (spot)" },
	};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(name, known[i][0]) == 0) {
			snprintf(buf, size, "%s", known[i][1]);
			return;
		}
	snprintf(buf, size, "%s", name);
	for (char *p = buf; *p; p++)
		if (*p == '_')
			*p = ' ';
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
}

void display_category(const char *name, char *buf, size_t size)
{
	/* The default categories (formats.md) as a reader would say them. */
	static const char *const known[][2] = {
		{ "kinship", "Kinship care" },
		{ "residential", "Residential care" },
		{ "supported", "Supported accommodation" },
		{ "secure", "Secure children's home" },
		{ "adoption", "Placed for adoption" },
	};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(name, known[i][0]) == 0) {
			snprintf(buf, size, "%s", known[i][1]);
			return;
		}
	display_name(name, buf, size);
}

/* ---- axes ----------------------------------------------------------------- */

void chart_axis_nice(double lo, double hi, int from_zero, int integer, size_t max_ticks,
                     chart_axis *a)
{
	if (!isfinite(lo) || !isfinite(hi)) {
		lo = 0;
		hi = 1;
	}
	if (lo > hi) {
		double t = lo;
		lo = hi;
		hi = t;
	}
	if (from_zero && lo > 0)
		lo = 0;
	if (from_zero && hi < 0)
		hi = 0;
	if (hi - lo < 1e-9 * (fabs(hi) + 1)) {
		/* A flat series: give it room around its value. */
		double pad = fabs(hi) > 0 ? fabs(hi) * 0.1 : 1;
		if (integer && pad < 1)
			pad = 1;
		hi += pad;
		/* Around zero (a difference of nothing) the axis is symmetric. */
		if (!(from_zero && lo == 0) || hi - pad == 0)
			lo -= pad;
	}
	if (max_ticks < 3)
		max_ticks = 3;
	static const double mult[] = { 1, 2, 2.5, 5, 10 };
	double raw = (hi - lo) / (double)(max_ticks - 1);
	double mag = pow(10, floor(log10(raw)));
	double step = 0, mn = 0, mx = 0;
	for (int tries = 0; tries < 3; tries++) {
		for (size_t i = 0; i < sizeof mult / sizeof mult[0]; i++) {
			step = mult[i] * mag;
			if (integer && step < 1)
				continue;
			if (integer && mult[i] == 2.5 && step < 10)
				continue; /* no 2.5-child steps */
			mn = floor(lo / step + 1e-9) * step;
			mx = ceil(hi / step - 1e-9) * step;
			if ((mx - mn) / step + 1 <= (double)max_ticks + 1e-9)
				goto done;
		}
		mag *= 10;
	}
done:
	if (mn == 0)
		mn = 0; /* no "-0" */
	a->min = mn;
	a->max = mx;
	a->step = step;
	a->n = (size_t)floor((mx - mn) / step + 0.5) + 1;
}

/* Decimals needed to show multiples of x exactly (at most 3). */
static int decimals_for(double x)
{
	for (int d = 0; d < 3; d++) {
		double s = x * pow(10, d);
		if (fabs(s - floor(s + 0.5)) < 1e-6)
			return d;
	}
	return 3;
}

void chart_axis_vars(sbuf *vars, const char *var, const chart_axis *a, axis_format f)
{
	sbuf pos, lab;
	sb_init(&pos);
	sb_init(&lab);
	/* Money ticks share one unit (the largest) and one number of decimals. */
	double unit = 1;
	const char *suffix = "";
	if (f == AXIS_MONEY) {
		double big = fmax(fabs(a->min), fabs(a->max));
		if (big >= 1e6) {
			unit = 1e6;
			suffix = "m";
		} else if (big >= 1e3) {
			unit = 1e3;
			suffix = "k";
		}
	}
	int dec = decimals_for(a->step / unit);
	for (size_t i = 0; i < a->n; i++) {
		double v = a->min + (double)i * a->step;
		if (fabs(v) < a->step * 1e-9)
			v = 0;
		char num[64];
		snprintf(num, sizeof num, "%.10g", v);
		sb_printf(&pos, "%s%s", i ? " " : "", num);
		char l[64];
		if (f == AXIS_MONEY) {
			if (v == 0)
				snprintf(l, sizeof l, "£0");
			else
				snprintf(l, sizeof l, "%s£%.*f%s", v < 0 ? "-" : "", dec,
				         fabs(v) / unit, suffix);
		} else if (f == AXIS_PERCENT) {
			snprintf(l, sizeof l, "%.*f%%", decimals_for(a->step), v);
		} else if (decimals_for(a->step) > 0) {
			snprintf(l, sizeof l, "%.*f", decimals_for(a->step), v);
		} else {
			fmt_count(v, l, sizeof l);
		}
		sb_printf(&lab, "%s%s", i ? " " : "", l);
	}
	sb_printf(vars, "%s_min = %.10g\n%s_max = %.10g\n%s_pos = ", var, a->min, var, a->max, var);
	sb_gp_quote(vars, sb_str(&pos));
	sb_printf(vars, "\n%s_lab = ", var);
	sb_gp_quote(vars, sb_str(&lab));
	sb_addc(vars, '\n');
	if (pos.oom || lab.oom)
		vars->oom = 1;
	sb_free(&pos);
	sb_free(&lab);
}

/* ---- wrapping, labels, titles ---------------------------------------------- */

static size_t utf8_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

size_t gp_wrapped(sbuf *b, const char *var, const char *text, size_t width)
{
	/* First the lines, then `array var[n]` and one assignment per line. */
	sbuf lines;
	sb_init(&lines);
	size_t n = 0;
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *end = p, *q = p;
		size_t used = 0;
		while (*q) {
			const char *w = q;
			while (*q && *q != ' ')
				q++;
			size_t wl = utf8_chars(w, (size_t)(q - w));
			size_t need = used ? used + 1 + wl : wl;
			if (used && need > width)
				break;
			used = need;
			end = q;
			while (*q == ' ')
				q++;
		}
		sb_addn(&lines, p, (size_t)(end - p));
		sb_addc(&lines, '\n');
		n++;
		p = end;
	}
	if (n == 0) {
		sb_addc(&lines, '\n');
		n = 1;
	}
	sb_printf(b, "array %s[%zu]\n", var, n);
	const char *l = sb_str(&lines);
	for (size_t i = 1; i <= n; i++) {
		const char *nl = strchr(l, '\n');
		char *one = strndup(l, (size_t)(nl - l));
		if (!one) {
			b->oom = 1;
			break;
		}
		sb_printf(b, "%s[%zu] = ", var, i);
		sb_gp_quote(b, one);
		sb_addc(b, '\n');
		free(one);
		l = nl + 1;
	}
	sb_printf(b, "%s_lines = %zu\n", var, n);
	if (lines.oom)
		b->oom = 1;
	sb_free(&lines);
	return n;
}

typedef struct {
	double y;
	size_t i;
} lab_pos;

static int cmp_lab(const void *a, const void *b)
{
	const lab_pos *x = a, *y = b;
	return x->y < y->y ? -1 : x->y > y->y ? 1 : (x->i < y->i ? -1 : x->i > y->i);
}

void repel_labels(double *y, size_t n, double gap, double lo, double hi)
{
	if (n == 0)
		return;
	lab_pos *p = malloc(n * sizeof *p);
	if (!p)
		return;
	for (size_t i = 0; i < n; i++) {
		p[i].y = y[i];
		p[i].i = i;
	}
	qsort(p, n, sizeof *p, cmp_lab);
	/* Push up, then down from the top, then up from the bottom again: the
	 * labels end at least `gap` apart and inside [lo, hi] when they fit. */
	for (size_t i = 1; i < n; i++)
		if (p[i].y < p[i - 1].y + gap)
			p[i].y = p[i - 1].y + gap;
	if (p[n - 1].y > hi)
		p[n - 1].y = hi;
	for (size_t i = n - 1; i > 0; i--)
		if (p[i - 1].y > p[i].y - gap)
			p[i - 1].y = p[i].y - gap;
	if (p[0].y < lo)
		p[0].y = lo;
	for (size_t i = 1; i < n; i++)
		if (p[i].y < p[i - 1].y + gap)
			p[i].y = p[i - 1].y + gap;
	for (size_t i = 0; i < n; i++)
		y[p[i].i] = p[i].y;
	free(p);
}

char *pick_title(const char *const *candidates, size_t n)
{
	/* Best: short enough in words and on one line; then short enough in
	 * words; the last candidate whatever its length. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			const char *c = candidates[i];
			if (!c || count_words(c) > CC_CHART_TITLE_MAX_WORDS)
				continue;
			if (pass == 0 && utf8_chars(c, strlen(c)) > CHART_TITLE_WIDTH)
				continue;
			return strdup(c);
		}
	for (size_t i = n; i > 0; i--)
		if (candidates[i - 1])
			return strdup(candidates[i - 1]);
	return NULL;
}

double chart_plot_height_px(size_t title_lines, size_t caption_lines, size_t key_rows)
{
	/* Mirrors plots/common.gp: one text line is 1.25 font heights; the top
	 * holds the title, the key rows and the axis label, the bottom the
	 * tick labels and the caption. */
	double lh = CC_CHART_FONT_PX * 1.25;
	double top = ((double)title_lines * 1.25 + (double)key_rows * 1.1 + 1.8) * lh;
	double bottom = ((double)caption_lines * 1.05 + 2.4) * lh;
	return CC_CHART_SVG_HEIGHT - top - bottom;
}
