/*
 * bindings/go/core_go.i — the Go part of bindings/core.i (included by it
 * after the whitelist and before the declarations).
 *
 * SWIG generates the raw layer, package `capi` (libcore.dev/core/internal/capi),
 * with `swig -go -cgo -intgosize 64 -package capi`. Its names stay SWIG's
 * (capi.Core_stats_f32 is core_stats_f32): the package is internal, and the
 * public surface is the hand-written package `core` on top of it.
 *
 * Rules of the raw layer:
 *  1. Every C array is a Go slice passed without a copy: C gets the slice's
 *     data pointer. This is legal cgo (Go memory without Go pointers, not
 *     kept after the call) and clean under GODEBUG=cgocheck=2. The size_t
 *     lengths stay separate int64 parameters (capi.Core_stats_f32(x, n,
 *     nan, out)), set from len() by the Go layer, which also checks every
 *     length relation (len(y) == len(x), len(dst) >= len(x)) before the
 *     call. Single out-pointers (double *out, size_t *n) are slices too.
 *  2. core_stats_t pointers are unsafe.Pointer to the Go struct core.Summary,
 *     whose layout equals core_stats_t (checked at compile time).
 *  3. A core_status result is an int64: 0 for CORE_OK, else a handle to a
 *     malloc'd record holding the status and a copy of
 *     core_last_error_message() taken in the same C call, on the same OS
 *     thread (Go may move the goroutine to another thread before its next
 *     cgo call, so a second call could read another thread's message).
 *     core_go_error_status / _message / _free read and release it; a
 *     negative value is -status when even that record could not be
 *     allocated.
 *  4. concat: an array of Go pointers may not cross into C (cgo pointer
 *     rules, and Go 1.19 has no runtime.Pinner), so the C helper
 *     core_go_concat_part_f32/_f64 calls core_concat_* for one part at a
 *     time, building the one-element parts array on the C stack.
 *  5. batch: for the same reason core_batch_stats_* is called through
 *     core_go_batch_f32/_f64, which take one flat slice plus offsets and
 *     lengths and build the array of pointers into it in C memory.
 *     core_stats_acc_t pointers are unsafe.Pointer to Go memory of the
 *     struct's size (core.StatsAcc: plain data, no Go pointers).
 *  6. ring: core_ring_t * is a uintptr (C memory, never dereferenced by
 *     Go); core_ring_options_t * is unsafe.Pointer to core.ringOptions
 *     (same layout, checked at compile time); the regions out-pointers are
 *     []unsafe.Pointer cells that C fills with C pointers.
 *  7. cache: core_cache_t * and core_cache_writer_t * are uintptr (C memory);
 *     core_key_t *, core_cache_options_t * and core_cache_stats_t * are
 *     unsafe.Pointer to Go structs of the same layout (core.Key,
 *     core.cacheOptions, core.cacheStats; checked at compile time). Paths
 *     are Go strings (SWIG's default: a C copy). The two callbacks (the clock and the
 *     get_or_compute function) are C trampolines below that call Go
 *     functions exported by package capi (callback.go), passing the user
 *     pointer as a runtime/cgo.Handle value: no Go pointer ever reaches C.
 *     capi.Core_cache_get_or_compute and capi.Core_cache_create are
 *     generated but not used: core_go_cache_get_or_compute and
 *     core_go_cache_create plug the trampolines in.
 *  8. metrics: core_metrics_t * and core_metrics_snapshot_t * are uintptr (C
 *     memory); core_metrics_options_t * and core_timer_stats_t * are
 *     unsafe.Pointer to Go structs of the same layout (core.metricsOptions,
 *     core.timerStats; checked at compile time). The recording calls take
 *     scalars only. Registration goes through core_go_metrics_register,
 *     which takes the name, help and labels as one flat []byte of
 *     NUL-terminated strings and builds the core_metric_label_t array in C
 *     (an array of pointers may not cross from Go memory); creation goes
 *     through core_go_metrics_create, which sets prom_buckets in a C copy of
 *     the options. capi.Core_metrics_create/_timer/_counter/_gauge are
 *     generated but not used.
 *  9. audio: core_logmel_t *, core_logmel_stream_t *, core_vad_t * and
 *     core_audio_reader_t * are uintptr (C memory); core_logmel_options_t *, core_vad_options_t *,
 *     core_segment_t * and core_audio_info_t * are unsafe.Pointer to Go
 *     structs of the same layout (core.logMelOptions, core.vadOptions,
 *     core.Segment, core.audioInfo; checked at compile time against the
 *     constants of internal/capi). Scalar out-parameters (n_frames, count,
 *     start) are one-element slices. Paths are Go strings (a C copy).
 *     core_logmel_compute_batch takes arrays of pointers, which Go memory
 *     may not hold: capi.Core_logmel_compute_batch is generated but not
 *     used, and core_go_logmel_batch (below) builds those arrays in C from
 *     one flat input slice and one flat output slice plus offsets.
 * 10. pipeline: core_pipeline_t * and core_batcher_t * are uintptr (C
 *     memory); options, events and stats are unsafe.Pointer to Go structs
 *     of the same layout (core.pipelineOptions, core.batcherOptions,
 *     core.pipelineEvent, core.PipelineStats; checked at compile time).
 *     The encoder is never a C callback: the Go layer runs the pipeline
 *     without one and answers CORE_EVENT_NEEDS_ENCODING with
 *     core_pipeline_submit_embedding. Creation goes through
 *     core_go_pipeline_create / core_go_batcher_create, which copy the
 *     options to C memory and set their pointer fields there (the prefix,
 *     the batcher's Go clock through the cache's clock trampoline).
 * 11. collection: core_collection_run goes through bindings/collection_shim.h
 *     (its C callback keeps each file's record; no callback reaches Go).
 *     corebind_collection * is a uintptr (C memory, created and freed
 *     inside one core.RunCollection call); core_collection_options_t * is
 *     unsafe.Pointer to core.collectionOptions (same layout, checked at
 *     compile time); corebind_collection_add's output "" is NULL.
 */

/* ---- status: 0 or a captured error ---------------------------------------- */

%{
#include <stdlib.h>
#include <string.h>

typedef struct core_go_error {
  core_status status;
  char message[]; /* NUL-terminated copy of core_last_error_message() */
} core_go_error;

/* Called by the wrapper of every status-returning function, right after the
 * libcore call returned `st` != CORE_OK, on the thread that made it. */
static long long core_go_fail(core_status st) {
  const char *msg = core_last_error_message();
  size_t len = msg ? strlen(msg) : 0;
  core_go_error *e = (core_go_error *)malloc(sizeof *e + len + 1);
  if (!e) return -(long long)st;
  e->status = st;
  if (len) memcpy(e->message, msg, len);
  e->message[len] = '\0';
  return (long long)(intptr_t)e;
}

/* The same, for an error found by a Go-only helper below: the message is
 * the helper's own (libcore's thread-local message is not about it). */
static long long core_go_fail_msg(core_status st, const char *msg) {
  size_t len = strlen(msg);
  core_go_error *e = (core_go_error *)malloc(sizeof *e + len + 1);
  if (!e) return -(long long)st;
  e->status = st;
  memcpy(e->message, msg, len + 1);
  return (long long)(intptr_t)e;
}

static core_status core_go_error_status(long long r) {
  if (r < 0) return (core_status)-r;
  return r ? ((const core_go_error *)(intptr_t)r)->status : CORE_OK;
}
static const char *core_go_error_message(long long r) {
  return r > 0 ? ((const core_go_error *)(intptr_t)r)->message : "";
}
static void core_go_error_free(long long r) {
  if (r > 0) free((void *)(intptr_t)r);
}
%}

%typemap(gotype) core_status "int64"
%typemap(in) core_status %{ $1 = (core_status)$input; %}
%typemap(out) core_status %{ $result = $1 == CORE_OK ? 0 : core_go_fail($1); %}
%typemap(goout) core_status ""

/* Enums in arguments are plain ints; the Go layer has its own types. */
%typemap(gotype) core_nan_policy "int"
%typemap(in) core_nan_policy %{ $1 = (core_nan_policy)$input; %}

/* ---- arrays as slices ------------------------------------------------------ */

/* A C array parameter is a Go slice; the C function gets the slice's data
 * pointer (NULL for a nil slice), read from the slice header without a copy.
 * Lengths stay separate size_t (int64) parameters that the Go layer sets
 * from len(). Passing the slice whole (a _goslice_ struct, as SWIG's usual
 * slice typemap does) costs a heap allocation per call: cgo boxes a struct
 * argument that holds a pointer to check it, while a plain pointer is
 * checked without allocating. */
%define CORE_GO_ARRAY(CTYPE, GOSLICE, GOPTR, NAME)
%typemap(gotype) CTYPE *NAME "GOSLICE"
%typemap(imtype) CTYPE *NAME "GOPTR"
%typemap(goin) CTYPE *NAME %{ $result = *(*GOPTR)(unsafe.Pointer(&$input)) %}
%typemap(in) CTYPE *NAME %{ $1 = ($1_ltype)$input; %}
%enddef

%define CORE_GO_DTYPE(CTYPE, GOSLICE, GOPTR)
CORE_GO_ARRAY(const CTYPE, GOSLICE, GOPTR, x)   /* inputs */
CORE_GO_ARRAY(const CTYPE, GOSLICE, GOPTR, y)
CORE_GO_ARRAY(const CTYPE, GOSLICE, GOPTR, in)  /* float -> pcm16 */
CORE_GO_ARRAY(CTYPE, GOSLICE, GOPTR, x)         /* normalize, in place */
CORE_GO_ARRAY(CTYPE, GOSLICE, GOPTR, out)       /* outputs */
CORE_GO_ARRAY(CTYPE, GOSLICE, GOPTR, scratch)   /* percentile */
%enddef
CORE_GO_DTYPE(float, []float32, *float32)
CORE_GO_DTYPE(double, []float64, *float64)      /* also the scalar double *out */
CORE_GO_ARRAY(const int16_t, []int16, *int16, in)
CORE_GO_ARRAY(int16_t, []int16, *int16, out)
CORE_GO_ARRAY(const size_t, []uint64, *uint64, lens)
CORE_GO_ARRAY(size_t, []uint64, *uint64, n)     /* scalar out-parameters */
CORE_GO_ARRAY(size_t, []uint64, *uint64, clipped)
CORE_GO_ARRAY(size_t, []uint64, *uint64, written)
CORE_GO_ARRAY(size_t, []uint64, *uint64, frames)  /* batch.h */
CORE_GO_ARRAY(const int16_t, []int16, *int16, pcm) /* ring.h */
CORE_GO_ARRAY(size_t, []uint64, *uint64, got)
CORE_GO_ARRAY(size_t, []uint64, *uint64, n1)
CORE_GO_ARRAY(size_t, []uint64, *uint64, n2)

/* core_stats_t: unsafe.Pointer to core.Summary (same layout). */
%ignore core_stats_t;
%typemap(gotype) core_stats_t *, const core_stats_t * "unsafe.Pointer"
%typemap(in) core_stats_t *, const core_stats_t * %{ $1 = ($1_ltype)$input; %}
/* batch.h names it struct core_stats_t (it may be read before stats.h). */
%typemap(gotype) struct core_stats_t *, const struct core_stats_t * "unsafe.Pointer"
%typemap(in) struct core_stats_t *, const struct core_stats_t * %{ $1 = ($1_ltype)$input; %}

/* ---- batch.h ---------------------------------------------------------------- */

/* core_stats_acc_t: unsafe.Pointer to Go memory of the struct's size
 * (core.StatsAcc; plain data without pointers, so it may live in Go memory
 * and be passed to C for the duration of a call). No SWIG struct wrapper. */
%ignore core_stats_acc_t;
%ignore core_stats_acc_node_t;
%ignore core_stats_acc_t_pending; /* its nested union */
%typemap(gotype) core_stats_acc_t *, const core_stats_acc_t * "unsafe.Pointer"
%typemap(in) core_stats_acc_t *, const core_stats_acc_t * %{ $1 = ($1_ltype)$input; %}

/* capi.Core_batch_stats_f32/_f64 are generated (whitelisted) but not called:
 * their arrays argument is an array of pointers, which cgo does not let Go
 * memory hold when handed to C. Package core calls core_go_batch_f32/_f64
 * (below) instead, which build that array in C from one flat slice. */

/* ---- ring.h ----------------------------------------------------------------- */

/* A ring handle is C memory, held by Go as a uintptr and never dereferenced
 * there. core_ring_create's out-parameter is a one-element []uintptr. */
%typemap(gotype) core_ring_t *, const core_ring_t * "uintptr"
%typemap(in) core_ring_t *, const core_ring_t * %{ $1 = ($1_ltype)$input; %}
CORE_GO_ARRAY(core_ring_t *, []uintptr, *uintptr, out)

/* core_ring_options_t: unsafe.Pointer to the Go struct core.ringOptions,
 * whose layout equals the C struct (checked at compile time). */
%ignore core_ring_options_t;
%typemap(gotype) core_ring_options_t *, const core_ring_options_t * "unsafe.Pointer"
%typemap(in) core_ring_options_t *, const core_ring_options_t * %{ $1 = ($1_ltype)$input; %}

/* regions: the two span pointers are C pointers written by C into Go
 * memory typed unsafe.Pointer (as `var p *C.float; C.f(&p)` does), so the
 * Go layer can make slices of them without a uintptr conversion. */
CORE_GO_ARRAY(const float *, []unsafe.Pointer, *unsafe.Pointer, p1)
CORE_GO_ARRAY(const float *, []unsafe.Pointer, *unsafe.Pointer, p2)

/* The policy enum as an int, like core_nan_policy. */
%typemap(gotype) core_ring_policy "int"
%typemap(in) core_ring_policy %{ $1 = (core_ring_policy)$input; %}
%typemap(out) core_ring_policy %{ $result = (intgo)$1; %}

/* ---- cache.h ---------------------------------------------------------------- */

%typemap(gotype) core_cache_t *, const core_cache_t * "uintptr"
%typemap(in) core_cache_t *, const core_cache_t * %{ $1 = ($1_ltype)$input; %}
CORE_GO_ARRAY(core_cache_t *, []uintptr, *uintptr, out)
%typemap(gotype) core_cache_writer_t * "uintptr"
%typemap(in) core_cache_writer_t * %{ $1 = ($1_ltype)$input; %}

%ignore core_key_t;
%ignore core_cache_options_t;
%ignore core_cache_stats_t;
%typemap(gotype) core_key_t *, const core_key_t * "unsafe.Pointer"
%typemap(in) core_key_t *, const core_key_t * %{ $1 = ($1_ltype)$input; %}
%typemap(gotype) core_cache_options_t *, const core_cache_options_t * "unsafe.Pointer"
%typemap(in) core_cache_options_t *, const core_cache_options_t * %{ $1 = ($1_ltype)$input; %}
%typemap(gotype) core_cache_stats_t * "unsafe.Pointer"
%typemap(in) core_cache_stats_t * %{ $1 = ($1_ltype)$input; %}

CORE_GO_ARRAY(const void, []byte, *byte, data)        /* key_bytes */
CORE_GO_ARRAY(const float, []float32, *float32, samples) /* key_audio */
CORE_GO_ARRAY(const float, []float32, *float32, data) /* put, writer_put */
CORE_GO_ARRAY(const size_t, []uint64, *uint64, shape)
CORE_GO_ARRAY(size_t, []uint64, *uint64, shape)       /* get: room for 4 */
CORE_GO_ARRAY(size_t, []uint64, *uint64, ndim)
CORE_GO_ARRAY(int, []int32, *int32, found)

/* The trampolines. coreGoCacheCompute and coreGoCacheClock are exported by
 * package capi (callback.go; their prototypes here match _cgo_export.h).
 * They run Go code on the calling thread: get_or_compute calls the compute
 * function on the thread of the Go call, with no lock held; the clock runs
 * under a shard lock, on the thread of whichever Go call needs the time. */
%{
extern int coreGoCacheCompute(uintptr_t user, uintptr_t writer);
extern uint64_t coreGoCacheClock(uintptr_t user);

static core_status core_go_cache_compute(void *user, const core_key_t *key,
                                         core_cache_writer_t *writer) {
  (void)key; /* the Go side knows its key */
  return (core_status)coreGoCacheCompute((uintptr_t)user, (uintptr_t)writer);
}

static uint64_t core_go_cache_clock(void *user) {
  return coreGoCacheClock((uintptr_t)user);
}

/* core_cache_create with the Go clock when clock_handle is not 0 (a
 * cgo.Handle, kept by the cache as its clock_user). The options are copied
 * to C memory first: C writes no function pointer into Go memory. */
static core_status core_go_cache_create(const core_cache_options_t *opts,
                                        uintptr_t clock_handle, core_cache_t **out) {
  core_cache_options_t o;
  if (!opts) return core_cache_create(NULL, out);
  o = *opts;
  o.clock = clock_handle ? core_go_cache_clock : NULL;
  o.clock_user = (void *)clock_handle;
  return core_cache_create(&o, out);
}

/* core_cache_get_or_compute with the Go compute function behind handle (a
 * cgo.Handle of a func(writer uintptr) int32). */
static core_status core_go_cache_get_or_compute(core_cache_t *cache, const core_key_t *key,
                                                uintptr_t handle, float *out, size_t cap,
                                                size_t *n, size_t *shape, size_t *ndim) {
  return core_cache_get_or_compute(cache, key, core_go_cache_compute, (void *)handle, out,
                                   cap, n, shape, ndim);
}
%}

%typemap(gotype) uintptr_t clock_handle, uintptr_t handle "uintptr"
%typemap(in) uintptr_t clock_handle, uintptr_t handle %{ $1 = (uintptr_t)$input; %}
%rename("%s") core_go_cache_create;
%rename("%s") core_go_cache_get_or_compute;
core_status core_go_cache_create(const core_cache_options_t *opts, uintptr_t clock_handle,
                                 core_cache_t **out);
core_status core_go_cache_get_or_compute(core_cache_t *cache, const core_key_t *key,
                                         uintptr_t handle, float *out, size_t cap,
                                         size_t *n, size_t *shape, size_t *ndim);

/* ---- metrics.h -------------------------------------------------------------- */

/* Registries and snapshots are C memory held by Go as uintptr. The
 * recording calls (record_ns, stop, counter_add, gauge_set, gauge_add) take
 * only scalars: one cgo call, no Go allocation on success. */
%typemap(gotype) core_metrics_t *, const core_metrics_t * "uintptr"
%typemap(in) core_metrics_t *, const core_metrics_t * %{ $1 = ($1_ltype)$input; %}
%typemap(gotype) core_metrics_snapshot_t *, const core_metrics_snapshot_t * "uintptr"
%typemap(in) core_metrics_snapshot_t *, const core_metrics_snapshot_t * %{ $1 = ($1_ltype)$input; %}
CORE_GO_ARRAY(core_metrics_t *, []uintptr, *uintptr, out)
CORE_GO_ARRAY(core_metrics_snapshot_t *, []uintptr, *uintptr, out)

/* Options and timer stats: unsafe.Pointer to Go structs of the same layout
 * (core.metricsOptions, core.timerStats; checked at compile time).
 * core_metrics_create is called through core_go_metrics_create, which sets
 * prom_buckets in a C copy of the options: no pointer in Go memory. */
%ignore core_metrics_options_t;
%ignore core_timer_stats_t;
%ignore core_metric_label_t;
%typemap(gotype) core_metrics_options_t *, const core_metrics_options_t * "unsafe.Pointer"
%typemap(in) core_metrics_options_t *, const core_metrics_options_t * %{ $1 = ($1_ltype)$input; %}
%typemap(gotype) core_timer_stats_t * "unsafe.Pointer"
%typemap(in) core_timer_stats_t * %{ $1 = ($1_ltype)$input; %}

%typemap(gotype) core_metrics_format "int"
%typemap(in) core_metrics_format %{ $1 = (core_metrics_format)$input; %}
%typemap(gotype) core_metric_id_t "uint32"
%typemap(in) core_metric_id_t %{ $1 = (core_metric_id_t)$input; %}

CORE_GO_ARRAY(core_metric_id_t, []uint32, *uint32, id)   /* scalar out-parameters */
CORE_GO_ARRAY(core_metric_kind, []int32, *int32, kind)
CORE_GO_ARRAY(uint64_t, []uint64, *uint64, value)
CORE_GO_ARRAY(uint64_t, []uint64, *uint64, value_ns)
CORE_GO_ARRAY(double, []float64, *float64, value)
CORE_GO_ARRAY(char, []byte, *byte, buf)                  /* export */
CORE_GO_ARRAY(size_t, []uint64, *uint64, needed)
CORE_GO_ARRAY(const double, []float64, *float64, buckets)
CORE_GO_ARRAY(const char, []byte, *byte, strs)
/* SWIG's char * typemaps copy a Go string to C and free the copy: these
 * are byte slices passed as is, with nothing to free. */
%typemap(freearg) const char *strs ""
%typemap(freearg) char *buf ""
%typemap(argout) char *buf ""
%typemap(goargout) char *buf ""

%{
/* core_metrics_create with the Prometheus boundaries buckets[0, nbuckets)
 * (none: the default) set in a C copy of the options. */
static core_status core_go_metrics_create(const core_metrics_options_t *opts,
                                          const double *buckets, size_t nbuckets,
                                          core_metrics_t **out) {
  core_metrics_options_t o;
  if (!opts) return core_metrics_create(NULL, out);
  o = *opts;
  o.prom_buckets = nbuckets ? buckets : NULL;
  o.prom_bucket_count = nbuckets;
  return core_metrics_create(&o, out);
}

/* Registration of a metric of `kind` whose strings lie in strs[0, len), each
 * NUL-terminated: the name, the help ("" for the default), then nlabels
 * pairs of label name and value. The label array, an array of pointers that
 * Go memory may not hold, is built here (on the stack up to
 * CORE_METRICS_MAX_LABELS, else malloc'd, so that libcore reports the
 * count). Returns 0 or a captured error, as a core_status result does. */
static long long core_go_metrics_register(core_metrics_t *m, int kind, const char *strs,
                                          size_t len, size_t nlabels, core_metric_id_t *id) {
  core_metric_label_t stack[CORE_METRICS_MAX_LABELS];
  core_metric_label_t *labels = stack;
  const char *p = strs, *end = strs + len, *name, *help;
  size_t i;
  core_status st;
  if (!strs || len == 0 || strs[len - 1] != '\0' || nlabels > SIZE_MAX / 2 / sizeof *labels)
    return core_go_fail_msg(CORE_E_INVALID_ARGUMENT,
                            "core_go_metrics_register: malformed string buffer");
  if (nlabels > CORE_METRICS_MAX_LABELS &&
      !(labels = (core_metric_label_t *)malloc(nlabels * sizeof *labels)))
    return core_go_fail_msg(CORE_E_OUT_OF_MEMORY, "core_go_metrics_register: no memory for the labels");
#define CORE_GO_NEXT(dst)                                                       \
  do {                                                                          \
    if (p >= end) {                                                             \
      if (labels != stack) free(labels);                                        \
      return core_go_fail_msg(CORE_E_INVALID_ARGUMENT,                          \
                              "core_go_metrics_register: malformed string buffer"); \
    }                                                                           \
    dst = p;                                                                    \
    p += strlen(p) + 1;                                                         \
  } while (0)
  CORE_GO_NEXT(name);
  CORE_GO_NEXT(help);
  for (i = 0; i < nlabels; ++i) {
    CORE_GO_NEXT(labels[i].name);
    CORE_GO_NEXT(labels[i].value);
  }
#undef CORE_GO_NEXT
  if (*help == '\0') help = NULL;
  switch (kind) {
  case CORE_METRIC_TIMER:
    st = core_metrics_timer(m, name, help, nlabels ? labels : NULL, nlabels, id);
    break;
  case CORE_METRIC_COUNTER:
    st = core_metrics_counter(m, name, help, nlabels ? labels : NULL, nlabels, id);
    break;
  case CORE_METRIC_GAUGE:
    st = core_metrics_gauge(m, name, help, nlabels ? labels : NULL, nlabels, id);
    break;
  default:
    if (labels != stack) free(labels);
    return core_go_fail_msg(CORE_E_INVALID_ARGUMENT, "core_go_metrics_register: unknown kind");
  }
  if (labels != stack) free(labels);
  return st == CORE_OK ? 0 : core_go_fail(st);
}
%}

%typemap(gotype) int kind "int"
%rename("%s") core_go_metrics_create;
%rename("%s") core_go_metrics_register;
core_status core_go_metrics_create(const core_metrics_options_t *opts, const double *buckets,
                                   size_t nbuckets, core_metrics_t **out);
long long core_go_metrics_register(core_metrics_t *m, int kind, const char *strs, size_t len,
                                   size_t nlabels, core_metric_id_t *id);

/* ---- audio.h ---------------------------------------------------------------- */

/* The analyser, the stream and the detector are C memory held by Go as
 * uintptr; their create functions' out-parameters are []uintptr cells. */
%typemap(gotype) core_logmel_t *, const core_logmel_t * "uintptr"
%typemap(in) core_logmel_t *, const core_logmel_t * %{ $1 = ($1_ltype)$input; %}
%typemap(gotype) core_logmel_stream_t *, const core_logmel_stream_t * "uintptr"
%typemap(in) core_logmel_stream_t *, const core_logmel_stream_t * %{ $1 = ($1_ltype)$input; %}
%typemap(gotype) core_vad_t *, const core_vad_t * "uintptr"
%typemap(in) core_vad_t *, const core_vad_t * %{ $1 = ($1_ltype)$input; %}
CORE_GO_ARRAY(core_logmel_t *, []uintptr, *uintptr, out)
CORE_GO_ARRAY(core_logmel_stream_t *, []uintptr, *uintptr, out)
CORE_GO_ARRAY(core_vad_t *, []uintptr, *uintptr, out)
/* The chunked reader: a uintptr too (core.AudioReader); core_audio_open's
 * out-parameter a []uintptr cell, core_audio_reader_length's counts
 * []uint64 cells. */
%typemap(gotype) core_audio_reader_t *, const core_audio_reader_t * "uintptr"
%typemap(in) core_audio_reader_t *, const core_audio_reader_t * %{ $1 = ($1_ltype)$input; %}
CORE_GO_ARRAY(core_audio_reader_t *, []uintptr, *uintptr, out)
CORE_GO_ARRAY(uint64_t, []uint64, *uint64, total)
CORE_GO_ARRAY(uint64_t, []uint64, *uint64, done)

/* Options, segments and file info: unsafe.Pointer to Go structs of the
 * same layout (core.logMelOptions, core.vadOptions, core.Segment,
 * core.audioInfo; checked at compile time). No SWIG struct wrappers. */
%ignore core_logmel_options_t;
%ignore core_vad_options_t;
%ignore core_segment_t;
%ignore core_audio_info_t;
%typemap(gotype) core_logmel_options_t *, const core_logmel_options_t * "unsafe.Pointer"
%typemap(in) core_logmel_options_t *, const core_logmel_options_t * %{ $1 = ($1_ltype)$input; %}
%typemap(gotype) core_vad_options_t *, const core_vad_options_t * "unsafe.Pointer"
%typemap(in) core_vad_options_t *, const core_vad_options_t * %{ $1 = ($1_ltype)$input; %}
%typemap(gotype) core_segment_t * "unsafe.Pointer"
%typemap(in) core_segment_t * %{ $1 = ($1_ltype)$input; %}
%typemap(gotype) core_audio_info_t * "unsafe.Pointer"
%typemap(in) core_audio_info_t * %{ $1 = ($1_ltype)$input; %}

CORE_GO_ARRAY(size_t, []uint64, *uint64, n_frames)  /* scalar, or one per clip (batch) */
CORE_GO_ARRAY(size_t, []uint64, *uint64, count)     /* filters, vad_segments */
CORE_GO_ARRAY(uint64_t, []uint64, *uint64, start)   /* vad_open_segment */
CORE_GO_ARRAY(const size_t, []uint64, *uint64, caps)
CORE_GO_ARRAY(const size_t, []uint64, *uint64, clip_offs)
CORE_GO_ARRAY(const size_t, []uint64, *uint64, out_offs)

/* core_logmel_compute_batch over clips that all lie in one slice x[0, n),
 * writing into one slice out[0, out_n): clip i is x[clip_offs[i],
 * clip_offs[i] + lens[i]) and its output out[out_offs[i], out_offs[i] +
 * caps[i]) (clip_offs / out_offs NULL: one after the other from the
 * start). The two arrays of pointers that libcore takes are built here, in
 * C memory (on the stack up to 32 clips, else malloc'd): Go may hand C the
 * flat slices, not arrays of pointers into them. The bounds are checked
 * again here (the Go layer checks them first). Returns 0 or a captured
 * error, as a core_status result does. */
%{
static long long core_go_logmel_batch(core_logmel_t *lm, const float *x, size_t n,
                                      const size_t *clip_offs, const size_t *lens,
                                      size_t count, float *out, size_t out_n,
                                      const size_t *out_offs, const size_t *caps,
                                      size_t *n_frames) {
  const float *cstack[32];
  float *ostack[32];
  const float **clips = cstack;
  float **outs = ostack;
  size_t i, off = 0, ooff = 0;
  core_status st;
  if (count > 32) {
    clips = NULL;
    outs = NULL;
    if (count <= SIZE_MAX / sizeof *clips) {
      clips = (const float **)malloc(count * sizeof *clips);
      outs = (float **)malloc(count * sizeof *outs);
    }
    if (!clips || !outs) {
      free((void *)clips);
      free(outs);
      return core_go_fail_msg(CORE_E_OUT_OF_MEMORY,
                              "core_go_logmel_batch: no memory for the array pointers");
    }
  }
  for (i = 0; i < count; ++i) {
    size_t o = clip_offs ? clip_offs[i] : off;
    size_t oo = out_offs ? out_offs[i] : ooff;
    if (o > n || lens[i] > n - o || oo > out_n || caps[i] > out_n - oo) {
      if (clips != cstack) {
        free((void *)clips);
        free(outs);
      }
      return core_go_fail_msg(CORE_E_INVALID_ARGUMENT,
                              "core_go_logmel_batch: a clip or an output lies outside its slice");
    }
    clips[i] = x ? x + o : NULL;
    outs[i] = out ? out + oo : NULL;
    off = o + lens[i];
    ooff = oo + caps[i];
  }
  st = core_logmel_compute_batch(lm, clips, lens, count, outs, caps, n_frames);
  if (clips != cstack) {
    free((void *)clips);
    free(outs);
  }
  return st == CORE_OK ? 0 : core_go_fail(st);
}
%}

%rename("%s") core_go_logmel_batch;
long long core_go_logmel_batch(core_logmel_t *lm, const float *x, size_t n,
                               const size_t *clip_offs, const size_t *lens, size_t count,
                               float *out, size_t out_n, const size_t *out_offs,
                               const size_t *caps, size_t *n_frames);

/* ---- pipeline.h ------------------------------------------------------------- */

/* Pipelines and batchers are C memory held by Go as uintptr. Options,
 * events and stats are unsafe.Pointer to Go structs of the same layout
 * (core.pipelineOptions, core.batcherOptions, core.pipelineEvent,
 * core.PipelineStats; checked at compile time against internal/capi). No
 * C callback reaches Go for the encoder: the Go layer runs without one
 * (CORE_EVENT_NEEDS_ENCODING + core_pipeline_submit_embedding). An event's
 * features / embedding pointers are C pointers that C writes into Go
 * memory typed unsafe.Pointer (as the ring's regions); Go copies the floats
 * before its next call. capi.Core_pipeline_create and
 * capi.Core_batcher_create are generated but not used: the helpers below
 * copy the options to C memory and set their pointer fields there. */
%typemap(gotype) core_pipeline_t *, const core_pipeline_t * "uintptr"
%typemap(in) core_pipeline_t *, const core_pipeline_t * %{ $1 = ($1_ltype)$input; %}
%typemap(gotype) core_batcher_t *, const core_batcher_t * "uintptr"
%typemap(in) core_batcher_t *, const core_batcher_t * %{ $1 = ($1_ltype)$input; %}
CORE_GO_ARRAY(core_pipeline_t *, []uintptr, *uintptr, out)
CORE_GO_ARRAY(core_batcher_t *, []uintptr, *uintptr, out)
/* core_pipeline_metrics returns the registry: a uintptr too. */
%typemap(out) core_metrics_t * %{ $result = $1; %}

%ignore core_pipeline_options_t;
%ignore core_batcher_options_t;
%ignore core_event_t;
%ignore core_pipeline_stats_t;
%typemap(gotype) core_pipeline_options_t *, const core_pipeline_options_t * "unsafe.Pointer"
%typemap(in) core_pipeline_options_t *, const core_pipeline_options_t * %{ $1 = ($1_ltype)$input; %}
%typemap(gotype) core_batcher_options_t *, const core_batcher_options_t * "unsafe.Pointer"
%typemap(in) core_batcher_options_t *, const core_batcher_options_t * %{ $1 = ($1_ltype)$input; %}
%typemap(gotype) core_event_t * "unsafe.Pointer"
%typemap(in) core_event_t * %{ $1 = ($1_ltype)$input; %}
%typemap(gotype) core_pipeline_stats_t * "unsafe.Pointer"
%typemap(in) core_pipeline_stats_t * %{ $1 = ($1_ltype)$input; %}

CORE_GO_ARRAY(const int16_t, []int16, *int16, x)        /* push_i16 */
CORE_GO_ARRAY(const float, []float32, *float32, embedding)
CORE_GO_ARRAY(uint64_t, []uint64, *uint64, ids)         /* batcher_next */
CORE_GO_ARRAY(size_t, []uint64, *uint64, bucket)
CORE_GO_ARRAY(uint64_t, []uint64, *uint64, ns)          /* next_deadline */
CORE_GO_ARRAY(const char, []byte, *byte, prefix)
%typemap(freearg) const char *prefix ""

%{
#include <stddef.h>

/* The batcher's clock: the Go func() uint64 behind the cgo.Handle `user`
 * (nanoseconds), through the cache's clock export of package capi. */
static uint64_t core_go_batcher_clock(void *user) {
  return coreGoCacheClock((uintptr_t)user);
}

/* core_batcher_create from a C copy of the options, with the Go clock when
 * clock_handle is not 0 (a cgo.Handle the batcher keeps as clock_user). */
static core_status core_go_batcher_create(const core_batcher_options_t *opts,
                                          uintptr_t clock_handle, core_batcher_t **out) {
  core_batcher_options_t o;
  if (!opts) return core_batcher_create(NULL, out);
  o = *opts;
  o.clock = clock_handle ? core_go_batcher_clock : NULL;
  o.clock_user = (void *)clock_handle;
  return core_batcher_create(&o, out);
}

/* core_pipeline_create from a C copy of the options, with every pointer
 * field set here: no encoder (NEEDS_ENCODING events), its own cache and
 * registry, the monotonic clocks, and metrics_prefix = prefix (a
 * NUL-terminated Go []byte that libcore copies during the call, or NULL). */
static core_status core_go_pipeline_create(const core_pipeline_options_t *opts,
                                           const char *prefix, core_pipeline_t **out) {
  core_pipeline_options_t o;
  if (!opts) return core_pipeline_create(NULL, out);
  o = *opts;
  o.encoder = NULL;
  o.encoder_user = NULL;
  o.cache = NULL;
  o.cache_options.clock = NULL;
  o.cache_options.clock_user = NULL;
  o.batch.clock = NULL;
  o.batch.clock_user = NULL;
  o.metrics = NULL;
  o.metrics_prefix = prefix;
  if (o.cache_options.struct_size >= offsetof(core_cache_options_t, metrics_prefix) +
                                         sizeof o.cache_options.metrics_prefix) {
    o.cache_options.metrics = NULL;
    o.cache_options.metrics_prefix = NULL;
  }
  return core_pipeline_create(&o, out);
}
%}

%rename("%s") core_go_batcher_create;
%rename("%s") core_go_pipeline_create;
core_status core_go_batcher_create(const core_batcher_options_t *opts, uintptr_t clock_handle,
                                   core_batcher_t **out);
core_status core_go_pipeline_create(const core_pipeline_options_t *opts, const char *prefix,
                                    core_pipeline_t **out);

/* ---- collection.h ---------------------------------------------------------- */

/* core_collection_options_t * is unsafe.Pointer to core.collectionOptions
 * (same layout, checked at compile time; its metrics field stays 0) and
 * core_file_summary_t is C-only (core_collection_run and
 * core_file_summary_json are not wrapped: bindings/collection_shim.h keeps
 * the records). The shim's collection is C memory held as a uintptr by
 * core.RunCollection for the length of one call. */
%ignore core_collection_options_t;
%ignore core_file_summary_t;
%typemap(gotype) core_collection_options_t *, const core_collection_options_t * "unsafe.Pointer"
%typemap(in) core_collection_options_t *, const core_collection_options_t * %{ $1 = ($1_ltype)$input; %}
%typemap(gotype) corebind_collection *, const corebind_collection * "uintptr"
%typemap(in) corebind_collection *, const corebind_collection * %{ $1 = ($1_ltype)$input; %}
%typemap(out) corebind_collection * %{ $result = $1; %}
/* corebind_collection_add's output: the Go string "" is NULL (no .npy for
 * that file), any other a C copy as SWIG's char * typemap makes it. */
%typemap(in) const char *output %{
  if ($input.n == 0) {
    $1 = NULL;
  } else {
    $1 = ($1_ltype)malloc($input.n + 1);
    memcpy((char *)$1, $input.p, $input.n);
    ((char *)$1)[$input.n] = '\0';
  }
%}
%typemap(freearg) const char *output %{ free((char *)$1); %}

/* ---- Go-only helpers ------------------------------------------------------- */

/* capi.Core_concat_f32/_f64 are generated (they are whitelisted) but cannot
 * be called legally from Go: their parts argument is an array of pointers.
 * Package core uses these one-part helpers instead. */
%{
#define CORE_GO_CONCAT_PART(T, SFX)                                             \
  static core_status core_go_concat_part_##SFX(const T *x, size_t n, T *out,    \
                                               size_t cap, size_t *written) {   \
    const T *parts[1] = {x};                                                    \
    size_t lens[1] = {n};                                                       \
    return core_concat_##SFX(parts, lens, 1, out, cap, written);                \
  }
CORE_GO_CONCAT_PART(float, f32)
CORE_GO_CONCAT_PART(double, f64)
%}

/* core_batch_stats_f32/_f64 over arrays that all lie in one slice x[0, n):
 * array i is x[offs[i], offs[i] + lens[i]), or, with offs NULL, the arrays
 * follow each other from x[0]. The pointer array that libcore takes is built
 * here, in C memory (on the stack up to 64 arrays, else malloc'd): Go may
 * hand C the flat slice, not an array of pointers into it. The bounds are
 * checked again here (the Go layer checks them first, with its own names).
 * Returns 0 or a captured error, as a core_status result does. */
%{
#define CORE_GO_BATCH(T, SFX)                                                      \
  static long long core_go_batch_##SFX(const T *x, size_t n, const size_t *offs,    \
                                       const size_t *lens, size_t count,            \
                                       core_nan_policy nan, core_stats_t *out) {     \
    const T *stack[64];                                                              \
    const T **parts = stack;                                                         \
    size_t i, off = 0;                                                               \
    core_status st;                                                                  \
    if (count > 64) {                                                                \
      if (count > SIZE_MAX / sizeof *parts ||                                        \
          !(parts = (const T **)malloc(count * sizeof *parts)))                      \
        return core_go_fail_msg(CORE_E_OUT_OF_MEMORY,                                \
                                "core_go_batch_" #SFX ": no memory for the array pointers"); \
    }                                                                                \
    for (i = 0; i < count; ++i) {                                                    \
      size_t o = offs ? offs[i] : off;                                               \
      if (o > n || lens[i] > n - o) {                                                \
        if (parts != stack) free((void *)parts);                                     \
        return core_go_fail_msg(CORE_E_INVALID_ARGUMENT,                             \
                                "core_go_batch_" #SFX ": an array lies outside the flat slice"); \
      }                                                                              \
      parts[i] = x ? x + o : NULL;                                                   \
      off = o + lens[i];                                                             \
    }                                                                                \
    st = core_batch_stats_##SFX(parts, lens, count, nan, out);                       \
    if (parts != stack) free((void *)parts);                                         \
    return st == CORE_OK ? 0 : core_go_fail(st);                                     \
  }
CORE_GO_BATCH(float, f32)
CORE_GO_BATCH(double, f64)
%}

CORE_GO_ARRAY(const size_t, []uint64, *uint64, offs)
%rename("%s") core_go_batch_f32;
%rename("%s") core_go_batch_f64;
long long core_go_batch_f32(const float *x, size_t n, const size_t *offs, const size_t *lens,
                            size_t count, core_nan_policy nan, core_stats_t *out);
long long core_go_batch_f64(const double *x, size_t n, const size_t *offs, const size_t *lens,
                            size_t count, core_nan_policy nan, core_stats_t *out);

%rename("%s") core_go_error_status;
%rename("%s") core_go_error_message;
%rename("%s") core_go_error_free;
%rename("%s") core_go_concat_part_f32;
%rename("%s") core_go_concat_part_f64;
%typemap(out) core_status core_go_error_status %{ $result = $1; %}

core_status core_go_error_status(long long r);
const char *core_go_error_message(long long r);
void core_go_error_free(long long r);
core_status core_go_concat_part_f32(const float *x, size_t n, float *out, size_t cap,
                                    size_t *written);
core_status core_go_concat_part_f64(const double *x, size_t n, double *out, size_t cap,
                                    size_t *written);
