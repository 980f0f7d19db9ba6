// The one place where C++ meets the C ABI: argument checks that set the
// thread-local message, and the catch-all that turns exceptions into codes.
//
// Every extern "C" entry point has the shape
//     core_status core_x(...) {
//       CORE_ABI_BEGIN("core_x")
//       CORE_REQUIRE(cond, "x is NULL but n = %zu", n);
//       ... compute ...
//       return CORE_OK;
//       CORE_ABI_END
//     }
// so the message always starts with the public function's name.
#ifndef LIBCORE_ABI_GUARD_H
#define LIBCORE_ABI_GUARD_H

#include <core/core.h>

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <cstddef>
#include <exception>
#include <new>

#include "libcore/runtime/error.h"

namespace core {
namespace abi {

// Records "<fn>: <detail>" for this thread and returns status.
inline core_status fail(core_status status, const char *fn, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
inline core_status fail(core_status status, const char *fn, const char *fmt, ...) {
  char detail[400];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(detail, sizeof detail, fmt, args);
  va_end(args);
  set_last_error("%s: %s", fn, detail);
  return status;
}

// The status for an exception escaping the computation (never expected:
// libcore's kernels do not throw, but allocation inside oneTBB can).
inline core_status translate_exception(const char *fn) {
  try {
    throw;
  } catch (const std::bad_alloc &) {
    return fail(CORE_E_OUT_OF_MEMORY, fn, "out of memory");
  } catch (const std::exception &e) {
    return fail(CORE_E_INTERNAL, fn, "internal error: %s", e.what());
  } catch (...) {
    return fail(CORE_E_INTERNAL, fn, "internal error: unknown exception");
  }
}

// The most elements an array of T can have: its byte size must fit in
// ptrdiff_t, as every object's does (malloc refuses more). A length beyond
// that is a caller's error, never memory to read: its byte size overflows
// (SIZE_MAX / sizeof(T) + 1 elements wrap around to a small byte count) or
// runs far past any buffer. void arrays count bytes.
template <class T>
struct elem_size {
  static constexpr std::size_t value = sizeof(T);
};
template <>
struct elem_size<void> {
  static constexpr std::size_t value = 1;
};
template <class T>
constexpr std::size_t max_count(const T *) noexcept {
  return static_cast<std::size_t>(PTRDIFF_MAX) / elem_size<T>::value;
}

// True when [a, a + an) and [b, b + bn) share a byte.
inline bool overlaps(const void *a, std::size_t an, const void *b, std::size_t bn) {
  const auto pa = reinterpret_cast<std::uintptr_t>(a), pb = reinterpret_cast<std::uintptr_t>(b);
  return an != 0 && bn != 0 && pa < pb + bn && pb < pa + an;
}

// core.h promises that a successful call leaves the thread's message as it
// was. An entry point built on other public functions (the pipeline calls
// core_cache_get, core_ring_pop, core_vad_next_segment, ...) sees those fail
// in normal operation (a cache miss, an empty ring), and each failure
// writes the message. Such an entry point keeps the caller's message here
// and puts it back when it succeeds.
class KeepMessage {
 public:
  KeepMessage() { std::snprintf(saved_, sizeof saved_, "%s", last_error()); }
  void restore() const { set_last_error("%s", saved_); }

 private:
  char saved_[512];  // the size of the thread's buffer (runtime/error.cpp)
};

}  // namespace abi
}  // namespace core

#define CORE_ABI_BEGIN(name) \
  static const char *const core_abi_fn_ = name; \
  try {
#define CORE_ABI_END \
  }                  \
  catch (...) {      \
    return ::core::abi::translate_exception(core_abi_fn_); \
  }

// A whole entry point whose body is one call: name it once, catch
// everything, delegate (the callee reads the name from core_abi_fn_).
#define CORE_ENTRY(name, call) \
  {                            \
    CORE_ABI_BEGIN(#name)      \
    return call;               \
    CORE_ABI_END               \
  }

// Fails with `status` and a message unless cond holds.
#define CORE_CHECK(cond, status, ...)                                 \
  do {                                                                \
    if (!(cond)) return ::core::abi::fail(status, core_abi_fn_, __VA_ARGS__); \
  } while (0)
#define CORE_REQUIRE(cond, ...) CORE_CHECK(cond, CORE_E_INVALID_ARGUMENT, __VA_ARGS__)

// The common array checks. CORE_REQUIRE_COUNT: n elements of *ptr fit in
// memory (max_count above); checked before anything reads or writes the
// array, so a huge length is refused instead of read. CORE_REQUIRE_ARRAY
// adds: ptr may be NULL only when n is 0.
#define CORE_REQUIRE_COUNT(ptr, n)                                                      \
  CORE_REQUIRE((size_t)(n) <= ::core::abi::max_count(ptr),                              \
               "%s has length %zu, more elements than memory can hold (its byte size "  \
               "overflows)",                                                            \
               #ptr, (size_t)(n))
#define CORE_REQUIRE_ARRAY(ptr, n)                                                      \
  do {                                                                                  \
    CORE_REQUIRE((ptr) != nullptr || (n) == 0, "%s is NULL but its length is %zu", #ptr, \
                 (size_t)(n));                                                          \
    CORE_REQUIRE_COUNT(ptr, n);                                                         \
  } while (0)
#define CORE_REQUIRE_OUT(ptr) CORE_REQUIRE((ptr) != nullptr, "%s is NULL", #ptr)
#define CORE_REQUIRE_NAN_POLICY(p)                                                  \
  CORE_REQUIRE((p) == CORE_NAN_PROPAGATE || (p) == CORE_NAN_OMIT,                   \
               "nan policy must be CORE_NAN_PROPAGATE (0) or CORE_NAN_OMIT (1), got %d", \
               (int)(p))

// Options structs grow by appending fields, and struct_size tells which
// layout the caller compiled against (`init` fills it). Accepts exactly the
// layouts v1 and v2 of `type` and copies the caller's bytes into `copy`, value-initialized
// first, so the fields an older layout lacks read as zero (their defaults).
// `opts` then points at the copy: only the caller's layout is ever read.
#define CORE_READ_OPTIONS(opts, copy, type, init, v1, v2)                                    \
  do {                                                                                   \
    CORE_REQUIRE((opts)->struct_size >= (v1),                                            \
                 "opts->struct_size is %zu, smaller than any " #type " layout (%zu); "  \
                 "fill the options with " #init,                                          \
                 (opts)->struct_size, (size_t)(v1));                                     \
    CORE_CHECK((opts)->struct_size <= (v2), CORE_E_UNSUPPORTED,                          \
               "opts->struct_size is %zu: options from a newer libcore than this one "   \
               "(%s, layouts %zu and %zu)",                                              \
               (opts)->struct_size, core_version(), (size_t)(v1), (size_t)(v2));         \
    CORE_REQUIRE((opts)->struct_size == (v1) || (opts)->struct_size == (v2),             \
                 "opts->struct_size is %zu, not a " #type " layout (%zu or %zu); "       \
                 "fill the options with " #init,                                          \
                 (opts)->struct_size, (size_t)(v1), (size_t)(v2));                       \
    copy = type{};                                                                       \
    std::memcpy(&(copy), (opts), (opts)->struct_size);                                   \
    (opts) = &(copy);                                                                    \
  } while (0)

// A nested options struct (the VAD's inside the pipeline's, ...) is
// embedded at its current layout: any other struct_size means the outer
// struct was not filled by its init function. o is the outer copy.
#define CORE_REQUIRE_NESTED_OPTIONS(o, field, type, init)                                 \
  CORE_REQUIRE((o).field.struct_size == sizeof(type),                                     \
               "opts->" #field ".struct_size is %zu, not sizeof(" #type ") (%zu); fill "  \
               "the options with " #init,                                                 \
               (o).field.struct_size, sizeof(type))

#endif
