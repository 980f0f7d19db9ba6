// libFuzzer target: sequences of ring operations against a model.
//
// Input: byte 0 picks the ring (capacity from a small table, REJECT or
// OVERWRITE, mirror off or on); then each operation is two bytes, an
// opcode and a size (the size byte's top two bits scale it: small, just
// below the capacity, just above it, or a fraction of up to 4x it).
// Single-threaded: one thread is producer and consumer, so the ring must
// behave exactly like a deque. After every call the harness checks the
// status against the documented one, the samples returned against the
// model (bit for bit; every appended sample is unique), and size <=
// capacity, space == capacity - size, dropped() == the model's (always 0
// under REJECT, which never drops: a rejected append changes nothing).
//
// FUZZ_WRITE_SEEDS=DIR: write a few hand-made sequences to DIR and exit.
// FUZZ_TRACE=1: print each operation (to replay a crash file).
#include "fuzz_seeds.h"
#include <core/ring.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

namespace {

[[noreturn]] void fail(const char *what, int line, core_status st) {
  std::fprintf(stderr, "fuzz_ring_ops:%d: %s (status %s: %s)\n", line, what,
               core_status_str(st), core_last_error_message());
  std::abort();
}
#define CHECK(c)                                          \
  do {                                                    \
    if (!(c)) fail("check failed: " #c, __LINE__, CORE_OK); \
  } while (0)
#define EXPECT(call, want)                                              \
  do {                                                                  \
    core_status st_ = (call);                                           \
    if (st_ != (want)) fail("unexpected status of " #call, __LINE__, st_); \
  } while (0)

const size_t kCapacities[] = {1, 2, 3, 5, 7, 16, 63, 100, 1000, 1024, 1500, 4096};

bool same(const float *a, const float *b) { return std::memcmp(a, b, sizeof(float)) == 0; }

struct Harness {
  core_ring_t *ring = nullptr;
  size_t cap = 0;
  bool overwrite = false, mirrored = false;
  std::deque<float> model;
  uint64_t dropped = 0;
  uint64_t head = 0;  // absolute index of model.front()
  // Under OVERWRITE, consume right after read, read_all or regions counts
  // from the first sample that call showed (ring.h, consume): samples the
  // producer dropped since are not consumed twice.
  // Only consume(k) with k <= the samples shown is modelled that way: for
  // a larger k after drops the header does not say which samples go.
  bool has_view = false;
  uint64_t view = 0, view_len = 0;
  uint32_t next = 1;  // appended values are unique: 1, 2, 3, ... as float
  std::vector<float> buf, in;
  std::vector<int16_t> pcm;

  size_t size_of(uint8_t b) const {
    const size_t v = b & 63;
    switch (b >> 6) {
      case 0: return v;
      case 1: return v >= cap ? 0 : cap - v;
      case 2: return cap + v;
      default: return v * cap / 16;  // up to ~4x capacity
    }
  }

  void push_model(const float *x, size_t n) {
    for (size_t i = 0; i < n; ++i) model.push_back(x[i]);
    while (model.size() > cap) {
      model.pop_front();
      ++dropped;
      ++head;
    }
  }

  void erase_front(size_t k) {
    model.erase(model.begin(), model.begin() + long(k));
    head += k;
  }

  void check_front(const float *out, size_t n) {
    for (size_t i = 0; i < n; ++i)
      if (!same(&out[i], &model[i])) fail("a sample read differs from the model", __LINE__, CORE_OK);
  }

  void append_f32(size_t n) {
    in.resize(n + 1);
    for (size_t i = 0; i < n; ++i) in[i] = float(next++ & 0xffffff);
    const core_status want =
        !overwrite && n > cap - model.size() ? CORE_E_FULL : CORE_OK;
    EXPECT(core_ring_append_f32(ring, in.data(), n), want);
    if (want == CORE_OK) push_model(in.data(), n);
  }

  void append_i16(size_t n) {
    pcm.resize(n + 1);
    in.resize(n + 1);
    for (size_t i = 0; i < n; ++i) {
      pcm[i] = int16_t(uint16_t(next++ * 40503u));
      in[i] = float(pcm[i]) / 32768.0f;
    }
    const core_status want =
        !overwrite && n > cap - model.size() ? CORE_E_FULL : CORE_OK;
    EXPECT(core_ring_append_i16(ring, pcm.data(), n), want);
    if (want == CORE_OK) push_model(in.data(), n);
  }

  bool trace = false;

  void op(uint8_t code, uint8_t sb) {
    size_t n = size_of(sb);
    if (trace)
      std::fprintf(stderr, "op %d n %zu (model size %zu, ring size %zu, dropped %llu)\n",
                   code % 14, n, model.size(), core_ring_size(ring),
                   (unsigned long long)core_ring_dropped(ring));
    buf.assign(n + 1, -7.0f);
    switch (code % 14) {
      case 0:
      case 1:
        append_f32(n);
        break;
      case 2:
        append_i16(n);
        break;
      case 3:  // read: the n oldest, not consumed
        if (n > model.size()) {
          EXPECT(core_ring_read(ring, buf.data(), n), CORE_E_EMPTY);
        } else {
          EXPECT(core_ring_read(ring, buf.data(), n), CORE_OK);
          check_front(buf.data(), n);
          has_view = true, view = head, view_len = n;
        }
        break;
      case 4: {  // read_all with cap n
        size_t got = 12345;
        if (model.size() > n) {
          EXPECT(core_ring_read_all(ring, buf.data(), n, &got), CORE_E_BUFFER_TOO_SMALL);
        } else {
          EXPECT(core_ring_read_all(ring, buf.data(), n, &got), CORE_OK);
          check_front(buf.data(), got);
          has_view = true, view = head, view_len = got;
        }
        CHECK(got == model.size());
        break;
      }
      case 5:  // read_latest: the n newest
        has_view = false;
        if (n > model.size()) {
          EXPECT(core_ring_read_latest(ring, buf.data(), n), CORE_E_EMPTY);
        } else {
          EXPECT(core_ring_read_latest(ring, buf.data(), n), CORE_OK);
          for (size_t i = 0; i < n; ++i)
            CHECK(same(&buf[i], &model[model.size() - n + i]));
        }
        break;
      case 6: {  // regions, then consume part of them
        const float *p1 = nullptr, *p2 = nullptr;
        size_t n1 = 99, n2 = 99;
        EXPECT(core_ring_regions(ring, &p1, &n1, &p2, &n2), CORE_OK);
        CHECK(n1 + n2 == model.size());
        if (mirrored) CHECK(n2 == 0 && p2 == nullptr);
        for (size_t i = 0; i < n1; ++i) CHECK(same(&p1[i], &model[i]));
        for (size_t i = 0; i < n2; ++i) CHECK(same(&p2[i], &model[n1 + i]));
        const size_t k = n > model.size() ? model.size() : n;
        EXPECT(core_ring_consume(ring, k), CORE_OK);
        erase_front(k);
        has_view = false;
        break;
      }
      case 7: {  // consume
        if (overwrite && has_view && head > view && n > view_len) n = size_t(view_len);
        const uint64_t base = overwrite && has_view ? view : head;
        if (base + n > head + model.size()) {
          EXPECT(core_ring_consume(ring, n), CORE_E_EMPTY);  // the view stays
        } else {
          EXPECT(core_ring_consume(ring, n), CORE_OK);
          if (base + n > head) erase_front(size_t(base + n - head));
          has_view = false;
        }
        break;
      }
      case 8:
      case 9: {  // pop
        size_t got = 12345;
        const core_status want = model.empty() && n > 0 ? CORE_E_EMPTY : CORE_OK;
        EXPECT(core_ring_pop(ring, buf.data(), n, &got), want);
        const size_t k = n > model.size() ? model.size() : n;
        CHECK(got == k);
        check_front(buf.data(), k);
        erase_front(k);
        has_view = false;
        break;
      }
      case 10:
        if (sb & 1) {
          EXPECT(core_ring_clear(ring), CORE_OK);
          erase_front(model.size());
          has_view = false;
        } else {  // a read of a sample that must not be there
          EXPECT(core_ring_read(ring, buf.data(), model.size() + 1), CORE_E_EMPTY);
        }
        break;
      case 11:  // wait_writable, just testing
        if (n > cap)
          EXPECT(core_ring_wait_writable(ring, n, 0), CORE_E_INVALID_ARGUMENT);
        else
          EXPECT(core_ring_wait_writable(ring, n, 0),
                 cap - model.size() >= n ? CORE_OK : CORE_E_FULL);
        break;
      case 12:  // wait_readable, just testing
        if (n > cap)
          EXPECT(core_ring_wait_readable(ring, n, 0), CORE_E_INVALID_ARGUMENT);
        else
          EXPECT(core_ring_wait_readable(ring, n, 0),
                 model.size() >= n ? CORE_OK : CORE_E_EMPTY);
        break;
      default: {  // bad arguments: documented status, nothing changes
        size_t got = 0;
        const float *p = nullptr;
        size_t m = 0;
        switch (sb % 6) {
          case 0: EXPECT(core_ring_append_f32(ring, nullptr, n + 1), CORE_E_INVALID_ARGUMENT); break;
          case 1: EXPECT(core_ring_append_i16(ring, nullptr, n + 1), CORE_E_INVALID_ARGUMENT); break;
          case 2: EXPECT(core_ring_read(ring, nullptr, n + 1), CORE_E_INVALID_ARGUMENT); break;
          case 3: EXPECT(core_ring_read_all(ring, buf.data(), n, nullptr), CORE_E_INVALID_ARGUMENT); break;
          case 4: EXPECT(core_ring_pop(ring, nullptr, n + 1, &got), CORE_E_INVALID_ARGUMENT); break;
          default: EXPECT(core_ring_regions(ring, &p, &m, nullptr, &m), CORE_E_INVALID_ARGUMENT); break;
        }
        EXPECT(core_ring_append_f32(ring, buf.data(), 0), CORE_OK);  // n == 0: no-op
        break;
      }
    }
    // Invariants after every operation.
    const size_t sz = core_ring_size(ring);
    CHECK(sz == model.size());
    CHECK(sz <= cap);
    CHECK(core_ring_space(ring) == cap - sz);
    CHECK(core_ring_capacity(ring) == cap);
    CHECK(core_ring_dropped(ring) == dropped);
    if (!overwrite) CHECK(dropped == 0);
  }
};

std::vector<std::vector<uint8_t>> seeds() {
  return {
      {0x00, 0, 5, 3, 2, 8, 1},
      {0x01, 0, 0x80, 0, 0x43, 6, 3, 8, 0xff, 0, 2, 4, 0x40},
      {0x12, 0, 0x81, 2, 0xc8, 5, 4, 6, 0x10, 0, 0x41, 9, 0x42, 4, 0xff},
      {0x13, 0, 0xc5, 0, 0x83, 6, 0x0f, 3, 0x40, 0, 0x20, 7, 0x05, 8, 0x80},
      {0x22, 0, 30, 2, 0x40, 11, 0x01, 12, 0x41, 13, 0, 13, 5, 10, 1},
      {0x23, 2, 0xbf, 0, 0xff, 5, 0x80, 6, 0x40, 9, 0xc0, 4, 0xff, 10, 0},
      {0x37, 0, 0xc8, 8, 0x4f, 0, 0xc4, 6, 0xff, 1, 0x63, 9, 0x20},
      {0x2b, 0, 0x40, 8, 0x20, 0, 0x60, 6, 0x30, 0, 0x50, 4, 0x80},
  };
}

}  // namespace

FUZZ_INITIALIZE_WITH_SEEDS(seeds)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  Harness h;
  const uint8_t cfg = data[0];
  h.cap = kCapacities[(cfg >> 2) % (sizeof kCapacities / sizeof kCapacities[0])];
  h.overwrite = cfg & 1;
  core_ring_options_t o;
  EXPECT(core_ring_options_init(&o), CORE_OK);
  o.capacity = h.cap;
  o.policy = h.overwrite ? CORE_RING_OVERWRITE : CORE_RING_REJECT;
  o.mirror = (cfg & 2) ? CORE_RING_MIRROR_ON : CORE_RING_MIRROR_OFF;
  EXPECT(core_ring_create(&o, &h.ring), CORE_OK);
  h.mirrored = core_ring_is_mirrored(h.ring) != 0;
  h.trace = std::getenv("FUZZ_TRACE") != nullptr;
  if (h.trace)
    std::fprintf(stderr, "capacity %zu, %s, mirror %s\n", h.cap,
                 h.overwrite ? "OVERWRITE" : "REJECT", h.mirrored ? "on" : "off");
  if (!(cfg & 2)) CHECK(!h.mirrored);
  CHECK(core_ring_get_policy(h.ring) == o.policy);
  for (size_t i = 1; i + 1 < size && i < 1 + 2 * 4096; i += 2) h.op(data[i], data[i + 1]);
  core_ring_destroy(h.ring);
  return 0;
}
