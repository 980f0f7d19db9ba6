/* The VAD against real and synthetic speech with known answers, default
 * options throughout:
 *  - speech_gaps_16k (30 dB SNR white noise) and its clean twin (exact
 *    digital zero between sentences): the four sentences of
 *    speech_gaps_16k.segments.tsv, each one segment (sentence 2's 128 ms
 *    pause included), every boundary within 60 ms, frame-level F1 >= 0.95;
 *  - the clean clip plus white noise at 10 dB SNR (SNR as the testdata
 *    README defines it: speech power over the four segments), F1 >= 0.90;
 *  - JFK (real speech, ~-41 dBFS room noise, pauses of about a second):
 *    the segments cover every clearly voiced frame, start by 0.4 s, reach
 *    the end, and leave out most of the long pauses.
 * Every figure is logged (cr_log_info: in the TAP output) to be reported. */
#include <math.h>

#include <criterion/logging.h>
#include <stdarg.h>

#include "test_vad_util.h"
#include "testdata.h"

/* A report line, built in pieces, then logged (Criterion shows logs in its
 * TAP output; a test's stderr is not). */
typedef struct line {
  char s[2048];
  size_t n;
} line;
static void add(line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(line *l, const char *fmt, ...) {
  va_list a;
  va_start(a, fmt);
  const int k = vsnprintf(l->s + l->n, sizeof l->s - l->n, fmt, a);
  va_end(a);
  if (k > 0) l->n += (size_t)k < sizeof l->s - l->n ? (size_t)k : sizeof l->s - l->n - 1;
}

#define BOUND_MS 60

/* The clip, its truth and the default segments. */
typedef struct clip {
  float *x;
  size_t n;
  core_segment_t truth[8];
  size_t nt;
} clip;

static clip load_gaps(const char *wav) {
  clip c;
  uint32_t rate = 0;
  c.x = vu_read_wav(TD_PATH(wav), &c.n, &rate);
  cr_assert_not_null(c.x, "cannot read %s", wav);
  cr_assert_eq(rate, RATE);
  c.nt = vu_read_truth(TD_PATH("speech_gaps_16k.segments.tsv"), c.truth, 8);
  cr_assert_eq(c.nt, 4, "the truth file should list 4 segments, read %zu", c.nt);
  return c;
}

/* Prints and checks one clip: `bounds` asks for one segment per sentence
 * with every boundary within BOUND_MS. Returns the F1. */
static double score(const char *name, const clip *c, const vu_segs *got, int bounds) {
  const double f1 = vu_f1(got->s, got->n, c->truth, c->nt, c->n, RATE / 100);
  line l = {.n = 0};
  add(&l, "vad eval %-18s F1 %.4f, %zu segments", name, f1, got->n);
  if (got->n == c->nt) {
    add(&l, ", boundary errors (ms):");
    for (size_t i = 0; i < got->n; ++i)
      add(&l, " [%+.0f %+.0f]",
              ((double)got->s[i].start - (double)c->truth[i].start) * 1000.0 / RATE,
              ((double)got->s[i].end - (double)c->truth[i].end) * 1000.0 / RATE);
  } else {
    for (size_t i = 0; i < got->n; ++i)
      add(&l, " [%.3f %.3f)", (double)got->s[i].start / RATE, (double)got->s[i].end / RATE);
  }
  cr_log_info("%s", l.s);
  if (bounds) {
    cr_assert_eq(got->n, c->nt, "%s: %zu segments, expected one per sentence", name, got->n);
    const double tol = BOUND_MS * RATE / 1000.0;
    for (size_t i = 0; i < got->n; ++i) {
      cr_expect_leq(fabs((double)got->s[i].start - (double)c->truth[i].start), tol,
                    "%s: sentence %zu starts %.1f ms off", name, i + 1,
                    ((double)got->s[i].start - (double)c->truth[i].start) / 16.0);
      cr_expect_leq(fabs((double)got->s[i].end - (double)c->truth[i].end), tol,
                    "%s: sentence %zu ends %.1f ms off", name, i + 1,
                    ((double)got->s[i].end - (double)c->truth[i].end) / 16.0);
    }
  }
  return f1;
}

Test(vad_eval, speech_gaps_noisy_30db) {
  clip c = load_gaps("speech_gaps_16k.wav");
  core_vad_options_t o = vu_opts();
  vu_segs got;
  vu_offline(&o, c.x, c.n, &got);
  const double f1 = score("noisy (30 dB)", &c, &got, 1);
  cr_assert_geq(f1, 0.95, "F1 %.4f", f1);
  /* and streamed in random chunks, read as they come: the same segments */
  vu_segs streamed;
  tu_rng r = tu_rng_make(8);
  vu_stream(&o, c.x, c.n, 0, &r, &streamed);
  vu_assert_same(&got, &streamed, "noisy clip streamed");
  free(c.x);
}

Test(vad_eval, speech_gaps_clean) {
  clip c = load_gaps("speech_gaps_16k_clean.wav");
  core_vad_options_t o = vu_opts();
  vu_segs got;
  vu_offline(&o, c.x, c.n, &got);
  const double f1 = score("clean", &c, &got, 1);
  cr_assert_geq(f1, 0.95, "F1 %.4f", f1);
  free(c.x);
}

/* The same speech in 10 dB of white noise. At that level the quietest
 * parts of words (their 10th percentile frame is ~11 dB below the noise)
 * are buried, so pauses between words that are longer than min_silence
 * end segments inside sentences, and the truth counts those pauses as
 * speech: the floor is 0.90, not 0.95. Three noise seeds, each must pass. */
Test(vad_eval, speech_gaps_mixed_10db) {
  clip c = load_gaps("speech_gaps_16k_clean.wav");
  double p = 0.0;
  size_t count = 0;
  for (size_t k = 0; k < c.nt; ++k)
    for (uint64_t i = c.truth[k].start; i < c.truth[k].end; ++i, ++count)
      p += (double)c.x[i] * c.x[i];
  p /= (double)count;
  const double sd = sqrt(p / 10.0);  /* 10 log10(p / sd^2) = 10 dB */
  float *mix = malloc(c.n * sizeof(float));
  cr_assert_not_null(mix);
  core_vad_options_t o = vu_opts();
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    memcpy(mix, c.x, c.n * sizeof(float));
    vu_add_noise(mix, c.n, sd, seed);
    vu_segs got;
    vu_offline(&o, mix, c.n, &got);
    char name[32];
    snprintf(name, sizeof name, "mixed 10 dB seed %u", (unsigned)seed);
    const double f1 = score(name, &c, &got, 0);
    cr_expect_geq(f1, 0.90, "seed %u: F1 %.4f", (unsigned)seed, f1);
  }
  free(mix);
  free(c.x);
}

/* JFK has no ground-truth file. Its energy in 30 ms frames: -43 dBFS
 * before the first word (0.33 s), -40 to -42 dBFS in the two pauses of
 * about a second (near 2.2-3.2 s and 4.4-5.4 s), -10 to -35 dBFS in words,
 * and sound to the very end (-25 dBFS at 10.95 s). So: every frame louder
 * than -30 dBFS (at least 10 dB over the room) must be inside a segment;
 * the first segment starts by 0.4 s, the last ends within 0.3 s of the end;
 * the first pause leaves a gap of at least 0.5 s, and the segments cover
 * over 50 % (the words) and under 90 % of the clip. The second pause is
 * found only in part: a slightly louder sound near 5.0-5.3 s in it (-40
 * against -41.5 dBFS around it) scores as speech. */
Test(vad_eval, jfk) {
  uint32_t rate = 0;
  size_t n = 0;
  float *x = vu_read_wav(TD_PATH("jfk_16k.wav"), &n, &rate);
  cr_assert_not_null(x);
  cr_assert_eq(rate, RATE);
  core_vad_options_t o = vu_opts();
  vu_segs got;
  vu_offline(&o, x, n, &got);
  const double frac = (double)vu_covered(&got) / (double)n;
  line l = {.n = 0};
  add(&l, "vad eval %-18s %zu segments, %.1f %% of the clip:", "jfk", got.n, 100.0 * frac);
  for (size_t i = 0; i < got.n; ++i)
    add(&l, " [%.3f %.3f)", (double)got.s[i].start / RATE, (double)got.s[i].end / RATE);
  cr_log_info("%s", l.s);
  cr_assert_geq(got.n, 1);
  vu_assert_well_formed(&got, n);
  cr_expect_leq(got.s[0].start, (uint64_t)(0.4 * RATE), "first segment starts at %.3f s",
                (double)got.s[0].start / RATE);
  cr_expect_geq(got.s[got.n - 1].end, (uint64_t)(n - 0.3 * RATE), "last segment ends at %.3f s",
                (double)got.s[got.n - 1].end / RATE);
  const size_t fr = RATE * 30 / 1000;
  size_t loud = 0, missed = 0;
  for (size_t f = 0; f + fr <= n; f += fr) {
    double e = 0.0;
    for (size_t i = f; i < f + fr; ++i) e += (double)x[i] * x[i];
    if (10.0 * log10(e / fr + 1e-30) <= -30.0) continue;
    ++loud;
    if (!vu_inside(got.s, got.n, f) || !vu_inside(got.s, got.n, f + fr - 1)) ++missed;
  }
  cr_log_info("vad eval %-18s %zu frames above -30 dBFS, %zu not covered", "jfk", loud, missed);
  cr_expect_eq(missed, 0, "%zu of %zu loud frames outside every segment", missed, loud);
  cr_expect(frac > 0.5 && frac < 0.9, "segments cover %.1f %% of the clip", 100.0 * frac);
  /* the first pause (about 2.2-3.2 s) is found: a gap of at least 0.5 s */
  uint64_t widest = 0;
  for (size_t i = 0; i + 1 < got.n; ++i) {
    const uint64_t a = got.s[i].end, b = got.s[i + 1].start;
    if (a >= (uint64_t)(1.9 * RATE) && b <= (uint64_t)(3.5 * RATE) && b - a > widest) widest = b - a;
  }
  cr_log_info("vad eval %-18s widest gap in the first pause: %.3f s", "jfk", (double)widest / RATE);
  cr_expect_geq(widest, (uint64_t)(0.5 * RATE), "the first pause is not found");
  free(x);
}
