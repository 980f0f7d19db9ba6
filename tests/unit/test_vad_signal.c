/* Unit tests for what the VAD hears, on synthetic signals (no test data
 * needed): the noise floor on digital silence, on noise and across level
 * changes, non-finite samples, speech at the start of a stream, padding,
 * maximum length and hysteresis. */
#include "test_vad_util.h"

/* ---- the noise floor ---------------------------------------------------------------- */

Test(vad_signal, digital_silence_and_noise_alone_give_nothing) {
  const size_t n = SEC(60);
  float *x = vu_zeros(n);
  core_vad_options_t o = vu_opts();
  vu_segs s;
  vu_offline(&o, x, n, &s);
  cr_assert_eq(s.n, 0, "digital silence: %zu segments", s.n);
  const double levels[] = {1e-4, 1e-3, 3e-2, 0.3};
  for (size_t l = 0; l < 4; ++l) {
    memset(x, 0, n * sizeof(float));
    vu_add_noise(x, n, levels[l], 20 + l);
    for (unsigned f = 10; f <= 30; f += 10) {
      o.frame_ms = f;
      vu_offline(&o, x, n, &s);
      cr_assert_eq(s.n, 0, "white noise sd %g, %u ms frames: %zu segments, first at %.2f s",
                   levels[l], f, s.n, s.n ? (double)s.s[0].start / RATE : 0.0);
    }
  }
  free(x);
}

/* Exact zero around a voice (the clean clip's case: the floor must not be
 * -inf dB, nor stay there). */
Test(vad_signal, voice_in_digital_silence) {
  const size_t n = SEC(4);
  float *x = vu_zeros(n);
  vu_add_voice(x, SEC(1), SEC(1.4), RATE, 0.05);
  core_vad_options_t o = vu_opts();
  vu_segs s;
  vu_offline(&o, x, n, &s);
  cr_assert_eq(s.n, 1, "%zu segments", s.n);
  NEAR(s.s[0].start, SEC(1) - MS(30), MS(30), "start %llu", (unsigned long long)s.s[0].start);
  NEAR(s.s[0].end, SEC(2.4) + MS(30), MS(30), "end %llu", (unsigned long long)s.s[0].end);
  free(x);
}

/* Rises slowly: noise jumps by 26 dB at 3 s and stays; it may count as
 * speech only until the floor has caught up (~1.7 s). Falls fast: when the
 * noise drops back at 9 s, a voice 0.5 s later that is 14 dB above the
 * quiet noise but 12 dB below the loud one is found. */
Test(vad_signal, noise_floor_rises_slowly_and_falls_fast) {
  const size_t n = SEC(12);
  float *x = vu_zeros(n);
  vu_add_noise(x, n, 1e-3, 7);
  vu_add_noise(x + SEC(3), SEC(6), 2e-2, 8);
  vu_add_voice(x, SEC(9.5), SEC(1.4), RATE, 5e-3);
  core_vad_options_t o = vu_opts();
  vu_segs s;
  vu_offline(&o, x, n, &s);
  cr_assert_geq(s.n, 1);
  for (size_t i = 0; i + 1 < s.n; ++i)
    cr_assert_leq(s.s[i].end, SEC(3) + SEC(2.0), "segment %zu = [%.2f, %.2f) s: the floor did "
                  "not rise within 2 s", i, (double)s.s[i].start / RATE, (double)s.s[i].end / RATE);
  const core_segment_t last = s.s[s.n - 1];
  NEAR(last.start, SEC(9.5) - MS(30), MS(60), "the voice after the drop starts at %.3f s",
       (double)last.start / RATE);
  NEAR(last.end, SEC(10.9) + MS(30), MS(60), "and ends at %.3f s", (double)last.end / RATE);
  free(x);
}

/* ---- non-finite samples (audio.h convention 3) ------------------------------------- */

/* Half a second of NaN and of +-Inf in the noise before a voice: those
 * frames are non-speech and leave the floor alone. Had they counted as
 * silence (0), the floor would sit at its minimum afterwards and the noise
 * would be speech for ~1.5 s. The voice is found as without them. */
Test(vad_signal, nonfinite_frames_are_not_speech_and_leave_the_floor) {
  const double a[] = {4.0}, b[] = {5.0};
  const size_t n = SEC(6);
  float *ref = vu_scene(n, a, b, 1, 9), *x = malloc(n * sizeof(float));
  cr_assert_not_null(x);
  const float bad[] = {NAN, INFINITY, -INFINITY, 1e30f};
  core_vad_options_t o = vu_opts();
  vu_segs r, s;
  vu_offline(&o, ref, n, &r);
  cr_assert_eq(r.n, 1);
  for (int k = 0; k < 4; ++k) {
    memcpy(x, ref, n * sizeof(float));
    for (size_t i = SEC(2.0); i < SEC(2.5); i += 7) x[i] = bad[k];
    vu_offline(&o, x, n, &s);
    cr_assert_eq(s.n, 1, "value %g: %zu segments", (double)bad[k], s.n);
    NEAR(s.s[0].start, r.s[0].start, MS(30), "value %g moved the start", (double)bad[k]);
    NEAR(s.s[0].end, r.s[0].end, MS(30), "value %g moved the end", (double)bad[k]);
  }
  free(ref);
  free(x);
}

/* A NaN inside speech is one non-speech frame: shorter than min_silence,
 * the segment goes on. A stream of nothing but NaN for 3 s recovers: the
 * voice after it is found. */
Test(vad_signal, nonfinite_inside_speech_and_recovery) {
  const size_t n = SEC(8);
  float *x = vu_zeros(n);
  vu_add_noise(x, n, 1e-3, 12);
  vu_add_voice(x, SEC(0.5), SEC(2), RATE, 0.05);
  x[SEC(1.5)] = NAN;
  for (size_t i = SEC(3); i < SEC(6); ++i) x[i] = NAN;
  vu_add_voice(x, SEC(6.5), SEC(1), RATE, 0.05);
  core_vad_options_t o = vu_opts();
  vu_segs s;
  vu_stream(&o, x, n, 320, NULL, &s);
  cr_assert_eq(s.n, 2, "%zu segments", s.n);
  NEAR(s.s[0].end, SEC(2.5) + MS(30), MS(60), "the NaN split the first voice");
  NEAR(s.s[1].start, SEC(6.5) - MS(30), MS(60), "no recovery after the NaN run");
  free(x);
}

/* ---- segment shaping ------------------------------------------------------------- */

/* Pads are clipped at the stream's ends; between two segments closer than
 * 2 * pad the gap is shared at its middle, farther apart each gets a pad. */
Test(vad_signal, padding_is_clipped_and_shared) {
  const size_t n = SEC(4);
  float *x = vu_zeros(n);
  vu_add_noise(x, n, 1e-3, 21);
  vu_add_voice(x, SEC(0.03), SEC(0.97), RATE, 0.05); /* from the second frame */
  vu_add_voice(x, SEC(1.15), SEC(0.85), RATE, 0.05); /* a 150 ms gap */
  vu_add_voice(x, SEC(3), SEC(1), RATE, 0.05);      /* to the end */
  core_vad_options_t o = vu_opts(); /* min_silence 100 ms: the 150 ms gap splits */
  o.speech_pad_ms = 200;
  vu_segs s;
  vu_offline(&o, x, n, &s);
  cr_assert_eq(s.n, 3, "%zu segments", s.n);
  cr_assert_eq(s.s[0].start, 0, "clipped at the start");
  cr_assert_eq(s.s[0].end, s.s[1].start, "a 150 ms gap < 2 * 200 ms pad is shared");
  NEAR(s.s[0].end, SEC(1.075), MS(30), "shared at %llu", (unsigned long long)s.s[0].end);
  NEAR(s.s[1].end, SEC(2) + MS(200), MS(30), "a lone end gets its pad");
  NEAR(s.s[2].start, SEC(3) - MS(200), MS(30), "a lone start gets its pad");
  cr_assert_eq(s.s[2].end, n, "clipped at the end");
  free(x);
}

/* The floor starts from the first frames, so speech that starts with the
 * stream is found from its first dip on (audio.h), here within 0.75 s. */
Test(vad_signal, a_stream_that_starts_in_speech) {
  const size_t n = SEC(4);
  float *x = vu_zeros(n);
  vu_add_noise(x, n, 1e-3, 22);
  vu_add_voice(x, 0, SEC(2.9), RATE, 0.05);
  core_vad_options_t o = vu_opts();
  vu_segs s;
  vu_offline(&o, x, n, &s);
  cr_assert_eq(s.n, 1, "%zu segments", s.n);
  cr_assert_leq(s.s[0].start, SEC(0.75), "found only at %.3f s", (double)s.s[0].start / RATE);
  NEAR(s.s[0].end, SEC(2.9) + MS(30), MS(60), "end %.3f s", (double)s.s[0].end / RATE);
  free(x);
}

/* max_speech_ms: 10 s of continuous voice in pieces that touch, each at
 * most max_speech_ms with its padding, each but the last at least half of
 * the speech limit (the cut is in the second half). */
Test(vad_signal, max_speech_splits_long_segments) {
  const size_t n = SEC(12);
  float *x = vu_zeros(n);
  vu_add_noise(x, n, 1e-3, 16);
  vu_add_voice(x, SEC(1), SEC(10), RATE, 0.05);
  core_vad_options_t o = vu_opts();
  o.max_speech_ms = 2000;
  vu_segs s;
  vu_stream(&o, x, n, 0, &(tu_rng){77}, &s);
  cr_assert_geq(s.n, 5, "%zu pieces", s.n);
  NEAR(s.s[0].start, SEC(1) - MS(30), MS(30), "first piece starts at %llu",
       (unsigned long long)s.s[0].start);
  NEAR(s.s[s.n - 1].end, SEC(11) + MS(30), MS(30), "last piece ends at %llu",
       (unsigned long long)s.s[s.n - 1].end);
  const uint64_t limit = MS(2000), speech = MS(2000 - 2 * 30);
  for (size_t i = 0; i < s.n; ++i) {
    const uint64_t len = s.s[i].end - s.s[i].start;
    cr_assert_leq(len, limit, "piece %zu is %llu samples", i, (unsigned long long)len);
    if (i + 1 < s.n) {
      cr_assert_eq(s.s[i].end, s.s[i + 1].start, "pieces %zu and %zu do not touch", i, i + 1);
      cr_assert_geq(len, speech / 2, "piece %zu is only %llu samples", i, (unsigned long long)len);
    }
  }
  /* without the limit: one segment */
  o.max_speech_ms = 0;
  vu_offline(&o, x, n, &s);
  cr_assert_eq(s.n, 1);
  free(x);
}

/* A segment at the limit while a pause is in progress ends where the pause
 * began, and the pause is not part of the next piece. */
Test(vad_signal, max_speech_cuts_at_a_pause_in_progress) {
  const size_t n = SEC(5);
  float *x = vu_zeros(n);
  vu_add_noise(x, n, 1e-3, 17);
  vu_add_voice(x, SEC(0.5), SEC(1.4), RATE, 0.05);  /* 0.5 - 1.9 s */
  vu_add_voice(x, SEC(2.5), SEC(1.5), RATE, 0.05);  /* after a 0.6 s pause */
  core_vad_options_t o = vu_opts();
  o.min_silence_ms = 1000; /* the pause alone would not end the segment */
  o.max_speech_ms = 1700;  /* speech limit 1640 ms: reached at 2.14 s, in the pause */
  vu_segs s;
  vu_offline(&o, x, n, &s);
  cr_assert_eq(s.n, 2, "%zu segments", s.n);
  NEAR(s.s[0].end, SEC(1.9) + MS(30), MS(30), "cut at %llu", (unsigned long long)s.s[0].end);
  NEAR(s.s[1].start, SEC(2.5) - MS(30), MS(30), "next at %llu", (unsigned long long)s.s[1].start);
  free(x);
}

/* The exit threshold applies to the score: a voice fading out slowly stays
 * in its segment longer with a low exit threshold than with one just under
 * the entry threshold. */
Test(vad_signal, hysteresis_uses_the_exit_threshold) {
  const size_t n = SEC(5);
  float *x = vu_zeros(n);
  vu_add_noise(x, n, 1e-3, 18);
  float *v = vu_zeros(SEC(3));
  vu_add_voice(v, 0, SEC(3), RATE, 0.05);
  for (size_t i = SEC(1); i < SEC(3); ++i) v[i] *= (float)pow(10.0, -2.0 * (i - SEC(1)) / SEC(2));
  for (size_t i = 0; i < SEC(3); ++i) x[SEC(1) + i] += v[i]; /* -40 dB over the last 2 s */
  core_vad_options_t o = vu_opts();
  o.threshold = 0.9f;
  o.neg_threshold = 0.85f;
  vu_segs tight, loose;
  vu_offline(&o, x, n, &tight);
  o.neg_threshold = 0.05f;
  vu_offline(&o, x, n, &loose);
  cr_assert_eq(tight.n, 1);
  cr_assert_eq(loose.n, 1);
  cr_assert_eq(loose.s[0].start, tight.s[0].start);
  cr_assert_gt(loose.s[0].end, tight.s[0].end + MS(60), "exit threshold 0.05: end %llu, 0.85: %llu",
               (unsigned long long)loose.s[0].end, (unsigned long long)tight.s[0].end);
  free(v);
  free(x);
}
