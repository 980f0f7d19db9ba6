/* corpus_features: INPUT to the list of files and their output <name>s.
 *
 * A folder is walked recursively; entries whose name starts with '.'
 * (hidden files and folders) and *.partial files (an interrupted writer's)
 * are skipped, and so are symbolic links to folders (no loops) and
 * anything that is not a regular file (a FIFO would block the reader).
 * The files are sorted by their path relative to the folder (byte order,
 * which is code point order for UTF-8, as Python's sorted() gives), so
 * the order, and with it which of two same-named files wins, does not
 * depend on the file system. <name> is that relative path without its
 * extension.
 *
 * A list file holds one path per line; lines are stripped of surrounding
 * white space, blank ones and those starting with '#' are ignored, and a
 * relative path is taken relative to the list file's folder (joined as
 * os.path.join(os.path.dirname(list), line) does, so the "path" field is
 * the same bytes in every front end). <name> is the basename without its
 * extension.
 *
 * Extensions follow os.path.splitext: the last '.' of the basename, unless
 * only dots precede it (".bashrc" has none). */
#include "corpus_features.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- small helpers --------------------------------------------------- */

static void set_err(char *err, size_t cap, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, cap, fmt, ap);
  va_end(ap);
}

static char *xasprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return NULL;
  char *s = malloc((size_t)n + 1);
  if (!s) return NULL;
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

/* os.path.join(a, b) for a relative b: one '/' between them. */
static char *join(const char *a, const char *b) {
  if (!*a) return strdup(b);
  size_t la = strlen(a);
  return xasprintf("%s%s%s", a, a[la - 1] == '/' ? "" : "/", b);
}

char *cf_strip_extension(const char *rel) {
  const char *slash = strrchr(rel, '/');
  const char *base = slash ? slash + 1 : rel;
  const char *dot = strrchr(base, '.');
  size_t keep = strlen(rel);
  if (dot) {
    const char *p = base;
    while (p < dot && *p == '.') ++p;
    if (p < dot) keep = (size_t)(dot - rel); /* a non-dot precedes it */
  }
  char *s = malloc(keep + 1);
  if (!s) return NULL;
  memcpy(s, rel, keep);
  s[keep] = '\0';
  return s;
}

static int push(cf_inputs *in, char *path, char *name, core_status st, char *message) {
  if (!path || (st == CORE_OK && !name) || (st != CORE_OK && !message)) goto oom;
  if (in->n == in->cap) {
    size_t cap = in->cap ? in->cap * 2 : 64;
    cf_input *v = realloc(in->v, cap * sizeof *v);
    if (!v) goto oom;
    in->v = v;
    in->cap = cap;
  }
  in->v[in->n++] = (cf_input){path, name, st, message};
  return 0;
oom:
  free(path);
  free(name);
  free(message);
  return -1;
}

void cf_inputs_free(cf_inputs *in) {
  for (size_t i = 0; i < in->n; ++i) {
    free(in->v[i].path);
    free(in->v[i].name);
    free(in->v[i].message);
  }
  free(in->v);
  in->v = NULL;
  in->n = in->cap = 0;
}

/* ---- the folder walk ------------------------------------------------- */

/* A file found (or a folder that could not be read: err != 0), by its
 * path relative to INPUT. */
typedef struct found {
  char *rel;
  int err;
} found;

typedef struct walk {
  const char *root;
  uint64_t skip_dev, skip_ino;
  found *v;
  size_t n, cap;
} walk;

static int add_found(walk *w, char *rel, int err) {
  if (!rel) return -1;
  if (w->n == w->cap) {
    size_t cap = w->cap ? w->cap * 2 : 256;
    found *v = realloc(w->v, cap * sizeof *v);
    if (!v) {
      free(rel);
      return -1;
    }
    w->v = v;
    w->cap = cap;
  }
  w->v[w->n++] = (found){rel, err};
  return 0;
}

static int ends_with(const char *s, const char *suffix) {
  size_t ls = strlen(s), lx = strlen(suffix);
  return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

/* Walks root/rel (rel "" for root itself). -1 only when out of memory; an
 * unreadable subfolder is recorded as a failed entry. */
static int walk_dir(walk *w, const char *rel) {
  char *dirpath = *rel ? join(w->root, rel) : strdup(w->root);
  if (!dirpath) return -1;
  DIR *d = opendir(dirpath);
  if (!d) {
    int e = errno;
    free(dirpath);
    return add_found(w, strdup(rel), e);
  }
  int rc = 0;
  struct dirent *de;
  for (errno = 0; (de = readdir(d)) != NULL; errno = 0) {
    const char *nm = de->d_name;
    if (nm[0] == '.' || ends_with(nm, ".partial")) continue; /* hidden, ., .., partial */
    char *child_rel = *rel ? join(rel, nm) : strdup(nm);
    char *child = child_rel ? join(dirpath, nm) : NULL;
    if (!child) {
      free(child_rel);
      rc = -1;
      break;
    }
    struct stat st;
    if (lstat(child, &st) != 0) {
      /* Vanished since readdir, or unreadable: let the library say. */
      rc = add_found(w, child_rel, 0);
    } else if (S_ISDIR(st.st_mode)) {
      if (w->skip_ino && (uint64_t)st.st_dev == w->skip_dev &&
          (uint64_t)st.st_ino == w->skip_ino) {
        free(child_rel); /* the --out folder: our own outputs */
      } else {
        rc = walk_dir(w, child_rel);
        free(child_rel);
      }
    } else if (S_ISREG(st.st_mode)) {
      rc = add_found(w, child_rel, 0);
    } else if (S_ISLNK(st.st_mode)) {
      struct stat t;
      if (stat(child, &t) == 0 && !S_ISREG(t.st_mode))
        free(child_rel); /* a link to a folder or a device: not followed */
      else
        rc = add_found(w, child_rel, 0); /* to a file, or dangling (reported) */
    } else {
      free(child_rel); /* FIFO, socket, device */
    }
    free(child);
    if (rc != 0) break;
  }
  if (rc == 0 && errno != 0) {
    /* readdir failed part way: say so rather than silently skip files. */
    rc = add_found(w, strdup(rel), errno);
  }
  closedir(d);
  free(dirpath);
  return rc;
}

static int cmp_found(const void *a, const void *b) {
  return strcmp(((const found *)a)->rel, ((const found *)b)->rel);
}

static int load_folder(const char *input, uint64_t skip_dev, uint64_t skip_ino, cf_inputs *out,
                       char *err, size_t errcap) {
  walk w = {input, skip_dev, skip_ino, NULL, 0, 0};
  int rc = walk_dir(&w, "");
  if (rc == 0 && w.n == 1 && w.v[0].err && w.v[0].rel[0] == '\0') {
    set_err(err, errcap, "cannot read folder %s: %s", input, strerror(w.v[0].err));
    rc = -2;
  }
  if (rc == 0) {
    qsort(w.v, w.n, sizeof *w.v, cmp_found);
    for (size_t i = 0; i < w.n && rc == 0; ++i) {
      char *path = join(input, w.v[i].rel);
      if (w.v[i].err)
        rc = push(out, path, NULL, CORE_E_IO,
                  xasprintf("cannot read folder %s: %s", path ? path : "",
                            strerror(w.v[i].err)));
      else
        rc = push(out, path, cf_strip_extension(w.v[i].rel), CORE_OK, NULL);
    }
  }
  if (rc == -1) set_err(err, errcap, "out of memory reading folder %s", input);
  for (size_t i = 0; i < w.n; ++i) free(w.v[i].rel);
  free(w.v);
  return rc == 0 ? 0 : -1;
}

/* ---- the list file --------------------------------------------------- */

/* os.path.dirname: everything before the last '/', trailing slashes
 * removed unless it is all slashes. */
static char *dirname_of(const char *p) {
  const char *slash = strrchr(p, '/');
  if (!slash) return strdup("");
  size_t n = (size_t)(slash - p) + 1;
  size_t k = n;
  while (k > 0 && p[k - 1] == '/') --k;
  if (k == 0) k = n; /* "/" or "//": kept */
  char *s = malloc(k + 1);
  if (!s) return NULL;
  memcpy(s, p, k);
  s[k] = '\0';
  return s;
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static int load_list(const char *input, cf_inputs *out, char *err, size_t errcap) {
  FILE *f = fopen(input, "r");
  if (!f) {
    set_err(err, errcap, "cannot open list file %s: %s", input, strerror(errno));
    return -1;
  }
  char *dir = dirname_of(input);
  char *line = NULL;
  size_t lcap = 0;
  ssize_t len;
  int rc = dir ? 0 : -1;
  size_t lineno = 0;
  while (rc == 0 && (len = getline(&line, &lcap, f)) >= 0) {
    ++lineno;
    if (memchr(line, '\0', (size_t)len)) {
      /* An audio file given as INPUT would be read as a list of garbage
       * paths: refuse binary data. */
      set_err(err, errcap,
              "%s is neither a folder nor a text list of paths (NUL byte on line %zu)", input,
              lineno);
      rc = -2;
      break;
    }
    char *s = line, *e = line + len;
    while (s < e && is_space(*s)) ++s;
    while (e > s && is_space(e[-1])) --e;
    *e = '\0';
    if (s == e || *s == '#') continue;
    char *path = (*s == '/') ? strdup(s) : join(dir, s);
    /* <name>: the basename (trailing slashes dropped) without extension. */
    char *name = NULL;
    if (path) {
      char *t = strdup(s);
      if (t) {
        size_t n = strlen(t);
        while (n > 1 && t[n - 1] == '/') t[--n] = '\0';
        const char *slash = strrchr(t, '/');
        name = cf_strip_extension(slash ? slash + 1 : t);
        free(t);
      }
    }
    rc = push(out, path, name, CORE_OK, NULL);
  }
  if (rc == 0 && ferror(f)) {
    set_err(err, errcap, "cannot read list file %s: %s", input, strerror(errno));
    rc = -2;
  }
  if (rc == -1) set_err(err, errcap, "out of memory reading list file %s", input);
  free(line);
  free(dir);
  fclose(f);
  return rc == 0 ? 0 : -1;
}

/* ---- duplicate names ------------------------------------------------- */

static const cf_input *g_sort_v; /* qsort has no user pointer */

static int cmp_by_name(const void *a, const void *b) {
  size_t i = *(const size_t *)a, j = *(const size_t *)b;
  int c = strcmp(g_sort_v[i].name, g_sort_v[j].name);
  if (c) return c;
  return (i > j) - (i < j); /* the earlier input first */
}

static int mark_duplicates(cf_inputs *in) {
  size_t *idx = malloc((in->n ? in->n : 1) * sizeof *idx);
  if (!idx) return -1;
  size_t m = 0;
  for (size_t i = 0; i < in->n; ++i)
    if (in->v[i].status == CORE_OK) idx[m++] = i;
  g_sort_v = in->v;
  qsort(idx, m, sizeof *idx, cmp_by_name);
  int rc = 0;
  /* idx is grouped by name, earliest input first in each group. */
  for (size_t k = 0; k < m && rc == 0;) {
    const cf_input *first = &in->v[idx[k]];
    size_t e = k + 1;
    for (; e < m && rc == 0 && strcmp(in->v[idx[e]].name, first->name) == 0; ++e) {
      cf_input *dup = &in->v[idx[e]];
      dup->status = CORE_E_INVALID_ARGUMENT;
      dup->message = xasprintf("duplicate output name '%s' (also %s)", dup->name, first->path);
      if (!dup->message) rc = -1;
    }
    k = e;
  }
  free(idx);
  return rc;
}

int cf_inputs_load(const char *input, uint64_t skip_dev, uint64_t skip_ino, cf_inputs *out,
                   char *err, size_t errcap) {
  struct stat st;
  if (stat(input, &st) != 0) {
    set_err(err, errcap, "INPUT %s: %s", input, strerror(errno));
    return -1;
  }
  int rc = S_ISDIR(st.st_mode) ? load_folder(input, skip_dev, skip_ino, out, err, errcap)
                               : load_list(input, out, err, errcap);
  if (rc == 0 && mark_duplicates(out) != 0) {
    set_err(err, errcap, "out of memory");
    rc = -1;
  }
  if (rc != 0) cf_inputs_free(out);
  return rc;
}
