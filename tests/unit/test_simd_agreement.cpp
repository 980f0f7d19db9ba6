// Every Highway target this CPU supports must agree with the portable
// baseline target on the same inputs: exactly for generators, PCM and
// counts, within a few ulps for float64 reductions (lane counts change the
// summation order). Runs the public C API, switching targets with Highway's
// SetSupportedTargetsForTest, which re-points every HWY_DYNAMIC_DISPATCH.
#include <criterion/criterion.h>

#include <core/core.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <random>
#include <vector>

#include <hwy/targets.h>

namespace {

// Runs `fn` once per target, lowest (most portable) first, and returns the
// results; restores the normal dispatch afterwards.
template <class R>
std::vector<std::pair<const char *, R>> per_target(const std::function<R()> &fn) {
  std::vector<int64_t> targets = hwy::SupportedAndGeneratedTargets();
  std::sort(targets.begin(), targets.end(), [](int64_t a, int64_t b) { return a > b; });
  std::vector<std::pair<const char *, R>> results;
  for (int64_t t : targets) {
    hwy::SetSupportedTargetsForTest(t);
    cr_assert_str_eq(core_simd_target(), hwy::TargetName(t));
    results.emplace_back(hwy::TargetName(t), fn());
  }
  hwy::SetSupportedTargetsForTest(0);
  cr_assert(results.size() >= 1);
  cr_log_info("compared %zu targets, baseline %s", results.size(), results[0].first);
  return results;
}

double ulps(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return 0.0;
  if (a == b) return 0.0;
  const double ulp = std::nextafter(std::fabs(b), INFINITY) - std::fabs(b);
  return std::fabs(a - b) / ulp;
}

// Distance in float32 ulps, for float32 outputs.
double fulps(float a, float b) {
  if (std::isnan(a) && std::isnan(b)) return 0.0;
  if (a == b) return 0.0;
  const float ulp = std::nextafter(std::fabs(b), INFINITY) - std::fabs(b);
  return std::fabs(static_cast<double>(a) - b) / ulp;
}

std::vector<float> random_f32(std::size_t n, double mean, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> dist(mean, 1.0);
  std::vector<float> x(n);
  for (auto &v : x) v = static_cast<float>(dist(rng));
  return x;
}

std::vector<double> random_f64(std::size_t n, double mean, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> dist(mean, 1.0);
  std::vector<double> x(n);
  for (auto &v : x) v = dist(rng);
  return x;
}

// Sizes that hit every vector tail and several blocks.
const std::size_t kSizes[] = {1, 3, 17, 100, 2047, 2049, 100003};

}  // namespace

Test(simd_agreement, stats_f32_and_f64) {
  for (std::size_t n : kSizes) {
    const auto xf = random_f32(n, 100.0, 1);
    const auto xd = random_f64(n, 1e6, 2);
    for (int which = 0; which < 2; ++which) {
      auto res = per_target<core_stats_t>([&] {
        core_stats_t s;
        core_status st = which ? core_stats_f64(xd.data(), n, CORE_NAN_PROPAGATE, &s)
                               : core_stats_f32(xf.data(), n, CORE_NAN_PROPAGATE, &s);
        cr_assert_eq(st, CORE_OK);
        return s;
      });
      const core_stats_t &base = res[0].second;
      for (const auto &r : res) {
        cr_expect_eq(r.second.count, base.count, "%s n=%zu", r.first, n);
        cr_expect_eq(r.second.min, base.min, "%s n=%zu min", r.first, n);
        cr_expect_eq(r.second.max, base.max, "%s n=%zu max", r.first, n);
        cr_expect_leq(ulps(r.second.mean, base.mean), 4.0, "%s n=%zu mean", r.first, n);
        cr_expect_leq(ulps(r.second.m2, base.m2), 8.0, "%s n=%zu m2 %.17g vs %.17g", r.first,
                      n, r.second.m2, base.m2);
      }
    }
  }
}

Test(simd_agreement, nan_handling) {
  auto x = random_f32(5000, 0.0, 3);
  x[4321] = NAN;
  x[17] = NAN;
  auto res = per_target<core_stats_t>([&] {
    core_stats_t s;
    cr_assert_eq(core_stats_f32(x.data(), x.size(), CORE_NAN_OMIT, &s), CORE_OK);
    return s;
  });
  for (const auto &r : res) {
    cr_expect_eq(r.second.nan_count, 2u, "%s", r.first);
    cr_expect_eq(r.second.count, 4998u, "%s", r.first);
    cr_expect_leq(ulps(r.second.m2, res[0].second.m2), 8.0, "%s", r.first);
  }
}

Test(simd_agreement, generators_are_exact) {
  const std::size_t n = 10007;
  auto res = per_target<std::vector<float>>([&] {
    std::vector<float> out(3 * n);
    std::size_t len = 0;
    cr_assert_eq(core_arange_f32(-3.5, -3.5 + 0.37 * n, 0.37, out.data(), n, &len), CORE_OK);
    cr_assert_eq(core_linspace_f32(1.0, -7.25, n, 1, out.data() + n), CORE_OK);
    cr_assert_eq(core_fill_f32(out.data() + 2 * n, n, 0.1f), CORE_OK);
    return out;
  });
  for (const auto &r : res)
    cr_expect(std::memcmp(r.second.data(), res[0].second.data(), r.second.size() * 4) == 0,
              "%s differs from %s", r.first, res[0].first);
}

Test(simd_agreement, pcm_roundtrip_is_exact) {
  std::vector<std::int16_t> pcm(65536 + 13);
  for (std::size_t i = 0; i < pcm.size(); ++i) pcm[i] = static_cast<std::int16_t>(i);
  auto res = per_target<std::vector<std::int16_t>>([&] {
    std::vector<float> f(pcm.size());
    std::vector<std::int16_t> back(pcm.size() + 8);
    cr_assert_eq(core_pcm16_to_f32(pcm.data(), pcm.size(), f.data()), CORE_OK);
    f.push_back(1.5f);  // clipped
    f.push_back(NAN);   // NaN -> 0, counted
    std::size_t clipped = 0;
    cr_assert_eq(core_f32_to_pcm16(f.data(), f.size(), back.data(), &clipped), CORE_OK);
    cr_expect_eq(clipped, 2u);
    back.resize(f.size());
    return back;
  });
  for (const auto &r : res) {
    cr_expect(std::memcmp(r.second.data(), pcm.data(), pcm.size() * 2) == 0, "%s", r.first);
    cr_expect(r.second == res[0].second, "%s", r.first);
  }
}

// Each target cuts cumsum chunks into as many segments as it has float64
// lanes, so the order of the compensated additions differs; every target
// must still round the exact prefix sums the same to within one ulp.
Test(simd_agreement, cumsum) {
  const std::size_t n = 100003;
  const auto xf = random_f32(n, 0.5, 7);
  const auto xd = random_f64(n, -3.0, 8);
  struct Out {
    std::vector<float> f;
    std::vector<double> d;
  };
  auto res = per_target<Out>([&] {
    Out o{std::vector<float>(n), std::vector<double>(n)};
    cr_assert_eq(core_cumsum_f32(xf.data(), n, o.f.data()), CORE_OK);
    cr_assert_eq(core_cumsum_f64(xd.data(), n, o.d.data()), CORE_OK);
    return o;
  });
  for (const auto &r : res) {
    std::size_t fbad = 0, dbad = 0;
    for (std::size_t i = 0; i < n; ++i) {
      fbad += fulps(r.second.f[i], res[0].second.f[i]) > 1.0;
      dbad += ulps(r.second.d[i], res[0].second.d[i]) > 1.0;
    }
    cr_expect_eq(fbad, 0u, "%s: %zu float32 prefix sums differ by > 1 ulp", r.first, fbad);
    cr_expect_eq(dbad, 0u, "%s: %zu float64 prefix sums differ by > 1 ulp", r.first, dbad);
  }
}

Test(simd_agreement, reductions_and_transforms) {
  const std::size_t n = 100003;
  const auto x = random_f32(n, 0.0, 5), y = random_f32(n, 1.0, 6);
  struct Out {
    double dot, corr, energy, zcr;
    std::vector<float> pdf, z;
  };
  auto res = per_target<Out>([&] {
    Out o;
    cr_assert_eq(core_dot_f32(x.data(), y.data(), n, &o.dot), CORE_OK);
    cr_assert_eq(core_corrcoef_f32(x.data(), y.data(), n, &o.corr), CORE_OK);
    cr_assert_eq(core_energy_f32(x.data(), n, &o.energy), CORE_OK);
    cr_assert_eq(core_zero_crossing_rate_f32(x.data(), n, &o.zcr), CORE_OK);
    o.pdf.resize(n);
    cr_assert_eq(core_normal_pdf_f32(x.data(), n, 0.25, 1.5, o.pdf.data()), CORE_OK);
    o.z = x;
    cr_assert_eq(core_normalize_f32(o.z.data(), n, 1, CORE_NAN_PROPAGATE), CORE_OK);
    return o;
  });
  const Out &b = res[0].second;
  for (const auto &r : res) {
    // The dot of zero-mean data cancels: bound the difference by the
    // magnitude of the terms (about n), not by the small result.
    cr_expect_leq(std::fabs(r.second.dot - b.dot), 1e-13 * n, "%s dot", r.first);
    cr_expect_leq(std::fabs(r.second.corr - b.corr), 1e-13, "%s corr", r.first);
    cr_expect_leq(ulps(r.second.energy, b.energy), 16.0, "%s energy", r.first);
    cr_expect_eq(r.second.zcr, b.zcr, "%s zcr", r.first);
    std::size_t pdf_bad = 0, z_bad = 0;
    for (std::size_t i = 0; i < n; ++i) {
      pdf_bad += fulps(r.second.pdf[i], b.pdf[i]) > 1.0;
      z_bad += fulps(r.second.z[i], b.z[i]) > 1.0;
    }
    cr_expect_eq(pdf_bad, 0u, "%s: %zu pdf values differ by > 1 float ulp", r.first, pdf_bad);
    cr_expect_eq(z_bad, 0u, "%s: %zu z-scores differ by > 1 float ulp", r.first, z_bad);
  }
}
