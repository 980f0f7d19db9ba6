// extern "C" entry points of ring.h: argument checks and messages, then the
// module (libcore/ring/). The hot calls (append, pop, consume) cost a few
// compares (NULLs, a magic number on a line the module reads anyway) and
// keep their messages out of line; repeated identical failures, the
// polling case, skip re-formatting their message (fail_memo).
#include <core/ring.h>

#include <cstdint>
#include <cstring>

#include "libcore/abi/guard.h"
#include "libcore/ring/ring.h"

namespace {

using core::ring::Ring;

// The one cast between the opaque handle and the module's type.
Ring *unwrap(core_ring_t *r) noexcept { return reinterpret_cast<Ring *>(r); }
const Ring *unwrap(const core_ring_t *r) noexcept { return reinterpret_cast<const Ring *>(r); }
core_ring_t *wrap(Ring *r) { return reinterpret_cast<core_ring_t *>(r); }

// A live handle, or nullptr (for the queries, which return 0 then).
const Ring *live(const core_ring_t *ring) noexcept {
  const Ring *r = unwrap(ring);
  return r != nullptr && r->magic == core::ring::kMagic ? r : nullptr;
}

// The layouts of core_ring_options_t a caller may have: the first one
// (before metrics and metrics_prefix) and the current one.
constexpr std::size_t kOptionsV1 = CORE_RING_OPTIONS_V1_SIZE;
constexpr std::size_t kOptionsV2 = sizeof(core_ring_options_t);

}  // namespace

// Checks `ring` and binds `r` to the module's ring.
#define CORE_REQUIRE_RING(ring)                                                             \
  CORE_REQUIRE((ring) != nullptr, "ring is NULL");                                          \
  CORE_REQUIRE(unwrap(ring)->magic == core::ring::kMagic,                                   \
               "ring is not a live core_ring_t (already destroyed?)");                      \
  Ring &r = *unwrap(ring)

namespace {

// The hot error path. A consumer polling an empty ring or a producer
// retrying a full one fails the same way again and again, and formatting
// the message costs ~250 ns a time, more than a successful 1024-sample
// append. So the last message a thread wrote here is remembered with its
// inputs; an identical failure, while the thread's error buffer still holds
// that text (no other libcore call failed since), leaves it as it is.
struct LastFailure {
  const char *fn = nullptr, *fmt = nullptr;
  unsigned long long key[3] = {0, 0, 0};
  core_status status = CORE_OK;
  char text[200] = "";
};
thread_local LastFailure tls_last;

// fail() with the message formatted from fmt and args, unless this thread's
// last failure here had the same function, fmt, status and key (the values
// the message is made of) and its text is still the current error.
template <class... Args>
core_status fail_memo(core_status st, const char *fn, unsigned long long k0,
                      unsigned long long k1, unsigned long long k2, const char *fmt,
                      Args... args) noexcept {
  LastFailure &l = tls_last;
  if (l.fn == fn && l.fmt == fmt && l.status == st && l.key[0] == k0 && l.key[1] == k1 &&
      l.key[2] == k2 && std::strcmp(core::last_error(), l.text) == 0)
    return st;
  core::abi::fail(st, fn, fmt, args...);
  l.fn = fn, l.fmt = fmt, l.status = st, l.key[0] = k0, l.key[1] = k1, l.key[2] = k2;
  std::strncpy(l.text, core::last_error(), sizeof l.text - 1);
  l.text[sizeof l.text - 1] = '\0';
  return st;
}

// The hot calls (append, pop, consume) test their arguments inline and
// leave the messages to the out-of-line *_failed functions below, which
// test again to say what was wrong, or describe the failure of valid
// arguments. Everything on these paths is noexcept, so their entry points
// need no CORE_ABI_BEGIN/END (there is nothing to catch) and can end in a
// tail call; the fast path then saves two registers, not six.
bool live_ring(const core_ring_t *ring) noexcept { return live(ring) != nullptr; }

// `xname` is the public name of the samples argument (x, or pcm for
// append_i16), for the messages.
template <class T>
[[gnu::noinline, gnu::cold]] core_status append_failed(const char *fn, const char *xname,
                                                       core_ring_t *ring, const T *x, size_t n,
                                                       core_status st) noexcept {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_RING(ring);
  CORE_REQUIRE(x != nullptr || n == 0, "%s is NULL but its length is %zu", xname, n);
  CORE_REQUIRE(n <= core::abi::max_count(x),
               "%s has length %zu, more elements than memory can hold (its byte size "
               "overflows)",
               xname, n);
  const unsigned long long cap = r.cap;
  if (n > cap)
    return fail_memo(st, fn, n, cap, 0, "n = %zu exceeds the capacity %llu: it can never fit", n,
                     cap);
  // From the producer's own view (its tail and the head it just loaded), so
  // a producer retrying a full ring adds no load on the consumer's line.
  const unsigned long long free_now =
      r.cap - (r.tail.load(std::memory_order_relaxed) - r.head_cache);
  return fail_memo(st, fn, n, cap, free_now,
                   "n = %zu does not fit: %llu of %llu free (nothing written)", n, free_now, cap);
}

template <class T>
core_status append(const char *fn, const char *xname, core_ring_t *ring, const T *x,
                   size_t n) noexcept {
  Ring *r = unwrap(ring);
  // A length no array can have is refused before the copy: under OVERWRITE
  // the last `capacity` samples of x, at x + n - capacity, would be read.
  if (r == nullptr || r->magic != core::ring::kMagic || (x == nullptr && n != 0) ||
      n > core::abi::max_count(x))
    return append_failed(fn, xname, ring, x, n, CORE_E_INVALID_ARGUMENT);
  if (n == 0) return CORE_OK;
  if (r->policy == CORE_RING_OVERWRITE) return core::ring::append_overwrite(*r, x, n);
  if (n > r->cap || !core::ring::append_reject(*r, x, n))
    return append_failed(fn, xname, ring, x, n, CORE_E_FULL);
  if (__builtin_expect(r->pub_appended != nullptr, 0)) core::ring::publish_append(*r, n);
  return CORE_OK;
}

// The message for a read of n samples that found only `avail`.
core_status empty(const char *fn, const Ring &r, size_t n, std::uint64_t avail,
                  const char *what) noexcept {
  // `what` is one of two literals: its address is a fine key.
  const auto w = static_cast<unsigned long long>(reinterpret_cast<std::uintptr_t>(what));
  const unsigned long long cap = r.cap, a = avail;
  if (n > cap)
    return fail_memo(CORE_E_EMPTY, fn, n, cap, w,
                     "n = %zu exceeds the capacity %llu: never readable (nothing %s)", n, cap,
                     what);
  return fail_memo(CORE_E_EMPTY, fn, n, a, w, "n = %zu but only %llu readable (nothing %s)", n,
                   a, what);
}

[[gnu::noinline, gnu::cold]] core_status consume_failed(core_ring_t *ring, size_t n,
                                                        std::uint64_t avail) noexcept {
  const char *const core_abi_fn_ = "core_ring_consume";
  CORE_REQUIRE_RING(ring);
  return empty(core_abi_fn_, r, n, avail, "consumed");
}

[[gnu::noinline, gnu::cold]] core_status pop_failed(core_ring_t *ring, float *out, size_t n,
                                                    size_t *got) noexcept {
  const char *const core_abi_fn_ = "core_ring_pop";
  CORE_REQUIRE_RING(ring);
  CORE_REQUIRE_OUT(got);
  CORE_REQUIRE_ARRAY(out, n);
  (void)r;
  return fail_memo(CORE_E_EMPTY, core_abi_fn_, n, 0, 0, "the ring is empty (asked for %zu)", n);
}

[[gnu::noinline]] core_status pop_overwrite(core_ring_t *ring, float *out, size_t n,
                                            size_t *got) noexcept {
  if (core::ring::pop_overwrite(*unwrap(ring), out, n, got) == CORE_OK) return CORE_OK;
  return pop_failed(ring, out, n, got);
}

[[gnu::noinline]] core_status consume_overwrite(core_ring_t *ring, size_t n) noexcept {
  std::uint64_t avail = 0;
  if (core::ring::consume_overwrite(*unwrap(ring), n, &avail) == CORE_OK) return CORE_OK;
  return consume_failed(ring, n, avail);
}

}  // namespace

extern "C" {

CORE_API core_status core_ring_options_init(core_ring_options_t *opts) {
  CORE_ABI_BEGIN("core_ring_options_init")
  CORE_REQUIRE_OUT(opts);
  *opts = core_ring_options_t{};
  opts->struct_size = kOptionsV2;
  opts->capacity = 0;
  opts->policy = CORE_RING_REJECT;
  opts->mirror = CORE_RING_MIRROR_OFF;
  opts->metrics = nullptr;
  opts->metrics_prefix = nullptr;
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_ring_create(const core_ring_options_t *opts, core_ring_t **out) {
  CORE_ABI_BEGIN("core_ring_create")
  CORE_REQUIRE_OUT(opts);
  CORE_REQUIRE_OUT(out);
  core_ring_options_t o;
  CORE_READ_OPTIONS(opts, o, core_ring_options_t, core_ring_options_init, kOptionsV1,
                    kOptionsV2);
  CORE_REQUIRE(opts->capacity > 0, "capacity must be > 0, got 0");
  CORE_REQUIRE(opts->capacity <= CORE_RING_MAX_CAPACITY,
               "capacity %zu exceeds CORE_RING_MAX_CAPACITY (%zu samples)", opts->capacity,
               (size_t)CORE_RING_MAX_CAPACITY);
  // A C caller can store any int in the enum field; in C++ loading an
  // out-of-range value as the enum type is undefined, so read it as int.
  int policy = 0;
  static_assert(sizeof policy == sizeof opts->policy, "core_ring_policy is an int");
  std::memcpy(&policy, &opts->policy, sizeof policy);
  CORE_REQUIRE(policy == CORE_RING_REJECT || policy == CORE_RING_OVERWRITE,
               "policy must be CORE_RING_REJECT (0) or CORE_RING_OVERWRITE (1), got %d",
               policy);
  CORE_REQUIRE(opts->mirror >= CORE_RING_MIRROR_OFF && opts->mirror <= CORE_RING_MIRROR_REQUIRE,
               "mirror must be CORE_RING_MIRROR_OFF (0), _ON (1) or _REQUIRE (2), got %d",
               opts->mirror);
  Ring *r = nullptr;
  core::ring::MapError why = core::ring::MapError::kNone;
  const core_status st = core::ring::create(*opts, &r, &why);
  if (st == CORE_E_UNSUPPORTED)
    return core::abi::fail(st, core_abi_fn_,
                           "the mirror is not possible here (memfd_create or mmap failed) and "
                           "CORE_RING_MIRROR_REQUIRE was asked");
  if (st != CORE_OK)
    return core::abi::fail(st, core_abi_fn_, "cannot allocate a ring of %zu samples",
                           opts->capacity);
  if (opts->metrics != nullptr) {
    char msg[400];
    core_status pst;
    try {
      pst = core::ring::publish_register(*opts, *r, msg, sizeof msg);
    } catch (...) {
      core::ring::destroy(r);
      throw;  // CORE_ABI_END reports it
    }
    if (pst != CORE_OK) {
      core::ring::destroy(r);
      return core::abi::fail(pst, core_abi_fn_, "%s", msg);
    }
  }
  *out = wrap(r);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API void core_ring_destroy(core_ring_t *ring) {
  if (ring != nullptr) core::ring::destroy(unwrap(ring));
}

// ---- producer ----------------------------------------------------------------

// (noexcept throughout: no CORE_ABI_BEGIN/END, see append above)
CORE_API core_status core_ring_append_f32(core_ring_t *ring, const float *x, size_t n) {
  return append("core_ring_append_f32", "x", ring, x, n);
}

CORE_API core_status core_ring_append_i16(core_ring_t *ring, const int16_t *pcm, size_t n) {
  return append("core_ring_append_i16", "pcm", ring, pcm, n);
}

CORE_API core_status core_ring_wait_writable(core_ring_t *ring, size_t n, int timeout_ms) {
  CORE_ABI_BEGIN("core_ring_wait_writable")
  CORE_REQUIRE_RING(ring);
  CORE_REQUIRE(n <= r.cap, "n = %zu exceeds the capacity %llu: the wait could never end", n,
               (unsigned long long)r.cap);
  const core_status st = core::ring::wait_writable(r, n, timeout_ms);
  if (st != CORE_OK)
    return core::abi::fail(st, core_abi_fn_, "timed out after %d ms: %llu of %zu samples free",
                           timeout_ms, (unsigned long long)core::ring::space(r), n);
  return CORE_OK;
  CORE_ABI_END
}

// ---- consumer ----------------------------------------------------------------

CORE_API core_status core_ring_read(core_ring_t *ring, float *out, size_t n) {
  CORE_ABI_BEGIN("core_ring_read")
  CORE_REQUIRE_RING(ring);
  CORE_REQUIRE_ARRAY(out, n);
  std::uint64_t avail = 0;
  if (core::ring::read(r, out, n, &avail) != CORE_OK)
    return empty(core_abi_fn_, r, n, avail, "copied");
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_ring_read_all(core_ring_t *ring, float *out, size_t cap, size_t *n) {
  CORE_ABI_BEGIN("core_ring_read_all")
  CORE_REQUIRE_RING(ring);
  CORE_REQUIRE_OUT(n);
  CORE_REQUIRE_ARRAY(out, cap);
  size_t got = 0;
  const core_status st = core::ring::read_all(r, out, cap, &got);
  *n = got;
  if (st != CORE_OK)
    return core::abi::fail(st, core_abi_fn_,
                           "cap is %zu but %zu samples are readable (nothing copied)", cap, got);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_ring_read_latest(core_ring_t *ring, float *out, size_t n) {
  CORE_ABI_BEGIN("core_ring_read_latest")
  CORE_REQUIRE_RING(ring);
  CORE_REQUIRE_ARRAY(out, n);
  std::uint64_t avail = 0;
  if (core::ring::read_latest(r, out, n, &avail) != CORE_OK)
    return empty(core_abi_fn_, r, n, avail, "copied");
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_ring_regions(core_ring_t *ring, const float **p1, size_t *n1,
                                       const float **p2, size_t *n2) {
  CORE_ABI_BEGIN("core_ring_regions")
  CORE_REQUIRE_RING(ring);
  CORE_REQUIRE_OUT(p1);
  CORE_REQUIRE_OUT(n1);
  CORE_REQUIRE_OUT(p2);
  CORE_REQUIRE_OUT(n2);
  return core::ring::regions(r, p1, n1, p2, n2);
  CORE_ABI_END
}

// (noexcept throughout: no CORE_ABI_BEGIN/END, see append above)
CORE_API core_status core_ring_consume(core_ring_t *ring, size_t n) {
  if (!live_ring(ring)) return consume_failed(ring, n, 0);
  Ring &r = *unwrap(ring);
  if (r.policy == CORE_RING_OVERWRITE) return consume_overwrite(ring, n);
  std::uint64_t avail = 0;
  return core::ring::consume_reject(r, n, &avail) ? CORE_OK : consume_failed(ring, n, avail);
}

CORE_API core_status core_ring_pop(core_ring_t *ring, float *out, size_t n, size_t *got) {
  // (n beyond any array: refused like a NULL out, by pop_failed's checks)
  if (!live_ring(ring) || got == nullptr || (out == nullptr && n != 0) ||
      n > core::abi::max_count(out))
    return pop_failed(ring, out, n, got);
  Ring &r = *unwrap(ring);
  if (r.policy == CORE_RING_OVERWRITE) return pop_overwrite(ring, out, n, got);
  if (core::ring::pop_reject(r, out, n, got) != 0 || n == 0) return CORE_OK;
  return pop_failed(ring, out, n, got);
}

CORE_API core_status core_ring_clear(core_ring_t *ring) {
  CORE_ABI_BEGIN("core_ring_clear")
  CORE_REQUIRE_RING(ring);
  core::ring::clear(r);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_ring_wait_readable(core_ring_t *ring, size_t n, int timeout_ms) {
  CORE_ABI_BEGIN("core_ring_wait_readable")
  CORE_REQUIRE_RING(ring);
  CORE_REQUIRE(n <= r.cap, "n = %zu exceeds the capacity %llu: the wait could never end", n,
               (unsigned long long)r.cap);
  const core_status st = core::ring::wait_readable(r, n, timeout_ms);
  if (st != CORE_OK)
    return core::abi::fail(st, core_abi_fn_, "timed out after %d ms: %llu of %zu samples readable",
                           timeout_ms, (unsigned long long)core::ring::size(r), n);
  return CORE_OK;
  CORE_ABI_END
}

// ---- queries -----------------------------------------------------------------

CORE_API size_t core_ring_size(const core_ring_t *ring) {
  const Ring *r = live(ring);
  return r != nullptr ? static_cast<size_t>(core::ring::size(*r)) : 0;
}

CORE_API size_t core_ring_space(const core_ring_t *ring) {
  const Ring *r = live(ring);
  return r != nullptr ? static_cast<size_t>(core::ring::space(*r)) : 0;
}

CORE_API size_t core_ring_capacity(const core_ring_t *ring) {
  const Ring *r = live(ring);
  return r != nullptr ? static_cast<size_t>(r->cap) : 0;
}

CORE_API uint64_t core_ring_dropped(const core_ring_t *ring) {
  const Ring *r = live(ring);
  return r != nullptr ? r->dropped.load(std::memory_order_relaxed) : 0;
}

CORE_API int core_ring_is_mirrored(const core_ring_t *ring) {
  const Ring *r = live(ring);
  return r != nullptr && r->mirrored ? 1 : 0;
}

CORE_API core_ring_policy core_ring_get_policy(const core_ring_t *ring) {
  const Ring *r = live(ring);
  return r != nullptr ? r->policy : CORE_RING_REJECT;
}

}  // extern "C"
