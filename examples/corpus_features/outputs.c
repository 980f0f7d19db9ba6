/* corpus_features: what goes to --out DIR.
 *
 * DIR/<name>.json holds the file's JSON line and a newline. It is written
 * to DIR/<name>.json.partial and renamed, so its existence means it is
 * complete (rename is atomic within a folder); the library writes the .npy
 * the same way, before the callback that writes the .json, so a .json
 * whose file has features implies its .npy is complete too.
 *
 * --resume trusts a .json only when it holds exactly one complete line
 * (the newline included: a file cut short by a crash before the data
 * reached the disk is not complete), for the same path and analysis rate,
 * with status "CORE_OK", and whose features (null or a path) match this
 * run's --features with the .npy present. Anything else is processed
 * again. */
#include "corpus_features.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SIDECAR ((size_t)256 << 20) /* far above 100000 segments */

static void set_err(char *err, size_t cap, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, cap, fmt, ap);
  va_end(ap);
}

/* mkdir -p for path[0, len). */
static int mkdir_prefix(const char *path, size_t len) {
  char *p = malloc(len + 1);
  if (!p) {
    errno = ENOMEM;
    return -1;
  }
  memcpy(p, path, len);
  p[len] = '\0';
  int rc = 0;
  for (size_t i = 1; i <= len && rc == 0; ++i) {
    if (i < len && p[i] != '/') continue;
    if (i < len && p[i - 1] == '/') continue; /* "//" */
    char c = p[i];
    p[i] = '\0';
    if (mkdir(p, 0777) != 0) {
      int e = errno;
      struct stat st;
      if (e != EEXIST || stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
        errno = e == EEXIST ? ENOTDIR : e;
        rc = -1;
      }
    }
    p[i] = c;
  }
  free(p);
  return rc;
}

int cf_out_prepare(const char *dir, char *err, size_t errcap) {
  if (!*dir) {
    set_err(err, errcap, "--out: empty folder name");
    return -1;
  }
  if (mkdir_prefix(dir, strlen(dir)) != 0) {
    set_err(err, errcap, "--out %s: cannot create folder: %s", dir, strerror(errno));
    return -1;
  }
  /* access(W_OK) is not enough (root passes it on a read-only mount):
   * make a file. Its name is hidden, so a walk of DIR never sees it. */
  char probe[4096];
  snprintf(probe, sizeof probe, "%s/.corpus_features.probe.%ld", dir, (long)getpid());
  int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    set_err(err, errcap, "--out %s: folder not writable: %s", dir, strerror(errno));
    return -1;
  }
  close(fd);
  unlink(probe);
  return 0;
}

int cf_out_mkdirs(const char *dir, const char *name) {
  const char *slash = strrchr(name, '/');
  if (!slash) return 0;
  char *p = cf_out_path(dir, name, "");
  if (!p) {
    errno = ENOMEM;
    return -1;
  }
  /* Up to the last '/' of DIR/<name>. */
  int rc = mkdir_prefix(p, (size_t)(strrchr(p, '/') - p));
  free(p);
  return rc;
}

char *cf_out_path(const char *dir, const char *name, const char *suffix) {
  size_t ld = strlen(dir), n = ld + 1 + strlen(name) + strlen(suffix) + 1;
  char *p = malloc(n);
  if (!p) return NULL;
  snprintf(p, n, "%s%s%s%s", dir, (ld && dir[ld - 1] == '/') ? "" : "/", name, suffix);
  return p;
}

static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

int cf_write_atomic(const char *path, const char *line, size_t len) {
  size_t lp = strlen(path);
  char *tmp = malloc(lp + sizeof ".partial");
  if (!tmp) {
    errno = ENOMEM;
    return -1;
  }
  memcpy(tmp, path, lp);
  memcpy(tmp + lp, ".partial", sizeof ".partial");
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  int rc = fd < 0 ? -1 : 0;
  if (rc == 0 && (write_all(fd, line, len) != 0 || write_all(fd, "\n", 1) != 0)) rc = -1;
  if (fd >= 0 && close(fd) != 0 && rc == 0) rc = -1; /* NFS reports late */
  if (rc == 0 && rename(tmp, path) != 0) rc = -1;
  if (rc != 0) {
    int e = errno;
    if (fd >= 0) unlink(tmp);
    errno = e;
  }
  free(tmp);
  return rc;
}

size_t cf_format_json(const core_file_summary_t *s, char **buf, size_t *cap) {
  size_t len = 0;
  core_status st = core_file_summary_json(s, *buf, *cap, &len);
  if (st == CORE_E_BUFFER_TOO_SMALL) {
    size_t want = len + 1;
    if (want < 2 * *cap) want = 2 * *cap;
    char *b = realloc(*buf, want);
    if (!b) {
      fprintf(stderr, CF_PROG ": out of memory formatting the record of %s\n", s->path);
      return (size_t)-1;
    }
    *buf = b;
    *cap = want;
    st = core_file_summary_json(s, *buf, *cap, &len);
  }
  if (st != CORE_OK) {
    fprintf(stderr, CF_PROG ": %s: %s: %s\n", s->path, core_status_str(st),
            core_last_error_message());
    return (size_t)-1;
  }
  return len;
}

/* The whole file, NUL-terminated, or NULL. */
static char *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (cap - len < 4096) {
      if (cap >= MAX_SIDECAR) break;
      size_t nc = cap ? cap * 2 : 8192;
      char *b = realloc(buf, nc + 1);
      if (!b) break;
      buf = b;
      cap = nc;
    }
    size_t r = fread(buf + len, 1, cap - len, f);
    len += r;
    if (r == 0) {
      if (ferror(f)) break;
      fclose(f);
      buf[len] = '\0';
      *n = len;
      return buf;
    }
  }
  fclose(f);
  free(buf);
  return NULL;
}

char *cf_resume_line(const char *json_path, const char *npy_path, const char *path,
                     uint32_t rate) {
  size_t n = 0;
  char *line = slurp(json_path, &n);
  if (!line) return NULL;
  /* One complete line: ends with its only newline, no NUL inside. */
  if (n < 2 || line[n - 1] != '\n' || memchr(line, '\n', n - 1) || strlen(line) != n) goto no;
  line[n - 1] = '\0';

  /* The expected start: this path, escaped by the library itself (a
   * failed record is {"path":...,"status":...,"error":...}). An escaped
   * string never holds the two characters ," (a quote in it is \"), so the
   * first ,"status":" is the record's own field. */
  core_file_summary_t probe;
  memset(&probe, 0, sizeof probe);
  probe.struct_size = sizeof probe;
  probe.path = path;
  probe.status = CORE_E_IO;
  probe.message = "";
  char *fmt = NULL;
  size_t fcap = 0;
  size_t flen = cf_format_json(&probe, &fmt, &fcap);
  if (flen == (size_t)-1) {
    free(fmt);
    goto no;
  }
  const char *cut = strstr(fmt, ",\"status\":\"");
  int ok = cut != NULL;
  if (ok) {
    size_t plen = (size_t)(cut - fmt);
    static const char want_status[] = ",\"status\":\"CORE_OK\",";
    ok = strncmp(line, fmt, plen) == 0 &&
         strncmp(line + plen, want_status, sizeof want_status - 1) == 0;
  }
  free(fmt);
  if (!ok) goto no;

  char key[64];
  snprintf(key, sizeof key, ",\"rate\":%u,", (unsigned)rate);
  if (!strstr(line, key)) goto no;
  int has_features = strstr(line, ",\"features\":null,") == NULL;
  if (has_features != (npy_path != NULL)) goto no;
  if (npy_path) {
    struct stat st;
    if (stat(npy_path, &st) != 0 || !S_ISREG(st.st_mode)) goto no;
  }
  return line;
no:
  free(line);
  return NULL;
}
