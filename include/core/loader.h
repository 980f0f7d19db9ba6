/*
 * libcore loader: use libcore from a C program that must also run where
 * libcore is not installed (a plugin, a tool shipped to many distributions).
 *
 * Link the small static library libcore_loader.a (pkg-config libcore-loader)
 * instead of libcore itself, and call every function through the table:
 *
 *     const core_api_t *api = core_api();
 *     core_stats_t s;
 *     if (api && api->stats_f32(x, n, CORE_NAN_PROPAGATE, &s) == CORE_OK) ...
 *
 * How the table is chosen (once per process, on the first core_api() or
 * core_api_load_error() call, under pthread_once, so concurrent first calls
 * from several threads load once and all get the same table):
 *
 *  1. dlopen("libcore.so.1", RTLD_NOW | RTLD_LOCAL), or the path in the
 *     environment variable LIBCORE_PATH when it is set and not empty.
 *  2. core_abi_version() of the library must equal CORE_ABI_VERSION.
 *  3. Every slot the library's version promises (each slot's "since") must
 *     resolve with dlsym. A slot newer than the library (a newer loader with
 *     an older libcore of the same ABI) gets the portable fallback or the
 *     CORE_E_UNAVAILABLE stub, and the table stays NATIVE.
 *  4. A self-test runs core_stats_f64 and core_stats_f32 on a fixed input
 *     through the library and through the fallback, and compares them
 *     (count, min, max exact; mean and m2 within 1e-12 relative), plus one
 *     error path (the status code of a NULL argument).
 *  Any failure closes the handle (dlclose) and the table becomes FALLBACK:
 *  portable C implementations of every runtime, array, stats and batch
 *  function (results within the tolerances documented below), and stubs
 *  returning CORE_E_UNAVAILABLE for stateful modules that have no portable
 *  version (the ring, the cache, metrics, audio and the pipeline: create
 *  and audio_open refuse, so no handle exists and every call on one
 *  refuses too; queries answer 0;
 *  options_init works; the cache's key functions refuse as well; the
 *  clock, core_now_ns, works).
 *  core_api_load_error() says why.
 *
 * Environment (read once, at the first call):
 *  - LIBCORE_DISABLE set to anything but "" or "0": use the fallback without
 *    trying to load. It wins over LIBCORE_STRICT: asking for the fallback is
 *    not a silent fallback.
 *  - LIBCORE_STRICT set to anything but "" or "0": a failed load makes
 *    core_api() return NULL instead of the fallback table, for programs that
 *    must not silently run slower. core_api_load_error() still says why.
 *  - LIBCORE_PATH: the file to dlopen instead of "libcore.so.1".
 *
 * The fallback backend:
 *  - Same argument checks, status codes and NaN policies as the library, and
 *    NumPy semantics. Messages (core_last_error_message through the table)
 *    are kept per thread by the loader and name the same problems, though
 *    not always in the same words.
 *  - Statistics use the library's method (2048-value blocks swept twice,
 *    float64 sums around a shift, Chan's merge in the same fixed tree),
 *    single-threaded, so only the rounding inside a block differs: m2,
 *    variance, dot, correlation and energy agree with the library within
 *    1e-12 relative, the mean within 1e-12 of max(|mean|, std), and both
 *    pass the library's accuracy tests. min, max, counts, percentiles,
 *    zero crossings, fill/zeros/ones/arange/linspace, PCM conversion and
 *    concatenation are bit-identical; cumsum, normalize and the normal pdf
 *    within a few ulps.
 *  - Batch (batch.h): every summary is the fallback's stats_f32/_f64 of
 *    the same values, as the library's is its own, so it agrees with the
 *    library within the statistics tolerances above (count, nan_count, min
 *    and max exact; m2 within 1e-12 relative, the mean within 1e-12 of
 *    max(|mean|, std)). batch_stats_* and stats_frames_* summarize one array
 *    or frame after another. The accumulator uses the same core_stats_acc_t
 *    layout, checks and block tree as the library, and batch.h's
 *    guarantees (a), (b) and (c) hold against the fallback's stats_*
 *    (accumulator bytes carried from one backend to the other are accepted
 *    and stay within these tolerances, but are bit-identical to neither
 *    backend's stats_*). stats_file_f32 reads the file with pread (read
 *    for a pipe) in 2 MiB chunks through that accumulator, the library's
 *    read(2) path: same statuses, same bits as in memory, but no mmap and
 *    no SIGBUS handler, whatever LIBCORE_NO_MMAP says, so a file that
 *    shrinks during the call gives CORE_E_IO "the file shrank while being
 *    read" rather than "... while mapped".
 *  - simd_target() returns "PORTABLE"; set_num_threads() accepts any count
 *    >= 0 (get_num_threads() returns it, or 1 for 0) but the work is serial.
 *
 * Compatibility: the table is append-only. Slot offsets never change (they
 * are frozen by static assertions in libcore/loader/table.c) and new slots
 * are added at the end, so the table a program was compiled against is a
 * prefix of every later loader's table. struct_size is the size of the
 * table the loader filled; CORE_API_HAS(api, slot) tells whether a slot is
 * inside it, for code that may meet an older table.
 *
 * Thread safety: core_api() and core_api_load_error() may be called from any
 * thread at any time; the table is immutable once returned and lives until
 * the process exits (the library, once accepted, is never dlclosed).
 *
 * Cost: the first call costs the dlopen, symbol resolution and self-test
 * (under 1 ms when libcore's dependencies are already in the page cache);
 * later calls are one load of a cached pointer. A call through a slot costs
 * an indirect call, as a call into a shared library does through the PLT.
 *
 * Since 0.1.
 */
#ifndef CORE_LOADER_H
#define CORE_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "collection.h"
#include "pipeline.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which implementation a table calls. Values pinned. */
typedef enum core_backend {
  CORE_BACKEND_NATIVE = 1,  /* libcore.so, loaded with dlopen */
  CORE_BACKEND_FALLBACK = 2 /* portable C inside libcore_loader.a */
} core_backend;

/* One function pointer per exported libcore function, named after it
 * without the core_ prefix (api->stats_f32 is core_stats_f32), except
 * core_abi_version, which is library_abi_version because abi_version is
 * the table's own field. The behaviour, arguments and statuses are those
 * documented in core.h, array.h, stats.h, batch.h, ring.h, cache.h,
 * metrics.h, audio.h, pipeline.h and collection.h. Append-only: see
 * above. */
typedef struct core_api_t {
  size_t struct_size;   /* sizeof the table the loader filled */
  uint32_t abi_version; /* CORE_ABI_VERSION of the table's layout */
  core_backend backend; /* CORE_BACKEND_NATIVE or CORE_BACKEND_FALLBACK */

  /* ---- runtime (core.h), since 0.1 ---- */
  const char *(*version)(void);
  unsigned (*version_number)(void);
  int (*library_abi_version)(void); /* core_abi_version */
  const char *(*status_str)(core_status status);
  const char *(*last_error_message)(void);
  const char *(*simd_target)(void);
  core_status (*set_num_threads)(int num_threads);
  int (*get_num_threads)(void);
  /* ---- array (array.h), since 0.1 ---- */
  core_status (*arange_len)(double start, double stop, double step, size_t *n);
  core_status (*arange_f32)(double start, double stop, double step, float *out,
                            size_t cap, size_t *n);
  core_status (*arange_f64)(double start, double stop, double step, double *out,
                            size_t cap, size_t *n);
  core_status (*linspace_f32)(double start, double stop, size_t num, int endpoint,
                              float *out);
  core_status (*linspace_f64)(double start, double stop, size_t num, int endpoint,
                              double *out);
  core_status (*fill_f32)(float *out, size_t n, float value);
  core_status (*fill_f64)(double *out, size_t n, double value);
  core_status (*zeros_f32)(float *out, size_t n);
  core_status (*zeros_f64)(double *out, size_t n);
  core_status (*ones_f32)(float *out, size_t n);
  core_status (*ones_f64)(double *out, size_t n);
  core_status (*concat_len)(const size_t *lens, size_t count, size_t *n);
  core_status (*concat_f32)(const float *const *parts, const size_t *lens,
                            size_t count, float *out, size_t cap, size_t *n);
  core_status (*concat_f64)(const double *const *parts, const size_t *lens,
                            size_t count, double *out, size_t cap, size_t *n);
  core_status (*cumsum_f32)(const float *x, size_t n, float *out);
  core_status (*cumsum_f64)(const double *x, size_t n, double *out);
  core_status (*normalize_f32)(float *x, size_t n, unsigned ddof, core_nan_policy nan);
  core_status (*normalize_f64)(double *x, size_t n, unsigned ddof, core_nan_policy nan);
  core_status (*normal_pdf_f32)(const float *x, size_t n, double mean, double std,
                                float *out);
  core_status (*normal_pdf_f64)(const double *x, size_t n, double mean, double std,
                                double *out);
  core_status (*pcm16_to_f32)(const int16_t *in, size_t n, float *out);
  core_status (*pcm16_to_f64)(const int16_t *in, size_t n, double *out);
  core_status (*f32_to_pcm16)(const float *in, size_t n, int16_t *out, size_t *clipped);
  core_status (*f64_to_pcm16)(const double *in, size_t n, int16_t *out,
                              size_t *clipped);
  /* ---- stats (stats.h), since 0.1 ---- */
  core_status (*stats_f32)(const float *x, size_t n, core_nan_policy nan,
                           core_stats_t *out);
  core_status (*stats_f64)(const double *x, size_t n, core_nan_policy nan,
                           core_stats_t *out);
  core_status (*stats_merge)(const core_stats_t *a, const core_stats_t *b,
                             core_stats_t *out);
  core_status (*stats_var)(const core_stats_t *s, unsigned ddof, double *out);
  core_status (*stats_std)(const core_stats_t *s, unsigned ddof, double *out);
  core_status (*min_f32)(const float *x, size_t n, double *out);
  core_status (*min_f64)(const double *x, size_t n, double *out);
  core_status (*max_f32)(const float *x, size_t n, double *out);
  core_status (*max_f64)(const double *x, size_t n, double *out);
  core_status (*mean_f32)(const float *x, size_t n, double *out);
  core_status (*mean_f64)(const double *x, size_t n, double *out);
  core_status (*var_f32)(const float *x, size_t n, unsigned ddof, double *out);
  core_status (*var_f64)(const double *x, size_t n, unsigned ddof, double *out);
  core_status (*std_f32)(const float *x, size_t n, unsigned ddof, double *out);
  core_status (*std_f64)(const double *x, size_t n, unsigned ddof, double *out);
  core_status (*dot_f32)(const float *x, const float *y, size_t n, double *out);
  core_status (*dot_f64)(const double *x, const double *y, size_t n, double *out);
  core_status (*corrcoef_f32)(const float *x, const float *y, size_t n, double *out);
  core_status (*corrcoef_f64)(const double *x, const double *y, size_t n, double *out);
  core_status (*energy_f32)(const float *x, size_t n, double *out);
  core_status (*energy_f64)(const double *x, size_t n, double *out);
  core_status (*rms_f32)(const float *x, size_t n, double *out);
  core_status (*rms_f64)(const double *x, size_t n, double *out);
  core_status (*zero_crossing_rate_f32)(const float *x, size_t n, double *out);
  core_status (*zero_crossing_rate_f64)(const double *x, size_t n, double *out);
  core_status (*percentile_f32)(const float *x, size_t n, double q,
                                core_nan_policy nan, float *scratch,
                                size_t scratch_cap, double *out);
  core_status (*percentile_f64)(const double *x, size_t n, double q,
                                core_nan_policy nan, double *scratch,
                                size_t scratch_cap, double *out);
  /* ---- batch (batch.h), since 0.1 ---- */
  /* Spelled struct core_stats_t as in batch.h: the same type as core_stats_t. */
  core_status (*batch_stats_f32)(const float *const *arrays, const size_t *lens,
                                 size_t count, core_nan_policy nan,
                                 struct core_stats_t *out);
  core_status (*batch_stats_f64)(const double *const *arrays, const size_t *lens,
                                 size_t count, core_nan_policy nan,
                                 struct core_stats_t *out);
  core_status (*stats_frames_len)(size_t n, size_t frame, size_t hop, size_t *frames);
  core_status (*stats_frames_f32)(const float *x, size_t n, size_t frame, size_t hop,
                                  struct core_stats_t *out, size_t cap, size_t *frames);
  core_status (*stats_frames_f64)(const double *x, size_t n, size_t frame, size_t hop,
                                  struct core_stats_t *out, size_t cap, size_t *frames);
  core_status (*stats_acc_init)(core_stats_acc_t *acc, core_nan_policy nan, uint64_t total);
  core_status (*stats_acc_push_f32)(core_stats_acc_t *acc, const float *x, size_t n);
  core_status (*stats_acc_push_f64)(core_stats_acc_t *acc, const double *x, size_t n);
  core_status (*stats_acc_merge)(core_stats_acc_t *dst, const core_stats_acc_t *src);
  core_status (*stats_acc_result)(const core_stats_acc_t *acc, struct core_stats_t *out);
  core_status (*stats_file_f32)(const char *path, uint64_t offset, uint64_t count,
                                core_nan_policy nan, struct core_stats_t *out);
  /* ---- ring (ring.h), since 0.1: no portable version; the fallback's
   * slots return CORE_E_UNAVAILABLE (queries return 0, destroy does
   * nothing) ---- */
  core_status (*ring_options_init)(core_ring_options_t *opts);
  core_status (*ring_create)(const core_ring_options_t *opts, core_ring_t **out);
  void (*ring_destroy)(core_ring_t *ring);
  core_status (*ring_append_f32)(core_ring_t *ring, const float *x, size_t n);
  core_status (*ring_append_i16)(core_ring_t *ring, const int16_t *pcm, size_t n);
  core_status (*ring_wait_writable)(core_ring_t *ring, size_t n, int timeout_ms);
  core_status (*ring_read)(core_ring_t *ring, float *out, size_t n);
  core_status (*ring_read_all)(core_ring_t *ring, float *out, size_t cap, size_t *n);
  core_status (*ring_read_latest)(core_ring_t *ring, float *out, size_t n);
  core_status (*ring_regions)(core_ring_t *ring, const float **p1, size_t *n1,
                              const float **p2, size_t *n2);
  core_status (*ring_consume)(core_ring_t *ring, size_t n);
  core_status (*ring_pop)(core_ring_t *ring, float *out, size_t n, size_t *got);
  core_status (*ring_clear)(core_ring_t *ring);
  core_status (*ring_wait_readable)(core_ring_t *ring, size_t n, int timeout_ms);
  size_t (*ring_size)(const core_ring_t *ring);
  size_t (*ring_space)(const core_ring_t *ring);
  size_t (*ring_capacity)(const core_ring_t *ring);
  uint64_t (*ring_dropped)(const core_ring_t *ring);
  int (*ring_is_mirrored)(const core_ring_t *ring);
  core_ring_policy (*ring_get_policy)(const core_ring_t *ring);
  /* ---- cache (cache.h), since 0.1: no portable version; the fallback's
   * slots return CORE_E_UNAVAILABLE (options_init and entry_bytes work,
   * shards answers 0, destroy does nothing) ---- */
  core_status (*cache_key_bytes)(const void *data, size_t len, core_key_t *key);
  core_status (*cache_key_audio)(const float *samples, size_t n, int decimals,
                                 core_key_t *key);
  core_status (*cache_options_init)(core_cache_options_t *opts);
  core_status (*cache_create)(const core_cache_options_t *opts, core_cache_t **out);
  void (*cache_destroy)(core_cache_t *cache);
  size_t (*cache_entry_bytes)(size_t n);
  size_t (*cache_shards)(const core_cache_t *cache);
  core_status (*cache_put)(core_cache_t *cache, const core_key_t *key,
                           const float *data, size_t n, const size_t *shape,
                           size_t ndim);
  core_status (*cache_get)(core_cache_t *cache, const core_key_t *key, float *out,
                           size_t cap, size_t *n, size_t *shape, size_t *ndim);
  core_status (*cache_contains)(core_cache_t *cache, const core_key_t *key, int *found);
  core_status (*cache_remove)(core_cache_t *cache, const core_key_t *key);
  core_status (*cache_clear)(core_cache_t *cache);
  core_status (*cache_writer_put)(core_cache_writer_t *writer, const float *data,
                                  size_t n, const size_t *shape, size_t ndim);
  core_status (*cache_get_or_compute)(core_cache_t *cache, const core_key_t *key,
                                      core_cache_compute_fn fn, void *user, float *out,
                                      size_t cap, size_t *n, size_t *shape,
                                      size_t *ndim);
  core_status (*cache_stats)(core_cache_t *cache, core_cache_stats_t *out);
  core_status (*cache_stats_reset)(core_cache_t *cache);
  core_status (*cache_save)(core_cache_t *cache, const char *path);
  core_status (*cache_load)(core_cache_t *cache, const char *path);
  /* ---- metrics (metrics.h), since 0.1: no portable registry; the
   * fallback's slots return CORE_E_UNAVAILABLE (now_ns, metrics_start and
   * options_init work, counts answer 0, destroy does nothing) ---- */
  uint64_t (*now_ns)(void);
  core_status (*metrics_options_init)(core_metrics_options_t *opts);
  core_status (*metrics_create)(const core_metrics_options_t *opts, core_metrics_t **out);
  void (*metrics_destroy)(core_metrics_t *m);
  core_status (*metrics_timer)(core_metrics_t *m, const char *name, const char *help,
                               const core_metric_label_t *labels, size_t nlabels,
                               core_metric_id_t *id);
  core_status (*metrics_counter)(core_metrics_t *m, const char *name, const char *help,
                                 const core_metric_label_t *labels, size_t nlabels,
                                 core_metric_id_t *id);
  core_status (*metrics_gauge)(core_metrics_t *m, const char *name, const char *help,
                               const core_metric_label_t *labels, size_t nlabels,
                               core_metric_id_t *id);
  size_t (*metrics_count)(const core_metrics_t *m);
  core_status (*metrics_record_ns)(core_metrics_t *m, core_metric_id_t id, int64_t ns);
  uint64_t (*metrics_start)(void);
  core_status (*metrics_stop)(core_metrics_t *m, core_metric_id_t id, uint64_t start_ns);
  core_status (*metrics_counter_add)(core_metrics_t *m, core_metric_id_t id,
                                     uint64_t delta);
  core_status (*metrics_gauge_set)(core_metrics_t *m, core_metric_id_t id, double value);
  core_status (*metrics_gauge_add)(core_metrics_t *m, core_metric_id_t id, double delta);
  core_status (*metrics_find)(const core_metrics_t *m, const char *name,
                              core_metric_id_t *id, core_metric_kind *kind);
  core_status (*metrics_counter_get)(const core_metrics_t *m, core_metric_id_t id,
                                     uint64_t *value);
  core_status (*metrics_gauge_get)(const core_metrics_t *m, core_metric_id_t id,
                                   double *value);
  core_status (*metrics_timer_stats)(const core_metrics_t *m, core_metric_id_t id,
                                     core_timer_stats_t *out);
  core_status (*metrics_percentile)(const core_metrics_t *m, core_metric_id_t id,
                                    double q, uint64_t *value_ns);
  core_status (*metrics_snapshot)(core_metrics_t *m, core_metrics_snapshot_t **out);
  core_status (*metrics_snapshot_and_reset)(core_metrics_t *m,
                                            core_metrics_snapshot_t **out);
  void (*metrics_snapshot_destroy)(core_metrics_snapshot_t *s);
  size_t (*metrics_snapshot_count)(const core_metrics_snapshot_t *s);
  core_status (*metrics_snapshot_find)(const core_metrics_snapshot_t *s,
                                       const char *name, core_metric_id_t *id,
                                       core_metric_kind *kind);
  core_status (*metrics_snapshot_counter)(const core_metrics_snapshot_t *s,
                                          core_metric_id_t id, uint64_t *value);
  core_status (*metrics_snapshot_gauge)(const core_metrics_snapshot_t *s,
                                        core_metric_id_t id, double *value);
  core_status (*metrics_snapshot_timer_stats)(const core_metrics_snapshot_t *s,
                                              core_metric_id_t id,
                                              core_timer_stats_t *out);
  core_status (*metrics_snapshot_percentile)(const core_metrics_snapshot_t *s,
                                             core_metric_id_t id, double q,
                                             uint64_t *value_ns);
  core_status (*metrics_snapshot_merge)(core_metrics_snapshot_t *dst,
                                        const core_metrics_snapshot_t *src);
  core_status (*metrics_merge_snapshot)(core_metrics_t *dst,
                                        const core_metrics_snapshot_t *src);
  core_status (*metrics_merge)(core_metrics_t *dst, core_metrics_t *src);
  core_status (*metrics_export)(core_metrics_t *m, core_metrics_format format,
                                unsigned flags, char *buf, size_t cap, size_t *needed);
  core_status (*metrics_snapshot_export)(const core_metrics_snapshot_t *s,
                                         core_metrics_format format, unsigned flags,
                                         char *buf, size_t cap, size_t *needed);
  /* ---- audio (audio.h), since 0.1: no portable front end; the
   * fallback's slots return CORE_E_UNAVAILABLE (logmel_options_init and
   * vad_options_init work, destroy does nothing) ---- */
  core_status (*logmel_options_init)(core_logmel_options_t *opts);
  core_status (*logmel_create)(const core_logmel_options_t *opts, core_logmel_t **out);
  void (*logmel_destroy)(core_logmel_t *lm);
  core_status (*logmel_frames)(const core_logmel_t *lm, size_t n_samples, size_t *n_frames);
  core_status (*logmel_filters)(const core_logmel_t *lm, float *out, size_t cap,
                                size_t *count);
  core_status (*logmel_compute)(core_logmel_t *lm, const float *samples, size_t n,
                                float *out, size_t cap, size_t *n_frames);
  core_status (*logmel_compute_batch)(core_logmel_t *lm, const float *const *clips,
                                      const size_t *lens, size_t count, float *const *outs,
                                      const size_t *caps, size_t *n_frames);
  core_status (*logmel_stream_create)(const core_logmel_options_t *opts,
                                      core_logmel_stream_t **out);
  void (*logmel_stream_destroy)(core_logmel_stream_t *s);
  core_status (*logmel_stream_push)(core_logmel_stream_t *s, const float *x, size_t n);
  core_status (*logmel_stream_flush)(core_logmel_stream_t *s);
  core_status (*logmel_stream_read)(core_logmel_stream_t *s, float *out, size_t max_frames,
                                    size_t *n_frames);
  core_status (*logmel_stream_available)(const core_logmel_stream_t *s, size_t *n_frames);
  core_status (*logmel_stream_reset)(core_logmel_stream_t *s);
  core_status (*vad_options_init)(core_vad_options_t *opts);
  core_status (*vad_options_preset)(core_vad_options_t *opts, int preset);
  core_status (*vad_create)(const core_vad_options_t *opts, core_vad_t **out);
  void (*vad_destroy)(core_vad_t *vad);
  core_status (*vad_push)(core_vad_t *vad, const float *x, size_t n);
  core_status (*vad_flush)(core_vad_t *vad);
  core_status (*vad_next_segment)(core_vad_t *vad, core_segment_t *out);
  core_status (*vad_open_segment)(const core_vad_t *vad, uint64_t *start);
  core_status (*vad_reset)(core_vad_t *vad);
  core_status (*vad_segments)(const float *x, size_t n, const core_vad_options_t *opts,
                              core_segment_t *out, size_t cap, size_t *count);
  core_status (*audio_info)(const char *path, core_audio_info_t *info);
  core_status (*audio_read)(const char *path, uint32_t target_rate, float *out, size_t cap,
                            size_t *n);
  /* ---- pipeline (pipeline.h), since 0.1: no portable pipeline or
   * batcher; the fallback's slots return CORE_E_UNAVAILABLE
   * (batcher_options_init and pipeline_options_init work, pending answers
   * 0, metrics NULL, destroy does nothing) ---- */
  core_status (*batcher_options_init)(core_batcher_options_t *opts);
  core_status (*batcher_create)(const core_batcher_options_t *opts, core_batcher_t **out);
  void (*batcher_destroy)(core_batcher_t *b);
  core_status (*batcher_add)(core_batcher_t *b, uint64_t id, uint64_t length);
  core_status (*batcher_next)(core_batcher_t *b, uint64_t *ids, size_t cap, size_t *count,
                              size_t *bucket);
  core_status (*batcher_flush)(core_batcher_t *b);
  size_t (*batcher_pending)(const core_batcher_t *b);
  core_status (*batcher_next_deadline)(const core_batcher_t *b, uint64_t *ns);
  core_status (*pipeline_options_init)(core_pipeline_options_t *opts);
  core_status (*pipeline_create)(const core_pipeline_options_t *opts, core_pipeline_t **out);
  void (*pipeline_destroy)(core_pipeline_t *p);
  core_status (*pipeline_push_f32)(core_pipeline_t *p, const float *x, size_t n);
  core_status (*pipeline_push_i16)(core_pipeline_t *p, const int16_t *x, size_t n);
  core_status (*pipeline_flush)(core_pipeline_t *p);
  core_status (*pipeline_next_event)(core_pipeline_t *p, core_event_t *ev);
  core_status (*pipeline_submit_embedding)(core_pipeline_t *p, uint64_t window_id,
                                           const float *embedding, size_t dim);
  core_status (*pipeline_stats)(const core_pipeline_t *p, core_pipeline_stats_t *out);
  core_metrics_t *(*pipeline_metrics)(const core_pipeline_t *p);
  /* ---- audio (audio.h), chunked reading, since 0.1: the fallback's
   * slots return CORE_E_UNAVAILABLE (audio_open sets *out to NULL,
   * audio_reader_close does nothing) ---- */
  core_status (*audio_open)(const char *path, uint32_t target_rate, core_audio_reader_t **out);
  core_status (*audio_reader_read)(core_audio_reader_t *r, float *out, size_t n, size_t *got);
  core_status (*audio_reader_info)(const core_audio_reader_t *r, core_audio_info_t *info);
  core_status (*audio_reader_length)(const core_audio_reader_t *r, uint64_t *total,
                                     uint64_t *done);
  void (*audio_reader_close)(core_audio_reader_t *r);
  /* ---- collections (collection.h), since 0.1: the fallback fills the
   * options' defaults; run and the JSON record return
   * CORE_E_UNAVAILABLE ---- */
  core_status (*collection_options_init)(core_collection_options_t *opts);
  core_status (*collection_run)(const char *const *paths, size_t n, const char *const *outputs,
                                const core_collection_options_t *opts, core_collection_fn fn,
                                void *user);
  core_status (*file_summary_json)(const core_file_summary_t *s, char *buf, size_t cap,
                                   size_t *len);
} core_api_t;

/* Non-zero when `slot` lies inside the table `api` points to. */
#define CORE_API_HAS(api, slot)                                               \
  ((api)->struct_size >= offsetof(core_api_t, slot) + sizeof((api)->slot))

/* The table (see above), loading libcore on the first call. NULL only under
 * LIBCORE_STRICT when libcore could not be used. Any thread. Since 0.1. */
const core_api_t *core_api(void);

/* Why the table is the fallback (or why core_api() returned NULL), such as
 * "dlopen libcore.so.1: libcore.so.1: cannot open shared object file: No
 * such file or directory", "symbol core_stats_f32 missing", "ABI 0 <
 * required 1" or "disabled by LIBCORE_DISABLE"; "" when the native library
 * was loaded. Static string, never freed. Loads on first use like
 * core_api(). Any thread. Since 0.1. */
const char *core_api_load_error(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CORE_LOADER_H */
