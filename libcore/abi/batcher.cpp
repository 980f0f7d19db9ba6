// extern "C" entry points of the batcher (pipeline.h, "the batcher"):
// argument checks and messages, then libcore/pipeline/batcher.h.
#include <core/pipeline.h>

#include <cstdint>
#include <new>

#include "libcore/abi/guard.h"
#include "libcore/pipeline/batcher.h"

namespace {

using core::pipeline::Batcher;

constexpr std::uint32_t kMagic = 0x42415443;  // "BATC"

// What a core_batcher_t points at.
struct Handle {
  std::uint32_t magic = kMagic;
  Batcher batcher;
  explicit Handle(const Batcher::Options &o) : batcher(o) {}
};

// The one cast between the opaque handle and the module's type.
Handle *unwrap(core_batcher_t *b) noexcept { return reinterpret_cast<Handle *>(b); }
const Handle *unwrap(const core_batcher_t *b) noexcept {
  return reinterpret_cast<const Handle *>(b);
}
core_batcher_t *wrap(Handle *h) noexcept { return reinterpret_cast<core_batcher_t *>(h); }

// One layout so far.
constexpr std::size_t kOptionsV1 = sizeof(core_batcher_options_t);

}  // namespace

// Checks `b` and binds `bt` to the module's batcher.
#define CORE_REQUIRE_BATCHER(b)                                                          \
  CORE_REQUIRE((b) != nullptr, "b is NULL");                                             \
  CORE_REQUIRE(unwrap(b)->magic == kMagic,                                               \
               "b is not a live core_batcher_t (already destroyed?)");                   \
  auto &bt = unwrap(b)->batcher

extern "C" {

CORE_API core_status core_batcher_options_init(core_batcher_options_t *opts) {
  CORE_ABI_BEGIN("core_batcher_options_init")
  CORE_REQUIRE_OUT(opts);
  *opts = core_batcher_options_t{};
  opts->struct_size = kOptionsV1;
  opts->max_batch = 8;
  opts->max_delay_ms = 50;
  opts->n_buckets = 0;
  opts->clock = nullptr;
  opts->clock_user = nullptr;
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_batcher_create(const core_batcher_options_t *opts,
                                         core_batcher_t **out) {
  CORE_ABI_BEGIN("core_batcher_create")
  CORE_REQUIRE_OUT(opts);
  CORE_REQUIRE_OUT(out);
  core_batcher_options_t o;
  CORE_READ_OPTIONS(opts, o, core_batcher_options_t, core_batcher_options_init, kOptionsV1,
                    kOptionsV1);
  Batcher::Options bo{};
  char why[300];
  CORE_REQUIRE(core::pipeline::batcher_options_from(*opts, &bo, why, sizeof why), "%s", why);
  *out = wrap(new Handle(bo));
  return CORE_OK;
  CORE_ABI_END
}

CORE_API void core_batcher_destroy(core_batcher_t *b) {
  if (b == nullptr) return;
  Handle *h = unwrap(b);
  h->magic = 0;
  delete h;
}

CORE_API core_status core_batcher_add(core_batcher_t *b, uint64_t id, uint64_t length) {
  CORE_ABI_BEGIN("core_batcher_add")
  CORE_REQUIRE_BATCHER(b);
  bt.add(id, length);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_batcher_next(core_batcher_t *b, uint64_t *ids, size_t cap,
                                       size_t *count, size_t *bucket) {
  CORE_ABI_BEGIN("core_batcher_next")
  CORE_REQUIRE_BATCHER(b);
  CORE_REQUIRE_OUT(ids);
  CORE_REQUIRE_COUNT(ids, cap);  // a capacity no buffer can have
  CORE_REQUIRE_OUT(count);
  CORE_REQUIRE(cap >= bt.max_batch(), "cap is %zu, below max_batch (%zu)", cap,
               bt.max_batch());
  std::size_t n = 0, k = 0;
  if (!bt.next(ids, &n, &k))
    return core::abi::fail(CORE_E_EMPTY, core_abi_fn_, "no batch is due (%zu items waiting)",
                           bt.pending());
  *count = n;
  if (bucket != nullptr) *bucket = k;
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_batcher_flush(core_batcher_t *b) {
  CORE_ABI_BEGIN("core_batcher_flush")
  CORE_REQUIRE_BATCHER(b);
  bt.flush();
  return CORE_OK;
  CORE_ABI_END
}

CORE_API size_t core_batcher_pending(const core_batcher_t *b) {
  const Handle *h = unwrap(b);
  return h != nullptr && h->magic == kMagic ? h->batcher.pending() : 0;
}

CORE_API core_status core_batcher_next_deadline(const core_batcher_t *b, uint64_t *ns) {
  CORE_ABI_BEGIN("core_batcher_next_deadline")
  CORE_REQUIRE_BATCHER(b);
  CORE_REQUIRE_OUT(ns);
  std::uint64_t d = 0;
  if (!bt.next_deadline(&d))
    return core::abi::fail(CORE_E_EMPTY, core_abi_fn_, "nothing waits");
  *ns = d;
  return CORE_OK;
  CORE_ABI_END
}

}  // extern "C"
