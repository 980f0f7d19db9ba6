/*
 * libcore metrics module: named latency timers (nanosecond histograms),
 * counters and gauges in a registry, with Prometheus, JSON and table export.
 *
 * Conventions (see core.h for the ones shared by every header):
 *
 *  1. Threads. Every call on a registry may run on any number of threads at
 *     once, except core_metrics_destroy, which must not run concurrently
 *     with any other call on the same registry. Recording (record_ns, stop,
 *     counter_add, gauge_set, gauge_add) is lock-free: relaxed atomics, no
 *     lock, no allocation, no system call (stop reads CLOCK_MONOTONIC
 *     through the vDSO). Registration, snapshots, merges and export take the
 *     registry's lock and may allocate; they are not the hot path. A
 *     snapshot is immutable except through core_metrics_snapshot_merge:
 *     reads of one snapshot may run on any threads at once, a merge into it
 *     must not run concurrently with any other call on it.
 *  2. Ids. Registration maps a name to a small integer id (0, 1, 2, ... in
 *     registration order, one sequence for all kinds), so the hot path never
 *     hashes a string. An id is valid for the registry that returned it and
 *     for snapshots taken from it (a snapshot keeps the registry's ids;
 *     metrics a merge adds get the next ids). An unknown id, or the id of
 *     another kind of metric, is CORE_E_INVALID_ARGUMENT.
 *  3. Names. A metric has its name as given (any non-empty UTF-8 string up
 *     to CORE_METRICS_MAX_NAME bytes) and an exported name: every character
 *     outside [a-zA-Z0-9_:] becomes '_', a leading digit gets a '_' in
 *     front, and the unit suffix is appended unless the name already ends
 *     with it: "_seconds" for timers, "_total" for counters (so
 *     "lid.encoder_forward" exports as lid_encoder_forward_seconds). A name
 *     with no letter, digit or ':' (it would export as nothing but
 *     underscores) is refused, and so is a name whose exported name, or one
 *     of the series names it exports (_bucket, _sum, _count, _total),
 *     collides with another metric's: CORE_E_INVALID_ARGUMENT naming the
 *     other metric, never a silent merge. Registering the same name again
 *     with the same kind and the same labels returns the first id (help is
 *     kept from the first call); the same name with other labels is another
 *     series of the same family (same kind required).
 *  4. Labels. A metric has a fixed set of up to CORE_METRICS_MAX_LABELS
 *     name="value" pairs, given at registration and copied. Label names
 *     match [a-zA-Z_][a-zA-Z0-9_]*, do not start with "__", are distinct,
 *     and are not "le" or "quantile" (reserved by the histogram and summary
 *     series). Values are any UTF-8 text; export escapes \, " and newline.
 *  5. Histograms. A timer is a log-linear histogram in the manner of
 *     HdrHistogram: values 0 .. highest_ns are kept in buckets whose width
 *     is at most 2^-(ceil(log2(2 * 10^digits)) - 1) of their lowest value,
 *     so a reported value is within 10^-digits of a recorded one (default
 *     digits 2: 256 sub-buckets per power of two, width <= 1/128 = 0.78%,
 *     a bucket's midpoint within 0.4%; 1 ns .. 1 hour takes 4608 buckets,
 *     36 KiB per timer). Values below lowest_ns share the first buckets.
 *     A negative value is recorded as 0 and counted in `underflows`; a value
 *     above highest_ns is recorded as highest_ns and counted in `overflows`.
 *     Neither is an error. count, sum (exact, in ns, modulo 2^64), min and
 *     max are exact; stddev is computed from bucket midpoints.
 *  6. Percentiles. percentile(q), q in [0, 1], is the nearest-rank
 *     percentile: the value of rank ceil(q * count) (at least 1) in sorted
 *     order, reported as the midpoint of its bucket clamped to [min, max].
 *     So it is within the configured relative error of the exact sorted
 *     value; q = 0 gives min and q = 1 gives max exactly.
 *  7. Snapshots (core_metrics_snapshot_t): an immutable copy of every
 *     metric of a registry (names, labels, help, histogram counts, counter
 *     and gauge values, the histogram layout and the Prometheus buckets),
 *     queried and exported like the registry. snapshot_and_reset also
 *     empties every timer (each bucket is swapped with 0 atomically, so a
 *     record made during the reset lands in exactly one interval; its sum,
 *     min and max may land in the neighbouring one). Counters and gauges
 *     are not reset: counters stay monotonic for Prometheus; an interval's
 *     count is the difference of two snapshots.
 *  8. Merge. Merging src into dst matches metrics by name and labels:
 *     timers add their histograms (src buckets are re-bucketed into dst's
 *     layout by their midpoint, exact when the layouts are equal; min and
 *     max combine exactly), counters add, gauges add (the natural result
 *     for per-shard or per-instance amounts such as bytes in use). A src
 *     metric missing from dst is added to dst with its help. A name
 *     present with another kind, or a collision (3), fails with
 *     CORE_E_INVALID_ARGUMENT and leaves dst unchanged.
 *  9. Export (core_metrics_export): text into a caller buffer with the
 *     needed-size protocol: *needed always receives the bytes the text takes
 *     including its terminating NUL; when cap < *needed the call returns
 *     CORE_E_BUFFER_TOO_SMALL and writes nothing (buf may be NULL with cap
 *     0 to ask for the size). A later export may need more (metrics keep
 *     changing): retry with the new size.
 *     CORE_METRICS_PROMETHEUS: text exposition format 0.0.4. Every family
 *       has # HELP (the help text, or "<kind> <name as registered>") and
 *       # TYPE lines. Timers are histograms in seconds: _bucket{le="..."}
 *       cumulative over the registry's Prometheus boundaries (see
 *       core_metrics_options_t.prom_buckets) and le="+Inf", then _sum and
 *       _count. A histogram bucket of the timer is counted under le when its
 *       lowest value is <= le, so a value within the histogram's precision
 *       above a boundary may be counted under it. With
 *       CORE_METRICS_EXPORT_SUMMARY timers are summaries instead, with
 *       quantile="0.5", "0.9", "0.95", "0.99", "0.999" (nearest rank, 6),
 *       _sum and _count. Counters: TYPE counter; gauges: TYPE gauge.
 *     CORE_METRICS_JSON: one object {"timers":[...],"counters":[...],
 *       "gauges":[...]}; timers give name, exported name, labels, count,
 *       sum/min/max/mean/stddev in ns, p50 p90 p95 p99 p999 in ns,
 *       underflows and overflows. Strings are escaped per RFC 8259. A
 *       gauge that is no longer finite (added up past the double range)
 *       is null here and +Inf / -Inf in the Prometheus text.
 *     CORE_METRICS_TABLE: a fixed-width human table of timers (name,
 *       count, p50, p95, p99, max with units ns/us/ms/s), then counters and
 *       gauges.
 */
#ifndef CORE_METRICS_H
#define CORE_METRICS_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An opaque registry. Created by core_metrics_create, released by
 * core_metrics_destroy. Any thread (convention 1). */
typedef struct core_metrics core_metrics_t;
/* An opaque snapshot (convention 7). Released by
 * core_metrics_snapshot_destroy. */
typedef struct core_metrics_snapshot core_metrics_snapshot_t;
/* A metric id (convention 2). */
typedef uint32_t core_metric_id_t;

/* The kind of a metric. */
typedef enum core_metric_kind {
  CORE_METRIC_TIMER = 0,
  CORE_METRIC_COUNTER = 1,
  CORE_METRIC_GAUGE = 2
} core_metric_kind;

/* Export formats (convention 9). */
typedef enum core_metrics_format {
  CORE_METRICS_PROMETHEUS = 0,
  CORE_METRICS_JSON = 1,
  CORE_METRICS_TABLE = 2
} core_metrics_format;

/* Export flag: Prometheus timers as summaries instead of histograms. */
#define CORE_METRICS_EXPORT_SUMMARY 1u

/* Limits. */
#define CORE_METRICS_MAX_NAME 200
#define CORE_METRICS_MAX_LABELS 8
#define CORE_METRICS_MAX_PROM_BUCKETS 64

/* One label (convention 4). Both strings are copied at registration. */
typedef struct core_metric_label_t {
  const char *name;
  const char *value;
} core_metric_label_t;

/* Creation options. Fill with core_metrics_options_init, then set fields.
 * Fields are only ever appended; struct_size tells the library which layout
 * the caller has. */
typedef struct core_metrics_options_t {
  size_t struct_size;     /* sizeof(core_metrics_options_t), set by _init */
  uint64_t lowest_ns;     /* lowest discernible value, >= 1, and below
                             2^63 / 2^ceil(log2(2 * 10^digits)) (so its
                             sub-buckets fit in 64 bits: below 2^55 at 2
                             digits; HdrHistogram's limit). Default 1 */
  uint64_t highest_ns;    /* highest trackable value, >= 2 * lowest_ns and
                             <= 2^62. Default 3 600 000 000 000 (1 hour) */
  int significant_digits; /* 1 .. 5 (convention 5). Default 2 (<= 1%) */
  size_t max_metrics;     /* metrics the registry can hold, 1 .. 65536.
                             Default 1024 */
  const double *prom_buckets; /* Prometheus le boundaries in seconds,
                             strictly increasing, finite and > 0, at most
                             CORE_METRICS_MAX_PROM_BUCKETS; copied. NULL
                             (default): 1, 2.5 and 5 times each power of
                             ten from 1 us to 50 s, then 100 s (25
                             boundaries), dropping those above highest_ns */
  size_t prom_bucket_count; /* entries of prom_buckets (0 with NULL) */
} core_metrics_options_t;

/* The summary of a timer. Set struct_size to sizeof(core_timer_stats_t)
 * before the call: the library fills that many bytes (fields are only ever
 * appended). */
typedef struct core_timer_stats_t {
  size_t struct_size;
  uint64_t count;      /* values recorded (clamped ones included) */
  uint64_t sum_ns;     /* their exact sum after clamping, modulo 2^64 */
  uint64_t min_ns;     /* 0 when count is 0 */
  uint64_t max_ns;     /* 0 when count is 0 */
  double mean_ns;      /* sum / count (0 when count is 0) */
  double stddev_ns;    /* population stddev from bucket midpoints */
  uint64_t underflows; /* negative values recorded as 0 */
  uint64_t overflows;  /* values above highest_ns recorded as highest_ns */
} core_timer_stats_t;

/* ---- clock ------------------------------------------------------------------ */

/* CLOCK_MONOTONIC in nanoseconds (any fixed epoch, never decreasing).
 * Any thread. Since 0.1. */
CORE_API uint64_t core_now_ns(void);

/* ---- life cycle ------------------------------------------------------------- */

/* Fills *opts with the defaults above and sets struct_size.
 * CORE_E_INVALID_ARGUMENT for opts NULL. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_metrics_options_init(core_metrics_options_t *opts);

/* Creates an empty registry and writes it to *out (release it with
 * core_metrics_destroy). opts may be NULL for the defaults; it is only read
 * and not kept. CORE_E_INVALID_ARGUMENT for out NULL, a struct_size smaller
 * than the 0.1 layout, lowest_ns 0 or too large for the digits (see the
 * field), highest_ns < 2 * lowest_ns or above 2^62, significant_digits
 * outside 1 .. 5, max_metrics outside 1 .. 65536,
 * prom_buckets NULL with a count, or boundaries not finite, not > 0, not
 * increasing or too many; CORE_E_UNSUPPORTED for a struct_size larger than
 * this library knows; CORE_E_OUT_OF_MEMORY. *out is unchanged on error.
 * Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_metrics_create(const core_metrics_options_t *opts,
                                                        core_metrics_t **out);

/* Releases the registry. NULL is a no-op. Not concurrently with any other
 * call on it (convention 1). Since 0.1. */
CORE_API void core_metrics_destroy(core_metrics_t *m);

/* ---- registration (may allocate and lock) ------------------------------------- */

/* Registers a timer, counter or gauge named `name` (convention 3) with
 * optional help text (NULL: "<kind> <name>"; newlines and backslashes are
 * escaped in export) and labels[0, nlabels) (convention 4; labels may be
 * NULL when nlabels is 0), and writes its id to *id. Registering an
 * existing name, kind and label set returns its id.
 * CORE_E_INVALID_ARGUMENT for m, name or id NULL, an empty or too long
 * name, a name that sanitizes to nothing, a collision (the message names
 * both metrics), the name registered with another kind, bad labels;
 * CORE_E_FULL when max_metrics are registered; CORE_E_OUT_OF_MEMORY.
 * *id is unchanged on error. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_metrics_timer(core_metrics_t *m, const char *name,
                                                       const char *help,
                                                       const core_metric_label_t *labels,
                                                       size_t nlabels, core_metric_id_t *id);
CORE_API CORE_NODISCARD core_status core_metrics_counter(core_metrics_t *m, const char *name,
                                                         const char *help,
                                                         const core_metric_label_t *labels,
                                                         size_t nlabels, core_metric_id_t *id);
CORE_API CORE_NODISCARD core_status core_metrics_gauge(core_metrics_t *m, const char *name,
                                                       const char *help,
                                                       const core_metric_label_t *labels,
                                                       size_t nlabels, core_metric_id_t *id);

/* The number of metrics registered (ids are 0 .. count-1). 0 for NULL.
 * Any thread. Since 0.1. */
CORE_API size_t core_metrics_count(const core_metrics_t *m);

/* ---- recording (lock-free, no allocation) ----------------------------------- */

/* Records ns into timer id (negative and too large values are clamped
 * and counted, convention 5). CORE_E_INVALID_ARGUMENT for m NULL or id not
 * a timer of m. Any thread. Since 0.1. */
CORE_API core_status core_metrics_record_ns(core_metrics_t *m, core_metric_id_t id,
                                            int64_t ns);

/* core_now_ns(), named for symmetry with stop. Any thread. Since 0.1. */
CORE_API uint64_t core_metrics_start(void);

/* Records core_now_ns() - start_ns into timer id (a start in the future
 * records as a negative value). Errors as record_ns. Any thread.
 * Since 0.1. */
CORE_API core_status core_metrics_stop(core_metrics_t *m, core_metric_id_t id,
                                       uint64_t start_ns);

/* Adds delta to counter id (modulo 2^64). CORE_E_INVALID_ARGUMENT for m
 * NULL, id not a counter of m, or delta >= 2^63 (a negative number cast to
 * unsigned: counters only go up). Any thread. Since 0.1. */
CORE_API core_status core_metrics_counter_add(core_metrics_t *m, core_metric_id_t id,
                                              uint64_t delta);

/* Sets / adds to gauge id. CORE_E_INVALID_ARGUMENT for m NULL, id not a
 * gauge of m, or a value that is not finite. Any thread. Since 0.1. */
CORE_API core_status core_metrics_gauge_set(core_metrics_t *m, core_metric_id_t id,
                                            double value);
CORE_API core_status core_metrics_gauge_add(core_metrics_t *m, core_metric_id_t id,
                                            double delta);

/* ---- queries ----------------------------------------------------------------- */

/* Finds a metric by its registered name (the first series registered under
 * it) and writes its id and, when kind is not NULL, its kind.
 * CORE_E_NOT_FOUND when absent; CORE_E_INVALID_ARGUMENT for m, name or id
 * NULL. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_metrics_find(const core_metrics_t *m, const char *name,
                                                      core_metric_id_t *id,
                                                      core_metric_kind *kind);

/* Counter and gauge values. CORE_E_INVALID_ARGUMENT for NULLs or id not a
 * counter / gauge. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_metrics_counter_get(const core_metrics_t *m,
                                                             core_metric_id_t id,
                                                             uint64_t *value);
CORE_API CORE_NODISCARD core_status core_metrics_gauge_get(const core_metrics_t *m,
                                                           core_metric_id_t id, double *value);

/* The summary of timer id (a consistent-enough read while others record).
 * CORE_E_INVALID_ARGUMENT for NULLs, id not a timer, or out->struct_size
 * smaller than the 0.1 layout. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_metrics_timer_stats(const core_metrics_t *m,
                                                             core_metric_id_t id,
                                                             core_timer_stats_t *out);

/* The percentile q in [0, 1] of timer id (convention 6) in ns.
 * CORE_E_EMPTY when the timer holds no value; CORE_E_INVALID_ARGUMENT for
 * NULLs, id not a timer, q NaN or outside [0, 1]. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_metrics_percentile(const core_metrics_t *m,
                                                            core_metric_id_t id, double q,
                                                            uint64_t *value_ns);

/* ---- snapshots and merges (lock, allocate) -------------------------------------- */

/* Writes a new snapshot of m to *out (convention 7); the _and_reset form
 * also empties every timer. CORE_E_INVALID_ARGUMENT for NULLs;
 * CORE_E_OUT_OF_MEMORY. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_metrics_snapshot(core_metrics_t *m,
                                                          core_metrics_snapshot_t **out);
CORE_API CORE_NODISCARD core_status core_metrics_snapshot_and_reset(
    core_metrics_t *m, core_metrics_snapshot_t **out);

/* Releases a snapshot. NULL is a no-op. Since 0.1. */
CORE_API void core_metrics_snapshot_destroy(core_metrics_snapshot_t *s);

/* The metrics in a snapshot (ids 0 .. count-1). 0 for NULL. Since 0.1. */
CORE_API size_t core_metrics_snapshot_count(const core_metrics_snapshot_t *s);

/* The registry queries, on a snapshot (same contracts). Since 0.1. */
CORE_API CORE_NODISCARD core_status core_metrics_snapshot_find(const core_metrics_snapshot_t *s,
                                                               const char *name,
                                                               core_metric_id_t *id,
                                                               core_metric_kind *kind);
CORE_API CORE_NODISCARD core_status core_metrics_snapshot_counter(
    const core_metrics_snapshot_t *s, core_metric_id_t id, uint64_t *value);
CORE_API CORE_NODISCARD core_status core_metrics_snapshot_gauge(
    const core_metrics_snapshot_t *s, core_metric_id_t id, double *value);
CORE_API CORE_NODISCARD core_status core_metrics_snapshot_timer_stats(
    const core_metrics_snapshot_t *s, core_metric_id_t id, core_timer_stats_t *out);
CORE_API CORE_NODISCARD core_status core_metrics_snapshot_percentile(
    const core_metrics_snapshot_t *s, core_metric_id_t id, double q, uint64_t *value_ns);

/* Merges src into dst (convention 8). src is only read. dst and src must
 * differ. CORE_E_INVALID_ARGUMENT for NULLs, dst == src, kind or name
 * conflicts; CORE_E_FULL when dst (a registry) has no room for src's new
 * metrics; CORE_E_OUT_OF_MEMORY. dst is unchanged on error. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_metrics_snapshot_merge(
    core_metrics_snapshot_t *dst, const core_metrics_snapshot_t *src);
/* Into a live registry: recorders of dst may keep running (their records
 * and the merged counts all count). Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_metrics_merge_snapshot(
    core_metrics_t *dst, const core_metrics_snapshot_t *src);
/* Registry into registry: a snapshot of src (not reset) merged into dst.
 * Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_metrics_merge(core_metrics_t *dst,
                                                       core_metrics_t *src);

/* ---- export -------------------------------------------------------------------- */

/* Writes m (or snapshot s) as text in `format` (convention 9) to
 * buf[0, cap) with a NUL terminator; *needed receives the bytes needed,
 * NUL included. flags: 0 or CORE_METRICS_EXPORT_SUMMARY (Prometheus only).
 * CORE_E_BUFFER_TOO_SMALL when cap < *needed (nothing written);
 * CORE_E_INVALID_ARGUMENT for m / s or needed NULL, buf NULL with cap > 0,
 * an unknown format or flag; CORE_E_OUT_OF_MEMORY. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_metrics_export(core_metrics_t *m,
                                                        core_metrics_format format,
                                                        unsigned flags, char *buf, size_t cap,
                                                        size_t *needed);
CORE_API CORE_NODISCARD core_status core_metrics_snapshot_export(
    const core_metrics_snapshot_t *s, core_metrics_format format, unsigned flags, char *buf,
    size_t cap, size_t *needed);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CORE_METRICS_H */
