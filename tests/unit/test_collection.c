/* core_collection_run and core_file_summary_json (collection.h).
 *
 * What is checked, on real speech (jfk_16k.wav and friends, read in place)
 * and files written per test in a temporary directory:
 *  - a file's summary equals what the one-shot functions give on the same
 *    samples: core_audio_read, core_stats_f32 (bit for bit: the accumulator
 *    has the length declared), core_vad_segments, core_logmel_compute (the
 *    .npy's bytes, one normalization window for an 11-s clip);
 *  - the summaries and .npy bytes do not depend on the thread count or the
 *    chunk size (chunks of 1000, 4096, 65536, 1e6; 1 and 2 threads);
 *  - every file gets exactly one callback, in any order, never two at
 *    once; bad files (missing, empty, not audio, truncated) fail with their
 *    status and a message while the good ones are analysed; an output in a
 *    missing folder fails that file alone and leaves no partial file; two
 *    equal outputs fail the later file; a callback returning non-zero stops
 *    the run (CORE_E_UNAVAILABLE, no callback after it);
 *  - the JSON record: fields, escaping, BUFFER_TOO_SMALL protocol;
 *  - bad arguments and options, each with a message naming them;
 *  - per-stage timers in a metrics registry, shared across runs.
 * Without audio_io the run is CORE_E_UNSUPPORTED. */
#define _GNU_SOURCE /* memmem */
#include <criterion/criterion.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <core/collection.h>

#include "test_audio_file_util.h"

TestSuite(collection, .init = af_dir_make, .fini = af_dir_remove, .timeout = 600);

/* ---- what the callback saw ------------------------------------------------- */

#define MAX_FILES 16

typedef struct seen {
  int calls[MAX_FILES];
  core_status status[MAX_FILES];
  char json[MAX_FILES][8192];
  char message[MAX_FILES][512];
  core_stats_t stats[MAX_FILES];
  uint64_t samples[MAX_FILES];
  double rms[MAX_FILES];
  core_segment_t segs[MAX_FILES][64];
  size_t n_segs[MAX_FILES];
  int inside;      /* callbacks running now */
  int overlapped;  /* a callback started while another ran */
  int stop_after;  /* return 1 on this many-th call (0: never) */
  int total_calls;
} seen;

static int record(const core_file_summary_t *s, void *user) {
  seen *w = user;
  if (__atomic_add_fetch(&w->inside, 1, __ATOMIC_SEQ_CST) != 1) w->overlapped = 1;
  usleep(200); /* widen the window in which a second callback would overlap */
  const size_t i = s->index;
  if (i < MAX_FILES) {
    w->calls[i]++;
    w->status[i] = s->status;
    snprintf(w->message[i], sizeof w->message[i], "%s", s->message);
    size_t len = 0;
    if (core_file_summary_json(s, w->json[i], sizeof w->json[i], &len) != CORE_OK)
      snprintf(w->json[i], sizeof w->json[i], "json failed: %s", core_last_error_message());
    w->stats[i] = s->stats;
    w->samples[i] = s->samples;
    w->rms[i] = s->rms;
    w->n_segs[i] = s->n_segments < 64 ? s->n_segments : 64;
    if (w->n_segs[i] > 0) memcpy(w->segs[i], s->segments, w->n_segs[i] * sizeof(core_segment_t));
  }
  w->total_calls++;
  __atomic_sub_fetch(&w->inside, 1, __ATOMIC_SEQ_CST);
  return w->stop_after > 0 && w->total_calls >= w->stop_after;
}

static core_collection_options_t options(int features) {
  core_collection_options_t o;
  cr_assert_eq(core_collection_options_init(&o), CORE_OK);
  o.features = features;
  return o;
}

#if CORE_TEST_AUDIO_IO

/* ---- one file against the one-shot functions ------------------------------- */

Test(collection, summary_equals_the_one_shot_functions) {
  const char *wav = AF_TD("jfk_16k.wav");
  const char *npy = af_path("jfk.npy");
  const char *paths[] = {wav};
  const char *outputs[] = {npy};
  core_collection_options_t o = options(1);
  seen *w = calloc(1, sizeof *w);
  AF_OK(core_collection_run(paths, 1, outputs, &o, record, w));
  cr_assert_eq(w->calls[0], 1);
  cr_assert_eq(w->status[0], CORE_OK, "%s", w->message[0]);

  size_t n = 0;
  float *x = af_read_all(wav, 16000, &n);
  cr_expect_eq(w->samples[0], n);
  core_stats_t want;
  AF_OK(core_stats_f32(x, n, CORE_NAN_PROPAGATE, &want));
  cr_expect(memcmp(&want, &w->stats[0], sizeof want) == 0,
            "stats differ: mean %.17g vs %.17g, m2 %.17g vs %.17g", want.mean, w->stats[0].mean,
            want.m2, w->stats[0].m2);
  double rms = 0;
  AF_OK(core_rms_f32(x, n, &rms));
  cr_expect(fabs(rms - w->rms[0]) <= 1e-12 * rms, "rms %.17g vs %.17g", w->rms[0], rms);

  core_vad_options_t vo;
  AF_OK(core_vad_options_init(&vo));
  core_segment_t segs[64];
  size_t ns = 0;
  AF_OK(core_vad_segments(x, n, &vo, segs, 64, &ns));
  cr_expect(ns > 0, "JFK has speech");
  cr_expect_eq(w->n_segs[0], ns);
  cr_expect(memcmp(segs, w->segs[0], ns * sizeof *segs) == 0, "segments differ");

  /* The .npy: header, then the offline log-mel's bytes (11 s: one window). */
  core_logmel_options_t lo;
  AF_OK(core_logmel_options_init(&lo));
  core_logmel_t *lm = NULL;
  AF_OK(core_logmel_create(&lo, &lm));
  size_t frames = 0;
  AF_OK(core_logmel_frames(lm, n, &frames));
  float *mel = malloc(frames * lo.n_mels * sizeof *mel);
  size_t got = 0;
  AF_OK(core_logmel_compute(lm, x, n, mel, frames * lo.n_mels, &got));
  size_t len = 0;
  unsigned char *file = af_slurp(npy, &len);
  cr_assert_eq(len, 128 + frames * lo.n_mels * sizeof(float), "npy size %zu", len);
  cr_expect(memcmp(file, "\x93NUMPY\x01\x00", 8) == 0);
  char shape[64];
  snprintf(shape, sizeof shape, "'shape': (%zu, %u)", frames, lo.n_mels);
  cr_expect(memmem(file, 128, shape, strlen(shape)) != NULL, "header lacks %s", shape);
  cr_expect_eq(file[127], '\n');
  /* core_logmel_compute is band-major (Whisper's (n_mels, frames)); the
   * .npy frame-major (frames, n_mels): compare transposed, bit for bit. */
  const float *rows = (const float *)(file + 128);
  size_t differ = 0;
  for (size_t f = 0; f < frames; ++f)
    for (size_t m = 0; m < lo.n_mels; ++m)
      differ += memcmp(&rows[f * lo.n_mels + m], &mel[m * frames + f], sizeof(float)) != 0;
  cr_expect_eq(differ, 0, "%zu log-mel values differ from core_logmel_compute", differ);
  cr_expect(access(af_path("jfk.npy.partial"), F_OK) != 0, "partial file left behind");

  /* The record carries the same numbers. */
  char needle[128];
  snprintf(needle, sizeof needle, "\"samples\":%zu,", n);
  cr_expect(strstr(w->json[0], needle) != NULL, "%s", w->json[0]);
  snprintf(needle, sizeof needle, "\"mel_frames\":%zu}", frames);
  cr_expect(strstr(w->json[0], needle) != NULL, "%s", w->json[0]);
  cr_expect(strstr(w->json[0], "\"status\":\"CORE_OK\",\"error\":null,\"format\":\"wav\","
                               "\"file_rate\":16000,\"channels\":1,\"bits\":16,") != NULL,
            "%s", w->json[0]);
  snprintf(needle, sizeof needle, "\"segments\":[[%llu,%llu]", (unsigned long long)segs[0].start,
           (unsigned long long)segs[0].end);
  cr_expect(strstr(w->json[0], needle) != NULL, "%s", w->json[0]);
  free(file);
  free(mel);
  core_logmel_destroy(lm);
  free(x);
  free(w);
}

/* ---- independence of threads and chunking ---------------------------------- */

static const char *const kClips[] = {"jfk_16k.wav", "jfk_16k.flac", "jfk_44k1_stereo_orig.flac",
                                     "speech_gaps_16k.wav", "jfk_16k.ogg"};
#define N_CLIPS (sizeof kClips / sizeof kClips[0])

/* Runs the clips with features into dir/<tag>-<i>.npy; returns the records. */
static seen *run_clips(int threads, size_t chunk, const char *tag) {
  const char *paths[N_CLIPS];
  char outs[N_CLIPS][512];
  const char *outputs[N_CLIPS];
  for (size_t i = 0; i < N_CLIPS; ++i) {
    paths[i] = strdup(AF_TD(kClips[i]));
    snprintf(outs[i], sizeof outs[i], "%s/%s-%zu.npy", af_dir(), tag, i);
    outputs[i] = outs[i];
  }
  core_collection_options_t o = options(1);
  o.chunk_samples = chunk;
  seen *w = calloc(1, sizeof *w);
  AF_OK(core_set_num_threads(threads));
  AF_OK(core_collection_run(paths, N_CLIPS, outputs, &o, record, w));
  AF_OK(core_set_num_threads(0));
  for (size_t i = 0; i < N_CLIPS; ++i) {
    cr_expect_eq(w->calls[i], 1, "file %zu: %d callbacks", i, w->calls[i]);
    cr_expect_eq(w->status[i], CORE_OK, "%s: %s", paths[i], w->message[i]);
    free((void *)paths[i]);
  }
  cr_expect_eq(w->overlapped, 0, "two callbacks ran at once");
  return w;
}

/* The record with "features" (the output path, which differs by tag) cut. */
static const char *without_features(const char *json, char *buf, size_t cap) {
  snprintf(buf, cap, "%s", json);
  char *f = strstr(buf, "\"features\":");
  if (f != NULL) *f = '\0';
  return buf;
}

Test(collection, threads_and_chunks_do_not_change_results) {
  seen *ref = run_clips(1, 65536, "ref");
  const struct {
    int threads;
    size_t chunk;
    const char *tag;
  } runs[] = {{2, 65536, "t2"}, {2, 1000, "c1000"}, {1, 4096, "c4096"}, {2, 1000000, "c1e6"}};
  for (size_t r = 0; r < sizeof runs / sizeof runs[0]; ++r) {
    seen *w = run_clips(runs[r].threads, runs[r].chunk, runs[r].tag);
    for (size_t i = 0; i < N_CLIPS; ++i) {
      char a[8192], b[8192];
      cr_expect_str_eq(without_features(w->json[i], a, sizeof a),
                       without_features(ref->json[i], b, sizeof b), "%s, file %zu", runs[r].tag,
                       i);
      char pa[512], pb[512];
      snprintf(pa, sizeof pa, "%s/ref-%zu.npy", af_dir(), i);
      snprintf(pb, sizeof pb, "%s/%s-%zu.npy", af_dir(), runs[r].tag, i);
      size_t la = 0, lb = 0;
      unsigned char *fa = af_slurp(pa, &la), *fb = af_slurp(pb, &lb);
      cr_expect(la == lb && memcmp(fa, fb, la) == 0, "%s: npy %zu differs", runs[r].tag, i);
      free(fa);
      free(fb);
    }
    free(w);
  }
  /* The 44.1-kHz stereo FLAC was resampled and averaged: its record says so. */
  cr_expect(strstr(ref->json[2], "\"file_rate\":44100,\"channels\":2,") != NULL, "%s",
            ref->json[2]);
  cr_expect(strstr(ref->json[2], "\"rate\":16000,") != NULL, "%s", ref->json[2]);
  free(ref);
}

/* ---- bad files among good ones --------------------------------------------- */

Test(collection, bad_files_fail_alone) {
  const char *good = AF_TD("jfk_16k.wav");
  char empty[512], text[512], truncated[512], missing[512], good2[512];
  snprintf(empty, sizeof empty, "%s", af_path("empty.wav"));
  snprintf(text, sizeof text, "%s", af_path("text.wav"));
  snprintf(truncated, sizeof truncated, "%s", af_path("truncated.wav"));
  snprintf(missing, sizeof missing, "%s", af_path("missing.wav"));
  snprintf(good2, sizeof good2, "%s", af_path("short.wav"));
  af_write_file(empty, "", 0);
  af_write_file(text, "this is not audio, only text\n", 29);
  int16_t pcm[1600];
  for (size_t i = 0; i < 1600; ++i) pcm[i] = (int16_t)(3000 * sin(0.05 * (double)i));
  af_write_wav(truncated, 1, 1, 16000, 16, pcm, sizeof pcm, 10 * sizeof pcm);
  af_write_wav16(good2, 1, 16000, pcm, 1600);
  const char *paths[] = {good, empty, text, truncated, missing, good2};
  const core_status want[] = {CORE_OK, CORE_E_FORMAT, CORE_E_FORMAT,
                              CORE_E_FORMAT, CORE_E_NOT_FOUND, CORE_OK};
  char outs[6][512];
  const char *outputs[6];
  for (size_t i = 0; i < 6; ++i) {
    snprintf(outs[i], sizeof outs[i], "%s/out-%zu.npy", af_dir(), i);
    outputs[i] = outs[i];
  }
  core_collection_options_t o = options(1);
  seen *w = calloc(1, sizeof *w);
  AF_OK(core_collection_run(paths, 6, outputs, &o, record, w));
  for (size_t i = 0; i < 6; ++i) {
    cr_expect_eq(w->calls[i], 1, "file %zu", i);
    cr_expect_eq(w->status[i], want[i], "%s: %s, want %s (%s)", paths[i],
                 core_status_str(w->status[i]), core_status_str(want[i]), w->message[i]);
    struct stat st;
    cr_expect_eq(stat(outs[i], &st) == 0, want[i] == CORE_OK, "output %zu exists: %d", i,
                 stat(outs[i], &st) == 0);
    char partial[600];
    snprintf(partial, sizeof partial, "%s.partial", outs[i]);
    cr_expect(access(partial, F_OK) != 0, "%s left behind", partial);
    if (want[i] != CORE_OK) {
      cr_expect(strncmp(w->message[i], "core_audio_", 11) == 0, "message: %s", w->message[i]);
      char needle[700];
      snprintf(needle, sizeof needle, "{\"path\":\"%s\",\"status\":\"%s\",\"error\":\"", paths[i],
               core_status_str(want[i]));
      cr_expect(strncmp(w->json[i], needle, strlen(needle)) == 0, "%s", w->json[i]);
    }
  }
  cr_expect(strstr(w->message[4], "missing.wav") != NULL, "%s", w->message[4]);
  free(w);
}

Test(collection, unwritable_and_duplicate_outputs) {
  const char *wav = AF_TD("jfk_16k.wav");
  char nodir[512], dup[512];
  snprintf(nodir, sizeof nodir, "%s", af_path("no/such/dir/a.npy"));
  snprintf(dup, sizeof dup, "%s", af_path("same.npy"));
  const char *paths[] = {wav, wav, wav, wav};
  const char *outputs[] = {nodir, dup, dup, NULL};
  core_collection_options_t o = options(1);
  seen *w = calloc(1, sizeof *w);
  AF_OK(core_set_num_threads(1)); /* file 1 before file 2 */
  AF_OK(core_collection_run(paths, 4, outputs, &o, record, w));
  AF_OK(core_set_num_threads(0));
  cr_expect_eq(w->status[0], CORE_E_NOT_FOUND, "%s", w->message[0]);
  cr_expect(strstr(w->message[0], "core_collection_run: cannot create") != NULL, "%s",
            w->message[0]);
  cr_expect_eq(w->status[1], CORE_OK, "%s", w->message[1]);
  cr_expect_eq(w->status[2], CORE_E_INVALID_ARGUMENT, "%s", w->message[2]);
  cr_expect(strstr(w->message[2], "is also file 1's") != NULL, "%s", w->message[2]);
  /* No output: analysed, nothing written. */
  cr_expect_eq(w->status[3], CORE_OK, "%s", w->message[3]);
  cr_expect(strstr(w->json[3], "\"features\":null,\"mel_frames\":0}") != NULL, "%s", w->json[3]);
  free(w);
}

Test(collection, callback_stops_the_run) {
  const char *wav = AF_TD("jfk_16k.wav");
  const char *paths[] = {wav, wav, wav, wav, wav, wav, wav, wav};
  seen *w = calloc(1, sizeof *w);
  w->stop_after = 2;
  AF_OK(core_set_num_threads(2));
  AF_ERR(CORE_E_UNAVAILABLE, "core_collection_run", "stopped by the callback",
         core_collection_run(paths, 8, NULL, NULL, record, w));
  AF_OK(core_set_num_threads(0));
  cr_expect_eq(w->total_calls, 2, "%d callbacks after the stop", w->total_calls);
  free(w);
}

Test(collection, timers_in_a_shared_registry) {
  const char *wav = AF_TD("jfk_16k.wav");
  const char *paths[] = {wav, wav, wav};
  core_metrics_t *m = NULL;
  AF_OK(core_metrics_create(NULL, &m));
  core_collection_options_t o = options(0);
  o.metrics = m;
  o.chunk_samples = 16000;
  seen *w = calloc(1, sizeof *w);
  AF_OK(core_collection_run(paths, 3, NULL, &o, record, w));
  AF_OK(core_collection_run(paths, 2, NULL, &o, record, w)); /* the same timers again */
  core_metric_id_t id;
  core_timer_stats_t ts = {.struct_size = sizeof ts};
  AF_OK(core_metrics_find(m, "collection.file", &id, NULL));
  AF_OK(core_metrics_timer_stats(m, id, &ts));
  cr_expect_eq(ts.count, 5);
  /* 11 s (176000 samples) at 16000 per chunk: 11 reads with data and the
   * one that finds the end. */
  AF_OK(core_metrics_find(m, "collection.read", &id, NULL));
  AF_OK(core_metrics_timer_stats(m, id, &ts));
  cr_expect_eq(ts.count, 5 * 12, "%llu reads", (unsigned long long)ts.count);
  AF_OK(core_metrics_find(m, "collection.vad", &id, NULL));
  AF_OK(core_metrics_timer_stats(m, id, &ts));
  cr_expect_eq(ts.count, 5 * 12, "%llu VAD steps (11 chunks and the flush)",
               (unsigned long long)ts.count);
  AF_OK(core_metrics_find(m, "collection.logmel", &id, NULL));
  AF_OK(core_metrics_timer_stats(m, id, &ts));
  cr_expect_eq(ts.count, 0, "features off: no log-mel");
  core_metrics_destroy(m);
  free(w);
}

#endif /* CORE_TEST_AUDIO_IO */

/* ---- the JSON record on its own -------------------------------------------- */

Test(collection, json_record) {
  core_file_summary_t s;
  memset(&s, 0, sizeof s);
  s.struct_size = sizeof s;
  s.path = "a \"quoted\"\\ name\n\x01.wav";
  s.status = CORE_E_FORMAT;
  s.message = "core_audio_open: bad\tthing";
  char buf[512];
  size_t len = 0;
  AF_OK(core_file_summary_json(&s, buf, sizeof buf, &len));
  cr_expect_str_eq(buf, "{\"path\":\"a \\\"quoted\\\"\\\\ name\\n\\u0001.wav\","
                        "\"status\":\"CORE_E_FORMAT\",\"error\":\"core_audio_open: bad\\tthing\"}");
  cr_expect_eq(len, strlen(buf));

  /* A good file with no samples: statistics are null, not NaN. */
  core_segment_t seg[2] = {{0, 1600}, {3200, 4800}};
  s.path = "x.wav";
  s.status = CORE_OK;
  s.message = "";
  s.sample_rate = 16000;
  s.info.format = CORE_AUDIO_FORMAT_FLAC;
  s.segments = seg;
  s.n_segments = 2;
  s.segments_total = 3;
  s.speech = 0.25;
  AF_OK(core_file_summary_json(&s, buf, sizeof buf, &len));
  cr_expect_str_eq(buf, "{\"path\":\"x.wav\",\"status\":\"CORE_OK\",\"error\":null,"
                        "\"format\":\"flac\",\"file_rate\":0,\"channels\":0,\"bits\":0,"
                        "\"frames\":0,\"rate\":16000,\"samples\":0,\"duration\":0,\"min\":null,"
                        "\"max\":null,\"mean\":null,\"std\":null,\"rms\":0,\"speech\":0.25,"
                        "\"segments\":[[0,1600],[3200,4800]],\"segments_total\":3,"
                        "\"features\":null,\"mel_frames\":0}");

  /* The size protocol. */
  const size_t full = len;
  len = 0;
  AF_ERR(CORE_E_BUFFER_TOO_SMALL, "core_file_summary_json", NULL,
         core_file_summary_json(&s, NULL, 0, &len));
  cr_expect_eq(len, full);
  char small[8] = "XXXXXXX";
  AF_ERR(CORE_E_BUFFER_TOO_SMALL, "core_file_summary_json", NULL,
         core_file_summary_json(&s, small, full, &len)); /* no room for the NUL */
  cr_expect_str_eq(small, "XXXXXXX");

  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_file_summary_json", "s is NULL",
         core_file_summary_json(NULL, buf, sizeof buf, &len));
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_file_summary_json", "len is NULL",
         core_file_summary_json(&s, buf, sizeof buf, NULL));
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_file_summary_json", "buf is NULL",
         core_file_summary_json(&s, NULL, 5, &len));
  s.n_segments = 3;
  s.segments = NULL;
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_file_summary_json", "s->segments is NULL",
         core_file_summary_json(&s, buf, sizeof buf, &len));
  s.struct_size = 8;
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_file_summary_json", "struct_size is 8",
         core_file_summary_json(&s, buf, sizeof buf, &len));
}

/* ---- bad arguments and options --------------------------------------------- */

Test(collection, bad_arguments) {
  const char *paths[] = {"/nonexistent/a.wav", NULL};
  seen *w = calloc(1, sizeof *w);
  core_collection_options_t o = options(0);
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_collection_run", "paths is NULL",
         core_collection_run(NULL, 2, NULL, &o, record, w));
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_collection_run", "paths[1] is NULL",
         core_collection_run(paths, 2, NULL, &o, record, w));
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_collection_run", "fn is NULL",
         core_collection_run(paths, 1, NULL, &o, NULL, w));
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_collection_options_init", "opts is NULL",
         core_collection_options_init(NULL));
#define BAD(change, needle)                                                              \
  do {                                                                                   \
    o = options(1);                                                                      \
    change;                                                                              \
    AF_ERR(CORE_E_INVALID_ARGUMENT, "core_collection_run", needle,                       \
           core_collection_run(paths, 1, NULL, &o, record, w));                          \
  } while (0)
  BAD(o.sample_rate = 999, "sample_rate is 999");
  BAD(o.chunk_samples = 0, "chunk_samples is 0");
  BAD(o.chunk_samples = CORE_COLLECTION_MAX_CHUNK + 1, "chunk_samples is");
  BAD(o.vad = 2, "vad is 2");
  BAD(o.features = -1, "features is -1");
  BAD(o.struct_size = 4, "struct_size is 4");
  BAD(o.vad_options.struct_size = 3, "opts->vad_options.struct_size is 3");
  BAD(o.logmel_options.struct_size = 2, "opts->logmel_options.struct_size is 2");
  BAD(o.vad_options.threshold = 2.0f, "vad_options: ");
  BAD(o.logmel_options.n_mels = 0, "logmel_options: ");
  BAD(o.sample_rate = 7000, "vad_options: "); /* the VAD takes 8000 .. 192000 */
#undef BAD
  /* A newer layout than this library knows. */
  o = options(0);
  o.struct_size += 8;
  AF_ERR(CORE_E_UNSUPPORTED, "core_collection_run", "newer libcore",
         core_collection_run(paths, 1, NULL, &o, record, w));
  cr_expect_eq(w->total_calls, 0, "no file was attempted");
  /* n = 0: nothing to do, no callback. */
  AF_OK(core_collection_run(NULL, 0, NULL, NULL, record, w));
  cr_expect_eq(w->total_calls, 0);
  free(w);
}

#if !CORE_TEST_AUDIO_IO
Test(collection, unsupported_without_audio_io) {
  const char *paths[] = {"/nonexistent/a.wav"};
  seen *w = calloc(1, sizeof *w);
  AF_ERR(CORE_E_UNSUPPORTED, "core_collection_run", "audio_io",
         core_collection_run(paths, 1, NULL, NULL, record, w));
  cr_expect_eq(w->total_calls, 0);
  free(w);
}
#endif
