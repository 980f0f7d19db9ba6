/* libcore's streaming pipeline, end to end: read a speech file (or
 * synthesize one with espeak-ng), stream it in 20 ms chunks through
 * core_pipeline_* with a small built-in encoder (the mean over a window's
 * frames of its log-mel: one float per band), print the speech segments,
 * windows, cache hits, per-stage latencies and the real-time factor, and
 * write metrics.prom (Prometheus text) and spectrogram.png.
 *
 *   stream_demo [--out DIR] [--passes N] [FILE]
 *
 * The clip is pushed twice by default (--passes 1 to push it once): the
 * second pass sees windows with the same audio, which the encoder cache
 * answers without calling the encoder. Build: see examples/meson.build
 * (needs libpng), or
 *   cc stream_demo.c stream_demo_png.c $(pkg-config --cflags --libs libcore libpng) -lm
 */
#include <core/core.h>
#include <core/pipeline.h>

#include "stream_demo.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK_MS 20
#define MAX_SEGS 4096

#define CHECK(call)                                                                  \
  do {                                                                               \
    core_status st_ = (call);                                                        \
    if (st_ != CORE_OK) {                                                            \
      fprintf(stderr, "stream_demo: %s: %s\n", core_status_str(st_),                  \
              core_last_error_message());                                            \
      exit(1);                                                                       \
    }                                                                                \
  } while (0)

/* ---- the encoder: mean-pooled log-mel ------------------------------------- */

static core_status mean_pool(const float *features, size_t batch, size_t n_mels,
                             size_t n_frames, float *out, size_t dim, void *user) {
  (void)user;
  if (dim != n_mels || n_frames == 0) return CORE_E_INVALID_ARGUMENT;
  for (size_t b = 0; b < batch; ++b)
    for (size_t m = 0; m < n_mels; ++m) {
      const float *row = features + (b * n_mels + m) * n_frames;
      double s = 0.0;
      for (size_t t = 0; t < n_frames; ++t) s += row[t];
      out[b * dim + m] = (float)(s / (double)n_frames);
    }
  return CORE_OK;
}

/* ---- input: a file, or espeak-ng ------------------------------------------ */

static float *read_audio(const char *path, uint32_t rate, size_t *n) {
  core_status st = core_audio_read(path, rate, NULL, 0, n);
  if (st == CORE_OK && *n == 0) {
    fprintf(stderr, "stream_demo: %s holds no audio\n", path);
    exit(1);
  }
  if (st != CORE_E_BUFFER_TOO_SMALL && st != CORE_OK) CHECK(st);
  float *x = malloc(*n * sizeof *x);
  if (!x) CHECK(CORE_E_OUT_OF_MEMORY);
  CHECK(core_audio_read(path, rate, x, *n, n));
  return x;
}

/* Four sentences with 1.5 s pauses: SSML through espeak-ng -m. */
static const char k_ssml[] =
    "<speak>Hello! This is lib core, streaming speech through its pipeline."
    "<break time=\"1500ms\"/>A voice activity detector finds where each sentence"
    " starts and ends.<break time=\"1500ms\"/>Every window becomes a log mel"
    " spectrogram, and then an embedding.<break time=\"1500ms\"/>Windows that the"
    " cache has seen before are not encoded again.</speak>";

static float *synthesize(uint32_t rate, size_t *n) {
  char dir[] = "/tmp/stream_demo.XXXXXX";
  if (!mkdtemp(dir)) {
    fprintf(stderr, "stream_demo: mkdtemp: %s\n", strerror(errno));
    exit(1);
  }
  char wav[sizeof dir + 16];
  snprintf(wav, sizeof wav, "%s/clip.wav", dir);
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    execlp("espeak-ng", "espeak-ng", "-m", "-v", "en-us", "-s", "150", "-w", wav, k_ssml,
           (char *)NULL);
    _exit(127);
  }
  int ws = 0;
  if (pid < 0 || waitpid(pid, &ws, 0) < 0 || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
    fprintf(stderr, "stream_demo: espeak-ng %s: give a WAV or FLAC file, or install it "
                    "(apt-get install espeak-ng; ./examples/demo.sh does)\n",
            WIFEXITED(ws) && WEXITSTATUS(ws) == 127 ? "not found" : "failed");
    rmdir(dir);
    exit(1);
  }
  size_t m = 0;
  float *y = read_audio(wav, rate, &m);
  unlink(wav);
  rmdir(dir);
  /* espeak-ng starts speaking at once: lead in with 0.5 s of silence. */
  size_t lead = rate / 2;
  float *x = calloc(lead + m, sizeof *x);
  if (!x) CHECK(CORE_E_OUT_OF_MEMORY);
  memcpy(x + lead, y, m * sizeof *y);
  free(y);
  *n = lead + m;
  return x;
}

/* ---- the consumer: events ------------------------------------------------- */

typedef struct demo_t {
  core_pipeline_t *p;
  double rate;
  size_t pass_len;         /* samples per pass (the clip, padded) */
  demo_span_t segs[MAX_SEGS]; /* first pass, for the image */
  size_t n_segs;
  char marks[1024];        /* the open segment's windows: '#' encoded, 'h' cache hit */
  size_t n_marks;
  uint64_t first_window;
  uint64_t events_windows;
  int bar;                 /* progress bar on stderr */
  double last_bar;
} demo_t;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void clear_bar(demo_t *d) {
  if (d->bar) fputs("\r\033[K", stderr);
  d->last_bar = 0.0; /* redraw at the next chunk */
}

static void on_event(demo_t *d, const core_event_t *ev) {
  switch (ev->kind) {
  case CORE_EVENT_SPEECH_START:
    d->n_marks = 0;
    break;
  case CORE_EVENT_WINDOW:
    if (d->n_marks == 0) d->first_window = ev->window_id;
    if (d->n_marks + 1 < sizeof d->marks) d->marks[d->n_marks++] = ev->cache_hit ? 'h' : '#';
    d->events_windows++;
    break;
  case CORE_EVENT_ENCODER_ERROR:
    clear_bar(d);
    printf("  window %llu: encoder failed: %s\n", (unsigned long long)ev->window_id,
           core_status_str(ev->status));
    break;
  case CORE_EVENT_SPEECH_END: {
    /* A segment's padding may reach back into the previous pass. */
    size_t pass = (size_t)((ev->start + ev->end) / 2 / d->pass_len);
    double base = (double)pass * (double)d->pass_len;
    double s = fmax(0.0, ((double)ev->start - base) / d->rate);
    double e = ((double)ev->end - base) / d->rate;
    if (pass == 0 && d->n_segs < MAX_SEGS) d->segs[d->n_segs++] = (demo_span_t){s, e};
    clear_bar(d);
    printf("  pass %zu  speech %6.2f s - %6.2f s  (%5.2f s)", pass + 1, s, e, e - s);
    if (d->n_marks) {
      d->marks[d->n_marks] = '\0';
      printf("  windows %3llu-%-3llu %s", (unsigned long long)d->first_window,
             (unsigned long long)(d->first_window + d->n_marks - 1), d->marks);
    }
    printf("\n");
    fflush(stdout);
    d->n_marks = 0;
    break;
  }
  default:
    break;
  }
}

/* Runs the events the pipeline has ready; returns 1 once CORE_EVENT_END came. */
static int drain(demo_t *d) {
  core_event_t ev;
  for (;;) {
    core_status st = core_pipeline_next_event(d->p, &ev);
    if (st == CORE_E_EMPTY) return 0;
    CHECK(st);
    if (ev.kind == CORE_EVENT_END) return 1;
    on_event(d, &ev);
  }
}

static void progress(demo_t *d, size_t done, size_t total, int force) {
  if (!d->bar) return;
  double t = now_s();
  if (!force && t - d->last_bar < 0.1) return;
  d->last_bar = t;
  int width = 40, fill = (int)((double)done / (double)total * width);
  fprintf(stderr, "\r[%.*s%*s] %5.1f / %.1f s", fill, "########################################",
          width - fill, "", (double)done / d->rate, (double)total / d->rate);
  fflush(stderr);
}

/* ---- reporting ------------------------------------------------------------- */

static const char *fmt_ns(double ns, char *buf, size_t cap) {
  if (ns < 1e3) snprintf(buf, cap, "%.0f ns", ns);
  else if (ns < 1e6) snprintf(buf, cap, "%.1f us", ns / 1e3);
  else if (ns < 1e9) snprintf(buf, cap, "%.2f ms", ns / 1e6);
  else snprintf(buf, cap, "%.2f s", ns / 1e9);
  return buf;
}

static void latency_table(core_metrics_t *m) {
  static const char *const timers[] = {"pipeline.push", "vad.process", "features.logmel",
                                       "encoder.lookup", "encoder.forward"};
  printf("\n%-17s %8s %10s %10s %10s %10s\n", "stage", "count", "p50", "p99", "max", "total");
  for (size_t i = 0; i < sizeof timers / sizeof *timers; ++i) {
    core_metric_id_t id;
    core_metric_kind kind;
    if (core_metrics_find(m, timers[i], &id, &kind) != CORE_OK || kind != CORE_METRIC_TIMER)
      continue;
    core_timer_stats_t ts = {.struct_size = sizeof ts};
    uint64_t p50 = 0, p99 = 0;
    CHECK(core_metrics_timer_stats(m, id, &ts));
    if (ts.count) {
      CHECK(core_metrics_percentile(m, id, 0.50, &p50));
      CHECK(core_metrics_percentile(m, id, 0.99, &p99));
    }
    char a[32], b[32], c[32], e[32];
    printf("%-17s %8llu %10s %10s %10s %10s\n", timers[i], (unsigned long long)ts.count,
           fmt_ns((double)p50, a, sizeof a), fmt_ns((double)p99, b, sizeof b),
           fmt_ns((double)ts.max_ns, c, sizeof c), fmt_ns((double)ts.sum_ns, e, sizeof e));
  }
  /* The batch size is a histogram of counts, not of nanoseconds. */
  core_metric_id_t id;
  core_metric_kind kind;
  uint64_t p50, p99;
  core_timer_stats_t ts = {.struct_size = sizeof ts};
  if (core_metrics_find(m, "encoder.batch_size", &id, &kind) == CORE_OK &&
      kind == CORE_METRIC_TIMER && core_metrics_timer_stats(m, id, &ts) == CORE_OK &&
      ts.count && core_metrics_percentile(m, id, 0.5, &p50) == CORE_OK &&
      core_metrics_percentile(m, id, 0.99, &p99) == CORE_OK)
    printf("%-17s %8llu %10llu %10llu %10llu  (windows per encoder call)\n",
           "encoder.batch_size", (unsigned long long)ts.count, (unsigned long long)p50,
           (unsigned long long)p99, (unsigned long long)ts.max_ns);
}

static void write_metrics(core_metrics_t *m, const char *path) {
  size_t need = 0;
  char *buf = NULL;
  core_status st;
  do { /* the size can grow between the calls: retry */
    st = core_metrics_export(m, CORE_METRICS_PROMETHEUS, 0, NULL, 0, &need);
    if (st != CORE_E_BUFFER_TOO_SMALL && st != CORE_OK) CHECK(st);
    free(buf);
    if (!(buf = malloc(need))) CHECK(CORE_E_OUT_OF_MEMORY);
    st = core_metrics_export(m, CORE_METRICS_PROMETHEUS, 0, buf, need, &need);
  } while (st == CORE_E_BUFFER_TOO_SMALL);
  CHECK(st);
  FILE *f = fopen(path, "w");
  if (!f || fputs(buf, f) == EOF || fclose(f) != 0) {
    fprintf(stderr, "stream_demo: cannot write %s: %s\n", path, strerror(errno));
    exit(1);
  }
  free(buf);
}

static size_t gcd(size_t a, size_t b) {
  while (b) {
    size_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

static void usage(FILE *f) {
  fprintf(f, "usage: stream_demo [--out DIR] [--passes N] [FILE]\n"
             "  FILE        WAV, FLAC or OGG speech (read at 16 kHz); none: a clip\n"
             "              synthesized with espeak-ng\n"
             "  --out DIR   where metrics.prom and spectrogram.png go (default .)\n"
             "  --passes N  push the clip N times (default 2: the repeats hit the cache)\n");
}

int main(int argc, char **argv) {
  const char *out_dir = ".", *path = NULL;
  long passes = 2;
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      usage(stdout);
      return 0;
    } else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
      out_dir = argv[++i];
    } else if (!strcmp(argv[i], "--passes") && i + 1 < argc) {
      char *end;
      passes = strtol(argv[++i], &end, 10);
      if (*end || passes < 1 || passes > 100) {
        fprintf(stderr, "stream_demo: --passes takes 1 .. 100\n");
        return 2;
      }
    } else if (argv[i][0] == '-' || path) {
      usage(stderr);
      return 2;
    } else {
      path = argv[i];
    }
  }
  struct stat sb;
  if (stat(out_dir, &sb) != 0) mkdir(out_dir, 0777); /* one level, like mkdir */
  if (stat(out_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
    fprintf(stderr, "stream_demo: --out %s: not a directory\n", out_dir);
    return 1;
  }

  core_pipeline_options_t o;
  CHECK(core_pipeline_options_init(&o));
  const uint32_t rate = o.sample_rate;
  size_t n = 0;
  float *clip = path ? read_audio(path, rate, &n) : synthesize(rate, &n);
  printf("libcore %s (%s), pipeline demo\n", core_version(), core_simd_target());
  printf("input: %s, %.2f s at %u Hz\n", path ? path : "espeak-ng speech, 4 sentences",
         (double)n / rate, rate);

  /* Passes after the first start on the same sample grid as the first
   * (VAD frame, window hop, chunk), so their windows repeat its audio:
   * the clip is padded with silence to a multiple of that grid. */
  size_t grid = (size_t)rate * CHUNK_MS / 1000, len = n;
  size_t units[] = {(size_t)rate * o.vad.frame_ms / 1000, (size_t)rate * o.hop_ms / 1000};
  for (size_t i = 0; i < 2; ++i) grid = grid / gcd(grid, units[i]) * units[i];
  if (passes > 1) len = (n + grid - 1) / grid * grid;
  float *padded = realloc(clip, (len ? len : 1) * sizeof *clip);
  if (!padded) CHECK(CORE_E_OUT_OF_MEMORY);
  clip = padded;
  memset(clip + n, 0, (len - n) * sizeof *clip);

  o.dim = o.logmel.n_mels; /* mean-pooled log-mel: one float per band */
  o.encoder = mean_pool;
  demo_t *d = calloc(1, sizeof *d);
  if (!d) CHECK(CORE_E_OUT_OF_MEMORY);
  CHECK(core_pipeline_create(&o, &d->p));
  d->rate = rate;
  d->pass_len = len;
  d->bar = isatty(STDERR_FILENO) && (double)len * passes / rate > 5.0;
  printf("streaming in %d ms chunks: windows of %u ms every %u ms inside speech, "
         "encoder = mean log-mel (dim %zu), batches of up to %zu\n",
         CHUNK_MS, o.window_ms, o.hop_ms, o.dim, o.batch.max_batch);
  if (passes > 1)
    printf("the clip is pushed %ld times (padded to %.2f s with silence): repeated windows "
           "come from the cache ('h') instead of the encoder ('#')\n\n",
           passes, (double)len / rate);
  else
    printf("the clip is pushed once ('#': window encoded, 'h': cache hit)\n\n");

  const size_t chunk = (size_t)rate * CHUNK_MS / 1000, total = len * (size_t)passes;
  size_t done = 0;
  for (long pass = 0; pass < passes; ++pass) {
    for (size_t off = 0; off < len; off += chunk, done += chunk < len - off ? chunk : len - off) {
      CHECK(core_pipeline_push_f32(d->p, clip + off, chunk < len - off ? chunk : len - off));
      drain(d);
      progress(d, done, total, 0);
    }
    /* This runs far faster than real time: wait out the batcher's delay so
     * the last windows of this pass are encoded (and cached) before their
     * twins of the next pass are looked up. */
    for (double until = now_s() + (o.batch.max_delay_ms + 10) * 1e-3;
         pass + 1 < passes && now_s() < until;) {
      drain(d);
      nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
  }
  CHECK(core_pipeline_flush(d->p));
  double deadline = now_s() + 10.0;
  while (!drain(d)) {
    if (now_s() > deadline) {
      fprintf(stderr, "stream_demo: no CORE_EVENT_END 10 s after flush\n");
      return 1;
    }
    nanosleep(&(struct timespec){0, 1000000}, NULL);
  }
  progress(d, total, total, 1);
  clear_bar(d);

  core_pipeline_stats_t s;
  CHECK(core_pipeline_stats(d->p, &s));
  printf("\nsegments %llu, windows %llu, cache hits %llu / %llu lookups",
         (unsigned long long)s.segments, (unsigned long long)s.windows,
         (unsigned long long)s.cache_hits, (unsigned long long)(s.cache_hits + s.cache_misses));
  if (isnan(s.cache_hit_rate)) printf(" (hit rate n/a)\n");
  else printf(" (hit rate %.1f %%)\n", 100.0 * s.cache_hit_rate);
  printf("encoder calls %llu, errors %llu, chunks %llu, dropped samples %llu\n",
         (unsigned long long)s.encoder_calls, (unsigned long long)s.encoder_errors,
         (unsigned long long)s.chunks, (unsigned long long)s.dropped_samples);
  core_metrics_t *m = core_pipeline_metrics(d->p);
  latency_table(m);
  printf("\naudio %.2f s, processing %.3f s: real-time factor %.4f (%.0fx faster than real "
         "time)\n",
         s.audio_seconds, s.processing_seconds, s.real_time_factor,
         s.real_time_factor > 0 ? 1.0 / s.real_time_factor : INFINITY);

  /* Outputs: the registry as Prometheus text, the clip's log-mel image. */
  char prom[4096], png[4096], err[512];
  snprintf(prom, sizeof prom, "%s/metrics.prom", out_dir);
  snprintf(png, sizeof png, "%s/spectrogram.png", out_dir);
  write_metrics(m, prom);

  core_logmel_t *lm;
  CHECK(core_logmel_create(&o.logmel, &lm));
  size_t frames = 0, bands = o.logmel.n_mels;
  if (n < o.logmel.n_fft) {
    fprintf(stderr, "stream_demo: the clip is too short for a spectrogram\n");
    return 1;
  }
  core_status st = core_logmel_compute(lm, clip, n, NULL, 0, &frames);
  if (st != CORE_E_BUFFER_TOO_SMALL) CHECK(st);
  float *mel = malloc(bands * frames * sizeof *mel);
  if (!mel) CHECK(CORE_E_OUT_OF_MEMORY);
  CHECK(core_logmel_compute(lm, clip, n, mel, bands * frames, &frames));
  if (demo_write_spectrogram_png(png, mel, bands, frames, (double)o.logmel.hop / rate, d->segs,
                                 d->n_segs, err, sizeof err) != 0) {
    fprintf(stderr, "stream_demo: %s\n", err);
    return 1;
  }
  printf("wrote %s and %s (%zu x %zu log-mel, %zu segments of pass 1 in green)\n", prom, png,
         bands, frames, d->n_segs);

  free(mel);
  core_logmel_destroy(lm);
  core_pipeline_destroy(d->p);
  free(d);
  free(clip);
  return 0;
}
