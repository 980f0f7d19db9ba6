// The analysis window and the mel filterbank, computed once per analyser.
//
// Both are computed in float64 and stored in float32, as Whisper's
// mel_filters.npz holds librosa's filters (librosa.filters.mel with its
// defaults: Slaney's mel scale, Slaney's area normalization). The bank is
// kept only in sparse form, each band's non-zero bins: a triangle touches
// a handful of bins, and the dense matrix of the largest allowed sizes
// (32769 x 32769) would be 4 GiB.
#include <cmath>
#include <cstdint>
#include <vector>

#include "libcore/audio/logmel.h"

namespace core {
namespace audio {

namespace {

// Slaney's mel scale (librosa's htk=False): linear below 1 kHz at 200/3 Hz
// per mel, logarithmic above with 27 mels per factor 6.4.
constexpr double kLinHzPerMel = 200.0 / 3.0;
constexpr double kLogHz = 1000.0;
constexpr double kLogMel = kLogHz / kLinHzPerMel;  // 15
const double kLogStep = std::log(6.4) / 27.0;

double hz_to_mel(double hz) {
  if (hz >= kLogHz) return kLogMel + std::log(hz / kLogHz) / kLogStep;
  return hz / kLinHzPerMel;
}

double mel_to_hz(double mel) {
  if (mel >= kLogMel) return kLogHz * std::exp(kLogStep * (mel - kLogMel));
  return kLinHzPerMel * mel;
}

}  // namespace

std::vector<float> hann_periodic(std::size_t n) {
  // torch.hann_window(n) (periodic=True): the first n points of a
  // symmetric window of n + 1, so w[0] = 0 and the peak is at n / 2.
  const double pi = 3.14159265358979323846;
  std::vector<float> w(n);
  for (std::size_t i = 0; i < n; ++i)
    w[i] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * pi * static_cast<double>(i) /
                                                   static_cast<double>(n)));
  return w;
}

SparseMel mel_filterbank(const LogmelConfig &c) {
  const std::size_t n_bins = c.n_fft / 2 + 1, n_mels = c.n_mels;
  // n_mels + 2 band edges equally spaced in mel (np.linspace: start + i *
  // step, the last one exactly the end).
  const double lo = hz_to_mel(c.fmin), hi = hz_to_mel(c.fmax);
  const std::size_t n_edges = n_mels + 2;
  const double step = (hi - lo) / static_cast<double>(n_edges - 1);
  std::vector<double> edge(n_edges);
  for (std::size_t i = 0; i < n_edges; ++i)
    edge[i] = mel_to_hz(i + 1 == n_edges ? hi : lo + static_cast<double>(i) * step);
  // Bin k is at k * sample_rate / n_fft Hz (np.fft.rfftfreq).
  const double bin_hz = static_cast<double>(c.sample_rate) / static_cast<double>(c.n_fft);

  SparseMel s;
  s.n_mels = n_mels;
  s.n_bins = n_bins;
  s.first.resize(n_mels);
  s.len.resize(n_mels);
  s.offset.resize(n_mels);
  std::vector<float> row;
  for (std::size_t m = 0; m < n_mels; ++m) {
    const double left = edge[m], centre = edge[m + 1], right = edge[m + 2];
    // Weights are zero outside (left, right); evaluate a bin more on each
    // side of that interval so rounding in the bounds cannot lose one.
    const double kl = std::floor(left / bin_hz) - 1.0, kr = std::ceil(right / bin_hz) + 1.0;
    const std::size_t k0 = kl < 0.0 ? 0 : static_cast<std::size_t>(kl);
    const std::size_t k1 = kr + 1.0 > static_cast<double>(n_bins) ? n_bins
                                                                  : static_cast<std::size_t>(kr) + 1;
    // librosa: max(0, min(rising, falling)) scaled by 2 / (right - left).
    const double norm = 2.0 / (right - left);
    row.clear();
    std::size_t first = 0;
    for (std::size_t k = k0; k < k1; ++k) {
      const double f = static_cast<double>(k) * bin_hz;
      const double rising = (f - left) / (centre - left);
      const double falling = (right - f) / (right - centre);
      double w = rising < falling ? rising : falling;
      if (!(w > 0.0)) w = 0.0;
      const float wf = static_cast<float>(w * norm);
      if (wf == 0.0f && row.empty()) continue;  // leading zeros
      if (row.empty()) first = k;
      row.push_back(wf);
    }
    while (!row.empty() && row.back() == 0.0f) row.pop_back();
    s.first[m] = static_cast<std::uint32_t>(row.empty() ? 0 : first);
    s.len[m] = static_cast<std::uint32_t>(row.size());
    s.offset[m] = static_cast<std::uint32_t>(s.weights.size());
    s.weights.insert(s.weights.end(), row.begin(), row.end());
  }
  return s;
}

void SparseMel::dense(float *out) const {
  for (std::size_t i = 0; i < n_mels * n_bins; ++i) out[i] = 0.0f;
  for (std::size_t m = 0; m < n_mels; ++m)
    for (std::uint32_t j = 0; j < len[m]; ++j)
      out[m * n_bins + first[m] + j] = weights[offset[m] + j];
}

simd::MelFilters SparseMel::view() const {
  simd::MelFilters v;
  v.n_mels = n_mels;
  v.n_bins = n_bins;
  v.first = first.data();
  v.len = len.data();
  v.offset = offset.data();
  v.weights = weights.data();
  return v;
}

}  // namespace audio
}  // namespace core
