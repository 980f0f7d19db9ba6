/* The out-of-memory harness: one scenario per public path that can
 * allocate, walked by oom_harness.c (see the head of that file for the
 * walk). Each module's table is in oom_<module>.c. Test code only. */
#ifndef CORE_TEST_OOM_H
#define CORE_TEST_OOM_H

#include <stddef.h>
#include <stdint.h>

#include <core/core.h>
#include <core/pipeline.h>

/* What the walk must find. */
enum oom_expect {
  OOM_SOME = 0, /* the path allocates: walking 0 points means the hook is blind */
  OOM_ANY = 1,  /* may or may not allocate (depends on lazily grown buffers) */
  OOM_NONE = 2  /* documented as allocation-free: any allocation fails the test */
};

/* Flags. */
#define OOM_UNCHANGED 1u /* a failed call leaves state() as it was (documented) */
#define OOM_ABSORBS 2u   /* an injected failure may be absorbed by a documented
                            fallback: the call then succeeds with the same result */

/* A fingerprint: text that says what a call produced (values, counts,
 * hashes of large outputs), compared between runs. Fixed size: the harness
 * itself must not allocate while it counts live blocks. */
typedef struct oom_fp {
  char text[1536];
  size_t len;
} oom_fp;

void fp_add(oom_fp *fp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* FNV-1a 64 of bytes, added as "<label>=<hash>". */
void fp_hash(oom_fp *fp, const char *label, const void *data, size_t bytes);

typedef struct oom_scenario {
  const char *name;     /* as printed: "cache_put" */
  const char *fn;       /* the public function whose allocations are walked;
                           its failure message must start with "<fn>:" */
  const char *also[4];  /* other public functions this scenario covers (NULL-ended) */
  int expect;           /* enum oom_expect */
  unsigned flags;
  const char *why;      /* for OOM_ABSORBS: which fallback, documented where */
  void (*setup)(void *ctx);                /* un-injected: build the inputs */
  core_status (*op)(void *ctx);            /* the walked call(s) */
  void (*recover)(void *ctx);              /* documented recovery after a failure, or NULL */
  void (*result)(void *ctx, oom_fp *fp);   /* after a successful op */
  void (*state)(void *ctx, oom_fp *fp);    /* for OOM_UNCHANGED */
  void (*teardown)(void *ctx);             /* release everything (op may have failed) */
} oom_scenario;

/* Each module's table. */
typedef struct oom_module {
  const char *name;
  const oom_scenario *scenarios;
  size_t count;
} oom_module;

extern const oom_module oom_ring_module, oom_cache_module, oom_metrics_module,
    oom_batch_module, oom_audio_module, oom_pipeline_module;

/* The scenario context: one static, zeroed block per run (no allocation). */
#define OOM_CTX_BYTES (64 * 1024)

/* In setup/result/state/teardown (never injected): a status that must be
 * CORE_OK, else the test fails with the library's message. */
void oom_ok_at(core_status st, const char *what, const char *file, int line);
#define OOM_OK(call) oom_ok_at((call), #call, __FILE__, __LINE__)
/* A condition that must hold in setup/result/teardown. */
void oom_true_at(int cond, const char *what, const char *file, int line);
#define OOM_TRUE(cond) oom_true_at(!!(cond), #cond, __FILE__, __LINE__)

/* Inputs shared by the audio and pipeline scenarios, made once at start-up
 * (before any scenario counts blocks): synthetic speech at 16 kHz, voiced
 * bursts over white noise. */
const float *oom_speech(size_t *n);      /* 12 s, 5 bursts */
const float *oom_many_bursts(size_t *n); /* 40 s, 24 short bursts (> 16 VAD segments) */
/* A scratch directory for save/load files, made at start-up. */
const char *oom_tmpdir(void);

/* The value an out-parameter holds when a call must not write it. */
#define OOM_SENTINEL ((void *)(uintptr_t)0x5e17)

#endif
