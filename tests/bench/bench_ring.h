// What bench_ring.cpp (the Google Benchmark table) and bench_ring_targets.cpp
// (the paired A/B runs against the targets) share: the contenders
// behind one push/pop interface, aligned buffers, CPU pinning, and the two
// workloads. See bench_ring.cpp for the conventions.
#ifndef LIBCORE_BENCH_RING_H
#define LIBCORE_BENCH_RING_H

#include <benchmark/benchmark.h>

#include <core/core.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include <pthread.h>
#include <sched.h>

#if CORE_BENCH_HAVE_JACK
#include <jack/ringbuffer.h>
#endif
#if CORE_BENCH_HAVE_BOOST
#include <boost/lockfree/spsc_queue.hpp>
#endif

namespace ringbench {

inline constexpr size_t kChunk = 1024;   // floats per append / pop
inline constexpr size_t kRing = 65536;   // floats of ring capacity
inline constexpr size_t kChunkBytes = kChunk * sizeof(float);
inline constexpr size_t kMtChunks = 8192;  // chunks per two-thread iteration (32 MiB)

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  std::this_thread::yield();
#endif
}

// What a side does while the ring is full (producer) or empty (consumer):
// spin briefly, then give the CPU away, so that on a machine with as many
// busy threads as cores the other side gets to run. Same for every ring.
struct Backoff {
  unsigned spins = 0;
  void wait() {
    if (++spins < 256) {
      cpu_relax();
    } else {
      spins = 0;
      std::this_thread::yield();
    }
  }
};

[[noreturn]] inline void die(const char *what) {
  std::fprintf(stderr, "bench_ring: %s: %s\n", what, core_last_error_message());
  std::exit(1);
}

// ---- the contenders: push/pop return how many floats moved ------------------------

struct CoreRing {
  core_ring_t *r = nullptr;
  explicit CoreRing(int mirror, core_ring_policy policy = CORE_RING_REJECT,
                    size_t cap = kRing) {
    core_ring_options_t o;
    if (core_ring_options_init(&o) != CORE_OK) die("options_init");
    o.capacity = cap;
    o.policy = policy;
    o.mirror = mirror;
    if (core_ring_create(&o, &r) != CORE_OK) die("core_ring_create");
  }
  ~CoreRing() { core_ring_destroy(r); }
  CoreRing(const CoreRing &) = delete;
  CoreRing &operator=(const CoreRing &) = delete;
  size_t push(const float *x, size_t n) {
    return core_ring_append_f32(r, x, n) == CORE_OK ? n : 0;  // all or nothing
  }
  size_t pop(float *out, size_t n) {
    size_t got = 0;
    return core_ring_pop(r, out, n, &got) == CORE_OK ? got : 0;
  }
};

#if CORE_BENCH_HAVE_JACK
// The usual JACK pattern: write/read what fits, in bytes.
struct JackRing {
  jack_ringbuffer_t *rb;
  JackRing() : rb(jack_ringbuffer_create(kRing * sizeof(float))) {
    if (rb == nullptr) die("jack_ringbuffer_create");
  }
  ~JackRing() { jack_ringbuffer_free(rb); }
  size_t push(const float *x, size_t n) {
    if (jack_ringbuffer_write_space(rb) < n * sizeof(float)) return 0;
    return jack_ringbuffer_write(rb, reinterpret_cast<const char *>(x), n * sizeof(float)) /
           sizeof(float);
  }
  size_t pop(float *out, size_t n) {
    if (jack_ringbuffer_read_space(rb) < n * sizeof(float)) return 0;
    return jack_ringbuffer_read(rb, reinterpret_cast<char *>(out), n * sizeof(float)) /
           sizeof(float);
  }
};
#endif

#if CORE_BENCH_HAVE_BOOST
struct BoostRing {
  boost::lockfree::spsc_queue<float> q{kRing};
  size_t push(const float *x, size_t n) { return q.push(x, n); }
  size_t pop(float *out, size_t n) { return q.pop(out, n); }
};
#endif

// 64-byte aligned, zeroed floats (page aligned when large), for every
// buffer on both sides, so no contender is timed on a misaligned copy.
struct FreeDeleter {
  void operator()(float *p) const { std::free(p); }
};
using AlignedFloats = std::unique_ptr<float[], FreeDeleter>;
inline AlignedFloats aligned_floats(size_t n) {
  const size_t bytes = n * sizeof(float), align = bytes >= 65536 ? 4096 : 64;
  void *p = std::aligned_alloc(align, (bytes + align - 1) / align * align);
  if (p == nullptr) die("aligned_alloc");
  std::memset(p, 0, bytes);
  return AlignedFloats(static_cast<float *>(p));
}

// The ceiling: the two copies any ring must make, through a 64K buffer.
struct MemcpyCeiling {
  AlignedFloats buf = aligned_floats(kRing);
  size_t off = 0;
  size_t push(const float *x, size_t n) {
    std::memcpy(buf.get() + off, x, n * sizeof(float));
    return n;
  }
  size_t pop(float *out, size_t n) {
    std::memcpy(out, buf.get() + off, n * sizeof(float));
    off = (off + n) & (kRing - 1);
    return n;
  }
};

// ---- the two workloads ---------------------------------------------------------------

struct Chunks {
  AlignedFloats in = aligned_floats(kChunk), out = aligned_floats(kChunk);
  Chunks() {
    for (size_t i = 0; i < kChunk; ++i) in[i] = static_cast<float>(i) * 0.001f;
  }
};

// Alternating append + pop, `iters` times. Returns false on a short move.
template <class R>
bool one_thread(R &ring, Chunks &c, size_t iters) {
  for (size_t i = 0; i < iters; ++i) {
    if (ring.push(c.in.get(), kChunk) != kChunk) return false;
    if (ring.pop(c.out.get(), kChunk) != kChunk) return false;
  }
  benchmark::DoNotOptimize(c.out.get());
  return c.out[kChunk - 1] == c.in[kChunk - 1];
}

// The two CPUs the two-thread runs pin their threads to (the first two the
// process may use), or -1 when there is only one. Unpinned, the scheduler
// of a busy 2-core machine sometimes puts both threads on one CPU, and the
// run then measures time slices, not the ring.
struct CpuPair {
  int consumer = -1, producer = -1;
  CpuPair() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) return;
    for (int c = 0; c < CPU_SETSIZE; ++c) {
      if (!CPU_ISSET(c, &set)) continue;
      if (consumer < 0) {
        consumer = c;
      } else {
        producer = c;
        break;
      }
    }
    if (producer < 0) consumer = -1;
  }
};
inline const CpuPair &cpus() {
  static const CpuPair pair;
  return pair;
}

inline void pin_to(int cpu) {
  if (cpu < 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

// Pins the calling thread for a scope, then restores its affinity.
struct PinScope {
  cpu_set_t saved;
  bool ok;
  explicit PinScope(int cpu) {
    ok = cpu >= 0 && pthread_getaffinity_np(pthread_self(), sizeof saved, &saved) == 0;
    if (ok) pin_to(cpu);
  }
  ~PinScope() {
    if (ok) pthread_setaffinity_np(pthread_self(), sizeof saved, &saved);
  }
};

// A producer thread pushes `chunks` chunks (chunk i filled with i) while this
// thread pops and checks them, each thread on its own CPU. Returns false on
// a wrong sample.
template <class R>
bool two_threads(R &ring, size_t chunks) {
  PinScope pin(cpus().consumer);
  std::thread producer([&ring, chunks] {
    pin_to(cpus().producer);
    AlignedFloats in = aligned_floats(kChunk);
    Backoff backoff;
    for (size_t i = 0; i < chunks; ++i) {
      in[0] = in[kChunk - 1] = static_cast<float>(i);
      size_t done = 0;
      while (done < kChunk) {
        const size_t m = ring.push(in.get() + done, kChunk - done);
        if (m == 0) backoff.wait();
        done += m;
      }
    }
  });
  AlignedFloats out = aligned_floats(kChunk);
  bool ok = true;
  Backoff backoff;
  for (size_t i = 0; i < chunks; ++i) {
    size_t done = 0;
    while (done < kChunk) {
      const size_t m = ring.pop(out.get() + done, kChunk - done);
      if (m == 0) backoff.wait();
      done += m;
    }
    ok &= out[0] == static_cast<float>(i) && out[kChunk - 1] == static_cast<float>(i);
  }
  producer.join();
  return ok;
}


struct Pcm {
  std::vector<int16_t> in;
  Pcm() : in(kChunk) {
    for (size_t i = 0; i < kChunk; ++i) in[i] = static_cast<int16_t>(i * 61 - 30000);
  }
};

inline bool append_i16_loop(CoreRing &ring, const Pcm &p, size_t iters) {
  for (size_t i = 0; i < iters; ++i) {
    if (core_ring_append_i16(ring.r, p.in.data(), kChunk) != CORE_OK) return false;
    if (core_ring_consume(ring.r, kChunk) != CORE_OK) return false;
  }
  return true;
}

// The "targets" section (bench_ring_targets.cpp).
void targets();

}  // namespace ringbench

#endif  // LIBCORE_BENCH_RING_H
