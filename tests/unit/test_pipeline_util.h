/* Helpers shared by the pipeline suites: a small deterministic encoder
 * (the log-mel mean-pooled over frames, dim = n_mels), an injected clock,
 * reading the WAV test data with core_audio_read, and running a clip
 * through a pipeline in chunks while collecting its events. Test code only;
 * everything is static inline, each suite uses a subset. */
#ifndef CORE_TEST_PIPELINE_UTIL_H
#define CORE_TEST_PIPELINE_UTIL_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <core/core.h>
#include <core/pipeline.h>

#include "test_status.h"
#include "testdata.h"

/* ---- the encoder ------------------------------------------------------------ */

typedef struct pu_encoder {
  size_t calls, windows, max_seen;
  size_t sizes[4096];      /* batch size of each call (first 4096) */
  core_status fail_with;   /* CORE_OK: succeed */
  size_t fail_call;        /* fail only this call (1-based); 0: every call */
} pu_encoder;

/* out[b * dim + m] = mean over frames of band m: deterministic, cheap. */
static inline core_status pu_encode(const float *features, size_t batch, size_t n_mels,
                                    size_t n_frames, float *out, size_t dim, void *user) {
  pu_encoder *e = (pu_encoder *)user;
  if (e != NULL) {
    if (e->calls < 4096) e->sizes[e->calls] = batch;
    e->calls++;
    e->windows += batch;
    if (batch > e->max_seen) e->max_seen = batch;
    if (e->fail_with != CORE_OK && (e->fail_call == 0 || e->fail_call == e->calls))
      return e->fail_with;
  }
  for (size_t b = 0; b < batch; ++b)
    for (size_t m = 0; m < dim; ++m) {
      double s = 0;
      const float *row = features + (b * n_mels + m % n_mels) * n_frames;
      for (size_t t = 0; t < n_frames; ++t) s += row[t];
      out[b * dim + m] = (float)(s / (double)n_frames);
    }
  return CORE_OK;
}

/* ---- the clock ---------------------------------------------------------------- */

static inline uint64_t pu_clock(void *user) { return *(const uint64_t *)user; }

/* ---- options and audio ---------------------------------------------------------- */

static inline core_pipeline_options_t pu_opts(pu_encoder *enc, uint64_t *clock) {
  core_pipeline_options_t o;
  OK(core_pipeline_options_init(&o));
  o.dim = o.logmel.n_mels;
  o.encoder = pu_encode;
  o.encoder_user = enc;
  if (clock != NULL) {
    o.batch.clock = pu_clock;
    o.batch.clock_user = clock;
  }
  return o;
}

/* A test-data clip at 16 kHz (skips, or fails when required, if absent). */
#define PU_CLIP(name, n_out)                                                    \
  ({                                                                            \
    const char *pu_path_ = TD_PATH(name);                                       \
    size_t pu_n_ = 0;                                                           \
    core_status pu_st_ = core_audio_read(pu_path_, 16000, NULL, 0, &pu_n_);     \
    cr_assert(pu_st_ == CORE_OK || pu_st_ == CORE_E_BUFFER_TOO_SMALL, "%s",     \
              core_last_error_message());                                       \
    float *pu_x_ = (float *)malloc(pu_n_ * sizeof(float));                      \
    cr_assert_not_null(pu_x_);                                                  \
    OK(core_audio_read(pu_path_, 16000, pu_x_, pu_n_, &pu_n_));                 \
    *(n_out) = pu_n_;                                                           \
    pu_x_;                                                                      \
  })

/* ---- collecting events ------------------------------------------------------------ */

typedef struct pu_ev {
  int kind;
  uint64_t id, start, end;
  int hit;
  core_status status;
  float emb0;        /* the embedding's first value (WINDOW) */
  float feat_sum;    /* sum of the features (windows) */
} pu_ev;

typedef struct pu_log {
  pu_ev *ev;
  size_t n, cap;
} pu_log;

static inline void pu_log_add(pu_log *l, const core_event_t *e) {
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 256;
    l->ev = (pu_ev *)realloc(l->ev, l->cap * sizeof(pu_ev));
    cr_assert_not_null(l->ev);
  }
  pu_ev *p = &l->ev[l->n++];
  memset(p, 0, sizeof *p);
  p->kind = e->kind;
  p->id = e->window_id;
  p->start = e->start;
  p->end = e->end;
  p->hit = e->cache_hit;
  p->status = e->status;
  if (e->embedding != NULL) p->emb0 = e->embedding[0];
  if (e->features != NULL) {
    double s = 0;
    for (size_t i = 0; i < e->n_mels * e->n_frames; ++i) s += e->features[i];
    p->feat_sum = (float)s;
  }
}

/* Reads every ready event into l (submitting nothing). */
static inline void pu_drain(core_pipeline_t *p, pu_log *l) {
  core_event_t e;
  core_status st;
  while ((st = core_pipeline_next_event(p, &e)) == CORE_OK) pu_log_add(l, &e);
  cr_assert_eq(st, CORE_E_EMPTY, "next_event: %s", core_last_error_message());
}

/* Pushes x[0, n) in chunks of `chunk`, reading events after each push,
 * then (when flush) flushes and reads to the END event. */
static inline void pu_run(core_pipeline_t *p, const float *x, size_t n, size_t chunk, int flush,
                          pu_log *l) {
  for (size_t i = 0; i < n; i += chunk) {
    size_t k = n - i < chunk ? n - i : chunk;
    OK(core_pipeline_push_f32(p, x + i, k));
    pu_drain(p, l);
  }
  if (flush) {
    OK(core_pipeline_flush(p));
    pu_drain(p, l);
  }
}

static inline size_t pu_count(const pu_log *l, int kind) {
  size_t c = 0;
  for (size_t i = 0; i < l->n; ++i) c += l->ev[i].kind == kind;
  return c;
}

static inline uint64_t pu_counter(core_pipeline_t *p, const char *name) {
  core_metrics_t *m = core_pipeline_metrics(p);
  core_metric_id_t id;
  OK(core_metrics_find(m, name, &id, NULL));
  uint64_t v = 0;
  OK(core_metrics_counter_get(m, id, &v));
  return v;
}

#endif
