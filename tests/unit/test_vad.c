/* Unit tests for the VAD's interface on synthetic signals (no test data
 * needed): options and presets, chunk-size independence, open segments,
 * flush, reset, and every frame size at several rates. The synthetic
 * "voice" is a 140 Hz harmonic series modulated at 4 Hz like syllables
 * (test_vad_util.h). */
#include "test_vad_util.h"

/* ---- options and presets --------------------------------------------------------- */

Test(vad, options_init_gives_the_documented_defaults) {
  core_vad_options_t o;
  memset(&o, 0xab, sizeof o);
  OK(core_vad_options_init(&o));
  cr_assert_eq(o.struct_size, sizeof(core_vad_options_t));
  cr_assert_eq(o.sample_rate, 16000);
  cr_assert_eq(o.frame_ms, 30);
  cr_assert_eq(o.threshold, 0.5f);
  cr_assert_eq(o.neg_threshold, 0.0f);
  cr_assert_eq(o.min_speech_ms, 250);
  cr_assert_eq(o.min_silence_ms, 100);
  cr_assert_eq(o.speech_pad_ms, 30);
  cr_assert_eq(o.max_speech_ms, 0);
}

Test(vad, presets_set_what_the_header_describes) {
  core_vad_options_t d, p;
  OK(core_vad_options_init(&d));
  OK(core_vad_options_preset(&p, CORE_VAD_PRESET_DEFAULT));
  cr_assert(memcmp(&d, &p, sizeof d) == 0, "the DEFAULT preset differs from options_init");
  OK(core_vad_options_preset(&p, CORE_VAD_PRESET_TRANSCRIBE));
  cr_assert_eq(p.min_silence_ms, 2000);
  cr_assert_eq(p.speech_pad_ms, 400);
  cr_assert_eq(p.min_speech_ms, 0, "faster-whisper's min_speech_duration_ms is 0");
  cr_assert_eq(p.threshold, d.threshold);
  cr_assert_eq(p.max_speech_ms, 0);
  OK(core_vad_options_preset(&p, CORE_VAD_PRESET_AGGRESSIVE));
  cr_assert_gt(p.threshold, d.threshold);
  cr_assert_gt(p.min_speech_ms, d.min_speech_ms);
  cr_assert_eq(p.min_silence_ms, d.min_silence_ms);
  cr_assert_eq(p.speech_pad_ms, d.speech_pad_ms);
  core_vad_t *v = vu_make(&p); /* every preset is valid */
  core_vad_destroy(v);
}

/* Voices at 1-2 s and 2.6-3.6 s (a 0.6 s pause), a 300 ms burst of loud
 * noise at 5 s (a bang), a voice at 6.5-7.5 s. DEFAULT: three voices and the
 * bang; AGGRESSIVE: the bang is too short (400 ms minimum); TRANSCRIBE: no
 * pause is long enough to split (2 s), and padding is 400 ms. */
Test(vad, presets_differ_as_described) {
  const double a[] = {1.0, 2.6, 6.5}, b[] = {2.0, 3.6, 7.5};
  const size_t n = SEC(9);
  float *x = vu_scene(n, a, b, 3, 11);
  tu_rng r = tu_rng_make(5);
  for (size_t i = SEC(5.0); i < SEC(5.3); ++i) x[i] += (float)tu_normal(&r, 0.0, 0.1);
  core_vad_options_t o;
  vu_segs d, g, t;
  OK(core_vad_options_preset(&o, CORE_VAD_PRESET_DEFAULT));
  vu_offline(&o, x, n, &d);
  OK(core_vad_options_preset(&o, CORE_VAD_PRESET_AGGRESSIVE));
  vu_offline(&o, x, n, &g);
  OK(core_vad_options_preset(&o, CORE_VAD_PRESET_TRANSCRIBE));
  vu_offline(&o, x, n, &t);
  cr_assert_eq(d.n, 4, "DEFAULT: %zu segments", d.n);
  NEAR(d.s[2].start, SEC(5.0) - MS(30), MS(60), "DEFAULT reports the bang");
  cr_assert_eq(g.n, 3, "AGGRESSIVE: %zu segments", g.n);
  for (size_t i = 0; i < g.n; ++i)
    cr_assert(g.s[i].end <= SEC(4.9) || g.s[i].start >= SEC(5.4), "AGGRESSIVE kept the bang");
  /* every pause here (0.6, 1.4, 1.2 s) is under 2 s */
  cr_assert_eq(t.n, 1, "TRANSCRIBE: %zu segments", t.n);
  NEAR(t.s[0].start, SEC(1.0) - MS(400), MS(60), "TRANSCRIBE pads by 400 ms");
  NEAR(t.s[0].end, SEC(7.5) + MS(400), MS(60), "TRANSCRIBE pads by 400 ms");
  free(x);
}

/* ---- chunking -------------------------------------------------------------------- */

/* One signal, several option sets: 1-sample pushes, 1-second pushes,
 * random pushes and core_vad_segments agree exactly. The signal has voices,
 * a noise level step and NaNs, and options that exercise the 10 ms frames'
 * overlapping windows, padding shared between close segments, maximum
 * length splits and a trailing partial frame. */
Test(vad, chunk_size_never_matters) {
  const double a[] = {0.7, 2.0, 2.45, 6.0, 11.0}, b[] = {1.9, 2.3, 5.5, 10.5, 13.0};
  const size_t n = SEC(14) + 123;
  float *x = vu_scene(n, a, b, 5, 3);
  vu_add_noise(x + SEC(8), SEC(2), 2e-2, 4); /* a noise step the floor must follow */
  for (size_t i = SEC(3.1); i < SEC(3.1) + 40; ++i) x[i] = NAN;
  core_vad_options_t os[4];
  os[0] = vu_opts();
  os[1] = vu_opts();
  os[1].frame_ms = 10;
  os[1].min_silence_ms = 50;
  os[1].speech_pad_ms = 200;
  os[2] = vu_opts();
  os[2].frame_ms = 20;
  os[2].max_speech_ms = 1500;
  os[3] = vu_opts();
  os[3].sample_rate = 16000;
  os[3].threshold = 0.8f;
  os[3].neg_threshold = 0.2f;
  os[3].min_speech_ms = 0;
  os[3].min_silence_ms = 0;
  for (int k = 0; k < 4; ++k) {
    vu_segs off, one, sec, rnd;
    tu_rng r = tu_rng_make(100 + (uint64_t)k);
    vu_offline(&os[k], x, n, &off);
    vu_stream(&os[k], x, n, 1, NULL, &one);
    vu_stream(&os[k], x, n, (size_t)RATE, NULL, &sec);
    vu_stream(&os[k], x, n, 0, &r, &rnd);
    cr_assert_geq(off.n, 3, "options %d: only %zu segments, a weak test", k, off.n);
    vu_assert_well_formed(&off, n);
    vu_assert_same(&off, &one, "1-sample chunks");
    vu_assert_same(&off, &sec, "1-second chunks");
    vu_assert_same(&off, &rnd, "random chunks");
  }
  free(x);
}

/* ---- streaming: open segment, flush, reset ----------------------------------------- */

Test(vad, open_segment_reports_the_start_before_the_end) {
  const double a[] = {1.0}, b[] = {3.0};
  const size_t n = SEC(4);
  float *x = vu_scene(n, a, b, 1, 13);
  core_vad_options_t o = vu_opts();
  core_vad_t *v = vu_make(&o);
  uint64_t start = 0, seen = UINT64_MAX;
  size_t first_open = 0, pos = 0;
  core_segment_t seg;
  for (; pos < n; pos += 160) {
    OK(core_vad_push(v, x + pos, 160));
    const core_status st = core_vad_open_segment(v, &start);
    if (st == CORE_OK) {
      if (seen == UINT64_MAX) first_open = pos + 160, seen = start;
      cr_assert_eq(start, seen, "the open segment's start moved");
      cr_assert_eq(core_vad_next_segment(v, &seg), CORE_E_EMPTY, "final while still open");
    } else {
      cr_assert_eq(st, CORE_E_EMPTY);
      if (seen != UINT64_MAX) break; /* it closed */
    }
  }
  cr_assert_neq(seen, UINT64_MAX, "no segment was ever open");
  NEAR(seen, SEC(1) - MS(30), MS(30), "open start %llu", (unsigned long long)seen);
  /* open once min_speech (250 ms) of speech has passed, within a frame */
  cr_assert_geq(first_open, SEC(1) + MS(250), "open too early, at %zu", first_open);
  cr_assert_leq(first_open, SEC(1) + MS(250) + MS(60), "open too late, at %zu", first_open);
  /* it closed after min_silence, and the final segment keeps the start */
  cr_assert_leq(pos, SEC(3) + MS(100) + MS(60), "closed at %zu", pos);
  OK(core_vad_next_segment(v, &seg));
  cr_assert_eq(seg.start, seen);
  NEAR(seg.end, SEC(3) + MS(30), MS(30), "end %llu", (unsigned long long)seg.end);
  core_vad_destroy(v);
  free(x);
}

/* Speech up to the end of a stream whose length is not a whole number of
 * frames: the segment appears only at flush, ends at the last sample, and
 * a second flush adds nothing. */
Test(vad, flush_closes_the_open_segment_and_the_partial_frame) {
  const size_t n = SEC(2) + 77;
  float *x = vu_zeros(n);
  vu_add_noise(x, n, 1e-3, 14);
  vu_add_voice(x, SEC(1), n - SEC(1), RATE, 0.05);
  core_vad_options_t o = vu_opts();
  core_vad_t *v = vu_make(&o);
  core_segment_t seg;
  OK(core_vad_push(v, x, n));
  cr_assert_eq(core_vad_next_segment(v, &seg), CORE_E_EMPTY);
  uint64_t start;
  OK(core_vad_open_segment(v, &start));
  OK(core_vad_flush(v));
  OK(core_vad_next_segment(v, &seg));
  cr_assert_eq(seg.start, start);
  cr_assert_eq(seg.end, n, "end %llu, expected the stream's end %zu",
               (unsigned long long)seg.end, n);
  cr_assert_eq(core_vad_open_segment(v, &start), CORE_E_EMPTY);
  OK(core_vad_flush(v));
  cr_assert_eq(core_vad_next_segment(v, &seg), CORE_E_EMPTY, "a second flush added a segment");
  core_vad_destroy(v);
  /* a voice that starts only in the trailing partial frame is too short */
  float *y = vu_zeros(SEC(1) + 100);
  vu_add_voice(y, SEC(1), 100, RATE, 0.2);
  vu_segs s;
  vu_offline(&o, y, SEC(1) + 100, &s);
  cr_assert_eq(s.n, 0);
  o.min_speech_ms = 0; /* ... unless any speech is kept: then it is found, clipped */
  vu_offline(&o, y, SEC(1) + 100, &s);
  cr_assert_eq(s.n, 1, "the partial frame was not analysed");
  cr_assert_eq(s.s[0].end, SEC(1) + 100);
  free(y);
  free(x);
}

Test(vad, reset_starts_a_new_stream) {
  const double a[] = {0.5, 2.0}, b[] = {1.5, 3.0};
  const size_t n = SEC(3.5);
  float *x = vu_scene(n, a, b, 2, 15);
  core_vad_options_t o = vu_opts();
  vu_segs ref, got = {.n = 0};
  vu_offline(&o, x, n, &ref);
  cr_assert_eq(ref.n, 2);
  core_vad_t *v = vu_make(&o);
  /* a first stream, left mid-speech with a segment unread and one open */
  OK(core_vad_push(v, x, SEC(2.5)));
  uint64_t start;
  OK(core_vad_open_segment(v, &start));
  OK(core_vad_flush(v));
  OK(core_vad_reset(v));
  core_segment_t seg;
  cr_assert_eq(core_vad_next_segment(v, &seg), CORE_E_EMPTY, "reset kept a segment");
  cr_assert_eq(core_vad_open_segment(v, &start), CORE_E_EMPTY, "reset kept the open segment");
  OK(core_vad_push(v, x, n)); /* accepted again, positions from 0 */
  OK(core_vad_flush(v));
  vu_drain(v, &got);
  vu_assert_same(&ref, &got, "after reset");
  core_vad_destroy(v);
  core_vad_destroy(NULL);
  free(x);
}

/* ---- other rates and frame sizes ------------------------------------------------- */

Test(vad, every_frame_size_at_several_rates) {
  const unsigned rates[] = {8000, 16000, 22050, 44100, 48000, 192000};
  const unsigned frames[] = {10, 20, 30};
  for (size_t r = 0; r < 6; ++r) {
    const double rate = rates[r];
    const size_t n = (size_t)(3.0 * rate);
    float *x = vu_zeros(n);
    vu_add_noise(x, n, 1e-3, 19 + r);
    vu_add_voice(x, (size_t)(1.0 * rate), (size_t)(1.2 * rate), rate, 0.05);
    for (size_t f = 0; f < 3; ++f) {
      core_vad_options_t o = vu_opts();
      o.sample_rate = rates[r];
      o.frame_ms = frames[f];
      if ((uint64_t)rates[r] * frames[f] % 1000 != 0) continue; /* 22050 Hz: 20 ms only */
      vu_segs s;
      vu_offline(&o, x, n, &s);
      cr_assert_eq(s.n, 1, "%u Hz, %u ms: %zu segments", rates[r], frames[f], s.n);
      const double tol = 0.07 * rate;
      cr_assert_leq(fabs((double)s.s[0].start - 0.97 * rate), tol, "%u Hz, %u ms: start %.3f s",
                    rates[r], frames[f], (double)s.s[0].start / rate);
      cr_assert_leq(fabs((double)s.s[0].end - 2.23 * rate), tol, "%u Hz, %u ms: end %.3f s",
                    rates[r], frames[f], (double)s.s[0].end / rate);
    }
    free(x);
  }
}
