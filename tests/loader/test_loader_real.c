/* The loader against the real dynamic linker and the real libcore.so, one
 * scenario per process (the load happens once per process). meson runs it
 * with the environment of each scenario:
 *   native    LIBCORE_PATH=<build>/libcore/libcore.so.1
 *   missing   LIBCORE_PATH=<a file that does not exist>
 *   strict    LIBCORE_PATH=<missing>, LIBCORE_STRICT=1
 *   disabled  LIBCORE_PATH=<build lib>, LIBCORE_DISABLE=1
 * The native scenario also compares every batch slot with the portable
 * fallback on the same inputs (the other suites compare each backend with
 * its own core_stats_*).
 * usage: test_loader_real <scenario> [<expected core_version()>] */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <core/loader.h>

#include "libcore/loader/table.h" /* the fallback table, to compare with */

static const char *scenario;
static const char *expected_version;

/* The same call through the table, checked for the right answer. */
static void assert_stats_work(const core_api_t *api) {
  float x[1000];
  core_stats_t s;
  double sd;
  int i;
  for (i = 0; i < 1000; ++i) x[i] = (float)i;
  assert_int_equal(api->stats_f32(x, 1000, CORE_NAN_PROPAGATE, &s), CORE_OK);
  assert_true(s.mean == 499.5);
  assert_int_equal(api->stats_std(&s, 0, &sd), CORE_OK);
  assert_true(fabs(sd - 288.6749902572095) < 1e-12);
  /* errors come back with a message, from whichever backend */
  assert_int_equal(api->stats_f32(NULL, 5, CORE_NAN_PROPAGATE, &s), CORE_E_INVALID_ARGUMENT);
  assert_non_null(strstr(api->last_error_message(), "core_stats_f32"));
  /* a batch slot too: the accumulator, pushed in two parts */
  {
    static core_stats_acc_t acc;
    core_stats_t t;
    assert_int_equal(api->stats_acc_init(&acc, CORE_NAN_PROPAGATE, 1000), CORE_OK);
    assert_int_equal(api->stats_acc_push_f32(&acc, x, 333), CORE_OK);
    assert_int_equal(api->stats_acc_push_f32(&acc, x + 333, 667), CORE_OK);
    assert_int_equal(api->stats_acc_result(&acc, &t), CORE_OK);
    assert_memory_equal(&t, &s, sizeof t); /* batch.h 4 (b): core_stats_f32's bits */
    assert_int_equal(api->stats_acc_push_f32(&acc, x, 1), CORE_E_INVALID_ARGUMENT);
    assert_non_null(strstr(api->last_error_message(), "declared total of 1000"));
  }
}

/* Two summaries of the same values from the two backends agree as loader.h
 * promises: count, nan_count, min and max exact; m2 within 1e-12 relative;
 * the mean within 1e-12 of max(|mean|, std). */
static void assert_close_summaries(const core_stats_t *a, const core_stats_t *b) {
  const double sd = a->count > 0 && isfinite(a->m2) ? sqrt(a->m2 / (double)a->count) : 0.0;
  assert_int_equal(a->count, b->count);
  assert_int_equal(a->nan_count, b->nan_count);
  assert_memory_equal(&a->min, &b->min, sizeof a->min);
  assert_memory_equal(&a->max, &b->max, sizeof a->max);
  assert_int_equal(isnan(a->mean), isnan(b->mean));
  assert_int_equal(isnan(a->m2), isnan(b->m2));
  if (isfinite(a->mean))
    assert_true(fabs(a->mean - b->mean) <= 1e-12 * fmax(fabs(a->mean), sd));
  if (isfinite(a->m2)) assert_true(fabs(a->m2 - b->m2) <= 1e-12 * fmax(fabs(a->m2), fabs(b->m2)));
}

/* The batch slots of the native table against the portable fallback, on the
 * same inputs: many arrays, frames, the accumulator (declared total and
 * unknown length, across a merge) and a file. */
static void assert_batch_matches_fallback(const core_api_t *api) {
  enum { kN = 300007, kArrays = 64 };
  const core_api_t *fb = &core_loader_fallback_table;
  static float x[kN];
  static double y[kN];
  static core_stats_t a[kN / 160], b[kN / 160];
  static core_stats_acc_t acc_a, acc_b;
  const float *arrays[kArrays];
  const double *arrays64[kArrays];
  size_t lens[kArrays], off = 0, na = 0, nb = 0, i;
  char path[] = "/tmp/libcore_loader_real_XXXXXX";
  FILE *f;
  int fd, p;
  for (i = 0; i < kN; ++i) {
    y[i] = 1000.0 + (double)((i * 7919u) % 10007u) / 3.0; /* offset from 0 */
    x[i] = (float)y[i];
  }
  x[1234] = NAN;
  y[99999] = NAN;
  for (i = 0; i < kArrays; ++i) { /* 0 to 8190 values, 5 of them 0 */
    lens[i] = (i * 2731u) % 8191u;
    arrays[i] = x + off;
    arrays64[i] = y + off;
    off += lens[i];
  }
  for (p = 0; p < 2; ++p) {
    const core_nan_policy nan = (core_nan_policy)p;
    assert_int_equal(api->batch_stats_f32(arrays, lens, kArrays, nan, a), CORE_OK);
    assert_int_equal(fb->batch_stats_f32(arrays, lens, kArrays, nan, b), CORE_OK);
    for (i = 0; i < kArrays; ++i) assert_close_summaries(&a[i], &b[i]);
    assert_int_equal(api->batch_stats_f64(arrays64, lens, kArrays, nan, a), CORE_OK);
    assert_int_equal(fb->batch_stats_f64(arrays64, lens, kArrays, nan, b), CORE_OK);
    for (i = 0; i < kArrays; ++i) assert_close_summaries(&a[i], &b[i]);

    /* Declared total, pushed in uneven chunks; then merged with itself. */
    assert_int_equal(api->stats_acc_init(&acc_a, nan, kN), CORE_OK);
    assert_int_equal(fb->stats_acc_init(&acc_b, nan, kN), CORE_OK);
    for (off = 0; off < kN; off += 7001) {
      const size_t c = kN - off < 7001 ? kN - off : 7001;
      assert_int_equal(api->stats_acc_push_f32(&acc_a, x + off, c), CORE_OK);
      assert_int_equal(fb->stats_acc_push_f32(&acc_b, x + off, c), CORE_OK);
    }
    assert_int_equal(api->stats_acc_result(&acc_a, &a[0]), CORE_OK);
    assert_int_equal(fb->stats_acc_result(&acc_b, &b[0]), CORE_OK);
    assert_close_summaries(&a[0], &b[0]);
    assert_int_equal(api->stats_acc_merge(&acc_a, &acc_a), CORE_OK);
    assert_int_equal(fb->stats_acc_merge(&acc_b, &acc_b), CORE_OK);
    assert_int_equal(api->stats_acc_result(&acc_a, &a[0]), CORE_OK);
    assert_int_equal(fb->stats_acc_result(&acc_b, &b[0]), CORE_OK);
    assert_close_summaries(&a[0], &b[0]);
    /* Unknown length, 147 blocks: not a power of two. */
    assert_int_equal(api->stats_acc_init(&acc_a, nan, 0), CORE_OK);
    assert_int_equal(fb->stats_acc_init(&acc_b, nan, 0), CORE_OK);
    assert_int_equal(api->stats_acc_push_f64(&acc_a, y, kN), CORE_OK);
    assert_int_equal(fb->stats_acc_push_f64(&acc_b, y, kN), CORE_OK);
    assert_int_equal(api->stats_acc_result(&acc_a, &a[0]), CORE_OK);
    assert_int_equal(fb->stats_acc_result(&acc_b, &b[0]), CORE_OK);
    assert_close_summaries(&a[0], &b[0]);
  }
  /* Whisper-like frames, both dtypes. */
  assert_int_equal(api->stats_frames_f32(x, kN, 400, 160, a, kN / 160, &na), CORE_OK);
  assert_int_equal(fb->stats_frames_f32(x, kN, 400, 160, b, kN / 160, &nb), CORE_OK);
  assert_int_equal(na, nb);
  for (i = 0; i < na; ++i) assert_close_summaries(&a[i], &b[i]);
  assert_int_equal(api->stats_frames_f64(y, kN, 4096, 1000, a, kN / 160, &na), CORE_OK);
  assert_int_equal(fb->stats_frames_f64(y, kN, 4096, 1000, b, kN / 160, &nb), CORE_OK);
  assert_int_equal(na, nb);
  for (i = 0; i < na; ++i) assert_close_summaries(&a[i], &b[i]);

  /* A file, whole and a range; and the same status for a missing one. */
  fd = mkstemp(path);
  assert_true(fd >= 0);
  f = fdopen(fd, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(x, sizeof *x, kN, f), kN);
  assert_int_equal(fclose(f), 0);
  assert_int_equal(api->stats_file_f32(path, 0, 0, CORE_NAN_OMIT, &a[0]), CORE_OK);
  assert_int_equal(fb->stats_file_f32(path, 0, 0, CORE_NAN_OMIT, &b[0]), CORE_OK);
  assert_close_summaries(&a[0], &b[0]);
  assert_int_equal(api->stats_file_f32(path, 1001, 100000, CORE_NAN_PROPAGATE, &a[0]), CORE_OK);
  assert_int_equal(fb->stats_file_f32(path, 1001, 100000, CORE_NAN_PROPAGATE, &b[0]), CORE_OK);
  assert_close_summaries(&a[0], &b[0]);
  unlink(path);
  assert_int_equal(api->stats_file_f32(path, 0, 0, CORE_NAN_OMIT, &a[0]), CORE_E_NOT_FOUND);
  assert_int_equal(fb->stats_file_f32(path, 0, 0, CORE_NAN_OMIT, &b[0]), CORE_E_NOT_FOUND);
}

/* The ring through the table: a real ring natively, a clear refusal in the
 * fallback (it has no ring), never a crash. */
static void assert_ring(const core_api_t *api, int native) {
  core_ring_options_t opts;
  core_ring_t *ring = (core_ring_t *)&opts; /* must be overwritten */
  const float in[3] = {1, 2, 3};
  float out[3] = {0, 0, 0};
  size_t got = 0;
  assert_int_equal(api->ring_options_init(&opts), CORE_OK);
  opts.capacity = 8;
  if (!native) {
    assert_int_equal(api->ring_create(&opts, &ring), CORE_E_UNAVAILABLE);
    assert_null(ring);
    assert_non_null(strstr(api->last_error_message(), "core_ring_create: unavailable"));
    assert_int_equal(api->ring_append_f32(ring, in, 3), CORE_E_UNAVAILABLE);
    assert_int_equal(api->ring_size(ring), 0);
    api->ring_destroy(ring);
    return;
  }
  assert_int_equal(api->ring_create(&opts, &ring), CORE_OK);
  assert_int_equal(api->ring_append_f32(ring, in, 3), CORE_OK);
  assert_int_equal(api->ring_size(ring), 3);
  assert_int_equal(api->ring_pop(ring, out, 3, &got), CORE_OK);
  assert_int_equal(got, 3);
  assert_memory_equal(in, out, sizeof in);
  api->ring_destroy(ring);
}

/* The cache through the table: real natively, refused in the fallback. */
static void assert_cache(const core_api_t *api, int native) {
  core_cache_options_t opts;
  core_cache_t *cache = (core_cache_t *)&opts; /* must be overwritten */
  const float value[4] = {1, 2, 3, 4};
  float out[4] = {0, 0, 0, 0};
  size_t n = 0;
  core_key_t key = {1, 2};
  assert_int_equal(api->cache_options_init(&opts), CORE_OK);
  assert_int_equal(api->cache_entry_bytes(4), 16 + CORE_CACHE_ENTRY_OVERHEAD);
  if (!native) {
    assert_int_equal(api->cache_create(&opts, &cache), CORE_E_UNAVAILABLE);
    assert_null(cache);
    assert_non_null(strstr(api->last_error_message(), "core_cache_create: unavailable"));
    assert_int_equal(api->cache_key_bytes("abc", 3, &key), CORE_E_UNAVAILABLE);
    assert_int_equal(api->cache_put(cache, &key, value, 4, NULL, 0), CORE_E_UNAVAILABLE);
    assert_int_equal(api->cache_shards(cache), 0);
    api->cache_destroy(cache);
    return;
  }
  assert_int_equal(api->cache_create(&opts, &cache), CORE_OK);
  assert_int_equal(api->cache_key_bytes("abc", 3, &key), CORE_OK);
  assert_int_equal(api->cache_put(cache, &key, value, 4, NULL, 0), CORE_OK);
  assert_int_equal(api->cache_get(cache, &key, out, 4, &n, NULL, NULL), CORE_OK);
  assert_int_equal(n, 4);
  assert_memory_equal(value, out, sizeof value);
  api->cache_destroy(cache);
}

/* Metrics through the table: a registry natively; in the fallback only
 * the clock and options_init work, and create refuses. */
static void assert_metrics(const core_api_t *api, int native) {
  core_metrics_options_t opts;
  core_metrics_t *m = (core_metrics_t *)&opts; /* must be overwritten */
  core_metric_id_t id = 0;
  uint64_t value = 0;
  const uint64_t t0 = api->now_ns();
  assert_true(api->now_ns() >= t0);
  assert_int_equal(api->metrics_options_init(&opts), CORE_OK);
  if (!native) {
    assert_int_equal(api->metrics_create(&opts, &m), CORE_E_UNAVAILABLE);
    assert_null(m);
    assert_non_null(strstr(api->last_error_message(), "core_metrics_create: unavailable"));
    assert_int_equal(api->metrics_counter_add(m, 0, 1), CORE_E_UNAVAILABLE);
    assert_int_equal(api->metrics_count(m), 0);
    api->metrics_destroy(m);
    return;
  }
  assert_int_equal(api->metrics_create(&opts, &m), CORE_OK);
  assert_int_equal(api->metrics_counter(m, "requests", NULL, NULL, 0, &id), CORE_OK);
  assert_int_equal(api->metrics_counter_add(m, id, 3), CORE_OK);
  assert_int_equal(api->metrics_counter_get(m, id, &value), CORE_OK);
  assert_int_equal(value, 3);
  api->metrics_destroy(m);
}

static core_status collection_seen;
static int collection_record(const core_file_summary_t *s, void *user) {
  (void)user;
  collection_seen = s->status;
  return 0;
}

/* Audio through the table: natively a log-mel analyser, a VAD and the file
 * reader's error paths; in the fallback the options_init calls fill the
 * library's defaults (compared byte for byte with the native library's in
 * the native scenario) and everything else refuses. */
static void assert_audio(const core_api_t *api, int native) {
  core_logmel_options_t lo;
  core_vad_options_t vo;
  core_logmel_t *lm = (core_logmel_t *)&lo; /* must be overwritten */
  core_vad_t *vad = (core_vad_t *)&vo;
  core_segment_t seg;
  size_t frames = 0;
  assert_int_equal(api->logmel_options_init(&lo), CORE_OK);
  assert_int_equal(api->vad_options_init(&vo), CORE_OK);
  if (!native) {
    core_audio_info_t info = {sizeof info, 0, 0, 0, 0.0, 0, 0};
    assert_int_equal(api->logmel_create(&lo, &lm), CORE_E_UNAVAILABLE);
    assert_null(lm);
    assert_non_null(strstr(api->last_error_message(), "core_logmel_create: unavailable"));
    assert_int_equal(api->vad_create(&vo, &vad), CORE_E_UNAVAILABLE);
    assert_null(vad);
    assert_int_equal(api->vad_next_segment(vad, &seg), CORE_E_UNAVAILABLE);
    assert_int_equal(api->audio_info("/dev/null", &info), CORE_E_UNAVAILABLE);
    {
      core_collection_options_t co;
      const char *paths[] = {"/dev/null"};
      size_t len = 0;
      assert_int_equal(api->collection_options_init(&co), CORE_OK);
      assert_int_equal(co.sample_rate, 16000);
      assert_int_equal(api->collection_run(paths, 1, NULL, &co, collection_record, NULL),
                       CORE_E_UNAVAILABLE);
      assert_non_null(strstr(api->last_error_message(), "core_collection_run: unavailable"));
      assert_int_equal(api->file_summary_json(NULL, NULL, 0, &len), CORE_E_UNAVAILABLE);
    }
    {
      core_audio_reader_t *r = (core_audio_reader_t *)&info; /* must be overwritten */
      float x[4];
      size_t got = 9;
      uint64_t total = 9;
      assert_int_equal(api->audio_open("/dev/null", 0, &r), CORE_E_UNAVAILABLE);
      assert_null(r);
      assert_non_null(strstr(api->last_error_message(), "core_audio_open: unavailable"));
      assert_int_equal(api->audio_reader_read(r, x, 4, &got), CORE_E_UNAVAILABLE);
      assert_int_equal(api->audio_reader_info(r, &info), CORE_E_UNAVAILABLE);
      assert_int_equal(api->audio_reader_length(r, &total, NULL), CORE_E_UNAVAILABLE);
      api->audio_reader_close(r);
    }
    api->logmel_destroy(lm);
    api->vad_destroy(vad);
    return;
  }
  {
    /* The reader slots reach libcore's own functions: /dev/null is no
     * regular file (CORE_E_IO), or audio files are not built in. */
    core_audio_reader_t *r = NULL;
    const core_status st = api->audio_open("/dev/null", 0, &r);
    assert_true(st == CORE_E_IO || st == CORE_E_UNSUPPORTED);
    assert_null(r);
    assert_non_null(strstr(api->last_error_message(), "core_audio_open: "));
    assert_int_equal(api->audio_reader_length(NULL, NULL, NULL), CORE_E_INVALID_ARGUMENT);
    assert_non_null(strstr(api->last_error_message(), "core_audio_reader_length: r is NULL"));
    api->audio_reader_close(NULL);
  }
  {
    /* The fallback's defaults are the library's. */
    core_logmel_options_t fl;
    core_vad_options_t fv;
    memset(&fl, 0xAB, sizeof fl);
    memset(&fv, 0xAB, sizeof fv);
    memset(&lo, 0xAB, sizeof lo);
    memset(&vo, 0xAB, sizeof vo);
    assert_int_equal(api->logmel_options_init(&lo), CORE_OK);
    assert_int_equal(api->vad_options_init(&vo), CORE_OK);
    assert_int_equal(core_loader_fallback_table.logmel_options_init(&fl), CORE_OK);
    assert_int_equal(core_loader_fallback_table.vad_options_init(&fv), CORE_OK);
    assert_memory_equal(&fl, &lo, sizeof lo);
    assert_memory_equal(&fv, &vo, sizeof vo);
  }
  {
    /* Collections: the fallback's defaults are the library's; natively the
     * slots reach libcore (a missing file fails alone, the record says so). */
    core_collection_options_t co, fc;
    const char *paths[] = {"/nonexistent/libcore-loader-test.wav"};
    char json[512];
    size_t len = 0;
    memset(&co, 0xAB, sizeof co);
    memset(&fc, 0xAB, sizeof fc);
    assert_int_equal(api->collection_options_init(&co), CORE_OK);
    assert_int_equal(core_loader_fallback_table.collection_options_init(&fc), CORE_OK);
    assert_memory_equal(&fc, &co, sizeof co);
    collection_seen = CORE_OK;
    const core_status st = api->collection_run(paths, 1, NULL, &co, collection_record, NULL);
    assert_true(st == CORE_OK || st == CORE_E_UNSUPPORTED);
    if (st == CORE_OK) assert_int_equal(collection_seen, CORE_E_NOT_FOUND);
    assert_int_equal(api->file_summary_json(NULL, json, sizeof json, &len),
                     CORE_E_INVALID_ARGUMENT);
    assert_non_null(strstr(api->last_error_message(), "core_file_summary_json: s is NULL"));
  }
  assert_int_equal(api->logmel_create(&lo, &lm), CORE_OK);
  assert_int_equal(api->logmel_frames(lm, 16000, &frames), CORE_OK);
  assert_int_equal(frames, 100);
  api->logmel_destroy(lm);
  assert_int_equal(api->vad_create(&vo, &vad), CORE_OK);
  assert_int_equal(api->vad_flush(vad), CORE_OK);
  assert_int_equal(api->vad_next_segment(vad, &seg), CORE_E_EMPTY);
  api->vad_destroy(vad);
}

/* The pipeline and batcher through the table: natively a batcher that
 * releases a batch and a pipeline that ends; in the fallback the
 * options_init calls fill the library's defaults (compared byte for byte
 * with the native library's in the native scenario) and the rest refuses. */
static void assert_pipeline(const core_api_t *api, int native) {
  core_batcher_options_t bo;
  core_pipeline_options_t po;
  core_batcher_t *b = (core_batcher_t *)&bo; /* must be overwritten */
  core_pipeline_t *p = (core_pipeline_t *)&po;
  assert_int_equal(api->batcher_options_init(&bo), CORE_OK);
  assert_int_equal(api->pipeline_options_init(&po), CORE_OK);
  if (!native) {
    core_event_t ev;
    assert_int_equal(api->batcher_create(&bo, &b), CORE_E_UNAVAILABLE);
    assert_null(b);
    assert_int_equal(api->pipeline_create(&po, &p), CORE_E_UNAVAILABLE);
    assert_null(p);
    assert_non_null(strstr(api->last_error_message(), "core_pipeline_create: unavailable"));
    assert_int_equal(api->pipeline_next_event(p, &ev), CORE_E_UNAVAILABLE);
    assert_int_equal(api->batcher_pending(b), 0);
    assert_null(api->pipeline_metrics(p));
    api->batcher_destroy(b);
    api->pipeline_destroy(p);
    return;
  }
  {
    core_batcher_options_t fb;
    core_pipeline_options_t fp;
    memset(&fb, 0xAB, sizeof fb);
    memset(&fp, 0xAB, sizeof fp);
    memset(&bo, 0xAB, sizeof bo);
    memset(&po, 0xAB, sizeof po);
    assert_int_equal(api->batcher_options_init(&bo), CORE_OK);
    assert_int_equal(api->pipeline_options_init(&po), CORE_OK);
    assert_int_equal(core_loader_fallback_table.batcher_options_init(&fb), CORE_OK);
    assert_int_equal(core_loader_fallback_table.pipeline_options_init(&fp), CORE_OK);
    assert_memory_equal(&fb, &bo, sizeof bo);
    assert_memory_equal(&fp, &po, sizeof po);
  }
  {
    uint64_t ids[8];
    size_t count = 0, bucket = 9;
    bo.max_batch = 2;
    assert_int_equal(api->batcher_create(&bo, &b), CORE_OK);
    assert_int_equal(api->batcher_add(b, 7, 1), CORE_OK);
    assert_int_equal(api->batcher_add(b, 9, 1), CORE_OK);
    assert_int_equal(api->batcher_pending(b), 2);
    assert_int_equal(api->batcher_next(b, ids, 8, &count, &bucket), CORE_OK);
    assert_int_equal(count, 2);
    assert_int_equal(ids[0], 7);
    assert_int_equal(ids[1], 9);
    api->batcher_destroy(b);
  }
  {
    core_event_t ev;
    core_pipeline_stats_t st;
    po.dim = 4;
    assert_int_equal(api->pipeline_create(&po, &p), CORE_OK);
    assert_non_null(api->pipeline_metrics(p));
    assert_int_equal(api->pipeline_flush(p), CORE_OK);
    while (api->pipeline_next_event(p, &ev) == CORE_OK && ev.kind != CORE_EVENT_END) {
    }
    assert_int_equal(ev.kind, CORE_EVENT_END);
    assert_int_equal(api->pipeline_stats(p, &st), CORE_OK);
    assert_int_equal(st.samples, 0);
    api->pipeline_destroy(p);
  }
}

static void native(void **state) {
  const core_api_t *api = core_api();
  (void)state;
  assert_non_null(api);
  assert_string_equal(core_api_load_error(), "");
  assert_int_equal(api->backend, CORE_BACKEND_NATIVE);
  assert_string_equal(api->version(), expected_version);
  assert_int_equal(api->library_abi_version(), CORE_ABI_VERSION);
  assert_string_not_equal(api->simd_target(), "PORTABLE");
  assert_stats_work(api);
  assert_batch_matches_fallback(api);
  assert_ring(api, 1);
  assert_cache(api, 1);
  assert_metrics(api, 1);
  assert_audio(api, 1);
  assert_pipeline(api, 1);
}

static void missing(void **state) {
  const core_api_t *api = core_api();
  (void)state;
  assert_non_null(api);
  assert_int_equal(api->backend, CORE_BACKEND_FALLBACK);
  assert_non_null(strstr(core_api_load_error(), "dlopen "));
  assert_non_null(strstr(core_api_load_error(), getenv("LIBCORE_PATH")));
  assert_string_equal(api->simd_target(), "PORTABLE");
  assert_stats_work(api);
  assert_ring(api, 0);
  assert_cache(api, 0);
  assert_metrics(api, 0);
  assert_audio(api, 0);
  assert_pipeline(api, 0);
}

static void strict(void **state) {
  (void)state;
  assert_null(core_api());
  assert_null(core_api()); /* stays refused */
  assert_non_null(strstr(core_api_load_error(), "dlopen "));
}

static void disabled(void **state) {
  const core_api_t *api = core_api();
  (void)state;
  assert_non_null(api);
  assert_int_equal(api->backend, CORE_BACKEND_FALLBACK);
  assert_string_equal(core_api_load_error(), "disabled by LIBCORE_DISABLE");
  assert_stats_work(api);
  assert_ring(api, 0);
  assert_cache(api, 0);
  assert_metrics(api, 0);
  assert_audio(api, 0);
  assert_pipeline(api, 0);
}

int main(int argc, char **argv) {
  const struct CMUnitTest all[] = {
      cmocka_unit_test(native),
      cmocka_unit_test(missing),
      cmocka_unit_test(strict),
      cmocka_unit_test(disabled),
  };
  size_t i;
  if (argc < 2) return 2;
  scenario = argv[1];
  expected_version = argc > 2 ? argv[2] : "";
  for (i = 0; i < sizeof all / sizeof all[0]; ++i)
    if (strcmp(all[i].name, scenario) == 0)
      return _cmocka_run_group_tests(scenario, &all[i], 1, NULL, NULL);
  return 2;
}
