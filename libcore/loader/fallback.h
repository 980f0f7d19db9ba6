/* Portable C implementations of libcore's runtime, array, stats and batch
 * functions, used by the loader when libcore.so cannot be used. Each
 * core_fb_<name> has the signature, argument checks, statuses and NaN
 * policy of core_<name> (see the public headers); loader.h documents how
 * close the results are. Internal to libcore_loader.a. */
#ifndef LIBCORE_LOADER_FALLBACK_H
#define LIBCORE_LOADER_FALLBACK_H

#include <core/core.h>
#include <core/collection.h>
#include <core/pipeline.h>

/* Thread-local message for core_fb_last_error_message(): "<fn>: <detail>". */
void core_fb_set_error(const char *fn, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

const char *core_fb_version(void);
unsigned core_fb_version_number(void);
int core_fb_abi_version(void);
const char *core_fb_status_str(core_status status);
const char *core_fb_last_error_message(void);
const char *core_fb_simd_target(void);
core_status core_fb_set_num_threads(int num_threads);
int core_fb_get_num_threads(void);

/* array */
core_status core_fb_arange_len(double start, double stop, double step, size_t *n);
core_status core_fb_arange_f32(double start, double stop, double step, float *out, size_t cap, size_t *n);
core_status core_fb_arange_f64(double start, double stop, double step, double *out, size_t cap, size_t *n);
core_status core_fb_linspace_f32(double start, double stop, size_t num, int endpoint, float *out);
core_status core_fb_linspace_f64(double start, double stop, size_t num, int endpoint, double *out);
core_status core_fb_fill_f32(float *out, size_t n, float value);
core_status core_fb_fill_f64(double *out, size_t n, double value);
core_status core_fb_zeros_f32(float *out, size_t n);
core_status core_fb_zeros_f64(double *out, size_t n);
core_status core_fb_ones_f32(float *out, size_t n);
core_status core_fb_ones_f64(double *out, size_t n);
core_status core_fb_concat_len(const size_t *lens, size_t count, size_t *n);
core_status core_fb_concat_f32(const float *const *parts, const size_t *lens, size_t count, float *out, size_t cap, size_t *n);
core_status core_fb_concat_f64(const double *const *parts, const size_t *lens, size_t count, double *out, size_t cap, size_t *n);
core_status core_fb_cumsum_f32(const float *x, size_t n, float *out);
core_status core_fb_cumsum_f64(const double *x, size_t n, double *out);
core_status core_fb_normalize_f32(float *x, size_t n, unsigned ddof, core_nan_policy nan);
core_status core_fb_normalize_f64(double *x, size_t n, unsigned ddof, core_nan_policy nan);
core_status core_fb_normal_pdf_f32(const float *x, size_t n, double mean, double std, float *out);
core_status core_fb_normal_pdf_f64(const double *x, size_t n, double mean, double std, double *out);
core_status core_fb_pcm16_to_f32(const int16_t *in, size_t n, float *out);
core_status core_fb_pcm16_to_f64(const int16_t *in, size_t n, double *out);
core_status core_fb_f32_to_pcm16(const float *in, size_t n, int16_t *out, size_t *clipped);
core_status core_fb_f64_to_pcm16(const double *in, size_t n, int16_t *out, size_t *clipped);

/* stats */
core_status core_fb_stats_f32(const float *x, size_t n, core_nan_policy nan, core_stats_t *out);
core_status core_fb_stats_f64(const double *x, size_t n, core_nan_policy nan, core_stats_t *out);
core_status core_fb_stats_merge(const core_stats_t *a, const core_stats_t *b, core_stats_t *out);
core_status core_fb_stats_var(const core_stats_t *s, unsigned ddof, double *out);
core_status core_fb_stats_std(const core_stats_t *s, unsigned ddof, double *out);
core_status core_fb_min_f32(const float *x, size_t n, double *out);
core_status core_fb_min_f64(const double *x, size_t n, double *out);
core_status core_fb_max_f32(const float *x, size_t n, double *out);
core_status core_fb_max_f64(const double *x, size_t n, double *out);
core_status core_fb_mean_f32(const float *x, size_t n, double *out);
core_status core_fb_mean_f64(const double *x, size_t n, double *out);
core_status core_fb_var_f32(const float *x, size_t n, unsigned ddof, double *out);
core_status core_fb_var_f64(const double *x, size_t n, unsigned ddof, double *out);
core_status core_fb_std_f32(const float *x, size_t n, unsigned ddof, double *out);
core_status core_fb_std_f64(const double *x, size_t n, unsigned ddof, double *out);
core_status core_fb_dot_f32(const float *x, const float *y, size_t n, double *out);
core_status core_fb_dot_f64(const double *x, const double *y, size_t n, double *out);
core_status core_fb_corrcoef_f32(const float *x, const float *y, size_t n, double *out);
core_status core_fb_corrcoef_f64(const double *x, const double *y, size_t n, double *out);
core_status core_fb_energy_f32(const float *x, size_t n, double *out);
core_status core_fb_energy_f64(const double *x, size_t n, double *out);
core_status core_fb_rms_f32(const float *x, size_t n, double *out);
core_status core_fb_rms_f64(const double *x, size_t n, double *out);
core_status core_fb_zero_crossing_rate_f32(const float *x, size_t n, double *out);
core_status core_fb_zero_crossing_rate_f64(const double *x, size_t n, double *out);
core_status core_fb_percentile_f32(const float *x, size_t n, double q, core_nan_policy nan, float *scratch, size_t scratch_cap, double *out);
core_status core_fb_percentile_f64(const double *x, size_t n, double q, core_nan_policy nan, double *scratch, size_t scratch_cap, double *out);

/* batch */
core_status core_fb_batch_stats_f32(const float *const *arrays, const size_t *lens, size_t count, core_nan_policy nan, core_stats_t *out);
core_status core_fb_batch_stats_f64(const double *const *arrays, const size_t *lens, size_t count, core_nan_policy nan, core_stats_t *out);
core_status core_fb_stats_frames_len(size_t n, size_t frame, size_t hop, size_t *frames);
core_status core_fb_stats_frames_f32(const float *x, size_t n, size_t frame, size_t hop, core_stats_t *out, size_t cap, size_t *frames);
core_status core_fb_stats_frames_f64(const double *x, size_t n, size_t frame, size_t hop, core_stats_t *out, size_t cap, size_t *frames);
core_status core_fb_stats_acc_init(core_stats_acc_t *acc, core_nan_policy nan, uint64_t total);
core_status core_fb_stats_acc_push_f32(core_stats_acc_t *acc, const float *x, size_t n);
core_status core_fb_stats_acc_push_f64(core_stats_acc_t *acc, const double *x, size_t n);
core_status core_fb_stats_acc_merge(core_stats_acc_t *dst, const core_stats_acc_t *src);
core_status core_fb_stats_acc_result(const core_stats_acc_t *acc, core_stats_t *out);
core_status core_fb_stats_file_f32(const char *path, uint64_t offset, uint64_t count, core_nan_policy nan, core_stats_t *out);

/* ring: stubs (fallback_ring_stubs.c) */
core_status core_fb_ring_options_init(core_ring_options_t *opts);
core_status core_fb_ring_create(const core_ring_options_t *opts, core_ring_t **out);
void core_fb_ring_destroy(core_ring_t *ring);
core_status core_fb_ring_append_f32(core_ring_t *ring, const float *x, size_t n);
core_status core_fb_ring_append_i16(core_ring_t *ring, const int16_t *pcm, size_t n);
core_status core_fb_ring_wait_writable(core_ring_t *ring, size_t n, int timeout_ms);
core_status core_fb_ring_read(core_ring_t *ring, float *out, size_t n);
core_status core_fb_ring_read_all(core_ring_t *ring, float *out, size_t cap, size_t *n);
core_status core_fb_ring_read_latest(core_ring_t *ring, float *out, size_t n);
core_status core_fb_ring_regions(core_ring_t *ring, const float **p1, size_t *n1, const float **p2, size_t *n2);
core_status core_fb_ring_consume(core_ring_t *ring, size_t n);
core_status core_fb_ring_pop(core_ring_t *ring, float *out, size_t n, size_t *got);
core_status core_fb_ring_clear(core_ring_t *ring);
core_status core_fb_ring_wait_readable(core_ring_t *ring, size_t n, int timeout_ms);
size_t core_fb_ring_size(const core_ring_t *ring);
size_t core_fb_ring_space(const core_ring_t *ring);
size_t core_fb_ring_capacity(const core_ring_t *ring);
uint64_t core_fb_ring_dropped(const core_ring_t *ring);
int core_fb_ring_is_mirrored(const core_ring_t *ring);
core_ring_policy core_fb_ring_get_policy(const core_ring_t *ring);

/* cache: stubs (fallback_cache_stubs.c) */
core_status core_fb_cache_key_bytes(const void *data, size_t len, core_key_t *key);
core_status core_fb_cache_key_audio(const float *samples, size_t n, int decimals, core_key_t *key);
core_status core_fb_cache_options_init(core_cache_options_t *opts);
core_status core_fb_cache_create(const core_cache_options_t *opts, core_cache_t **out);
void core_fb_cache_destroy(core_cache_t *cache);
size_t core_fb_cache_entry_bytes(size_t n);
size_t core_fb_cache_shards(const core_cache_t *cache);
core_status core_fb_cache_put(core_cache_t *cache, const core_key_t *key, const float *data, size_t n, const size_t *shape, size_t ndim);
core_status core_fb_cache_get(core_cache_t *cache, const core_key_t *key, float *out, size_t cap, size_t *n, size_t *shape, size_t *ndim);
core_status core_fb_cache_contains(core_cache_t *cache, const core_key_t *key, int *found);
core_status core_fb_cache_remove(core_cache_t *cache, const core_key_t *key);
core_status core_fb_cache_clear(core_cache_t *cache);
core_status core_fb_cache_writer_put(core_cache_writer_t *writer, const float *data, size_t n, const size_t *shape, size_t ndim);
core_status core_fb_cache_get_or_compute(core_cache_t *cache, const core_key_t *key, core_cache_compute_fn fn, void *user, float *out, size_t cap, size_t *n, size_t *shape, size_t *ndim);
core_status core_fb_cache_stats(core_cache_t *cache, core_cache_stats_t *out);
core_status core_fb_cache_stats_reset(core_cache_t *cache);
core_status core_fb_cache_save(core_cache_t *cache, const char *path);
core_status core_fb_cache_load(core_cache_t *cache, const char *path);

/* metrics: stubs (fallback_metrics_stubs.c) */
uint64_t core_fb_now_ns(void);
core_status core_fb_metrics_options_init(core_metrics_options_t *opts);
core_status core_fb_metrics_create(const core_metrics_options_t *opts, core_metrics_t **out);
void core_fb_metrics_destroy(core_metrics_t *m);
core_status core_fb_metrics_timer(core_metrics_t *m, const char *name, const char *help, const core_metric_label_t *labels, size_t nlabels, core_metric_id_t *id);
core_status core_fb_metrics_counter(core_metrics_t *m, const char *name, const char *help, const core_metric_label_t *labels, size_t nlabels, core_metric_id_t *id);
core_status core_fb_metrics_gauge(core_metrics_t *m, const char *name, const char *help, const core_metric_label_t *labels, size_t nlabels, core_metric_id_t *id);
size_t core_fb_metrics_count(const core_metrics_t *m);
core_status core_fb_metrics_record_ns(core_metrics_t *m, core_metric_id_t id, int64_t ns);
uint64_t core_fb_metrics_start(void);
core_status core_fb_metrics_stop(core_metrics_t *m, core_metric_id_t id, uint64_t start_ns);
core_status core_fb_metrics_counter_add(core_metrics_t *m, core_metric_id_t id, uint64_t delta);
core_status core_fb_metrics_gauge_set(core_metrics_t *m, core_metric_id_t id, double value);
core_status core_fb_metrics_gauge_add(core_metrics_t *m, core_metric_id_t id, double delta);
core_status core_fb_metrics_find(const core_metrics_t *m, const char *name, core_metric_id_t *id, core_metric_kind *kind);
core_status core_fb_metrics_counter_get(const core_metrics_t *m, core_metric_id_t id, uint64_t *value);
core_status core_fb_metrics_gauge_get(const core_metrics_t *m, core_metric_id_t id, double *value);
core_status core_fb_metrics_timer_stats(const core_metrics_t *m, core_metric_id_t id, core_timer_stats_t *out);
core_status core_fb_metrics_percentile(const core_metrics_t *m, core_metric_id_t id, double q, uint64_t *value_ns);
core_status core_fb_metrics_snapshot(core_metrics_t *m, core_metrics_snapshot_t **out);
core_status core_fb_metrics_snapshot_and_reset(core_metrics_t *m, core_metrics_snapshot_t **out);
void core_fb_metrics_snapshot_destroy(core_metrics_snapshot_t *s);
size_t core_fb_metrics_snapshot_count(const core_metrics_snapshot_t *s);
core_status core_fb_metrics_snapshot_find(const core_metrics_snapshot_t *s, const char *name, core_metric_id_t *id, core_metric_kind *kind);
core_status core_fb_metrics_snapshot_counter(const core_metrics_snapshot_t *s, core_metric_id_t id, uint64_t *value);
core_status core_fb_metrics_snapshot_gauge(const core_metrics_snapshot_t *s, core_metric_id_t id, double *value);
core_status core_fb_metrics_snapshot_timer_stats(const core_metrics_snapshot_t *s, core_metric_id_t id, core_timer_stats_t *out);
core_status core_fb_metrics_snapshot_percentile(const core_metrics_snapshot_t *s, core_metric_id_t id, double q, uint64_t *value_ns);
core_status core_fb_metrics_snapshot_merge(core_metrics_snapshot_t *dst, const core_metrics_snapshot_t *src);
core_status core_fb_metrics_merge_snapshot(core_metrics_t *dst, const core_metrics_snapshot_t *src);
core_status core_fb_metrics_merge(core_metrics_t *dst, core_metrics_t *src);
core_status core_fb_metrics_export(core_metrics_t *m, core_metrics_format format, unsigned flags, char *buf, size_t cap, size_t *needed);
core_status core_fb_metrics_snapshot_export(const core_metrics_snapshot_t *s, core_metrics_format format, unsigned flags, char *buf, size_t cap, size_t *needed);

/* audio: stubs (fallback_audio_stubs.c) */
core_status core_fb_logmel_options_init(core_logmel_options_t *opts);
core_status core_fb_logmel_create(const core_logmel_options_t *opts, core_logmel_t **out);
void core_fb_logmel_destroy(core_logmel_t *lm);
core_status core_fb_logmel_frames(const core_logmel_t *lm, size_t n_samples, size_t *n_frames);
core_status core_fb_logmel_filters(const core_logmel_t *lm, float *out, size_t cap, size_t *count);
core_status core_fb_logmel_compute(core_logmel_t *lm, const float *samples, size_t n, float *out, size_t cap, size_t *n_frames);
core_status core_fb_logmel_compute_batch(core_logmel_t *lm, const float *const *clips, const size_t *lens, size_t count, float *const *outs, const size_t *caps, size_t *n_frames);
core_status core_fb_logmel_stream_create(const core_logmel_options_t *opts, core_logmel_stream_t **out);
void core_fb_logmel_stream_destroy(core_logmel_stream_t *s);
core_status core_fb_logmel_stream_push(core_logmel_stream_t *s, const float *x, size_t n);
core_status core_fb_logmel_stream_flush(core_logmel_stream_t *s);
core_status core_fb_logmel_stream_read(core_logmel_stream_t *s, float *out, size_t max_frames, size_t *n_frames);
core_status core_fb_logmel_stream_available(const core_logmel_stream_t *s, size_t *n_frames);
core_status core_fb_logmel_stream_reset(core_logmel_stream_t *s);
core_status core_fb_vad_options_init(core_vad_options_t *opts);
core_status core_fb_vad_options_preset(core_vad_options_t *opts, int preset);
core_status core_fb_vad_create(const core_vad_options_t *opts, core_vad_t **out);
void core_fb_vad_destroy(core_vad_t *vad);
core_status core_fb_vad_push(core_vad_t *vad, const float *x, size_t n);
core_status core_fb_vad_flush(core_vad_t *vad);
core_status core_fb_vad_next_segment(core_vad_t *vad, core_segment_t *out);
core_status core_fb_vad_open_segment(const core_vad_t *vad, uint64_t *start);
core_status core_fb_vad_reset(core_vad_t *vad);
core_status core_fb_vad_segments(const float *x, size_t n, const core_vad_options_t *opts, core_segment_t *out, size_t cap, size_t *count);
core_status core_fb_audio_info(const char *path, core_audio_info_t *info);
core_status core_fb_audio_read(const char *path, uint32_t target_rate, float *out, size_t cap, size_t *n);
core_status core_fb_audio_open(const char *path, uint32_t target_rate, core_audio_reader_t **out);
core_status core_fb_audio_reader_read(core_audio_reader_t *r, float *out, size_t n, size_t *got);
core_status core_fb_audio_reader_info(const core_audio_reader_t *r, core_audio_info_t *info);
core_status core_fb_audio_reader_length(const core_audio_reader_t *r, uint64_t *total, uint64_t *done);
void core_fb_audio_reader_close(core_audio_reader_t *r);
core_status core_fb_collection_options_init(core_collection_options_t *opts);
core_status core_fb_collection_run(const char *const *paths, size_t n, const char *const *outputs, const core_collection_options_t *opts, core_collection_fn fn, void *user);
core_status core_fb_file_summary_json(const core_file_summary_t *s, char *buf, size_t cap, size_t *len);

/* pipeline: stubs (fallback_pipeline_stubs.c) */
core_status core_fb_batcher_options_init(core_batcher_options_t *opts);
core_status core_fb_batcher_create(const core_batcher_options_t *opts, core_batcher_t **out);
void core_fb_batcher_destroy(core_batcher_t *b);
core_status core_fb_batcher_add(core_batcher_t *b, uint64_t id, uint64_t length);
core_status core_fb_batcher_next(core_batcher_t *b, uint64_t *ids, size_t cap, size_t *count, size_t *bucket);
core_status core_fb_batcher_flush(core_batcher_t *b);
size_t core_fb_batcher_pending(const core_batcher_t *b);
core_status core_fb_batcher_next_deadline(const core_batcher_t *b, uint64_t *ns);
core_status core_fb_pipeline_options_init(core_pipeline_options_t *opts);
core_status core_fb_pipeline_create(const core_pipeline_options_t *opts, core_pipeline_t **out);
void core_fb_pipeline_destroy(core_pipeline_t *p);
core_status core_fb_pipeline_push_f32(core_pipeline_t *p, const float *x, size_t n);
core_status core_fb_pipeline_push_i16(core_pipeline_t *p, const int16_t *x, size_t n);
core_status core_fb_pipeline_flush(core_pipeline_t *p);
core_status core_fb_pipeline_next_event(core_pipeline_t *p, core_event_t *ev);
core_status core_fb_pipeline_submit_embedding(core_pipeline_t *p, uint64_t window_id, const float *embedding, size_t dim);
core_status core_fb_pipeline_stats(const core_pipeline_t *p, core_pipeline_stats_t *out);
core_metrics_t *core_fb_pipeline_metrics(const core_pipeline_t *p);

#endif
