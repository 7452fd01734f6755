/*
 * driver.c - replays files through a fuzz harness without libFuzzer: every
 * argument is a file or a directory of files. Exit 0 when every input was
 * handled (a crash or sanitizer report ends the process instead).
 */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "driver: cannot open %s\n", path);
		return 1;
	}
	size_t cap = 1 << 16, len = 0;
	uint8_t *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			uint8_t *b = realloc(buf, cap *= 2);
			if (!b) {
				free(buf);
				buf = NULL;
			}
			buf = b;
		}
	}
	fclose(f);
	if (!buf)
		return 1;
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay(const char *path, size_t *count)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "driver: cannot read %s\n", path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		++*count;
		return replay_file(path);
	}
	DIR *d = opendir(path);
	if (!d)
		return 1;
	char **names = NULL;
	size_t nn = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char **nb = realloc(names, (nn + 1) * sizeof *names);
		if (!nb)
			break;
		names = nb;
		names[nn] = malloc(strlen(path) + strlen(e->d_name) + 2);
		if (!names[nn])
			break;
		sprintf(names[nn], "%s/%s", path, e->d_name);
		nn++;
	}
	closedir(d);
	if (nn > 1)
		qsort(names, nn, sizeof *names, cmp);
	int rc = 0;
	for (size_t i = 0; i < nn; i++) {
		rc |= replay(names[i], count);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int rc = 0;
	for (int i = 1; i < argc; i++)
		rc |= replay(argv[i], &count);
	printf("%s: %zu inputs replayed\n", argc > 0 ? argv[0] : "driver", count);
	return rc;
}
