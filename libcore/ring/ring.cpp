// Ring life cycle and the queries any thread may make.
#include "libcore/ring/ring.h"

#include <new>

#include "libcore/simd/kernels.h"

namespace core {
namespace ring {

namespace {

std::uint64_t pow2_at_least(std::uint64_t n) {
  std::uint64_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

}  // namespace

core_status create(const core_ring_options_t &opts, Ring **out, MapError *why) {
  *why = MapError::kNone;
  const std::uint64_t cap = opts.capacity;
  // OVERWRITE keeps `cap` slots of headroom so the producer can go on
  // writing while the consumer copies (produce.cpp); the mirror needs whole
  // pages.
  std::uint64_t slots = pow2_at_least(opts.policy == CORE_RING_OVERWRITE ? 2 * cap : cap);
  const bool mirror = opts.mirror != CORE_RING_MIRROR_OFF;
  if (mirror && slots < page_floats()) slots = page_floats();

  Ring *r = new (std::nothrow) Ring;
  if (r == nullptr) {
    *why = MapError::kNoMemory;
    return CORE_E_OUT_OF_MEMORY;
  }
  *why = map_storage(slots, mirror, opts.mirror == CORE_RING_MIRROR_REQUIRE, &r->storage);
  if (*why != MapError::kNone) {
    delete r;
    return *why == MapError::kNoMirror ? CORE_E_UNSUPPORTED : CORE_E_OUT_OF_MEMORY;
  }
  r->policy = opts.policy;
  r->cap = cap;
  r->slots = slots;
  r->mask = slots - 1;
  r->data = r->storage.data;
  r->mirrored = r->storage.mirrored;
  r->strong_fence = !init_asymmetric_fence();
  // The first Highway dispatch picks the target; do it here rather than in
  // the first append_i16 on an audio thread.
  simd::pcm16_to_float(static_cast<const std::int16_t *>(nullptr), 0,
                       static_cast<float *>(nullptr));
  *out = r;
  return CORE_OK;
}

void destroy(Ring *r) {
  r->magic = 0;  // a later call on the stale handle may still notice
  unmap_storage(&r->storage);
  delete r;
}

// head first: the tail read afterwards is at least the tail of that moment,
// which is at least that head, so the difference never underflows; under
// OVERWRITE both may move in between, hence the clamp.
std::uint64_t size(const Ring &r) {
  const std::uint64_t h = r.head.load(std::memory_order_acquire);
  const std::uint64_t t = r.tail.load(std::memory_order_acquire);
  const std::uint64_t s = t - h;
  return s < r.cap ? s : r.cap;
}

std::uint64_t space(const Ring &r) { return r.cap - size(r); }

}  // namespace ring
}  // namespace core
