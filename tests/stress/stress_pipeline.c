/* The pipeline with a producer thread and a consumer thread: the producer
 * pushes a synthetic stream (tone bursts with pauses, and noise) in 20 ms
 * chunks under CORE_RING_REJECT, retrying when the ring is full (so nothing
 * is dropped); the consumer polls next_event until END. The events must be
 * exactly those of a single-threaded run on the same audio (same kinds,
 * ids, ranges, cache hits and embeddings): the analysis does not depend on
 * how the pushes interleave with it. tsan.sh rebuilds this program from
 * the sources with ThreadSanitizer.
 *   usage: stress_pipeline [SECONDS_OF_AUDIO]   (default 120) */
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <core/core.h>
#include <core/pipeline.h>

typedef struct ev {
  int kind;
  uint64_t id, start, end;
  int hit;
  float emb0;
} ev;

typedef struct run {
  core_pipeline_t *p;
  const float *x;
  size_t n;
  ev *ev;
  size_t nev, cap;
} run;

static core_status encode(const float *f, size_t batch, size_t n_mels, size_t n_frames, float *out,
                          size_t dim, void *user) {
  (void)user;
  for (size_t b = 0; b < batch; ++b)
    for (size_t m = 0; m < dim; ++m) {
      double s = 0;
      for (size_t t = 0; t < n_frames; ++t) s += f[(b * n_mels + m) * n_frames + t];
      out[b * dim + m] = (float)(s / (double)n_frames);
    }
  return CORE_OK;
}

static core_pipeline_t *make(void) {
  core_pipeline_options_t o;
  if (core_pipeline_options_init(&o) != CORE_OK) abort();
  o.dim = o.logmel.n_mels;
  o.encoder = encode;
  o.ring_ms = 200;
  o.ring_policy = CORE_RING_REJECT;
  o.window_ms = 500;
  o.hop_ms = 250;
  o.batch.max_batch = 4;
  o.batch.max_delay_ms = 1;
  core_pipeline_t *p;
  if (core_pipeline_create(&o, &p) != CORE_OK) {
    fprintf(stderr, "create: %s\n", core_last_error_message());
    exit(1);
  }
  return p;
}

/* Returns 1 at END. */
static int read_events(run *r) {
  core_event_t e;
  while (core_pipeline_next_event(r->p, &e) == CORE_OK) {
    if (r->nev == r->cap) {
      r->cap = r->cap ? 2 * r->cap : 1024;
      r->ev = realloc(r->ev, r->cap * sizeof(ev));
      if (!r->ev) abort();
    }
    ev *v = &r->ev[r->nev++];
    v->kind = e.kind;
    v->id = e.window_id;
    v->start = e.start;
    v->end = e.end;
    v->hit = e.cache_hit;
    v->emb0 = e.embedding ? e.embedding[0] : 0.0f;
    if (e.kind == CORE_EVENT_END) return 1;
  }
  return 0;
}

static void push_all(run *r, int retry) {
  for (size_t i = 0; i < r->n; i += 320) {
    size_t k = r->n - i < 320 ? r->n - i : 320;
    core_status st;
    while ((st = core_pipeline_push_f32(r->p, r->x + i, k)) == CORE_E_FULL) {
      if (!retry) read_events(r);
      else sched_yield();
    }
    if (st != CORE_OK) {
      fprintf(stderr, "push: %s\n", core_last_error_message());
      exit(1);
    }
    if (!retry) read_events(r);
  }
  if (core_pipeline_flush(r->p) != CORE_OK) exit(1);
}

static void *producer(void *arg) {
  push_all((run *)arg, 1);
  return NULL;
}

int main(int argc, char **argv) {
  const double seconds = argc > 1 ? atof(argv[1]) : 120;
  const size_t n = (size_t)(seconds * 16000);
  float *x = malloc(n * sizeof(float));
  uint64_t s = 88172645463325252ull;
  for (size_t i = 0; i < n; ++i) {
    s ^= s << 13, s ^= s >> 7, s ^= s << 17;
    const double noise = ((double)(s >> 11) / 9007199254740992.0 - 0.5) * 0.002;
    const size_t sec = i / 16000, within = i % 16000;
    /* speech-like bursts: 0.7 s of a modulated tone, 0.3 s pause, with a
     * repeating pattern every 4 s so the cache gets hits */
    const int on = within < 11200 && sec % 4 != 3;
    const double t = (double)(i % 64000) / 16000.0;
    const double v = on ? 0.3 * sin(2 * M_PI * 220 * t) * (0.6 + 0.4 * sin(2 * M_PI * 3 * t)) : 0;
    x[i] = (float)(v + noise);
  }

  run ref = {make(), x, n, NULL, 0, 0};
  push_all(&ref, 0);
  while (!read_events(&ref)) {
  }

  run two = {make(), x, n, NULL, 0, 0};
  pthread_t th;
  pthread_create(&th, NULL, producer, &two);
  while (!read_events(&two)) sched_yield();
  pthread_join(th, NULL);

  size_t windows = 0, hits = 0;
  int bad = ref.nev != two.nev;
  for (size_t i = 0; !bad && i < ref.nev; ++i) {
    const ev *a = &ref.ev[i], *b = &two.ev[i];
    if (a->kind != b->kind || a->id != b->id || a->start != b->start || a->end != b->end ||
        a->hit != b->hit || a->emb0 != b->emb0) {
      fprintf(stderr, "event %zu differs: kind %d/%d id %llu/%llu start %llu/%llu\n", i, a->kind,
              b->kind, (unsigned long long)a->id, (unsigned long long)b->id,
              (unsigned long long)a->start, (unsigned long long)b->start);
      bad = 1;
    }
    windows += a->kind == CORE_EVENT_WINDOW;
    hits += a->kind == CORE_EVENT_WINDOW && a->hit;
  }
  core_pipeline_stats_t st;
  if (core_pipeline_stats(two.p, &st) != CORE_OK) bad = 1;
  printf("stress_pipeline: %.0f s of audio, %zu events (%zu windows, %zu hits, %llu segments), "
         "%s\n", seconds, ref.nev, windows, hits, (unsigned long long)st.segments,
         bad ? "MISMATCH" : "two threads == one thread");
  if (windows == 0 || st.dropped_samples != 0) bad = 1;
  core_pipeline_destroy(ref.p);
  core_pipeline_destroy(two.p);
  free(ref.ev);
  free(two.ev);
  free(x);
  return bad;
}
