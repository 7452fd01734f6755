/*
 * svg.c - making gnuplot's SVG accessible and embeddable.
 *
 * gnuplot titles every SVG "Gnuplot" and describes it as "Produced by
 * GNUPLOT"; a screen reader would announce exactly that. We replace both with
 * the chart's message title and its alt text, and point the root element at
 * them (role="img" aria-labelledby), which is how an SVG image gets an
 * accessible name. gnuplot also gives every file the same ids (gnuplot_canvas,
 * gpPt0, ...) and titles each plot group with an internal id; ids are
 * prefixed with the chart's name so several charts can be inlined in one
 * HTML page, and the internal titles are dropped.
 *
 * gnuplot's SVG is regular, machine-written text, so this is a scan over the
 * text rather than an XML parse: attributes are rewritten only inside tags,
 * never in text content. gnuplot escapes '&' and '<' in text.
 */
#include "chart_int.h"

#include <string.h>

static int starts(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(end - p) >= n && memcmp(p, s, n) == 0;
}

/* Copies an attribute value (p at the opening quote) with `prefix-` put
 * after `lead` (the characters kept first: "" for ids, "#" for references);
 * returns the position after the closing quote, or NULL. */
static const char *prefixed_value(const char *p, const char *end, const char *lead,
                                  const char *prefix, sbuf *out)
{
	char q = *p;
	const char *v = p + 1;
	const char *close = memchr(v, q, (size_t)(end - v));
	if (!close)
		return NULL;
	size_t ll = strlen(lead);
	sb_addc(out, q);
	if ((size_t)(close - v) >= ll && memcmp(v, lead, ll) == 0) {
		sb_add(out, lead);
		sb_add(out, prefix);
		sb_addc(out, '-');
		sb_addn(out, v + ll, (size_t)(close - v - (ptrdiff_t)ll));
	} else {
		sb_addn(out, v, (size_t)(close - v));
	}
	sb_addc(out, q);
	return close + 1;
}

int svg_rewrite(const char *in, size_t len, const char *prefix, const char *title, const char *desc,
                sbuf *out)
{
	const char *end = in + len;
	const char *root = NULL;
	for (const char *p = in; p + 4 <= end; p++)
		if (memcmp(p, "<svg", 4) == 0 && (p[4] == ' ' || p[4] == '\n' || p[4] == '\t')) {
			root = p;
			break;
		}
	if (!root)
		return CC_EPARSE;
	const char *root_end = memchr(root, '>', (size_t)(end - root));
	if (!root_end)
		return CC_EPARSE;

	sb_addn(out, in, (size_t)(root - in));
	sb_printf(out, "<svg role=\"img\" aria-labelledby=\"%s-title %s-desc\"", prefix, prefix);
	const char *p = root + 4;
	int in_tag = 1, wrote_title = 0, wrote_desc = 0;
	while (p < end) {
		if (!in_tag && *p == '<') {
			if (starts(p, end, "<title>") || starts(p, end, "<desc>")) {
				int is_title = p[1] == 't';
				const char *close_tag = is_title ? "</title>" : "</desc>";
				const char *c = NULL;
				for (const char *q = p; q + strlen(close_tag) <= end; q++)
					if (memcmp(q, close_tag, strlen(close_tag)) == 0) {
						c = q;
						break;
					}
				if (!c)
					return CC_EPARSE;
				if (is_title && !wrote_title) {
					sb_printf(out, "<title id=\"%s-title\">", prefix);
					sb_xml(out, title);
					sb_add(out, "</title>");
					wrote_title = 1;
				} else if (!is_title && !wrote_desc) {
					sb_printf(out, "<desc id=\"%s-desc\">", prefix);
					sb_xml(out, desc);
					sb_add(out, "</desc>");
					wrote_desc = 1;
				}
				p = c + strlen(close_tag);
				continue;
			}
			in_tag = 1;
			sb_addc(out, *p++);
			continue;
		}
		if (in_tag && *p == '>') {
			in_tag = 0;
			sb_addc(out, *p++);
			/* gnuplot writes <title> and <desc> first; add ours right
			 * after the root tag if it did not. */
			if (p - 1 == root_end && !starts(p, end, "\n\n<title>") &&
			    !starts(p, end, "\n<title>") && !starts(p, end, "<title>")) {
				sb_printf(out, "\n<title id=\"%s-title\">", prefix);
				sb_xml(out, title);
				sb_printf(out, "</title>\n<desc id=\"%s-desc\">", prefix);
				sb_xml(out, desc);
				sb_add(out, "</desc>");
				wrote_title = wrote_desc = 1;
			}
			continue;
		}
		if (in_tag && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n')) {
			const char *next = NULL;
			if (starts(p, end, "id='") || starts(p, end, "id=\"")) {
				sb_add(out, "id=");
				next = prefixed_value(p + 3, end, "", prefix, out);
			} else if (starts(p, end, "xlink:href=") || starts(p, end, "href=")) {
				size_t n = p[0] == 'x' ? 11 : 5;
				sb_addn(out, p, n);
				next = prefixed_value(p + n, end, "#", prefix, out);
			} else if (starts(p, end, "font-family=\"")) {
				const char *v = p + 13;
				const char *close = memchr(v, '"', (size_t)(end - v));
				if (!close)
					return CC_EPARSE;
				const char *colon = memchr(v, ':', (size_t)(close - v));
				const char *fam_end = colon ? colon : close;
				sb_add(out, "font-family=\"");
				sb_addn(out, v, (size_t)(fam_end - v));
				sb_add(out, ", Helvetica, 'Liberation Sans', Arial, sans-serif\"");
				if (colon && starts(colon, close, ":Bold"))
					sb_add(out, " font-weight=\"bold\"");
				next = close + 1;
			}
			if (next) {
				p = next;
				continue;
			}
			if (!next && (starts(p, end, "id=") || starts(p, end, "href=")))
				return CC_EPARSE;
		}
		if (in_tag && starts(p, end, "url(#")) {
			sb_add(out, "url(#");
			sb_add(out, prefix);
			sb_addc(out, '-');
			p += 5;
			continue;
		}
		sb_addc(out, *p++);
	}
	return out->oom ? CC_ENOMEM : CC_OK;
}
