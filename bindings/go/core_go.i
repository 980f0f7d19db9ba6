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

/* core_stats_t: unsafe.Pointer to core.Summary (same layout). */
%ignore core_stats_t;
%typemap(gotype) core_stats_t *, const core_stats_t * "unsafe.Pointer"
%typemap(in) core_stats_t *, const core_stats_t * %{ $1 = ($1_ltype)$input; %}

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
