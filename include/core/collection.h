/* libcore: collections of audio files analysed in parallel.
 *
 * core_collection_run takes a list of paths and processes them in the
 * library's task arena (core_set_num_threads), one file per task, each
 * file streamed in chunks through core_audio_reader_* (memory per file is
 * bounded, whatever its length: a chunk, the VAD's and the log-mel
 * stream's state). For every file it reports a summary: header, duration,
 * statistics of the samples at the analysis rate, speech segments (the
 * VAD), and, when asked, writes the file's log-mel to a NumPy .npy file.
 * A file that fails (missing, unreadable, not audio, truncated, its output
 * not writable) is reported with its status and message; the others go on.
 *
 * Results do not depend on the thread count or on chunk_samples: a file's
 * summary and .npy are bit-identical for any of them (the statistics come
 * from core_stats_acc with the file's length declared, so they are exactly
 * core_stats_f32 of the whole file's samples; the VAD and the log-mel
 * stream are chunking-invariant by their contracts).
 *
 * Not part of the core.h umbrella (it embeds other modules' option
 * structs, as pipeline.h does): include <core/collection.h>.
 */
#ifndef CORE_COLLECTION_H
#define CORE_COLLECTION_H

#include "core.h"
#include "audio.h"
#include "metrics.h"
#include "stats.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest chunk_samples accepted (2^24 samples, 64 MiB of float32). */
#define CORE_COLLECTION_MAX_CHUNK ((size_t)1 << 24)

/* What core_collection_run does per file. Fill with
 * core_collection_options_init, then change fields. Fields are only ever
 * appended. */
typedef struct core_collection_options_t {
  size_t struct_size;     /* sizeof(core_collection_options_t), set by _init */
  uint32_t sample_rate;   /* analysis rate in Hz (files are resampled to it);
                             default 16000; 1000 .. 384000 */
  size_t chunk_samples;   /* samples read per step, 1 .. CORE_COLLECTION_MAX_CHUNK:
                             the memory bound per file; default 65536 */
  int vad;                /* 1: find speech segments (default), 0: no VAD */
  core_vad_options_t vad_options;       /* default: core_vad_options_init;
                             its sample_rate is set from sample_rate */
  int features;           /* 1: write each file's log-mel to outputs[i]
                             (see core_collection_run); default 0 */
  core_logmel_options_t logmel_options; /* default: core_logmel_options_init
                             (Whisper's 80 bands, 30-s normalization windows);
                             its sample_rate is set from sample_rate */
  size_t max_segments;    /* segments passed to the callback per file
                             (more are counted, not kept); any value
                             (SIZE_MAX: all; memory grows only with the
                             segments found); default 100000 */
  core_metrics_t *metrics; /* optional registry (not owned) for per-stage
                              timers, registered on first use (a registry
                              may serve many runs): collection.read,
                              collection.stats, collection.vad,
                              collection.logmel, collection.write (per
                              chunk), collection.file (per file); NULL: none */
} core_collection_options_t;

/* The defaults above. CORE_E_INVALID_ARGUMENT for opts NULL. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_collection_options_init(core_collection_options_t *opts);

/* One file's result, passed to the callback. Pointers are valid during the
 * callback only. */
typedef struct core_file_summary_t {
  size_t struct_size;       /* sizeof(core_file_summary_t) of the library */
  size_t index;             /* position in paths[] */
  const char *path;         /* paths[index] */
  core_status status;       /* CORE_OK, or why this file failed */
  const char *message;      /* "" on success; else the failing call's message */
  core_audio_info_t info;   /* the file's header (zero when it could not be read) */
  uint32_t sample_rate;     /* the analysis rate (the options') */
  uint64_t samples;         /* samples at sample_rate */
  double duration;          /* seconds at sample_rate: samples / sample_rate */
  core_stats_t stats;       /* of the samples at sample_rate (finite by
                               core_audio_reader_read's contract) */
  double rms;               /* sqrt(mean of squares), 0 for no samples */
  const core_segment_t *segments; /* speech segments, in samples at sample_rate */
  size_t n_segments;        /* segments[0, n_segments) */
  size_t segments_total;    /* all segments found (> n_segments when capped) */
  double speech;            /* seconds of speech (all segments) */
  uint64_t mel_frames;      /* log-mel frames written (features on) */
  const char *output;       /* the .npy written, or NULL */
  double seconds;           /* wall-clock time spent on this file */
} core_file_summary_t;

/* Called once per file, in completion order, never for two files at once
 * (the library serializes the calls, so the callback needs no lock), on
 * one of the arena's threads. Return 0 to go on, non-zero to stop (see
 * core_collection_run). */
typedef int (*core_collection_fn)(const core_file_summary_t *summary, void *user);

/* Processes paths[0, n) in parallel and calls fn(summary, user) for each.
 * outputs may be NULL (no features written) or hold n paths (an entry may
 * be NULL: no features for that file) where, with opts->features, each
 * file's log-mel goes as a float32 .npy (the machine's byte order: '<f4'
 * on x86-64 and arm64) of shape (frames, n_mels), written to a temporary name beside it (output + ".partial")
 * and renamed when complete: an interrupted run never leaves a
 * complete-looking partial file. opts may be NULL for the defaults.
 *
 * Returns CORE_OK when every file was attempted (each file's own status is
 * in its summary), even if some failed; CORE_E_INVALID_ARGUMENT for paths
 * NULL with n > 0, a NULL path, fn NULL, or bad options (the message names
 * the field); CORE_E_UNSUPPORTED without audio_io or for a struct_size
 * larger than this library knows; CORE_E_OUT_OF_MEMORY when the run
 * itself cannot start. When fn returns non-zero, the files not yet started
 * are skipped (no callback) and the call returns CORE_E_UNAVAILABLE
 * ("stopped by the callback"); a file already running when it stopped
 * finishes (its output is complete) without a callback. Two equal output
 * strings make the later file fail with CORE_E_INVALID_ARGUMENT ("output
 * ... is also file N's"). Bad vad_options / logmel_options (the latter
 * checked only with features) fail the run before any file, the message
 * naming the option. Any thread; the callback may not call
 * core_collection_run. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_collection_run(const char *const *paths, size_t n,
                                                        const char *const *outputs,
                                                        const core_collection_options_t *opts,
                                                        core_collection_fn fn, void *user);

/* Writes a summary as one line of JSON (no newline) to buf[0, cap) with
 * its terminating NUL, and its length (without the NUL) to *len. The
 * record, so that every front end (the corpus_features tool, the Python
 * package, a Dask job) writes the same bytes:
 *   {"path":..., "status":"CORE_OK", "error":null, "format":"wav",
 *    "file_rate":44100, "channels":2, "bits":16, "frames":..., "rate":16000,
 *    "samples":..., "duration":..., "min":..., "max":..., "mean":...,
 *    "std":..., "rms":..., "speech":..., "segments":[[start,end],...],
 *    "segments_total":..., "features":path or null, "mel_frames":...}
 * in that order; for a failed file {"path":..., "status":"CORE_E_...",
 * "error":message}. Segments are in samples at "rate"; std has ddof 0;
 * doubles are printed with 17 significant digits (exact round trip), a
 * non-finite one (min/max/mean/std of no samples) as null. Strings are
 * escaped as JSON requires; bytes >= 0x80 are copied (paths are taken to
 * be UTF-8). seconds is not written (the record does not depend on the
 * machine). CORE_E_BUFFER_TOO_SMALL when cap <= the length, which it
 * writes to *len (cap 0 and buf NULL ask for it: allocate *len + 1);
 * CORE_E_INVALID_ARGUMENT for s, s->path or len NULL, buf NULL with
 * cap > 0, s->segments NULL with n_segments > 0, or a struct_size smaller
 * than 0.1's. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_file_summary_json(const core_file_summary_t *s, char *buf,
                                                           size_t cap, size_t *len);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CORE_COLLECTION_H */
