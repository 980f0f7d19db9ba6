/*
 * bindings/core.i — libcore's one SWIG interface, shared by every language.
 *
 * Layout (GDAL / Xapian style):
 *   1. this file: the C headers, the whitelist of what is wrapped, and the
 *      rules every language follows;
 *   2. bindings/<lang>/core_<lang>.i: that language's typemaps (arrays
 *      without copies, status -> exception or error) and names, included
 *      below before the declarations so they apply to them;
 *   3. a thin hand-written idiomatic layer per language on top of the
 *      generated one (Java dev.libcore, C# LibCore, Go package core).
 *
 * Rules for every language:
 *   - Every pointer + length pair is spelled (const float *x, size_t n) or
 *     (const double *x, size_t n) in the headers, so one multi-argument
 *     typemap per language covers every function.
 *   - A non-CORE_OK status becomes the language's error carrying the status
 *     code and core_last_error_message(). The message is thread-local: it
 *     must be read inside the same native call (a %exception block or a C
 *     helper), never by a second call that could land on another OS thread
 *     (Go moves goroutines between threads between cgo calls).
 *   - size_t is 64-bit in every language.
 *   - Nothing is wrapped unless it is named in the whitelist below: a new
 *     function in a header stays invisible to the bindings until it is
 *     added here on purpose.
 */
%module core

%{
#include <core/core.h>
#include <core/collection.h>
#include <core/pipeline.h>
#include "collection_shim.h"
%}

/* The headers' export and attribute macros mean nothing to SWIG. */
#define CORE_API
#define CORE_NODISCARD

%include <stdint.i>

/* ---- whitelist ----------------------------------------------------------- */

/* Every function is ignored unless named here. Types and enum constants
 * (core_status, core_nan_policy, core_stats_t) are wrapped as declared. */
%rename("$ignore", %$isfunction) "";

%define CORE_WRAP(name)
%rename("%s") name;
%enddef

/* runtime (core.h) */
CORE_WRAP(core_version)
CORE_WRAP(core_version_number)
CORE_WRAP(core_abi_version)
CORE_WRAP(core_status_str)
CORE_WRAP(core_last_error_message)
CORE_WRAP(core_simd_target)
CORE_WRAP(core_set_num_threads)
CORE_WRAP(core_get_num_threads)

/* array (array.h) */
%define CORE_WRAP_DTYPES(stem)
CORE_WRAP(stem ## _f32)
CORE_WRAP(stem ## _f64)
%enddef
CORE_WRAP(core_arange_len)
CORE_WRAP_DTYPES(core_arange)
CORE_WRAP_DTYPES(core_linspace)
CORE_WRAP_DTYPES(core_fill)
CORE_WRAP_DTYPES(core_zeros)
CORE_WRAP_DTYPES(core_ones)
CORE_WRAP(core_concat_len)
CORE_WRAP_DTYPES(core_concat)
CORE_WRAP_DTYPES(core_cumsum)
CORE_WRAP_DTYPES(core_normalize)
CORE_WRAP_DTYPES(core_normal_pdf)
CORE_WRAP(core_pcm16_to_f32)
CORE_WRAP(core_pcm16_to_f64)
CORE_WRAP(core_f32_to_pcm16)
CORE_WRAP(core_f64_to_pcm16)

/* stats (stats.h) */
CORE_WRAP_DTYPES(core_stats)
CORE_WRAP(core_stats_merge)
CORE_WRAP(core_stats_var)
CORE_WRAP(core_stats_std)
CORE_WRAP_DTYPES(core_min)
CORE_WRAP_DTYPES(core_max)
CORE_WRAP_DTYPES(core_mean)
CORE_WRAP_DTYPES(core_var)
CORE_WRAP_DTYPES(core_std)
CORE_WRAP_DTYPES(core_dot)
CORE_WRAP_DTYPES(core_corrcoef)
CORE_WRAP_DTYPES(core_energy)
CORE_WRAP_DTYPES(core_rms)
CORE_WRAP_DTYPES(core_zero_crossing_rate)
CORE_WRAP_DTYPES(core_percentile)

/* batch (batch.h) */
CORE_WRAP_DTYPES(core_batch_stats)
CORE_WRAP(core_stats_frames_len)
CORE_WRAP_DTYPES(core_stats_frames)
CORE_WRAP(core_stats_acc_init)
CORE_WRAP(core_stats_acc_push_f32)
CORE_WRAP(core_stats_acc_push_f64)
CORE_WRAP(core_stats_acc_merge)
CORE_WRAP(core_stats_acc_result)
CORE_WRAP(core_stats_file_f32)

/* ring (ring.h): a class with close/dispose in every language */
CORE_WRAP(core_ring_options_init)
CORE_WRAP(core_ring_create)
CORE_WRAP(core_ring_destroy)
CORE_WRAP(core_ring_append_f32)
CORE_WRAP(core_ring_append_i16)
CORE_WRAP(core_ring_wait_writable)
CORE_WRAP(core_ring_read)
CORE_WRAP(core_ring_read_all)
CORE_WRAP(core_ring_read_latest)
CORE_WRAP(core_ring_regions)
CORE_WRAP(core_ring_consume)
CORE_WRAP(core_ring_pop)
CORE_WRAP(core_ring_clear)
CORE_WRAP(core_ring_wait_readable)
CORE_WRAP(core_ring_size)
CORE_WRAP(core_ring_space)
CORE_WRAP(core_ring_capacity)
CORE_WRAP(core_ring_dropped)
CORE_WRAP(core_ring_is_mirrored)
CORE_WRAP(core_ring_get_policy)

/* cache (cache.h): a class with close/dispose in every language */
CORE_WRAP(core_cache_key_bytes)
CORE_WRAP(core_cache_key_audio)
CORE_WRAP(core_cache_options_init)
CORE_WRAP(core_cache_create)
CORE_WRAP(core_cache_destroy)
CORE_WRAP(core_cache_entry_bytes)
CORE_WRAP(core_cache_shards)
CORE_WRAP(core_cache_put)
CORE_WRAP(core_cache_get)
CORE_WRAP(core_cache_contains)
CORE_WRAP(core_cache_remove)
CORE_WRAP(core_cache_clear)
CORE_WRAP(core_cache_writer_put)
CORE_WRAP(core_cache_get_or_compute)
CORE_WRAP(core_cache_stats)
CORE_WRAP(core_cache_stats_reset)
CORE_WRAP(core_cache_save)
CORE_WRAP(core_cache_load)

/* metrics (metrics.h): a class with close/dispose in every language */
CORE_WRAP(core_now_ns)
CORE_WRAP(core_metrics_options_init)
CORE_WRAP(core_metrics_create)
CORE_WRAP(core_metrics_destroy)
CORE_WRAP(core_metrics_timer)
CORE_WRAP(core_metrics_counter)
CORE_WRAP(core_metrics_gauge)
CORE_WRAP(core_metrics_count)
CORE_WRAP(core_metrics_record_ns)
CORE_WRAP(core_metrics_start)
CORE_WRAP(core_metrics_stop)
CORE_WRAP(core_metrics_counter_add)
CORE_WRAP(core_metrics_gauge_set)
CORE_WRAP(core_metrics_gauge_add)
CORE_WRAP(core_metrics_find)
CORE_WRAP(core_metrics_counter_get)
CORE_WRAP(core_metrics_gauge_get)
CORE_WRAP(core_metrics_timer_stats)
CORE_WRAP(core_metrics_percentile)
CORE_WRAP(core_metrics_snapshot)
CORE_WRAP(core_metrics_snapshot_and_reset)
CORE_WRAP(core_metrics_snapshot_destroy)
CORE_WRAP(core_metrics_snapshot_count)
CORE_WRAP(core_metrics_snapshot_find)
CORE_WRAP(core_metrics_snapshot_counter)
CORE_WRAP(core_metrics_snapshot_gauge)
CORE_WRAP(core_metrics_snapshot_timer_stats)
CORE_WRAP(core_metrics_snapshot_percentile)
CORE_WRAP(core_metrics_snapshot_merge)
CORE_WRAP(core_metrics_merge_snapshot)
CORE_WRAP(core_metrics_merge)
CORE_WRAP(core_metrics_export)
CORE_WRAP(core_metrics_snapshot_export)

/* audio (audio.h): LogMel, LogMelStream, Vad, AudioReader classes with
 * close/dispose and AudioFile helpers in every language */
CORE_WRAP(core_logmel_options_init)
CORE_WRAP(core_logmel_create)
CORE_WRAP(core_logmel_destroy)
CORE_WRAP(core_logmel_frames)
CORE_WRAP(core_logmel_filters)
CORE_WRAP(core_logmel_compute)
CORE_WRAP(core_logmel_compute_batch)
CORE_WRAP(core_logmel_stream_create)
CORE_WRAP(core_logmel_stream_destroy)
CORE_WRAP(core_logmel_stream_push)
CORE_WRAP(core_logmel_stream_flush)
CORE_WRAP(core_logmel_stream_read)
CORE_WRAP(core_logmel_stream_available)
CORE_WRAP(core_logmel_stream_reset)
CORE_WRAP(core_vad_options_init)
CORE_WRAP(core_vad_options_preset)
CORE_WRAP(core_vad_create)
CORE_WRAP(core_vad_destroy)
CORE_WRAP(core_vad_push)
CORE_WRAP(core_vad_flush)
CORE_WRAP(core_vad_next_segment)
CORE_WRAP(core_vad_open_segment)
CORE_WRAP(core_vad_reset)
CORE_WRAP(core_vad_segments)
CORE_WRAP(core_audio_info)
CORE_WRAP(core_audio_read)
CORE_WRAP(core_audio_open)
CORE_WRAP(core_audio_reader_read)
CORE_WRAP(core_audio_reader_info)
CORE_WRAP(core_audio_reader_length)
CORE_WRAP(core_audio_reader_close)

/* pipeline (pipeline.h): Pipeline and Batcher classes with close/dispose in
 * every language; the bindings use CORE_EVENT_NEEDS_ENCODING and
 * submit_embedding rather than C callbacks for the encoder */
CORE_WRAP(core_batcher_options_init)
CORE_WRAP(core_batcher_create)
CORE_WRAP(core_batcher_destroy)
CORE_WRAP(core_batcher_add)
CORE_WRAP(core_batcher_next)
CORE_WRAP(core_batcher_flush)
CORE_WRAP(core_batcher_pending)
CORE_WRAP(core_batcher_next_deadline)
CORE_WRAP(core_pipeline_options_init)
CORE_WRAP(core_pipeline_create)
CORE_WRAP(core_pipeline_destroy)
CORE_WRAP(core_pipeline_push_f32)
CORE_WRAP(core_pipeline_push_i16)
CORE_WRAP(core_pipeline_flush)
CORE_WRAP(core_pipeline_next_event)
CORE_WRAP(core_pipeline_submit_embedding)
CORE_WRAP(core_pipeline_stats)
CORE_WRAP(core_pipeline_metrics)

/* collections (collection.h): the options, and core_collection_run through
 * bindings/collection_shim.h (a C callback keeps each file's record; the
 * language reads them after the run: no callback crosses the boundary).
 * core_collection_run and core_file_summary_json themselves stay C-only. */
CORE_WRAP(core_collection_options_init)
CORE_WRAP(corebind_collection_new)
CORE_WRAP(corebind_collection_free)
CORE_WRAP(corebind_collection_add)
CORE_WRAP(corebind_collection_run)
CORE_WRAP(corebind_collection_count)
CORE_WRAP(corebind_collection_json)
CORE_WRAP(corebind_collection_path)
CORE_WRAP(corebind_collection_status)
CORE_WRAP(corebind_collection_message)
CORE_WRAP(corebind_collection_duration)
CORE_WRAP(corebind_collection_speech)
CORE_WRAP(corebind_collection_rms)
CORE_WRAP(corebind_collection_samples)
CORE_WRAP(corebind_collection_mel_frames)
CORE_WRAP(corebind_collection_segments)

/* ---- per-language typemaps and names ------------------------------------- */

#if defined(SWIGJAVA)
%include "java/core_java.i"
#elif defined(SWIGCSHARP)
%include "csharp/core_csharp.i"
#elif defined(SWIGGO)
%include "go/core_go.i"
#endif

/* ---- the C API ------------------------------------------------------------ */

%include "core/core.h"
%include "core/array.h"
%include "core/stats.h"
%include "core/batch.h"
%include "core/ring.h"
%include "core/cache.h"
%include "core/metrics.h"
%include "core/audio.h"
%include "core/pipeline.h"
%include "core/collection.h"

/* The shim (bindings/collection_shim.h defines them), declared for SWIG. */
typedef struct corebind_collection corebind_collection;
corebind_collection *corebind_collection_new(void);
void corebind_collection_free(corebind_collection *c);
core_status corebind_collection_add(corebind_collection *c, const char *path, const char *output);
core_status corebind_collection_run(corebind_collection *c, const core_collection_options_t *opts);
size_t corebind_collection_count(const corebind_collection *c);
const char *corebind_collection_json(const corebind_collection *c, size_t i);
const char *corebind_collection_path(const corebind_collection *c, size_t i);
int corebind_collection_status(const corebind_collection *c, size_t i);
const char *corebind_collection_message(const corebind_collection *c, size_t i);
double corebind_collection_duration(const corebind_collection *c, size_t i);
double corebind_collection_speech(const corebind_collection *c, size_t i);
double corebind_collection_rms(const corebind_collection *c, size_t i);
uint64_t corebind_collection_samples(const corebind_collection *c, size_t i);
uint64_t corebind_collection_mel_frames(const corebind_collection *c, size_t i);
size_t corebind_collection_segments(const corebind_collection *c, size_t i);
