/*
 * keys.c - hash tables for the reader: interned strings (LA names, and the
 * CHILD identifiers of each LA) and a small integer map (returns).
 *
 * Open addressing with linear probing, kept at most half full, so a lookup
 * costs a probe or two whatever the number of children. Strings live in one
 * growing text buffer; entries refer to them by offset, so growing the buffer
 * never invalidates an entry.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

int grow_array(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 1;
	size_t ncap = *cap ? *cap : 16;
	while (ncap < need)
		ncap *= 2;
	void *np = realloc(*p, ncap * elem);
	if (!np)
		return 0;
	*p = np;
	*cap = ncap;
	return 1;
}

static unsigned char fold_char(unsigned char c, int fold)
{
	return (fold && c >= 'a' && c <= 'z') ? (unsigned char)(c - 'a' + 'A') : c;
}

static uint64_t mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* The hash of the namespace and the text: FNV-1a byte by byte when case is
 * folded (LA names: few, short), else eight bytes at a time (CHILD
 * identifiers, looked up once per row). */
static uint32_t hash_of(uint32_t ns, const char *s, int fold)
{
	if (fold) {
		uint32_t h = 2166136261u;
		for (int i = 0; i < 4; i++) {
			h ^= (ns >> (8 * i)) & 0xFF;
			h *= 16777619u;
		}
		for (; *s; s++) {
			h ^= fold_char((unsigned char)*s, fold);
			h *= 16777619u;
		}
		return h;
	}
	size_t n = strlen(s);
	uint64_t h = ((uint64_t)ns << 32 | (uint64_t)(uint32_t)n) * 0x9E3779B97F4A7C15ULL;
	for (; n >= 8; n -= 8, s += 8) {
		uint64_t x;
		memcpy(&x, s, 8);
		h = mix64(h ^ x);
	}
	uint64_t x = 0;
	memcpy(&x, s, n);
	return (uint32_t)(mix64(h ^ x) >> 32);
}

static int same_text(const char *a, const char *b, int fold)
{
	if (!fold)
		return strcmp(a, b) == 0;
	for (; *a && *b; a++, b++)
		if (fold_char((unsigned char)*a, fold) != fold_char((unsigned char)*b, fold))
			return 0;
	return *a == *b;
}

void strtab_init(strtab *t, int fold)
{
	memset(t, 0, sizeof *t);
	t->fold = fold;
}

void strtab_free(strtab *t)
{
	free(t->slots);
	free(t->ents);
	free(t->text);
	memset(t, 0, sizeof *t);
}

const char *strtab_str(const strtab *t, uint32_t i) { return t->text + t->ents[i].off; }
uint32_t strtab_ns(const strtab *t, uint32_t i) { return t->ents[i].ns; }

/* A slot holds the entry's hash in its high half, so most mismatches are
 * settled without touching the entry or its text (cache misses dominate). */
static size_t probe(const strtab *t, uint32_t ns, const char *s, uint32_t h)
{
	size_t mask = t->nslots - 1, i = h & mask;
	for (;;) {
		uint64_t v = t->slots[i];
		if (v == 0)
			return i;
		if ((uint32_t)(v >> 32) == h) {
			const struct strent *e = &t->ents[(uint32_t)v - 1];
			if (e->ns == ns && same_text(t->text + e->off, s, t->fold))
				return i;
		}
		i = (i + 1) & mask;
	}
}

uint32_t strtab_hash(const strtab *t, uint32_t ns, const char *s)
{
	return hash_of(ns, s, t->fold);
}

void strtab_prefetch(const strtab *t, uint32_t hash)
{
#if defined(__GNUC__)
	if (t->nslots)
		__builtin_prefetch(&t->slots[hash & (t->nslots - 1)]);
#else
	(void)t;
	(void)hash;
#endif
}

uint32_t strtab_find(const strtab *t, uint32_t ns, const char *s)
{
	if (t->nslots == 0)
		return NONE32;
	uint64_t v = t->slots[probe(t, ns, s, hash_of(ns, s, t->fold))];
	return v ? (uint32_t)v - 1 : NONE32;
}

static int rehash(strtab *t, size_t nslots)
{
	uint64_t *slots = calloc(nslots, sizeof *slots);
	if (!slots)
		return 0;
	free(t->slots);
	t->slots = slots;
	t->nslots = nslots;
	for (size_t k = 0; k < t->n; k++) {
		size_t mask = nslots - 1, i = t->ents[k].hash & mask;
		while (slots[i])
			i = (i + 1) & mask;
		slots[i] = ((uint64_t)t->ents[k].hash << 32) | (uint64_t)(k + 1);
	}
	return 1;
}

uint32_t strtab_intern(strtab *t, uint32_t ns, const char *s)
{
	return strtab_intern_hashed(t, ns, s, hash_of(ns, s, t->fold));
}

uint32_t strtab_intern_hashed(strtab *t, uint32_t ns, const char *s, uint32_t h)
{
	if (t->nslots == 0 && !rehash(t, 64))
		return NONE32;
	size_t slot = probe(t, ns, s, h);
	if (t->slots[slot])
		return (uint32_t)t->slots[slot] - 1;
	size_t len = strlen(s) + 1;
	if (t->n >= NONE32 - 1 || t->tlen + len >= NONE32 ||
	    !grow_array((void **)&t->ents, &t->cap, t->n + 1, sizeof *t->ents) ||
	    !grow_array((void **)&t->text, &t->tcap, t->tlen + len, 1))
		return NONE32;
	memcpy(t->text + t->tlen, s, len);
	t->ents[t->n] = (struct strent){ ns, (uint32_t)t->tlen, h };
	t->tlen += len;
	uint32_t idx = (uint32_t)t->n++;
	t->slots[slot] = ((uint64_t)h << 32) | (uint64_t)(idx + 1);
	if (2 * t->n > t->nslots && !rehash(t, 2 * t->nslots)) {
		/* The entry is in; only the table could not grow. Undo. */
		t->slots[slot] = 0;
		t->n--;
		t->tlen -= len;
		return NONE32;
	}
	return idx;
}

void u64map_init(u64map *m) { memset(m, 0, sizeof *m); }

void u64map_free(u64map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

static size_t u64_slot(uint64_t key, size_t nslots)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & (nslots - 1);
}

uint32_t u64map_get(const u64map *m, uint64_t key)
{
	if (m->nslots == 0)
		return NONE32;
	for (size_t i = u64_slot(key, m->nslots);; i = (i + 1) & (m->nslots - 1)) {
		if (m->vals[i] == NONE32)
			return NONE32;
		if (m->keys[i] == key)
			return m->vals[i];
	}
}

static int u64map_resize(u64map *m, size_t nslots)
{
	uint64_t *keys = malloc(nslots * sizeof *keys);
	uint32_t *vals = malloc(nslots * sizeof *vals);
	if (!keys || !vals) {
		free(keys);
		free(vals);
		return 0;
	}
	for (size_t i = 0; i < nslots; i++)
		vals[i] = NONE32;
	for (size_t k = 0; k < m->nslots; k++) {
		if (m->vals[k] == NONE32)
			continue;
		size_t i = u64_slot(m->keys[k], nslots);
		while (vals[i] != NONE32)
			i = (i + 1) & (nslots - 1);
		keys[i] = m->keys[k];
		vals[i] = m->vals[k];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->nslots = nslots;
	return 1;
}

int u64map_put(u64map *m, uint64_t key, uint32_t val)
{
	if (2 * (m->n + 1) > m->nslots && !u64map_resize(m, m->nslots ? 2 * m->nslots : 64))
		return 0;
	size_t i = u64_slot(key, m->nslots);
	while (m->vals[i] != NONE32 && m->keys[i] != key)
		i = (i + 1) & (m->nslots - 1);
	if (m->vals[i] == NONE32)
		m->n++;
	m->keys[i] = key;
	m->vals[i] = val;
	return 1;
}
