/* Two-thread stress test of the ring (ring.h): a producer thread appends a
 * stream of sequence numbers (sample i carries the bits of the uint32 i, so
 * every sample is distinct and a torn or stale copy cannot pass for a valid
 * one) in pseudo-random chunks through a small ring, and the consumer (the
 * main thread) checks what comes out.
 *
 *   reject*      the consumer pops exactly 0, 1, 2, ..., N-1, in order,
 *                using pop, read + consume and regions + consume in turn
 *   overwrite*   the consumer pops a strictly increasing subsequence, each
 *                pop contiguous positions of the ring, and at the end
 *                popped + dropped() == N (the gaps sum to dropped());
 *                read_latest and regions snapshots in between must be
 *                strictly increasing runs of valid sequence numbers, also
 *                when the consumer sleeps holding a regions span
 *                (the producer must drop its newest samples rather than
 *                overwrite the span)
 *   blocking     REJECT with both sides sleeping in wait_writable /
 *                wait_readable whenever they cannot proceed; any wait that
 *                times out (10 s) counts as a lost wake-up
 *
 * usage: stress_ring [SAMPLES [SCENARIO...]]
 *   SAMPLES defaults to 1e8 per scenario (accepts 1e7 style); scenarios:
 *   reject reject_mirror overwrite overwrite_mirror blocking (default: all).
 * Exit 0 when every check holds, 1 otherwise.
 *
 * Built twice: against libcore.so by meson (suite "stress"), and from the
 * ring sources with -fsanitize=thread by tsan.sh. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <core/core.h>

#define CAPACITY 1000 /* small, and not a power of two */
#define MAX_CHUNK 300
#define WAIT_MS 10000

typedef struct {
  const char *name;
  core_ring_policy policy;
  int mirror;
  int blocking;
} scenario;

static const scenario kScenarios[] = {
    {"reject", CORE_RING_REJECT, CORE_RING_MIRROR_OFF, 0},
    {"reject_mirror", CORE_RING_REJECT, CORE_RING_MIRROR_ON, 0},
    {"overwrite", CORE_RING_OVERWRITE, CORE_RING_MIRROR_OFF, 0},
    {"overwrite_mirror", CORE_RING_OVERWRITE, CORE_RING_MIRROR_ON, 0},
    {"blocking", CORE_RING_REJECT, CORE_RING_MIRROR_OFF, 1},
};

typedef struct {
  core_ring_t *ring;
  const scenario *sc;
  uint64_t total;
  atomic_int failed;
  atomic_int done; /* the producer has appended everything */
  atomic_long timeouts;
} shared;

static float enc(uint32_t i) {
  float f;
  memcpy(&f, &i, sizeof f);
  return f;
}
static uint32_t dec(float f) {
  uint32_t i;
  memcpy(&i, &f, sizeof i);
  return i;
}

static uint64_t rng_next(uint64_t *s) { /* splitmix64 */
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void cpu_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

static void relax(unsigned *spins) {
  if (++*spins % 64 == 0) sched_yield(); /* 2 shared cores: let the other side run */
}

static void *producer(void *arg) {
  shared *s = arg;
  float chunk[MAX_CHUNK];
  uint64_t rng = 12345, next = 0;
  unsigned spins = 0;
  while (next < s->total && !atomic_load(&s->failed)) {
    size_t n = 1 + (size_t)(rng_next(&rng) % MAX_CHUNK);
    if (n > s->total - next) n = (size_t)(s->total - next);
    for (size_t i = 0; i < n; ++i) chunk[i] = enc((uint32_t)(next + i));
    if (s->sc->policy == CORE_RING_OVERWRITE && (rng & 3) != 0) {
      /* Pacing: the producer would otherwise outrun the consumer so far
       * that nearly everything is dropped. Three appends in four first
       * give the consumer a moment when they would drop. */
      for (int k = 0; k < 2000 && core_ring_space(s->ring) < n; ++k) relax(&spins);
    }
    for (;;) {
      const uint64_t d0 = core_ring_dropped(s->ring);
      const core_status st = core_ring_append_f32(s->ring, chunk, n);
      if (st == CORE_OK) {
        /* OVERWRITE with every sample of the chunk dropped: the consumer
         * holds a span the producer has caught up with. Let it run (on a
         * shared CPU it could not, and the run would drop everything). */
        if (core_ring_dropped(s->ring) - d0 >= n) relax(&spins);
        break;
      }
      if (st != CORE_E_FULL) {
        fprintf(stderr, "append: %s: %s\n", core_status_str(st), core_last_error_message());
        atomic_store(&s->failed, 1);
        return NULL;
      }
      if (s->sc->blocking) {
        if (core_ring_wait_writable(s->ring, n, WAIT_MS) != CORE_OK)
          atomic_fetch_add(&s->timeouts, 1);
      } else {
        relax(&spins);
      }
      if (atomic_load(&s->failed)) return NULL;
    }
    next += n;
  }
  atomic_store(&s->done, 1);
  return NULL;
}

#define FAIL(...)                        \
  do {                                   \
    fprintf(stderr, __VA_ARGS__);        \
    fputc('\n', stderr);                 \
    atomic_store(&s->failed, 1);         \
    return 0;                            \
  } while (0)

/* REJECT: every sample, in order, through three consumer styles. */
static int consume_exact(shared *s) {
  float out[MAX_CHUNK];
  uint64_t expect = 0, rng = 777, op = 0;
  unsigned spins = 0;
  while (expect < s->total) {
    if (atomic_load(&s->failed)) return 0;
    const size_t want = 1 + (size_t)(rng_next(&rng) % MAX_CHUNK);
    size_t got = 0;
    switch (op++ % 3) {
      case 0:
        if (core_ring_pop(s->ring, out, want, &got) != CORE_OK) got = 0;
        break;
      case 1: {
        size_t have = core_ring_size(s->ring);
        got = have < want ? have : want;
        if (got > 0 && core_ring_read(s->ring, out, got) != CORE_OK)
          FAIL("read of %zu failed after size() said %zu: %s", got, have,
               core_last_error_message());
        if (got > 0 && core_ring_consume(s->ring, got) != CORE_OK)
          FAIL("consume: %s", core_last_error_message());
        break;
      }
      default: {
        const float *p1, *p2;
        size_t n1, n2;
        if (core_ring_regions(s->ring, &p1, &n1, &p2, &n2) != CORE_OK)
          FAIL("regions: %s", core_last_error_message());
        got = n1 + n2 < want ? n1 + n2 : want;
        const size_t a = got < n1 ? got : n1;
        if (a > 0) memcpy(out, p1, a * sizeof *out);
        if (got > a) memcpy(out + a, p2, (got - a) * sizeof *out);
        if (core_ring_consume(s->ring, got) != CORE_OK)
          FAIL("consume after regions: %s", core_last_error_message());
        break;
      }
    }
    for (size_t i = 0; i < got; ++i, ++expect)
      if (dec(out[i]) != (uint32_t)expect)
        FAIL("REJECT: got %u at position %llu, want %llu", dec(out[i]),
             (unsigned long long)expect, (unsigned long long)expect);
    if (got == 0) {
      if (s->sc->blocking) {
        if (core_ring_wait_readable(s->ring, 1, WAIT_MS) != CORE_OK)
          atomic_fetch_add(&s->timeouts, 1);
      } else {
        relax(&spins);
      }
    }
  }
  if (core_ring_size(s->ring) != 0) FAIL("samples left over after the whole stream");
  return 1;
}

/* A snapshot (read_latest, regions) must be strictly increasing valid
 * sequence numbers. */
static int check_run(shared *s, const float *x, size_t n, const char *what) {
  for (size_t i = 0; i < n; ++i) {
    const uint32_t v = dec(x[i]);
    if (v >= s->total) FAIL("%s: invalid sample %u (torn?)", what, v);
    if (i > 0 && v <= dec(x[i - 1])) FAIL("%s: %u after %u", what, v, dec(x[i - 1]));
  }
  return 1;
}

/* OVERWRITE: an increasing subsequence, gaps == dropped(). */
static int consume_subsequence(shared *s) {
  float out[MAX_CHUNK];
  uint64_t rng = 999, popped = 0, op = 0;
  int64_t last = -1;
  unsigned spins = 0;
  int producer_done = 0;
  for (;;) {
    if (atomic_load(&s->failed)) return 0;
    /* Pops are smaller than appends on average: the producer runs ahead
     * and the ring overflows all the time. */
    const size_t want = 1 + (size_t)(rng_next(&rng) % (MAX_CHUNK / 2));
    size_t got = 0;
    const core_status st = core_ring_pop(s->ring, out, want, &got);
    if (st != CORE_OK && st != CORE_E_EMPTY) FAIL("pop: %s", core_last_error_message());
    for (size_t i = 0; i < got; ++i) {
      const int64_t v = (int64_t)dec(out[i]);
      if (v >= (int64_t)s->total) FAIL("OVERWRITE: invalid sample %lld (torn?)", (long long)v);
      if (v <= last) FAIL("OVERWRITE: %lld after %lld", (long long)v, (long long)last);
      last = v;
    }
    popped += got;
    if (++op % 16 == 0) { /* snapshots that do not consume */
      static float snap[CAPACITY];
      const size_t k = 1 + (size_t)(rng_next(&rng) % CAPACITY);
      if (core_ring_read_latest(s->ring, snap, k) == CORE_OK &&
          !check_run(s, snap, k, "read_latest"))
        return 0;
      const float *p1, *p2;
      size_t n1, n2;
      if (core_ring_regions(s->ring, &p1, &n1, &p2, &n2) != CORE_OK)
        FAIL("regions: %s", core_last_error_message());
      if (op % 4096 == 0) {
        /* Hold the span while the producer runs far ahead (3 capacities,
         * past the span's slots): it must stop at the span, dropping its
         * newest samples, instead of writing over it, which the copy below
         * would see, and TSan too. */
        const uint64_t d0 = core_ring_dropped(s->ring);
        for (long w = 0; w < 200000 && !atomic_load(&s->done) &&
                         core_ring_dropped(s->ring) < d0 + 3 * CAPACITY;
             ++w)
          cpu_pause(); /* no yield: a descheduled consumer would hold for ms */
      }
      memcpy(snap, p1, n1 * sizeof *snap);
      if (n2 > 0) memcpy(snap + n1, p2, n2 * sizeof *snap);
      if (core_ring_consume(s->ring, 0) != CORE_OK) FAIL("consume(0) failed");
      if (!check_run(s, snap, n1 + n2, "regions")) return 0;
    }
    if (got == 0) {
      if (producer_done) break;  /* drained after the last append */
      producer_done = atomic_load(&s->done);
      relax(&spins);
    }
  }
  const uint64_t dropped = core_ring_dropped(s->ring);
  if (popped + dropped != s->total)
    FAIL("OVERWRITE: popped %llu + dropped %llu = %llu, want %llu (gaps != dropped)",
         (unsigned long long)popped, (unsigned long long)dropped,
         (unsigned long long)(popped + dropped), (unsigned long long)s->total);
  return 1;
}

static int run(const scenario *sc, uint64_t total) {
  core_ring_options_t o;
  if (core_ring_options_init(&o) != CORE_OK) return 0;
  o.capacity = CAPACITY;
  o.policy = sc->policy;
  o.mirror = sc->mirror;
  shared s;
  memset(&s, 0, sizeof s);
  s.sc = sc;
  s.total = total;
  if (core_ring_create(&o, &s.ring) != CORE_OK) {
    fprintf(stderr, "create: %s\n", core_last_error_message());
    return 0;
  }
  const double t0 = now_s();
  pthread_t prod;
  if (pthread_create(&prod, NULL, producer, &s) != 0) return 0;
  int ok = sc->policy == CORE_RING_REJECT ? consume_exact(&s) : consume_subsequence(&s);
  pthread_join(prod, NULL);
  const double dt = now_s() - t0;
  const long timeouts = atomic_load(&s.timeouts);
  if (timeouts != 0) {
    fprintf(stderr, "%s: %ld waits timed out after %d ms: lost wake-ups\n", sc->name, timeouts,
            WAIT_MS);
    ok = 0;
  }
  const uint64_t dropped = core_ring_dropped(s.ring);
  printf("%-17s %s  %llu samples in %.2f s (%.1f M samples/s), dropped %llu (%.1f%%), "
         "mirrored %d\n",
         sc->name, ok ? "ok  " : "FAIL", (unsigned long long)total, dt, (double)total / dt / 1e6,
         (unsigned long long)dropped, 100.0 * (double)dropped / (double)total,
         core_ring_is_mirrored(s.ring));
  fflush(stdout);
  core_ring_destroy(s.ring);
  return ok && !atomic_load(&s.failed);
}

int main(int argc, char **argv) {
  uint64_t total = 100000000ull;
  if (argc > 1) {
    const double v = strtod(argv[1], NULL);
    if (!(v >= 1.0 && v <= 4.0e9)) {
      fprintf(stderr, "usage: %s [SAMPLES (1 .. 4e9)] [SCENARIO...]\n", argv[0]);
      return 2;
    }
    total = (uint64_t)v;
  }
  int ok = 1, ran = 0;
  for (size_t k = 0; k < sizeof kScenarios / sizeof kScenarios[0]; ++k) {
    int wanted = argc <= 2;
    for (int a = 2; a < argc; ++a) wanted |= strcmp(argv[a], kScenarios[k].name) == 0;
    if (!wanted) continue;
    ok &= run(&kScenarios[k], total);
    ++ran;
  }
  if (ran == 0) {
    fprintf(stderr, "no such scenario\n");
    return 2;
  }
  printf("%s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
