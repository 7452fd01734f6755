/*
 * fileio.c - whole-file reads, atomic writes and directory creation.
 *
 * Reads open with O_NONBLOCK so that a FIFO named as an input cannot block
 * the program, then fstat the open descriptor (not the path, which could be
 * swapped between the check and the open) and refuse anything that is not a
 * regular file.
 */
#include "carecast/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static ssize_t read_retry(int fd, void *buf, size_t n)
{
	ssize_t r;
	do
		r = read(fd, buf, n);
	while (r < 0 && errno == EINTR);
	return r;
}

static int open_regular(const char *path, int *fd_out, off_t *size, cc_diags *diags)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		cc_diags_add(diags, CC_DIAG_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
		return CC_EIO;
	}
	struct stat st;
	const char *problem = NULL;
	if (fstat(fd, &st) != 0)
		problem = strerror(errno);
	else if (S_ISDIR(st.st_mode))
		problem = "expected a file, found a directory";
	else if (!S_ISREG(st.st_mode))
		problem = "expected a regular file, found a device, FIFO or socket";
	if (problem) {
		cc_diags_add(diags, CC_DIAG_ERROR, path, 0, 0, "%s", problem);
		close(fd);
		return CC_EIO;
	}
	*fd_out = fd;
	*size = st.st_size;
	return CC_OK;
}

int cc_file_read(const char *path, size_t max_bytes, char **data, size_t *len, cc_diags *diags)
{
	*data = NULL;
	*len = 0;
	int fd;
	off_t size;
	int rc = open_regular(path, &fd, &size, diags);
	if (rc != CC_OK)
		return rc;
	if ((unsigned long long)size > (unsigned long long)max_bytes) {
		cc_diags_add(diags, CC_DIAG_ERROR, path, 0, 0,
		             "file is %lld bytes; the limit is %zu bytes", (long long)size,
		             max_bytes);
		close(fd);
		return CC_ERANGE;
	}
	/* Read what fstat promised, then to the end of the file: it may have
	 * grown since, but never past max_bytes. */
	size_t cap = (size_t)size + 1, n = 0;
	char *buf = malloc(cap);
	int err = 0;
	if (!buf) {
		rc = CC_ENOMEM;
		goto fail;
	}
	for (;;) {
		ssize_t r;
		if (n + 1 < cap) {
			r = read_retry(fd, buf + n, cap - 1 - n);
		} else {
			char extra;
			r = read_retry(fd, &extra, 1);
			if (r > 0) {
				if (n + 1 > max_bytes) {
					rc = CC_ERANGE;
					goto fail;
				}
				size_t ncap = cap * 2 > max_bytes + 1 ? max_bytes + 1 : cap * 2;
				char *nb = realloc(buf, ncap);
				if (!nb) {
					rc = CC_ENOMEM;
					goto fail;
				}
				buf = nb;
				cap = ncap;
				buf[n] = extra;
			}
		}
		if (r < 0) {
			err = errno;
			rc = CC_EIO;
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return CC_OK;
fail:
	free(buf);
	close(fd);
	if (rc == CC_ERANGE)
		cc_diags_add(diags, CC_DIAG_ERROR, path, 0, 0,
		             "file is larger than the limit of %zu bytes", max_bytes);
	else if (rc == CC_ENOMEM)
		cc_diags_add(diags, CC_DIAG_ERROR, path, 0, 0, "out of memory reading file");
	else
		cc_diags_add(diags, CC_DIAG_ERROR, path, 0, 0, "read failed: %s", strerror(err));
	return rc;
}

struct cc_outfile {
	char *path;
	char *tmp;
	FILE *fp;
	int slot; /* cc_temp_register's slot */
};

int cc_outfile_open(const char *path, cc_outfile **out, cc_diags *diags)
{
	*out = NULL;
	cc_outfile *f = calloc(1, sizeof *f);
	if (!f)
		return CC_ENOMEM;
	size_t len = strlen(path);
	f->path = malloc(len + 1);
	f->tmp = malloc(len + 16);
	if (!f->path || !f->tmp) {
		free(f->path);
		free(f->tmp);
		free(f);
		return CC_ENOMEM;
	}
	memcpy(f->path, path, len + 1);
	memcpy(f->tmp, path, len);
	memcpy(f->tmp + len, ".tmp.XXXXXX", 12);
	int fd = mkstemp(f->tmp);
	f->slot = fd >= 0 ? cc_temp_register(f->tmp) : -1;
	if (fd < 0) {
		cc_diags_add(diags, CC_DIAG_ERROR, path, 0, 0, "cannot create output file: %s",
		             strerror(errno));
		free(f->path);
		free(f->tmp);
		free(f);
		return CC_EIO;
	}
	/* mkstemp makes 0600 files; outputs are ordinary documents. */
	mode_t um = umask(0);
	umask(um);
	(void)fchmod(fd, 0666 & ~um);
	f->fp = fdopen(fd, "w");
	if (!f->fp) {
		int e = errno;
		close(fd);
		unlink(f->tmp);
		cc_temp_unregister(f->slot);
		cc_diags_add(diags, CC_DIAG_ERROR, path, 0, 0, "cannot create output file: %s",
		             strerror(e));
		free(f->path);
		free(f->tmp);
		free(f);
		return CC_EIO;
	}
	*out = f;
	return CC_OK;
}

FILE *cc_outfile_stream(cc_outfile *f) { return f->fp; }

static void outfile_release(cc_outfile *f)
{
	cc_temp_unregister(f->slot);
	free(f->path);
	free(f->tmp);
	free(f);
}

int cc_outfile_commit(cc_outfile *f, cc_diags *diags)
{
	int bad = ferror(f->fp) != 0;
	int e = bad ? EIO : 0;
	if (fflush(f->fp) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	if (!bad && fsync(fileno(f->fp)) != 0 && errno != EINVAL && errno != EROFS) {
		bad = 1;
		e = errno;
	}
	if (fclose(f->fp) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	f->fp = NULL;
	if (!bad && rename(f->tmp, f->path) != 0) {
		bad = 1;
		e = errno;
	}
	if (bad) {
		unlink(f->tmp);
		cc_diags_add(diags, CC_DIAG_ERROR, f->path, 0, 0, "cannot write output file: %s",
		             strerror(e));
		outfile_release(f);
		return CC_EIO;
	}
	outfile_release(f);
	return CC_OK;
}

void cc_outfile_abort(cc_outfile *f)
{
	if (!f)
		return;
	if (f->fp)
		fclose(f->fp);
	unlink(f->tmp);
	outfile_release(f);
}

int cc_mkdir_p(const char *path, cc_diags *diags)
{
	size_t len = strlen(path);
	if (len == 0) {
		cc_diags_add(diags, CC_DIAG_ERROR, NULL, 0, 0, "output directory name is empty");
		return CC_EIO;
	}
	char *p = malloc(len + 1);
	if (!p)
		return CC_ENOMEM;
	memcpy(p, path, len + 1);
	int rc = CC_OK;
	for (size_t i = 1; i <= len; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char saved = p[i];
		p[i] = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			cc_diags_add(diags, CC_DIAG_ERROR, p, 0, 0, "cannot create directory: %s",
			             strerror(errno));
			rc = CC_EIO;
			break;
		}
		p[i] = saved;
	}
	if (rc == CC_OK) {
		struct stat st;
		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
			cc_diags_add(diags, CC_DIAG_ERROR, path, 0, 0,
			             "expected a directory, found a file");
			rc = CC_EIO;
		} else if (access(path, W_OK | X_OK) != 0) {
			cc_diags_add(diags, CC_DIAG_ERROR, path, 0, 0,
			             "output directory is not writable: %s", strerror(errno));
			rc = CC_EIO;
		}
	}
	free(p);
	return rc;
}

char *cc_path_join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	int slash = a > 0 && dir[a - 1] != '/';
	char *p = malloc(a + (size_t)slash + b + 1);
	if (!p)
		return NULL;
	memcpy(p, dir, a);
	if (slash)
		p[a] = '/';
	memcpy(p + a + (size_t)slash, name, b + 1);
	return p;
}
