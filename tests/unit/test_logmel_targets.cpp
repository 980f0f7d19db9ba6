// The log-mel on every Highway target this CPU supports (the mel kernel
// packs short calls differently from full ones, and its lane count is the
// target's): on each target, streams equal the offline result bit for bit;
// across targets, results agree within float32 rounding (fused or separate
// multiply-adds, the targets' log10). Runs the public C API, switching
// targets with Highway's SetSupportedTargetsForTest; analysers are created
// after each switch (their scratch is sized for the target's lanes).
#include <criterion/criterion.h>

#include <core/core.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include <hwy/targets.h>

namespace {

constexpr std::size_t kN = 16000 * 5 + 30;  // n % 160 = 30: the end reflects
constexpr std::size_t kMels = 80;

std::vector<float> signal() {
  std::mt19937 g(99);
  std::normal_distribution<float> noise(0.0f, 0.05f);
  std::vector<float> x(kN);
  for (std::size_t i = 0; i < kN; ++i)
    x[i] = 0.3f * std::sin(0.07f * static_cast<float>(i)) * std::sin(0.0003f * static_cast<float>(i)) +
           noise(g);
  std::fill(x.begin() + 30000, x.begin() + 34000, 0.0f);  // silence: the WHISPER floor
  return x;
}

core_logmel_options_t options(int mode) {
  core_logmel_options_t o;
  cr_assert_eq(core_logmel_options_init(&o), CORE_OK);
  o.mode = mode;
  o.window_frames = 0;
  return o;
}

std::vector<float> offline(int mode, const std::vector<float> &x) {
  const core_logmel_options_t o = options(mode);
  core_logmel_t *lm = nullptr;
  cr_assert_eq(core_logmel_create(&o, &lm), CORE_OK);
  std::vector<float> out(kMels * (x.size() / 160));
  std::size_t frames = 0;
  cr_assert_eq(core_logmel_compute(lm, x.data(), x.size(), out.data(), out.size(), &frames), CORE_OK);
  core_logmel_destroy(lm);
  return out;
}

// Frame-major stream output transposed to the offline layout.
std::vector<float> streamed(int mode, const std::vector<float> &x, std::size_t chunk) {
  const core_logmel_options_t o = options(mode);
  core_logmel_stream_t *s = nullptr;
  cr_assert_eq(core_logmel_stream_create(&o, &s), CORE_OK);
  for (std::size_t at = 0; at < x.size(); at += chunk)
    cr_assert_eq(core_logmel_stream_push(s, x.data() + at, std::min(chunk, x.size() - at)), CORE_OK);
  cr_assert_eq(core_logmel_stream_flush(s), CORE_OK);
  const std::size_t frames = x.size() / 160;
  std::vector<float> fm(kMels * frames), out(kMels * frames);
  std::size_t got = 0;
  cr_assert_eq(core_logmel_stream_read(s, fm.data(), frames, &got), CORE_OK);
  cr_assert_eq(got, frames);
  core_logmel_stream_destroy(s);
  for (std::size_t t = 0; t < frames; ++t)
    for (std::size_t m = 0; m < kMels; ++m) out[m * frames + t] = fm[t * kMels + m];
  return out;
}

}  // namespace

Test(logmel_targets, stream_equals_offline_and_targets_agree) {
  const std::vector<float> x = signal();
  std::vector<int64_t> targets = hwy::SupportedAndGeneratedTargets();
  std::sort(targets.begin(), targets.end(), [](int64_t a, int64_t b) { return a > b; });
  std::vector<float> base;
  const char *base_name = nullptr;
  for (int64_t t : targets) {
    hwy::SetSupportedTargetsForTest(t);
    cr_assert_str_eq(core_simd_target(), hwy::TargetName(t));
    for (int mode : {CORE_LOGMEL_LOG10, CORE_LOGMEL_WHISPER}) {
      const std::vector<float> off = offline(mode, x);
      for (std::size_t chunk : {std::size_t(320), std::size_t(1000), std::size_t(7)}) {
        const std::vector<float> st = streamed(mode, x, chunk);
        cr_expect(std::memcmp(st.data(), off.data(), off.size() * sizeof(float)) == 0,
                  "%s, mode %d, chunks of %zu: stream differs from offline", hwy::TargetName(t),
                  mode, chunk);
      }
      if (mode != CORE_LOGMEL_WHISPER) continue;
      if (base.empty()) {
        base = off;
        base_name = hwy::TargetName(t);
        continue;
      }
      double worst = 0.0;
      for (std::size_t i = 0; i < off.size(); ++i)
        worst = std::max(worst, std::fabs(static_cast<double>(off[i]) - base[i]));
      cr_expect_leq(worst, 1e-5, "%s vs %s: max |difference| %g", hwy::TargetName(t), base_name,
                    worst);
    }
  }
  hwy::SetSupportedTargetsForTest(0);
  cr_log_info("compared %zu targets", targets.size());
}
