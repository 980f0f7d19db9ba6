/*
 * The bad-input sweep's runner: every public function of libcore (the
 * table fx_functions, generated from the headers by gen_sweep.py) is called
 * with NULL for each pointer argument in turn, with 0 and huge values for
 * each size argument, and with all-valid arguments, and each outcome is
 * checked (status, message, value). See sweep_table.txt for the policy.
 *
 * Each function runs in a child process of its own (fork), so that a crash,
 * a sanitizer report or a hang (alarm) is reported as that function's
 * failure, naming the call that was running, and the sweep goes on with
 * the next one. The parent calls nothing of libcore: libcore's thread pool
 * only ever starts in children, which fork never has to copy.
 *
 * Output: TAP, one test point per function (diagnostics for each failing
 * call), then "# N functions, M calls".
 *
 * usage: test_badinput [function ...]   (only those; default all)
 *        BADINPUT_NO_FORK=1 runs everything in one process (for a debugger)
 *        BADINPUT_VERBOSE=1 prints every call's status and message
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sweep.h"

#define MAX_DEFERS 64

struct fx_ctx {
  const fx_function *f;
  const fx_variant *v;
  struct {
    void (*fn)(void *);
    void *p;
  } defers[MAX_DEFERS];
  int ndefers;
  int have_status;
  core_status status;
  char primer[512];
  core_cache_writer_t *writer;
  int ran; /* the in_compute callback ran the variant */
  int failures;
};

/* What a child tells its parent, also when it dies mid-call. */
struct shared {
  char variant[256];
  size_t calls;
  int failures;
  int done;
};
static struct shared *g_shared;
static char g_tmpdir[256];

const char *fx_tmpdir(void) { return g_tmpdir; }

/* ---- failure reporting -------------------------------------------------------- */

void fx_fail(fx_ctx *ctx, const char *fmt, ...) {
  char text[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  printf("#   %s [%s]: %s\n", ctx->f->name, ctx->v->desc, text);
  fflush(stdout);
  ctx->failures++;
}

static const char *status_name(core_status s) {
  /* core_status_str is itself under test; a local table keeps the report
   * honest even if it misbehaves. */
  static const char *const names[] = {"CORE_OK", "CORE_E_INVALID_ARGUMENT",
                                      "CORE_E_OUT_OF_MEMORY", "CORE_E_BUFFER_TOO_SMALL",
                                      "CORE_E_FULL", "CORE_E_EMPTY", "CORE_E_NOT_FOUND",
                                      "CORE_E_IO", "CORE_E_FORMAT", "CORE_E_UNSUPPORTED",
                                      "CORE_E_UNAVAILABLE", "CORE_E_INTERNAL"};
  return (unsigned)s < sizeof names / sizeof *names ? names[s] : "(not a core_status)";
}

/* ---- the helpers the generated calls use -------------------------------------- */

void fx_prime(fx_ctx *ctx) {
  /* A failure of some other function, so that the message left by the call
   * under test is known to be its own (or known to be untouched). */
  core_status st;
  if (strcmp(ctx->f->name, "core_set_num_threads") != 0)
    st = core_set_num_threads(-1);
  else
    st = core_fill_f32(NULL, 1, 0.0f);
  if (st == CORE_OK) fx_fail(ctx, "the primer call did not fail");
  snprintf(ctx->primer, sizeof ctx->primer, "%s", core_last_error_message());
}

static int names_word(const char *msg, const char *word) {
  const size_t n = strlen(word);
  for (const char *p = strstr(msg, word); p != NULL; p = strstr(p + 1, word)) {
    const int before = p == msg || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
                                     (p[-1] >= 'A' && p[-1] <= 'Z') ||
                                     (p[-1] >= '0' && p[-1] <= '9'));
    const char c = p[n];
    const int after = !(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9'));
    if (before && after) return 1;
  }
  return 0;
}

static int g_verbose;

void fx_check_status(fx_ctx *ctx, core_status got, core_status want, const char *null_param) {
  g_shared->calls++;
  ctx->have_status = 1;
  ctx->status = got;
  const char *msg = core_last_error_message();
  if (g_verbose)
    printf("#     %s [%s]: %s \"%s\"\n", ctx->f->name, ctx->v->desc, status_name(got),
           got != CORE_OK ? msg : "");
  if (got != want)
    fx_fail(ctx, "returned %s, expected %s (message: \"%s\")", status_name(got),
            status_name(want), got != CORE_OK ? msg : "");
  if (got == CORE_OK) {
    if (strcmp(msg, ctx->primer) != 0)
      fx_fail(ctx, "succeeded but changed the error message to \"%s\"", msg);
    return;
  }
  const size_t n = strlen(ctx->f->name);
  if (strcmp(msg, ctx->primer) == 0)
    fx_fail(ctx, "failed with %s but set no message", status_name(got));
  else if (strncmp(msg, ctx->f->name, n) != 0 || msg[n] != ':')
    fx_fail(ctx, "message \"%s\" does not start with \"%s:\"", msg, ctx->f->name);
  else if (null_param != NULL && got == CORE_E_INVALID_ARGUMENT && !names_word(msg, null_param))
    fx_fail(ctx, "message \"%s\" does not name the NULL parameter %s", msg, null_param);
}

void fx_check_value(fx_ctx *ctx, int ok, const char *want) {
  g_shared->calls++;
  if (!ok) fx_fail(ctx, "returned a value other than %s", want);
}

void fx_called(fx_ctx *ctx) {
  (void)ctx;
  g_shared->calls++;
}

size_t fx_overflowing_count(size_t elem) {
  return elem > 1 ? SIZE_MAX / elem + 1 : (size_t)PTRDIFF_MAX + 1;
}

size_t fx_unaddressable_count(size_t elem) { return (size_t)PTRDIFF_MAX / elem + 1; }

/* ---- fixture plumbing ---------------------------------------------------------- */

void fx_defer(fx_ctx *ctx, void (*fn)(void *), void *p) {
  if (ctx->ndefers == MAX_DEFERS) {
    fprintf(stderr, "badinput: more than %d fixtures in one call\n", MAX_DEFERS);
    abort();
  }
  ctx->defers[ctx->ndefers].fn = fn;
  ctx->defers[ctx->ndefers].p = p;
  ctx->ndefers++;
}

void *fx_alloc(fx_ctx *ctx, size_t bytes) {
  void *p = calloc(1, bytes != 0 ? bytes : 1);
  if (p == NULL) {
    fprintf(stderr, "badinput: out of memory\n");
    abort();
  }
  fx_defer(ctx, free, p);
  return p;
}

void fx_disown(fx_ctx *ctx, const void *p) {
  for (int i = 0; i < ctx->ndefers; ++i)
    if (ctx->defers[i].p == p) ctx->defers[i].fn = NULL;
}

static char sentinel_object;

struct out_slot {
  void *slot; /* first: the address handed out is &slot */
  void (*destroy)(void *);
  fx_ctx *ctx;
};

static void release_slot(void *p) {
  struct out_slot *s = p;
  if (s->slot != &sentinel_object) {
    if (s->ctx->have_status && s->ctx->status != CORE_OK)
      fx_fail(s->ctx, "*out was written although the call failed");
    if (s->slot != NULL && (!s->ctx->have_status || s->ctx->status == CORE_OK))
      s->destroy(s->slot);
  }
  free(s);
}

void **fx_out_slot(fx_ctx *ctx, void (*destroy)(void *)) {
  struct out_slot *s = calloc(1, sizeof *s);
  if (s == NULL) abort();
  s->slot = &sentinel_object;
  s->destroy = destroy;
  s->ctx = ctx;
  fx_defer(ctx, release_slot, s);
  return &s->slot;
}

core_cache_writer_t *fx_current_writer(fx_ctx *ctx) { return ctx->writer; }

static void run_cleanup(fx_ctx *ctx) {
  while (ctx->ndefers > 0) {
    ctx->ndefers--;
    if (ctx->defers[ctx->ndefers].fn != NULL)
      ctx->defers[ctx->ndefers].fn(ctx->defers[ctx->ndefers].p);
  }
}

/* in_compute: the variant runs inside a get_or_compute callback, where a
 * live core_cache_writer_t exists. */
static core_status compute_cb(void *user, const core_key_t *key, core_cache_writer_t *writer) {
  (void)key;
  fx_ctx *ctx = user;
  ctx->writer = writer;
  ctx->ran = 1;
  ctx->v->run(ctx);
  ctx->writer = NULL;
  /* A callback may return only core_status values; the put's own status
   * says whether a value was delivered. */
  return ctx->have_status ? ctx->status : CORE_E_INTERNAL;
}

static void run_in_compute(fx_ctx *ctx) {
  core_cache_options_t o;
  core_cache_t *c = NULL;
  if (core_cache_options_init(&o) != CORE_OK || core_cache_create(&o, &c) != CORE_OK) {
    fx_fail(ctx, "cannot create the cache for the compute callback: %s",
            core_last_error_message());
    return;
  }
  const core_key_t key = {0x5eed, 0xfeed};
  float out[FX_CAP];
  size_t n = 0;
  const core_status st = core_cache_get_or_compute(c, &key, compute_cb, ctx, out, FX_CAP, &n,
                                                   NULL, NULL);
  (void)st; /* the callback's call was checked inside */
  if (!ctx->ran) fx_fail(ctx, "the compute callback did not run");
  run_cleanup(ctx); /* before the cache: the variant's fixtures are its own */
  core_cache_destroy(c);
}

/* ---- one function ------------------------------------------------------------- */

static void run_function(const fx_function *f) {
  for (size_t i = 0; i < f->count; ++i) {
    fx_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.f = f;
    ctx.v = &f->variants[i];
    snprintf(g_shared->variant, sizeof g_shared->variant, "%s", ctx.v->desc);
    if (f->in_compute)
      run_in_compute(&ctx);
    else
      ctx.v->run(&ctx);
    run_cleanup(&ctx);
    g_shared->failures += ctx.failures;
  }
}

/* ---- files shared by the fixtures ------------------------------------------------ */

static void put_le(FILE *f, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) fputc((int)((v >> (8 * i)) & 0xff), f);
}

static int write_files(void) {
  const char *base = getenv("TMPDIR");
  snprintf(g_tmpdir, sizeof g_tmpdir, "%s/badinput.XXXXXX",
           base != NULL && base[0] != '\0' ? base : "/tmp");
  if (mkdtemp(g_tmpdir) == NULL) return -1;
  char path[512];
  /* Raw float32: FX_N values of a slow sine. */
  snprintf(path, sizeof path, "%s/values.f32", g_tmpdir);
  FILE *f = fopen(path, "wb");
  if (f == NULL) return -1;
  for (int i = 0; i < FX_N; ++i) {
    const float v = (float)((i % 97) - 48) / 64.0f;
    fwrite(&v, sizeof v, 1, f);
  }
  if (fclose(f) != 0) return -1;
  /* A 16 kHz mono PCM16 WAV of 0.5 s. */
  const uint32_t frames = 8000;
  snprintf(path, sizeof path, "%s/clip.wav", g_tmpdir);
  f = fopen(path, "wb");
  if (f == NULL) return -1;
  fwrite("RIFF", 1, 4, f);
  put_le(f, 36 + frames * 2, 4);
  fwrite("WAVEfmt ", 1, 8, f);
  put_le(f, 16, 4);
  put_le(f, 1, 2);         /* PCM */
  put_le(f, 1, 2);         /* mono */
  put_le(f, 16000, 4);     /* rate */
  put_le(f, 16000 * 2, 4); /* bytes per second */
  put_le(f, 2, 2);         /* block align */
  put_le(f, 16, 2);        /* bits */
  fwrite("data", 1, 4, f);
  put_le(f, frames * 2, 4);
  for (uint32_t i = 0; i < frames; ++i) put_le(f, (uint32_t)(int32_t)((int)(i % 200) * 100 - 10000), 2);
  return fclose(f) == 0 ? 0 : -1;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb, (void)flag, (void)ftw;
  return remove(path);
}

/* ---- main ------------------------------------------------------------------------ */

static int wanted(const char *name, int argc, char **argv) {
  if (argc <= 1) return 1;
  for (int i = 1; i < argc; ++i)
    if (strcmp(argv[i], name) == 0) return 1;
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  g_verbose = getenv("BADINPUT_VERBOSE") != NULL && strcmp(getenv("BADINPUT_VERBOSE"), "0") != 0;
  const int no_fork = getenv("BADINPUT_NO_FORK") != NULL && strcmp(getenv("BADINPUT_NO_FORK"), "0") != 0;
  g_shared = mmap(NULL, sizeof *g_shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                  -1, 0);
  if (g_shared == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  if (write_files() != 0) {
    printf("Bail out! cannot write the fixture files in %s: %s\n", g_tmpdir, strerror(errno));
    return 1;
  }
  size_t planned = 0;
  for (size_t i = 0; i < fx_function_count; ++i)
    if (wanted(fx_functions[i].name, argc, argv)) planned++;
  printf("1..%zu\n", planned);
  size_t tap = 0, calls = 0, failed = 0;
  for (size_t i = 0; i < fx_function_count; ++i) {
    const fx_function *f = &fx_functions[i];
    if (!wanted(f->name, argc, argv)) continue;
    ++tap;
    if (f->error != NULL) {
      printf("not ok %zu - %s\n#   %s\n", tap, f->name, f->error);
      ++failed;
      continue;
    }
    memset(g_shared, 0, sizeof *g_shared);
    if (no_fork) {
      run_function(f);
      g_shared->done = 1;
    } else {
      fflush(stdout);
      const pid_t pid = fork();
      if (pid < 0) {
        printf("Bail out! fork: %s\n", strerror(errno));
        return 1;
      }
      if (pid == 0) {
        alarm(120); /* a hang is a failure of this function, not of the run */
        run_function(f);
        g_shared->done = 1;
        fflush(stdout);
        exit(0); /* exit, not _exit: the leak checker runs at exit */
      }
      int ws = 0;
      while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
      }
      if (WIFSIGNALED(ws) || (WIFEXITED(ws) && WEXITSTATUS(ws) != 0) || !g_shared->done) {
        if (WIFSIGNALED(ws))
          printf("#   %s: killed by signal %d (%s) in the call [%s]\n", f->name, WTERMSIG(ws),
                 strsignal(WTERMSIG(ws)), g_shared->variant);
        else if (!g_shared->done)
          printf("#   %s: exited with status %d in the call [%s] (see stderr: a sanitizer "
                 "report?)\n",
                 f->name, WEXITSTATUS(ws), g_shared->variant);
        else
          printf("#   %s: exited with status %d after its calls (see stderr: a leak "
                 "report?)\n",
                 f->name, WEXITSTATUS(ws));
        g_shared->failures++;
      }
    }
    calls += g_shared->calls;
    if (g_shared->failures != 0) ++failed;
    printf("%s %zu - %s (%zu calls%s)\n", g_shared->failures ? "not ok" : "ok", tap, f->name,
           g_shared->calls, g_shared->failures ? ", failed" : "");
  }
  printf("# %zu functions, %zu calls; %zu failed\n", tap, calls, failed);
  nftw(g_tmpdir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
  return failed != 0 ? 1 : 0;
}
