/*
 * Valid arguments for the bad-input sweep, per parameter type.
 *
 * gen_sweep.py looks a parameter's fixture up by name, most specific first:
 *   fx_<type key>__<parameter name>, then fx_<type key>,
 * where the type key is the parameter's type with '*' as 'p', tried first
 * as written and then without 'const' ("const float *const *parts" tries
 * fx_const_float_p_const_p__parts, fx_float_p_p__parts,
 * fx_const_float_p_const_p, fx_float_p_p). sweep_table.txt can name any
 * other fixture for one function (x:=@name calls fx_name). A parameter type
 * with no fixture makes its function fail the sweep with a message saying
 * which function to define here.
 *
 * Every definition must start on one line as "<type> fx_<name>(fx_ctx *ctx) {"
 * (that is how gen_sweep.py finds them and declares them). Each call makes
 * a fresh value for one call of the function under test; what it allocates
 * is released when that call's checks are done (fx_alloc, fx_defer). Buffers
 * are allocated at their exact size, so the sanitizer build catches a read
 * or write past them.
 *
 * A fixture must be valid for every function that takes its type: the
 * valid call of each function has to succeed (or give the outcome its
 * table line states), or the NULL checks would prove nothing.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"

/* A failed set-up call is a failure of the variant (its valid arguments
 * would not be valid). */
#define SETUP(call)                                                                    \
  do {                                                                                 \
    const core_status st_ = (call);                                                    \
    if (st_ != CORE_OK)                                                                \
      fx_fail(ctx, "fixture set-up %s failed: %s", #call, core_last_error_message()); \
  } while (0)

/* ---- scalars ------------------------------------------------------------------ */

double fx_double(fx_ctx *ctx) { (void)ctx; return 1.0; }
double fx_double__start(fx_ctx *ctx) { (void)ctx; return 0.0; }
double fx_double__stop(fx_ctx *ctx) { (void)ctx; return 10.0; }
double fx_double__step(fx_ctx *ctx) { (void)ctx; return 1.0; }
double fx_double__q(fx_ctx *ctx) { (void)ctx; return 50.0; } /* stats: 0 .. 100 */
double fx_double__mean(fx_ctx *ctx) { (void)ctx; return 0.0; }
double fx_double__std(fx_ctx *ctx) { (void)ctx; return 1.0; }
double fx_double__value(fx_ctx *ctx) { (void)ctx; return 1.5; }
double fx_double__delta(fx_ctx *ctx) { (void)ctx; return 1.0; }
float fx_float(fx_ctx *ctx) { (void)ctx; return 0.25f; }
int fx_int(fx_ctx *ctx) { (void)ctx; return 0; }
int fx_int__decimals(fx_ctx *ctx) { (void)ctx; return 4; }
int fx_int__endpoint(fx_ctx *ctx) { (void)ctx; return 1; }
unsigned fx_unsigned(fx_ctx *ctx) { (void)ctx; return 0; }
int64_t fx_int64_t(fx_ctx *ctx) { (void)ctx; return 1000; }
uint32_t fx_uint32_t(fx_ctx *ctx) { (void)ctx; return 0; }
uint64_t fx_uint64_t(fx_ctx *ctx) { (void)ctx; return 0; }
uint64_t fx_uint64_t__delta(fx_ctx *ctx) { (void)ctx; return 1; }
uint64_t fx_uint64_t__id(fx_ctx *ctx) { (void)ctx; return 7; }
uint64_t fx_uint64_t__length(fx_ctx *ctx) { (void)ctx; return 100; }
uint64_t fx_uint64_t__start_ns(fx_ctx *ctx) { (void)ctx; return core_now_ns(); }
size_t fx_size_t(fx_ctx *ctx) { (void)ctx; return FX_N; }
size_t fx_size_t__cap(fx_ctx *ctx) { (void)ctx; return FX_CAP; }
size_t fx_size_t__scratch_cap(fx_ctx *ctx) { (void)ctx; return FX_CAP; }
size_t fx_size_t__count(fx_ctx *ctx) { (void)ctx; return FX_COUNT; }
size_t fx_size_t__frame(fx_ctx *ctx) { (void)ctx; return 256; }
size_t fx_size_t__hop(fx_ctx *ctx) { (void)ctx; return 128; }
size_t fx_size_t__max_frames(fx_ctx *ctx) { (void)ctx; return 16; }
size_t fx_size_t__nlabels(fx_ctx *ctx) { (void)ctx; return 1; }
size_t fx_size_t__ndim(fx_ctx *ctx) { (void)ctx; return 1; }
size_t fx_size_t__dim(fx_ctx *ctx) { (void)ctx; return FX_DIM; }
core_metric_id_t fx_core_metric_id_t(fx_ctx *ctx) { (void)ctx; return 0; } /* the timer */
core_nan_policy fx_core_nan_policy(fx_ctx *ctx) { (void)ctx; return CORE_NAN_PROPAGATE; }
core_metrics_format fx_core_metrics_format(fx_ctx *ctx) { (void)ctx; return CORE_METRICS_PROMETHEUS; }
core_status fx_core_status(fx_ctx *ctx) { (void)ctx; return CORE_E_FULL; }

/* ---- buffers ------------------------------------------------------------------- */

/* A signal that is neither constant nor silent (normalize needs a spread,
 * the VAD and log-mel need finite samples), the same for every dtype. */
static double signal_at(size_t i) { return 0.5 * sin(0.05 * (double)i) + 0.01 * (double)(i % 7); }

float *fx_float_p(fx_ctx *ctx) {
  float *p = fx_alloc(ctx, FX_CAP * sizeof *p);
  for (size_t i = 0; i < FX_CAP; ++i) p[i] = (float)signal_at(i);
  return p;
}
double *fx_double_p(fx_ctx *ctx) {
  double *p = fx_alloc(ctx, FX_CAP * sizeof *p);
  for (size_t i = 0; i < FX_CAP; ++i) p[i] = signal_at(i);
  return p;
}
int16_t *fx_int16_t_p(fx_ctx *ctx) {
  int16_t *p = fx_alloc(ctx, FX_CAP * sizeof *p);
  for (size_t i = 0; i < FX_CAP; ++i) p[i] = (int16_t)(16000.0 * signal_at(i));
  return p;
}
void *fx_void_p(fx_ctx *ctx) { return fx_alloc(ctx, FX_CAP); }
int *fx_int_p(fx_ctx *ctx) { return fx_alloc(ctx, sizeof(int)); }
uint64_t *fx_uint64_t_p(fx_ctx *ctx) { return fx_alloc(ctx, FX_CAP * sizeof(uint64_t)); }
size_t *fx_size_t_p(fx_ctx *ctx) { return fx_alloc(ctx, FX_CAP * sizeof(size_t)); }
/* lens of FX_COUNT arrays (parts, arrays, clips), each at least a log-mel
 * frame long, and their total within FX_CAP. */
size_t *fx_size_t_p__lens(fx_ctx *ctx) {
  size_t *p = fx_alloc(ctx, FX_COUNT * sizeof *p);
  p[0] = FX_N;
  p[1] = FX_N / 2;
  return p;
}
size_t *fx_size_t_p__caps(fx_ctx *ctx) {
  size_t *p = fx_alloc(ctx, FX_COUNT * sizeof *p);
  p[0] = p[1] = FX_CAP;
  return p;
}
/* A shape of FX_N elements (1-D; room for CORE_CACHE_MAX_DIMS when it is an
 * output). */
size_t *fx_size_t_p__shape(fx_ctx *ctx) {
  size_t *p = fx_alloc(ctx, CORE_CACHE_MAX_DIMS * sizeof *p);
  p[0] = FX_N;
  p[1] = p[2] = p[3] = 1;
  return p;
}
char *fx_char_p__buf(fx_ctx *ctx) { return fx_alloc(ctx, FX_CAP); }
char *fx_char_p__name(fx_ctx *ctx) { (void)ctx; return "fx_new_metric"; }
char *fx_char_p__help(fx_ctx *ctx) { (void)ctx; return "a metric of the sweep"; }
core_metric_id_t *fx_core_metric_id_t_p(fx_ctx *ctx) { return fx_alloc(ctx, sizeof(core_metric_id_t)); }
core_metric_kind *fx_core_metric_kind_p(fx_ctx *ctx) { return fx_alloc(ctx, sizeof(core_metric_kind)); }
core_segment_t *fx_core_segment_t_p(fx_ctx *ctx) { return fx_alloc(ctx, FX_CAP * sizeof(core_segment_t)); }
core_event_t *fx_core_event_t_p(fx_ctx *ctx) { return fx_alloc(ctx, sizeof(core_event_t)); }
core_pipeline_stats_t *fx_core_pipeline_stats_t_p(fx_ctx *ctx) { return fx_alloc(ctx, sizeof(core_pipeline_stats_t)); }
core_cache_stats_t *fx_core_cache_stats_t_p(fx_ctx *ctx) {
  core_cache_stats_t *p = fx_alloc(ctx, sizeof *p);
  p->struct_size = sizeof *p;
  return p;
}
core_timer_stats_t *fx_core_timer_stats_t_p(fx_ctx *ctx) {
  core_timer_stats_t *p = fx_alloc(ctx, sizeof *p);
  p->struct_size = sizeof *p;
  return p;
}
core_audio_info_t *fx_core_audio_info_t_p(fx_ctx *ctx) {
  core_audio_info_t *p = fx_alloc(ctx, sizeof *p);
  p->struct_size = sizeof *p;
  return p;
}
/* Summaries: an array of FX_CAP (stats_frames writes one per frame), each
 * the summary of 1, 2, 3. */
core_stats_t *fx_core_stats_t_p(fx_ctx *ctx) {
  core_stats_t *p = fx_alloc(ctx, FX_CAP * sizeof *p);
  for (size_t i = 0; i < FX_CAP; ++i)
    p[i] = (core_stats_t){.count = 3, .min = 1, .max = 3, .sum = 6, .mean = 2, .m2 = 2};
  return p;
}
/* An accumulator, initialized, nothing pushed (so either dtype may come). */
core_stats_acc_t *fx_core_stats_acc_t_p(fx_ctx *ctx) {
  core_stats_acc_t *p = fx_alloc(ctx, sizeof *p);
  SETUP(core_stats_acc_init(p, CORE_NAN_PROPAGATE, 0));
  return p;
}
/* The key the cache fixture holds. */
static const core_key_t kKey = {0x1234, 0x5678};
core_key_t *fx_core_key_t_p(fx_ctx *ctx) {
  core_key_t *p = fx_alloc(ctx, sizeof *p);
  *p = kKey;
  return p;
}
/* FX_COUNT arrays of FX_CAP (parts, arrays, clips, outs): distinct buffers,
 * so outputs overlap nothing. */
float **fx_float_p_p(fx_ctx *ctx) {
  float **p = fx_alloc(ctx, FX_COUNT * sizeof *p);
  for (int i = 0; i < FX_COUNT; ++i) p[i] = fx_float_p(ctx);
  return p;
}
double **fx_double_p_p(fx_ctx *ctx) {
  double **p = fx_alloc(ctx, FX_COUNT * sizeof *p);
  for (int i = 0; i < FX_COUNT; ++i) p[i] = fx_double_p(ctx);
  return p;
}
/* An out-pointer (core_ring_regions' p1, p2). */
const float **fx_const_float_p_p(fx_ctx *ctx) { return fx_alloc(ctx, sizeof(const float *)); }
core_metric_label_t *fx_core_metric_label_t_p(fx_ctx *ctx) {
  core_metric_label_t *p = fx_alloc(ctx, sizeof *p);
  p->name = "stage";
  p->value = "sweep";
  return p;
}

/* ---- files ---------------------------------------------------------------------- */

static char *path_in_tmp(fx_ctx *ctx, const char *name) {
  char *p = fx_alloc(ctx, 512);
  snprintf(p, 512, "%s/%s", fx_tmpdir(), name);
  return p;
}
/* An audio file (core_audio_info, core_audio_read, core_audio_open). */
char *fx_char_p__path(fx_ctx *ctx) { return path_in_tmp(ctx, "clip.wav"); }
/* A raw float32 file of FX_N values (core_stats_file_f32). */
char *fx_f32_path(fx_ctx *ctx) { return path_in_tmp(ctx, "values.f32"); }
/* Where core_cache_save may write. */
char *fx_save_path(fx_ctx *ctx) { return path_in_tmp(ctx, "saved.cache"); }

/* Two audio files for core_collection_run (n:=2), and where their
 * features would go (written only with opts->features). */
const char **fx_collection_paths(fx_ctx *ctx) {
  const char **p = fx_alloc(ctx, 2 * sizeof *p);
  p[0] = fx_char_p__path(ctx);
  p[1] = fx_char_p__path(ctx);
  return p;
}
const char **fx_collection_outputs(fx_ctx *ctx) {
  const char **p = fx_alloc(ctx, 2 * sizeof *p);
  p[0] = path_in_tmp(ctx, "features-0.npy");
  p[1] = path_in_tmp(ctx, "features-1.npy");
  return p;
}
static int collection_go_on(const core_file_summary_t *s, void *user) {
  (void)s, (void)user;
  return 0;
}
core_collection_fn fx_core_collection_fn(fx_ctx *ctx) { (void)ctx; return collection_go_on; }
/* A good file's summary with two segments. */
core_file_summary_t *fx_core_file_summary_t_p(fx_ctx *ctx) {
  core_file_summary_t *s = fx_alloc(ctx, sizeof *s);
  core_segment_t *seg = fx_alloc(ctx, 2 * sizeof *seg);
  seg[0].start = 0, seg[0].end = 160, seg[1].start = 320, seg[1].end = 480;
  s->struct_size = sizeof *s;
  s->path = fx_char_p__path(ctx);
  s->status = CORE_OK;
  s->message = "";
  s->sample_rate = 16000;
  s->segments = seg;
  s->n_segments = 2;
  s->segments_total = 2;
  return s;
}

/* ---- options ----------------------------------------------------------------------- */

core_ring_options_t *fx_core_ring_options_t_p(fx_ctx *ctx) {
  core_ring_options_t *o = fx_alloc(ctx, sizeof *o);
  SETUP(core_ring_options_init(o));
  o->capacity = 4096;
  return o;
}
core_cache_options_t *fx_core_cache_options_t_p(fx_ctx *ctx) {
  core_cache_options_t *o = fx_alloc(ctx, sizeof *o);
  SETUP(core_cache_options_init(o));
  return o;
}
core_metrics_options_t *fx_core_metrics_options_t_p(fx_ctx *ctx) {
  core_metrics_options_t *o = fx_alloc(ctx, sizeof *o);
  SETUP(core_metrics_options_init(o));
  return o;
}
core_logmel_options_t *fx_core_logmel_options_t_p(fx_ctx *ctx) {
  core_logmel_options_t *o = fx_alloc(ctx, sizeof *o);
  SETUP(core_logmel_options_init(o));
  return o;
}
core_vad_options_t *fx_core_vad_options_t_p(fx_ctx *ctx) {
  core_vad_options_t *o = fx_alloc(ctx, sizeof *o);
  SETUP(core_vad_options_init(o));
  return o;
}
core_batcher_options_t *fx_core_batcher_options_t_p(fx_ctx *ctx) {
  core_batcher_options_t *o = fx_alloc(ctx, sizeof *o);
  SETUP(core_batcher_options_init(o));
  return o;
}
core_collection_options_t *fx_core_collection_options_t_p(fx_ctx *ctx) {
  core_collection_options_t *o = fx_alloc(ctx, sizeof *o);
  SETUP(core_collection_options_init(o));
  return o;
}
core_pipeline_options_t *fx_core_pipeline_options_t_p(fx_ctx *ctx) {
  core_pipeline_options_t *o = fx_alloc(ctx, sizeof *o);
  SETUP(core_pipeline_options_init(o));
  o->dim = FX_DIM;
  /* Windows over the whole stream (no VAD decision needed to get one), and
   * a small cache: the default bounds are sized for a service. */
  o->speech_only = 0;
  o->cache_options.max_bytes = (size_t)8 << 20;
  return o;
}

/* ---- handles ------------------------------------------------------------------------ */

static void d_ring(void *p) { core_ring_destroy(p); }
static void d_cache(void *p) { core_cache_destroy(p); }
static void d_metrics(void *p) { core_metrics_destroy(p); }
static void d_snapshot(void *p) { core_metrics_snapshot_destroy(p); }
static void d_logmel(void *p) { core_logmel_destroy(p); }
static void d_stream(void *p) { core_logmel_stream_destroy(p); }
static void d_vad(void *p) { core_vad_destroy(p); }
static void d_batcher(void *p) { core_batcher_destroy(p); }
static void d_pipeline(void *p) { core_pipeline_destroy(p); }
static void d_reader(void *p) { core_audio_reader_close(p); }

/* Out-handles: a slot checked and released by the runner (fx_out_slot). */
core_ring_t **fx_core_ring_t_p_p(fx_ctx *ctx) { return (core_ring_t **)fx_out_slot(ctx, d_ring); }
core_cache_t **fx_core_cache_t_p_p(fx_ctx *ctx) { return (core_cache_t **)fx_out_slot(ctx, d_cache); }
core_metrics_t **fx_core_metrics_t_p_p(fx_ctx *ctx) { return (core_metrics_t **)fx_out_slot(ctx, d_metrics); }
core_metrics_snapshot_t **fx_core_metrics_snapshot_t_p_p(fx_ctx *ctx) { return (core_metrics_snapshot_t **)fx_out_slot(ctx, d_snapshot); }
core_logmel_t **fx_core_logmel_t_p_p(fx_ctx *ctx) { return (core_logmel_t **)fx_out_slot(ctx, d_logmel); }
core_logmel_stream_t **fx_core_logmel_stream_t_p_p(fx_ctx *ctx) { return (core_logmel_stream_t **)fx_out_slot(ctx, d_stream); }
core_vad_t **fx_core_vad_t_p_p(fx_ctx *ctx) { return (core_vad_t **)fx_out_slot(ctx, d_vad); }
core_batcher_t **fx_core_batcher_t_p_p(fx_ctx *ctx) { return (core_batcher_t **)fx_out_slot(ctx, d_batcher); }
core_pipeline_t **fx_core_pipeline_t_p_p(fx_ctx *ctx) { return (core_pipeline_t **)fx_out_slot(ctx, d_pipeline); }
core_audio_reader_t **fx_core_audio_reader_t_p_p(fx_ctx *ctx) { return (core_audio_reader_t **)fx_out_slot(ctx, d_reader); }

/* A ring of 4096 samples holding 2048: room to append FX_N, FX_N to read. */
static core_ring_t *make_ring(fx_ctx *ctx, core_ring_policy policy) {
  core_ring_options_t *o = fx_core_ring_options_t_p(ctx);
  o->policy = policy;
  core_ring_t *r = NULL;
  SETUP(core_ring_create(o, &r));
  if (r == NULL) return NULL;
  fx_defer(ctx, d_ring, r);
  SETUP(core_ring_append_f32(r, fx_float_p(ctx), 2048));
  return r;
}
core_ring_t *fx_core_ring_t_p(fx_ctx *ctx) { return make_ring(ctx, CORE_RING_REJECT); }
core_ring_t *fx_ring_overwrite(fx_ctx *ctx) { return make_ring(ctx, CORE_RING_OVERWRITE); }

/* A cache holding a value of 16 floats under kKey. */
core_cache_t *fx_core_cache_t_p(fx_ctx *ctx) {
  core_cache_t *c = NULL;
  SETUP(core_cache_create(fx_core_cache_options_t_p(ctx), &c));
  if (c == NULL) return NULL;
  fx_defer(ctx, d_cache, c);
  SETUP(core_cache_put(c, &kKey, fx_float_p(ctx), 16, NULL, 0));
  return c;
}
/* A file written by core_cache_save (core_cache_load). */
char *fx_cache_file(fx_ctx *ctx) {
  char *path = path_in_tmp(ctx, "load.cache");
  core_cache_t *c = NULL;
  SETUP(core_cache_create(fx_core_cache_options_t_p(ctx), &c));
  if (c == NULL) return path;
  SETUP(core_cache_put(c, &kKey, fx_float_p(ctx), 16, NULL, 0));
  SETUP(core_cache_save(c, path));
  core_cache_destroy(c);
  return path;
}
static core_status compute_value(void *user, const core_key_t *key, core_cache_writer_t *w) {
  (void)user, (void)key;
  const float v[4] = {1, 2, 3, 4};
  return core_cache_writer_put(w, v, 4, NULL, 0);
}
core_cache_compute_fn fx_core_cache_compute_fn(fx_ctx *ctx) { (void)ctx; return compute_value; }
/* The writer of the callback an in_compute variant runs in. */
core_cache_writer_t *fx_core_cache_writer_t_p(fx_ctx *ctx) { return fx_current_writer(ctx); }
/* A key nothing is cached under (get_or_compute then runs fn). */
core_key_t *fx_missing_key(fx_ctx *ctx) {
  core_key_t *p = fx_alloc(ctx, sizeof *p);
  p->lo = 0xdead;
  p->hi = 0xbeef;
  return p;
}

/* A registry holding a timer (id FX_TIMER, one value), a counter
 * (FX_COUNTER) and a gauge (FX_GAUGE). */
core_metrics_t *fx_core_metrics_t_p(fx_ctx *ctx) {
  core_metrics_t *m = NULL;
  SETUP(core_metrics_create(NULL, &m));
  if (m == NULL) return NULL;
  fx_defer(ctx, d_metrics, m);
  core_metric_id_t id = 99;
  SETUP(core_metrics_timer(m, "fx_timer", NULL, NULL, 0, &id));
  if (id != FX_TIMER) fx_fail(ctx, "fixture: the timer has id %u", id);
  SETUP(core_metrics_record_ns(m, id, 1000));
  SETUP(core_metrics_counter(m, "fx_counter", NULL, NULL, 0, &id));
  if (id != FX_COUNTER) fx_fail(ctx, "fixture: the counter has id %u", id);
  SETUP(core_metrics_counter_add(m, id, 5));
  SETUP(core_metrics_gauge(m, "fx_gauge", NULL, NULL, 0, &id));
  if (id != FX_GAUGE) fx_fail(ctx, "fixture: the gauge has id %u", id);
  SETUP(core_metrics_gauge_set(m, id, 2.0));
  return m;
}
/* A snapshot of such a registry. */
core_metrics_snapshot_t *fx_core_metrics_snapshot_t_p(fx_ctx *ctx) {
  core_metrics_t *m = fx_core_metrics_t_p(ctx);
  core_metrics_snapshot_t *s = NULL;
  SETUP(core_metrics_snapshot(m, &s));
  if (s != NULL) fx_defer(ctx, d_snapshot, s);
  return s;
}

core_logmel_t *fx_core_logmel_t_p(fx_ctx *ctx) {
  core_logmel_t *lm = NULL;
  SETUP(core_logmel_create(fx_core_logmel_options_t_p(ctx), &lm));
  if (lm != NULL) fx_defer(ctx, d_logmel, lm);
  return lm;
}
/* A LOG10 stream (frames readable at once) that has taken FX_N samples. */
core_logmel_stream_t *fx_core_logmel_stream_t_p(fx_ctx *ctx) {
  core_logmel_options_t *o = fx_core_logmel_options_t_p(ctx);
  o->mode = CORE_LOGMEL_LOG10;
  core_logmel_stream_t *s = NULL;
  SETUP(core_logmel_stream_create(o, &s));
  if (s == NULL) return NULL;
  fx_defer(ctx, d_stream, s);
  SETUP(core_logmel_stream_push(s, fx_float_p(ctx), FX_N));
  return s;
}
core_vad_t *fx_core_vad_t_p(fx_ctx *ctx) {
  core_vad_t *v = NULL;
  SETUP(core_vad_create(fx_core_vad_options_t_p(ctx), &v));
  if (v == NULL) return NULL;
  fx_defer(ctx, d_vad, v);
  SETUP(core_vad_push(v, fx_float_p(ctx), FX_N));
  return v;
}
/* A batcher (max_batch 8) holding 8 items: a batch is due. */
core_batcher_t *fx_core_batcher_t_p(fx_ctx *ctx) {
  core_batcher_t *b = NULL;
  SETUP(core_batcher_create(fx_core_batcher_options_t_p(ctx), &b));
  if (b == NULL) return NULL;
  fx_defer(ctx, d_batcher, b);
  for (uint64_t i = 0; i < 8; ++i) SETUP(core_batcher_add(b, i, 100));
  return b;
}
/* A new pipeline (windows over the whole stream, no encoder callback). */
core_pipeline_t *fx_core_pipeline_t_p(fx_ctx *ctx) {
  core_pipeline_t *p = NULL;
  SETUP(core_pipeline_create(fx_core_pipeline_options_t_p(ctx), &p));
  if (p != NULL) fx_defer(ctx, d_pipeline, p);
  return p;
}
/* A pipeline that has announced window 0 (CORE_EVENT_NEEDS_ENCODING) and
 * waits for its embedding: 1.5 s pushed, so window 1 comes next. */
core_pipeline_t *fx_pipeline_waiting(fx_ctx *ctx) {
  core_pipeline_t *p = fx_core_pipeline_t_p(ctx);
  if (p == NULL) return NULL;
  float *x = fx_alloc(ctx, 24000 * sizeof *x);
  for (size_t i = 0; i < 24000; ++i) x[i] = (float)(0.3 * sin(0.07 * (double)i));
  SETUP(core_pipeline_push_f32(p, x, 24000));
  core_event_t ev;
  for (int i = 0; i < 1000; ++i) {
    const core_status st = core_pipeline_next_event(p, &ev);
    if (st == CORE_OK && ev.kind == CORE_EVENT_NEEDS_ENCODING) {
      if (ev.window_id != 0) fx_fail(ctx, "fixture: the first window is %llu", (unsigned long long)ev.window_id);
      return p;
    }
    if (st != CORE_OK && st != CORE_E_EMPTY) break;
  }
  fx_fail(ctx, "fixture: the pipeline announced no window to encode");
  return p;
}
/* A reader of the sweep's clip (0.5 s at 16 kHz) at its own rate, 100
 * samples read: a read of FX_N more succeeds. */
core_audio_reader_t *fx_core_audio_reader_t_p(fx_ctx *ctx) {
  core_audio_reader_t *r = NULL;
  SETUP(core_audio_open(fx_char_p__path(ctx), 0, &r));
  if (r == NULL) return NULL;
  fx_defer(ctx, d_reader, r);
  size_t got = 0;
  SETUP(core_audio_reader_read(r, fx_float_p(ctx), 100, &got));
  if (got != 100) fx_fail(ctx, "fixture: the reader gave %zu of 100 samples", got);
  return r;
}
