/* Out-of-memory scenarios of pipeline.h: the batcher (create; add growing
 * a bucket past its reserved room, documented "nothing added" on
 * CORE_E_OUT_OF_MEMORY), the pipeline's create (with its own cache and
 * registry, and with shared ones, whose names must not stay taken after a
 * failed create), the consumer with an encoder callback and without one
 * (NEEDS_ENCODING + submit_embedding), and the producer, documented never
 * to allocate. Inputs: 12 s of synthetic speech (oom_harness.c), pushed in
 * 20 ms chunks; an injected clock keeps the batcher's decisions fixed. */
#include <string.h>

#include "oom.h"

#define DIM 8
#define CHUNK 320

typedef struct pipe_ctx {
  core_batcher_options_t bo;
  core_batcher_t *b;
  core_pipeline_options_t po;
  core_pipeline_t *p;
  core_cache_t *cache;
  core_metrics_t *m;
  int out_written;
  uint64_t now;
  size_t pos;        /* samples pushed */
  int flushed, ended;
  size_t events, windows, hits, needs;
  uint64_t hash;     /* of the events so far */
} pipe_ctx;

static uint64_t clock_ns(void *user) {
  pipe_ctx *x = user;
  return x->now;
}

static void mix(pipe_ctx *x, const void *data, size_t bytes) {
  const unsigned char *p = data;
  for (size_t i = 0; i < bytes; ++i) x->hash = (x->hash ^ p[i]) * 0x100000001b3ull;
}

/* The encoder: the mean of each band over the window's frames. */
static core_status encoder(const float *features, size_t batch, size_t n_mels, size_t n_frames,
                           float *out, size_t dim, void *user) {
  (void)user;
  for (size_t b = 0; b < batch; ++b)
    for (size_t d = 0; d < dim; ++d) {
      double s = 0;
      const float *f = features + b * n_mels * n_frames + d * (n_mels / dim) * n_frames;
      for (size_t t = 0; t < n_frames; ++t) s += f[t];
      out[b * dim + d] = (float)(s / (double)n_frames);
    }
  return CORE_OK;
}

static void teardown(void *c) {
  pipe_ctx *x = c;
  core_batcher_destroy(x->b);
  core_pipeline_destroy(x->p);
  core_cache_destroy(x->cache);
  core_metrics_destroy(x->m);
}

/* ---- the batcher ---- */

static void setup_batcher_opts(void *c) {
  pipe_ctx *x = c;
  OOM_OK(core_batcher_options_init(&x->bo));
  x->bo.max_batch = 4;
  x->bo.max_delay_ms = 10;
  x->bo.n_buckets = 3;
  x->bo.bucket_bounds[0] = 100;
  x->bo.bucket_bounds[1] = 1000;
  x->bo.clock = clock_ns;
  x->bo.clock_user = x;
}

static core_status op_batcher_create(void *c) {
  pipe_ctx *x = c;
  core_batcher_t *out = OOM_SENTINEL;
  const core_status st = core_batcher_create(&x->bo, &out);
  if (st == CORE_OK) x->b = out;
  else x->out_written = out != OOM_SENTINEL;
  return st;
}

/* Everything waiting, released by a flush, batch after batch. */
static void batches(pipe_ctx *x, oom_fp *fp) {
  uint64_t ids[4];
  size_t count = 0, bucket = 0;
  fp_add(fp, "pending=%zu ", core_batcher_pending(x->b));
  OOM_OK(core_batcher_flush(x->b));
  while (core_batcher_next(x->b, ids, 4, &count, &bucket) == CORE_OK) {
    fp_add(fp, "b%zu:", bucket);
    for (size_t i = 0; i < count; ++i) fp_add(fp, "%llu,", (unsigned long long)ids[i]);
  }
}

static void result_batcher_create(void *c, oom_fp *fp) {
  pipe_ctx *x = c;
  for (uint64_t i = 0; i < 7; ++i) OOM_OK(core_batcher_add(x->b, i, i * 300));
  batches(x, fp);
}

static void state_out(void *c, oom_fp *fp) {
  pipe_ctx *x = c;
  fp_add(fp, "out_written=%d", x->out_written);
}

/* Four items in a bucket whose ring holds 4 (max_batch): the fifth grows it. */
static void setup_batcher_add(void *c) {
  pipe_ctx *x = c;
  setup_batcher_opts(c);
  OOM_OK(core_batcher_create(&x->bo, &x->b));
  for (uint64_t i = 0; i < 4; ++i) OOM_OK(core_batcher_add(x->b, 10 + i, 50));
}

static core_status op_batcher_add(void *c) {
  pipe_ctx *x = c;
  return core_batcher_add(x->b, 99, 60);
}

static void result_batcher_add(void *c, oom_fp *fp) { batches(c, fp); }

static void state_batcher(void *c, oom_fp *fp) {
  pipe_ctx *x = c;
  fp_add(fp, "pending=%zu", core_batcher_pending(x->b));
}

/* ---- the pipeline ---- */

static void options(pipe_ctx *x, int with_encoder) {
  OOM_OK(core_pipeline_options_init(&x->po));
  x->po.dim = DIM;
  x->po.ring_ms = 2000;
  x->po.window_ms = 500;
  x->po.hop_ms = 250;
  x->po.batch.max_batch = 3;
  x->po.batch.clock = clock_ns;
  x->po.batch.clock_user = x;
  x->po.cache_options.max_entries = 256;
  if (with_encoder) {
    x->po.encoder = encoder;
    x->po.encoder_user = x;
  }
}

static void setup_create_own(void *c) { options(c, 1); }

static void setup_create_shared(void *c) {
  pipe_ctx *x = c;
  options(x, 1);
  core_cache_options_t co;
  OOM_OK(core_cache_options_init(&co));
  co.max_entries = 256;
  OOM_OK(core_cache_create(&co, &x->cache));
  OOM_OK(core_metrics_create(NULL, &x->m));
  core_metric_id_t id;
  OOM_OK(core_metrics_timer(x->m, "host.request", NULL, NULL, 0, &id));
  x->po.cache = x->cache;
  x->po.metrics = x->m;
  x->po.metrics_prefix = "lid";
}

static core_status op_create(void *c) {
  pipe_ctx *x = c;
  core_pipeline_t *out = OOM_SENTINEL;
  const core_status st = core_pipeline_create(&x->po, &out);
  if (st == CORE_OK) x->p = out;
  else x->out_written = out != OOM_SENTINEL;
  return st;
}

static void state_create(void *c, oom_fp *fp) {
  pipe_ctx *x = c;
  fp_add(fp, "out_written=%d", x->out_written);
  if (x->m) fp_add(fp, " metrics=%zu", core_metrics_count(x->m));
}

/* One event into the running hash. */
static void take(pipe_ctx *x, const core_event_t *ev) {
  ++x->events;
  mix(x, &ev->kind, sizeof ev->kind);
  mix(x, &ev->start, sizeof ev->start);
  mix(x, &ev->end, sizeof ev->end);
  if (ev->kind == CORE_EVENT_WINDOW || ev->kind == CORE_EVENT_NEEDS_ENCODING) {
    mix(x, &ev->window_id, sizeof ev->window_id);
    mix(x, ev->features, ev->n_mels * ev->n_frames * sizeof(float));
  }
  if (ev->kind == CORE_EVENT_WINDOW) {
    ++x->windows;
    x->hits += ev->cache_hit != 0;
    mix(x, ev->embedding, ev->dim * sizeof(float));
  }
  if (ev->kind == CORE_EVENT_END) x->ended = 1;
}

/* The consumer: every event until END, pushing 20 ms chunks as events run
 * out and flushing at the end. Resumable: after a failed call it goes on
 * where it stopped. Without an encoder, each NEEDS_ENCODING is answered
 * with the same embedding the callback would give. */
static core_status run(pipe_ctx *x) {
  size_t n = 0;
  const float *speech = oom_speech(&n);
  core_event_t ev;
  core_status st;
  while (!x->ended) {
    st = core_pipeline_next_event(x->p, &ev);
    if (st == CORE_OK) {
      take(x, &ev);
      if (ev.kind == CORE_EVENT_NEEDS_ENCODING) {
        float emb[DIM];
        OOM_OK(encoder(ev.features, 1, ev.n_mels, ev.n_frames, emb, DIM, NULL));
        ++x->needs;
        st = core_pipeline_submit_embedding(x->p, ev.window_id, emb, DIM);
        if (st != CORE_OK) return st;
      }
      continue;
    }
    if (st != CORE_E_EMPTY) return st;
    x->now += 20000000; /* 20 ms a chunk */
    if (x->pos < n) {
      const size_t k = n - x->pos < CHUNK ? n - x->pos : CHUNK;
      if ((st = core_pipeline_push_f32(x->p, speech + x->pos, k)) != CORE_OK) return st;
      x->pos += k;
    } else if (!x->flushed) {
      if ((st = core_pipeline_flush(x->p)) != CORE_OK) return st;
      x->flushed = 1;
    }
  }
  return CORE_OK;
}

static void result_run(pipe_ctx *x, oom_fp *fp) {
  core_pipeline_stats_t s;
  OOM_OK(core_pipeline_stats(x->p, &s));
  fp_add(fp, "events=%zu windows=%zu needs=%zu hits=%zu segments=%llu calls=%llu hash=%016llx ",
         x->events, x->windows, x->needs, x->hits, (unsigned long long)s.segments,
         (unsigned long long)s.encoder_calls, (unsigned long long)x->hash);
}

/* A created pipeline runs the whole clip. */
static void result_create(void *c, oom_fp *fp) {
  pipe_ctx *x = c;
  x->hash = 0xcbf29ce484222325ull;
  OOM_OK(run(x));
  result_run(x, fp);
  if (x->m) fp_add(fp, "shared_metrics=%zu", core_metrics_count(x->m));
  OOM_TRUE(x->windows >= 10);
}

/* ---- the consumer ---- */

static void setup_consumer(pipe_ctx *x, int with_encoder) {
  options(x, with_encoder);
  OOM_OK(core_pipeline_create(&x->po, &x->p));
  x->hash = 0xcbf29ce484222325ull;
}
static void setup_encoder(void *c) { setup_consumer(c, 1); }
static void setup_submit(void *c) { setup_consumer(c, 0); }

static core_status op_run(void *c) { return run(c); }

static void result_consumer(void *c, oom_fp *fp) {
  pipe_ctx *x = c;
  result_run(x, fp);
  OOM_TRUE(x->windows >= 10);
}

/* ---- the producer: never allocates (pipeline.h) ---- */

static void setup_producer(void *c) { setup_consumer(c, 1); }

static core_status op_push(void *c) {
  pipe_ctx *x = c;
  size_t n = 0;
  const float *speech = oom_speech(&n);
  static int16_t pcm[CHUNK];
  core_status st;
  for (size_t i = 0; i < CHUNK; ++i) pcm[i] = (int16_t)(speech[i] * 32767.0f);
  for (size_t i = 0; i + CHUNK <= 16000; i += CHUNK)
    if ((st = core_pipeline_push_f32(x->p, speech + i, CHUNK)) != CORE_OK) return st;
  if ((st = core_pipeline_push_i16(x->p, pcm, CHUNK)) != CORE_OK) return st;
  return core_pipeline_flush(x->p);
}

static void result_push(void *c, oom_fp *fp) {
  pipe_ctx *x = c;
  core_pipeline_stats_t s;
  OOM_OK(core_pipeline_stats(x->p, &s));
  fp_add(fp, "chunks=%llu samples=%llu", (unsigned long long)s.chunks,
         (unsigned long long)s.samples);
}

static const oom_scenario kPipeline[] = {
    {.name = "batcher_create", .fn = "core_batcher_create", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_batcher_opts, .op = op_batcher_create,
     .result = result_batcher_create, .state = state_out, .teardown = teardown},
    {.name = "batcher_add_grow", .fn = "core_batcher_add", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_batcher_add, .op = op_batcher_add,
     .result = result_batcher_add, .state = state_batcher, .teardown = teardown},
    {.name = "pipeline_create", .fn = "core_pipeline_create", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_create_own, .op = op_create,
     .result = result_create, .state = state_create, .teardown = teardown},
    {.name = "pipeline_create_shared", .fn = "core_pipeline_create", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_create_shared, .op = op_create,
     .result = result_create, .state = state_create, .teardown = teardown},
    {.name = "pipeline_next_event_encoder", .fn = "core_pipeline_next_event",
     .expect = OOM_ANY, .flags = OOM_ABSORBS,
     .why = "a cache put refused: costs a later hit, never the event (encode.cpp)",
     .setup = setup_encoder, .op = op_run, .result = result_consumer, .teardown = teardown},
    {.name = "pipeline_submit_embedding", .fn = "core_pipeline_submit_embedding",
     .also = {"core_pipeline_next_event"}, .expect = OOM_ANY, .flags = OOM_ABSORBS,
     .why = "a cache put refused: costs a later hit, never the event (encode.cpp)",
     .setup = setup_submit, .op = op_run, .result = result_consumer, .teardown = teardown},
    {.name = "pipeline_push", .fn = "core_pipeline_push_f32",
     .also = {"core_pipeline_push_i16", "core_pipeline_flush"}, .expect = OOM_NONE,
     .setup = setup_producer, .op = op_push, .result = result_push, .teardown = teardown},
};

const oom_module oom_pipeline_module = {"pipeline", kPipeline,
                                        sizeof kPipeline / sizeof kPipeline[0]};
