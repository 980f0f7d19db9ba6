/* Out-of-memory injection over every public path of libcore that can
 * allocate: each scenario (oom_<module>.c) is walked by failing its
 * allocation 1, 2, 3, ... until a run makes no allocation fail.
 *
 * The walk of one scenario (walk() below):
 *   1. Warm-up, twice, un-injected: setup, op, result, teardown. Lazy
 *      one-time state (thread-local buffers, TLS destructor lists, the
 *      SIMD dispatch, stdio buffers) is made here and not counted as a
 *      leak. The two runs must give the same result and the second must
 *      leave the live-block count as it found it.
 *   2. For k = 1, 2, ...: setup; arm failure at k on this thread; op;
 *      disarm. If no allocation was failed, k is past the op's
 *      allocations: the op must have succeeded with the warm-up's result,
 *      and the walk ends. Otherwise the op must return
 *      CORE_E_OUT_OF_MEMORY exactly (or, for scenarios flagged
 *      OOM_ABSORBS, succeed with the warm-up's result: a documented
 *      fallback), with core_last_error_message() starting "<fn>:"; for
 *      OOM_UNCHANGED scenarios state() must be what it was before the
 *      call; then the documented recovery (if any), the op again
 *      un-injected, which must succeed with the warm-up's result; then
 *      teardown, after which the live-block count (allocations minus
 *      frees, mappings minus unmappings; oom_alloc.h) must be back where
 *      it was before setup.
 *
 * libcore's parallel paths run their work in a oneTBB arena whose worker
 * threads allocate too; the failure window is the calling thread's, so
 * the harness sets core_set_num_threads(1): every path then runs serially
 * on the calling thread and every allocation is walked. (The parallel
 * arena's own allocations are not walked.)
 *
 * Audio files (core_audio_read, core_audio_info, core_audio_open,
 * core_audio_reader_read) are left out: libsndfile itself crashes on some
 * deep allocation failures, and tests/unit/test_audio_file_alloc.c covers
 * what libcore does there.
 *
 * usage: oom_harness <module>      ring, cache, metrics, batch, audio, pipeline
 *                                  (OOM_ONLY=<scenario> runs just that one)
 *        oom_harness --headers DIR every *_create and every function whose
 *                                  header comment names CORE_E_OUT_OF_MEMORY
 *                                  has a scenario
 * Output is TAP (CMOCKA_MESSAGE_OUTPUT=TAP) with one "# <scenario>: ..."
 * line of figures per scenario. Sanitizer builds replace malloc: there the
 * program reports SKIP (exit 77). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oom.h"
#include "oom_alloc.h"

/* ---- fingerprints --------------------------------------------------------- */

void fp_add(oom_fp *fp, const char *fmt, ...) {
  if (fp->len >= sizeof fp->text - 1) return;
  va_list args;
  va_start(args, fmt);
  const int w = vsnprintf(fp->text + fp->len, sizeof fp->text - fp->len, fmt, args);
  va_end(args);
  if (w > 0) fp->len += (size_t)w;
  if (fp->len > sizeof fp->text - 1) fp->len = sizeof fp->text - 1;
}

void fp_hash(oom_fp *fp, const char *label, const void *data, size_t bytes) {
  uint64_t h = 0xcbf29ce484222325ull;
  const unsigned char *p = (const unsigned char *)data;
  for (size_t i = 0; i < bytes; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  fp_add(fp, "%s=%016llx/%zu ", label, (unsigned long long)h, bytes);
}

static int fp_equal(const oom_fp *a, const oom_fp *b) {
  return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

/* ---- checks usable from scenario code --------------------------------------- */

void oom_ok_at(core_status st, const char *what, const char *file, int line) {
  if (st == CORE_OK) return;
  oom_disarm();
  fail_msg("%s:%d: %s returned %s: %s", file, line, what, core_status_str(st),
           core_last_error_message());
}

void oom_true_at(int cond, const char *what, const char *file, int line) {
  if (cond) return;
  oom_disarm();
  fail_msg("%s:%d: %s is false", file, line, what);
}

/* ---- shared inputs ------------------------------------------------------------ */

/* Voiced bursts (a 140 Hz harmonic voice with syllables) over white noise
 * at -60 dBFS, as tests/unit/test_vad_util.h makes them; deterministic. */
static float g_speech[16000 * 12], g_bursts[16000 * 40];
static char g_tmpdir[256];

static void add_noise(float *x, size_t n, double sd, uint64_t seed) {
  uint64_t s = seed * 0x9e3779b97f4a7c15ull + 1;
  for (size_t i = 0; i < n; i += 2) {
    double u[2];
    for (int j = 0; j < 2; ++j) {
      s ^= s << 13, s ^= s >> 7, s ^= s << 17;
      u[j] = ((double)(s >> 11) + 0.5) / 9007199254740992.0;
    }
    const double r = sqrt(-2.0 * log(u[0])), t = 6.283185307179586 * u[1];
    x[i] += (float)(sd * r * cos(t));
    if (i + 1 < n) x[i + 1] += (float)(sd * r * sin(t));
  }
}

static void add_voice(float *x, size_t start, size_t len, double rms) {
  const double f0 = 140.0, pi2 = 6.283185307179586, rate = 16000.0;
  double norm = 0.0;
  int nh = 0;
  for (int h = 1; h * f0 < 4000.0; ++h, ++nh) norm += 0.5 / (h * h);
  const double gain = rms / sqrt(norm);
  for (size_t i = 0; i < len; ++i) {
    const double t = (double)i / rate;
    if (fmod(t, 0.75) >= 0.69) continue;
    double v = 0.0;
    for (int h = 1; h <= nh; ++h) v += sin(pi2 * f0 * h * t + h) / h;
    x[start + i] += (float)(gain * (0.625 - 0.375 * cos(pi2 * 4.0 * t)) * v);
  }
}

static void make_inputs(void) {
  const size_t n = sizeof g_speech / sizeof g_speech[0];
  add_noise(g_speech, n, 1e-3, 1);
  const double at[5] = {0.5, 2.6, 4.9, 7.3, 9.6}, len[5] = {1.6, 1.9, 1.4, 1.8, 1.7};
  for (int i = 0; i < 5; ++i)
    add_voice(g_speech, (size_t)(at[i] * 16000), (size_t)(len[i] * 16000), 0.05);
  const size_t m = sizeof g_bursts / sizeof g_bursts[0];
  add_noise(g_bursts, m, 1e-3, 2);
  for (int i = 0; i < 24; ++i)
    add_voice(g_bursts, (size_t)((0.4 + 1.6 * i) * 16000), 16000 * 7 / 10, 0.05);
}

const float *oom_speech(size_t *n) {
  *n = sizeof g_speech / sizeof g_speech[0];
  return g_speech;
}

const float *oom_many_bursts(size_t *n) {
  *n = sizeof g_bursts / sizeof g_bursts[0];
  return g_bursts;
}

const char *oom_tmpdir(void) { return g_tmpdir; }

static void remove_tmpdir(void) {
  DIR *d = opendir(g_tmpdir);
  if (d != NULL) {
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      snprintf(path, sizeof path, "%s/%s", g_tmpdir, e->d_name);
      unlink(path);
    }
    closedir(d);
  }
  rmdir(g_tmpdir);
}

/* ---- the walk --------------------------------------------------------------------- */

static _Alignas(64) unsigned char g_ctx[OOM_CTX_BYTES];
static const long kMaxPoints = 100000; /* a runaway walk is a bug of the harness */

static oom_fp g_warm, g_fp, g_before, g_after; /* static: no allocation, no stack bloat */

static void fresh_ctx(void) { memset(g_ctx, 0, sizeof g_ctx); }

/* Whether the message names fn first ("core_x: ..."). */
static int names_fn(const char *msg, const char *fn) {
  const size_t n = strlen(fn);
  return strncmp(msg, fn, n) == 0 && msg[n] == ':';
}

static void walk(void **state) {
  const oom_scenario *s = (const oom_scenario *)*state;

  /* 1. warm-up */
  long live0 = 0;
  for (int run = 0; run < 2; ++run) {
    fresh_ctx();
    if (run == 1) live0 = oom_live();
    s->setup(g_ctx);
    const core_status st = s->op(g_ctx);
    if (st != CORE_OK)
      fail_msg("%s: the un-injected op failed: %s: %s", s->name, core_status_str(st),
               core_last_error_message());
    oom_fp *fp = run == 0 ? &g_warm : &g_fp;
    fp->len = 0;
    fp->text[0] = '\0';
    s->result(g_ctx, fp);
    s->teardown(g_ctx);
    if (run == 1 && !fp_equal(&g_warm, &g_fp))
      fail_msg("%s: two un-injected runs differ (the scenario is not deterministic):\n  %s\n  %s",
               s->name, g_warm.text, g_fp.text);
  }
  if (oom_live() != live0)
    fail_msg("%s: an un-injected run leaks %ld block(s)", s->name, oom_live() - live0);

  /* 2. the walk */
  long k, oom = 0, absorbed = 0;
  for (k = 1; k <= kMaxPoints; ++k) {
    fresh_ctx();
    const long base = oom_live();
    s->setup(g_ctx);
    if (s->flags & OOM_UNCHANGED) {
      g_before.len = 0;
      g_before.text[0] = '\0';
      s->state(g_ctx, &g_before);
    }
    oom_arm(k);
    core_status st = s->op(g_ctx);
    const int injected = oom_disarm();
    g_fp.len = 0;
    g_fp.text[0] = '\0';
    if (!injected) {
      if (st != CORE_OK)
        fail_msg("%s: with no allocation failed (k = %ld) the op returned %s: %s", s->name, k,
                 core_status_str(st), core_last_error_message());
      s->result(g_ctx, &g_fp);
      if (!fp_equal(&g_warm, &g_fp))
        fail_msg("%s: k = %ld, nothing failed, yet the result differs from the warm-up:\n"
                 "  warm-up: %s\n  now:     %s",
                 s->name, k, g_warm.text, g_fp.text);
      s->teardown(g_ctx);
      if (oom_live() != base)
        fail_msg("%s: k = %ld (no failure): %ld block(s) leaked", s->name, k, oom_live() - base);
      break;
    }
    if (s->expect == OOM_NONE)
      fail_msg("%s: documented as allocation-free, but allocation %ld was made (the op then "
               "returned %s)",
               s->name, k, core_status_str(st));
    if (st == CORE_OK) {
      /* The failure was absorbed: only a documented fallback may do that,
       * and the result must be the same. */
      if (!(s->flags & OOM_ABSORBS))
        fail_msg("%s: allocation %ld failed but %s returned CORE_OK (a lost failure?)", s->name,
                 k, s->fn);
      s->result(g_ctx, &g_fp);
      if (!fp_equal(&g_warm, &g_fp))
        fail_msg("%s: allocation %ld failed, the op returned CORE_OK, and the result differs "
                 "(data lost):\n  warm-up: %s\n  now:     %s",
                 s->name, k, g_warm.text, g_fp.text);
      ++absorbed;
    } else {
      if (st != CORE_E_OUT_OF_MEMORY)
        fail_msg("%s: allocation %ld failed: %s returned %s, not CORE_E_OUT_OF_MEMORY: %s",
                 s->name, k, s->fn, core_status_str(st), core_last_error_message());
      const char *msg = core_last_error_message();
      if (!names_fn(msg, s->fn))
        fail_msg("%s: allocation %ld failed: the message does not start with \"%s:\": %s",
                 s->name, k, s->fn, msg);
      if (s->flags & OOM_UNCHANGED) {
        g_after.len = 0;
        g_after.text[0] = '\0';
        s->state(g_ctx, &g_after);
        if (!fp_equal(&g_before, &g_after))
          fail_msg("%s: allocation %ld failed and the state changed (documented unchanged):\n"
                   "  before: %s\n  after:  %s",
                   s->name, k, g_before.text, g_after.text);
      }
      if (s->recover) s->recover(g_ctx);
      st = s->op(g_ctx);
      if (st != CORE_OK)
        fail_msg("%s: after allocation %ld failed, the retry returned %s: %s", s->name, k,
                 core_status_str(st), core_last_error_message());
      s->result(g_ctx, &g_fp);
      if (!fp_equal(&g_warm, &g_fp))
        fail_msg("%s: after allocation %ld failed, the retry's result differs:\n"
                 "  warm-up: %s\n  retry:   %s",
                 s->name, k, g_warm.text, g_fp.text);
      ++oom;
    }
    s->teardown(g_ctx);
    if (oom_live() != base)
      fail_msg("%s: allocation %ld failed: %ld block(s) leaked", s->name, k, oom_live() - base);
  }
  if (k > kMaxPoints) fail_msg("%s: more than %ld allocation points", s->name, kMaxPoints);
  const long points = k - 1;
  if (s->expect == OOM_SOME && points == 0)
    fail_msg("%s: no allocation was seen: the hook is blind to this path", s->name);
  if (points == 0) {
    printf("# %s: no allocation%s\n", s->name,
           s->expect == OOM_NONE ? " (documented allocation-free)" : "");
  } else if (absorbed == 0) {
    printf("# %s: %ld allocation point%s, all CORE_E_OUT_OF_MEMORY, no leak\n", s->name, points,
           points == 1 ? "" : "s");
  } else {
    printf("# %s: %ld allocation points, %ld CORE_E_OUT_OF_MEMORY, %ld absorbed with the same "
           "result (%s), no leak\n",
           s->name, points, oom, absorbed, s->why);
  }
  fflush(stdout);
}

/* ---- the header check ------------------------------------------------------------- */

static const oom_module *const kModules[] = {&oom_ring_module,    &oom_cache_module,
                                             &oom_metrics_module, &oom_batch_module,
                                             &oom_audio_module,   &oom_pipeline_module};
#define NMODULES (sizeof kModules / sizeof kModules[0])

/* Public functions deliberately without a scenario. */
static const struct {
  const char *fn, *why;
} kNotWalked[] = {
    {"core_audio_read", "libsndfile crashes on deep allocation failures; "
                        "tests/unit/test_audio_file_alloc.c covers libcore's side"},
    {"core_audio_info", "as core_audio_read"},
    {"core_audio_open", "as core_audio_read: even a PCM16 WAV's sf_open_virtual segfaults "
                        "under this walk (tried); the reader's buffers and libsndfile's first "
                        "allocation are injected in test_audio_file_alloc.c"},
    {"core_audio_reader_read", "as core_audio_read"},
    {"core_collection_run", "reads files through core_audio_open / reader_read (libsndfile, "
                            "as core_audio_read); a file's own allocation failure is that "
                            "file's CORE_E_OUT_OF_MEMORY in its summary, not the run's status: "
                            "test_audio_file_alloc.c injects libcore's buffers there"},
};

static const oom_scenario *covering(const char *fn) {
  for (size_t m = 0; m < NMODULES; ++m)
    for (size_t i = 0; i < kModules[m]->count; ++i) {
      const oom_scenario *s = &kModules[m]->scenarios[i];
      if (strcmp(s->fn, fn) == 0) return s;
      for (int j = 0; j < 4 && s->also[j]; ++j)
        if (strcmp(s->also[j], fn) == 0) return s;
    }
  return NULL;
}

static const char *g_headers;
static char g_text[256 * 1024];

typedef struct decl {
  char name[96];
  int oom_doc; /* its comment names CORE_E_OUT_OF_MEMORY */
} decl;
static decl g_decls[1024];
static size_t g_ndecls;

static int ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Collects the CORE_API declarations of one header with whether the
 * comment just before them (one comment may document several) names
 * CORE_E_OUT_OF_MEMORY. void functions cannot report a status: skipped. */
static void scan_header(const char *path) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  const size_t len = fread(g_text, 1, sizeof g_text - 1, f);
  fclose(f);
  assert_true(len < sizeof g_text - 1);
  g_text[len] = '\0';
  const char *comment = "", *comment_end = "";
  for (const char *p = g_text; *p;) {
    if (p[0] == '/' && p[1] == '*') {
      const char *e = strstr(p + 2, "*/");
      assert_non_null(e);
      comment = p, comment_end = e;
      p = e + 2;
      continue;
    }
    const int at_api = strncmp(p, "CORE_API", 8) == 0 && !ident_char(p[8]) &&
                       (p == g_text || !ident_char(p[-1]));
    if (!at_api) {
      ++p;
      continue;
    }
    const char *line = p;
    while (line > g_text && line[-1] != '\n') --line;
    const char *paren = strchr(p, '(');
    if (*line == '#' || paren == NULL) {  /* the macro's own definition */
      p += 8;
      continue;
    }
    const char *end = paren;
    while (end > p && (end[-1] == ' ' || end[-1] == '\n')) --end;
    const char *start = end;
    while (start > p && ident_char(start[-1])) --start;
    const char *ret = p + 8;
    while (*ret == ' ') ++ret;
    p = paren;
    if (strncmp(ret, "void", 4) == 0 && ret[4] == ' ') continue;
    assert_true(g_ndecls < sizeof g_decls / sizeof g_decls[0]);
    decl *d = &g_decls[g_ndecls++];
    snprintf(d->name, sizeof d->name, "%.*s", (int)(end - start), start);
    d->oom_doc = 0;
    for (const char *c = comment; c < comment_end; ++c)
      if (strncmp(c, "CORE_E_OUT_OF_MEMORY", 20) == 0) d->oom_doc = 1;
  }
}

static const decl *declared(const char *fn) {
  for (size_t i = 0; i < g_ndecls; ++i)
    if (strcmp(g_decls[i].name, fn) == 0) return &g_decls[i];
  return NULL;
}

static void every_allocating_function_has_a_scenario(void **state) {
  (void)state;
  static const char *const headers[] = {"core.h",  "array.h",   "stats.h", "ring.h",
                                        "batch.h", "cache.h",   "metrics.h", "audio.h",
                                        "pipeline.h"}; /* loader.h: not libcore.so's */
  char path[1024];
  for (size_t i = 0; i < sizeof headers / sizeof headers[0]; ++i) {
    snprintf(path, sizeof path, "%s/%s", g_headers, headers[i]);
    scan_header(path);
  }
  assert_true(g_ndecls > 100); /* the scanner found the API */
  int missing = 0;
  size_t required = 0;
  for (size_t i = 0; i < g_ndecls; ++i) {
    const decl *d = &g_decls[i];
    const size_t n = strlen(d->name);
    const int is_create = n > 7 && strcmp(d->name + n - 7, "_create") == 0;
    if (!is_create && !d->oom_doc) continue;
    ++required;
    int excused = 0;
    for (size_t j = 0; j < sizeof kNotWalked / sizeof kNotWalked[0]; ++j)
      if (strcmp(kNotWalked[j].fn, d->name) == 0) {
        printf("# %s: not walked (%s)\n", d->name, kNotWalked[j].why);
        excused = 1;
      }
    if (excused) continue;
    const oom_scenario *s = covering(d->name);
    if (s == NULL) {
      printf("# MISSING: %s (%s) has no out-of-memory scenario in tests/oom\n", d->name,
             is_create ? "a *_create function" : "its comment names CORE_E_OUT_OF_MEMORY");
      missing = 1;
    } else {
      printf("# %s: walked by %s\n", d->name, s->name);
    }
  }
  /* And every scenario names real functions (a typo would hide a gap). */
  for (size_t m = 0; m < NMODULES; ++m)
    for (size_t i = 0; i < kModules[m]->count; ++i) {
      const oom_scenario *s = &kModules[m]->scenarios[i];
      if (!declared(s->fn)) {
        printf("# scenario %s names %s, which no header declares\n", s->name, s->fn);
        missing = 1;
      }
      for (int j = 0; j < 4 && s->also[j]; ++j)
        if (!declared(s->also[j])) {
          printf("# scenario %s names %s, which no header declares\n", s->name, s->also[j]);
          missing = 1;
        }
    }
  printf("# %zu functions are *_create or document CORE_E_OUT_OF_MEMORY\n", required);
  fflush(stdout);
  if (missing) fail_msg("functions without an out-of-memory scenario (see above)");
}

/* ---- main ----------------------------------------------------------------------------- */

int main(int argc, char **argv) {
  if (!oom_available()) {
    printf("1..0 # SKIP sanitizer build: the allocators cannot be interposed\n");
    return 77;
  }
  if (argc == 3 && strcmp(argv[1], "--headers") == 0) {
    g_headers = argv[2];
    const struct CMUnitTest tests[] = {cmocka_unit_test(every_allocating_function_has_a_scenario)};
    return cmocka_run_group_tests_name("oom_headers", tests, NULL, NULL);
  }
  const oom_module *mod = NULL;
  for (size_t m = 0; argc == 2 && m < NMODULES; ++m)
    if (strcmp(argv[1], kModules[m]->name) == 0) mod = kModules[m];
  if (mod == NULL) {
    fprintf(stderr, "usage: %s <ring|cache|metrics|batch|audio|pipeline> | --headers DIR\n",
            argv[0]);
    return 2;
  }
  /* One thread: every allocation happens on the calling thread (see above). */
  if (core_set_num_threads(1) != CORE_OK || core_get_num_threads() != 1) {
    fprintf(stderr, "core_set_num_threads(1) failed: %s\n", core_last_error_message());
    return 1;
  }
  make_inputs();
  snprintf(g_tmpdir, sizeof g_tmpdir, "%s/libcore-oom-XXXXXX",
           getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (mkdtemp(g_tmpdir) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  /* OOM_ONLY=<scenario> runs one scenario (to debug it: a breakpoint on
   * oom_injected with $rdi == k stops at the k-th allocation). */
  const char *only = getenv("OOM_ONLY");
  static struct CMUnitTest tests[64];
  size_t count = 0;
  assert_true(mod->count <= sizeof tests / sizeof tests[0]);
  for (size_t i = 0; i < mod->count; ++i) {
    if (only && strcmp(only, mod->scenarios[i].name) != 0) continue;
    tests[count].name = mod->scenarios[i].name;
    tests[count].test_func = walk;
    tests[count].setup_func = NULL;
    tests[count].teardown_func = NULL;
    tests[count].initial_state = (void *)&mod->scenarios[i];
    ++count;
  }
  char group[64];
  snprintf(group, sizeof group, "oom_%s", mod->name);
  const int failed = _cmocka_run_group_tests(group, tests, count, NULL, NULL);
  remove_tmpdir();
  return failed;
}
