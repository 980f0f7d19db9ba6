// The noise floor of each band and the frame's speech score.
//
// Noise floor: minimum statistics (R. Martin, 2001). Speech, unlike noise,
// keeps dipping: between words, in stop closures, every second or so. So
// the minimum of a band's power over the last ~1.5 s is a noise level: it
// falls at once when the signal gets quieter and rises only once the
// quieter frames have left the window, so ~1.5 s of continuous sound
// without a dip becomes the new floor (a fan switched on) while speech
// does not. The minimum of m noisy values lies below their mean, by a
// factor that depends on how much the band fluctuates (its FFT bins) and
// on m; dividing by that expected factor makes the floor an estimate of
// the noise's mean power, so a noise frame scores near 0 dB whatever the
// band width or frame size. Exact digital silence would give a floor of 0
// (-inf dB): the floor is kept above white noise at kFloorDb instead.
#include <cmath>

#include "libcore/audio/vad.h"

namespace core {
namespace audio {

namespace {

constexpr double kWindowMs = 1500.0;  // the sliding minimum's span
constexpr double kFloorDb = -75.0;    // the lowest floor, as white noise (dB re 1.0^2)
// Score: 1 / (1 + exp(-(d - kMidDb) / kWidthDb)), d the mean of the two
// largest band SNRs. kMidDb puts the default threshold (0.5) above what
// stationary noise reaches: on white noise, bias-corrected, d's 99th
// percentile is 3 to 4 dB, and minutes of white or pink noise give no
// segment at any frame size; 4 dB did.
constexpr double kMidDb = 5.0;
constexpr double kWidthDb = 1.5;

// The standard normal quantile of p in (0, 0.5]: Abramowitz and Stegun
// 26.2.23, absolute error under 4.5e-4, plenty for a bias estimate (and
// cheap: a detector computes a few hundred at create).
double normal_quantile(double p) {
  const double t = std::sqrt(-2.0 * std::log(p));
  return -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
                   (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
}

// The expected minimum of m independent band powers of noise, over their
// mean. A band of k bins has power ~ Gamma(k) / k; the minimum of m values
// sits near the 1 / (m + 1) quantile, taken with the Wilson-Hilferty
// approximation of the Gamma quantile.
double min_bias(int bins, std::uint32_t m) {
  const double k = bins, z = normal_quantile(1.0 / (m + 1.0));
  const double c = 1.0 - 1.0 / (9.0 * k) + z * std::sqrt(1.0 / (9.0 * k));
  const double q = c * c * c;
  return q > 1e-3 ? q : 1e-3;  // the approximation fails for 1-2 bins and large m
}

}  // namespace

void VadNoiseFloor::init(const VadConfig &cfg, const VadSpectrum &spectrum) {
  bands_ = spectrum.bands();
  frame_ = cfg.frame;
  window_ = cfg.window;
  const double frame_ms = 1000.0 * cfg.frame / cfg.sample_rate;
  const auto span = static_cast<std::uint32_t>(std::lround(kWindowMs / frame_ms));
  sub_frames_ = (span + kSub - 1) / kSub;
  // Analysis windows overlap when frames are shorter than the window: the
  // minimum is over about frames * frame / window independent values.
  max_windows_ = (kSub * sub_frames_ * frame_ + window_ - 1) / window_;
  bias_.assign(static_cast<std::size_t>(bands_) * max_windows_, 1.0);
  for (int b = 0; b < bands_; ++b) {
    for (std::uint32_t m = 1; m <= max_windows_; ++m)
      bias_[static_cast<std::size_t>(b) * max_windows_ + m - 1] = min_bias(spectrum.bins(b), m);
    // White noise at kFloorDb puts 2 s^2 / nfft in each bin.
    min_floor_[b] = std::pow(10.0, kFloorDb / 10.0) * 2.0 * spectrum.bins(b) / spectrum.nfft();
  }
  reset();
}

void VadNoiseFloor::reset() {
  sub_count_ = sub_next_ = 0;
  cur_frames_ = 0;
  for (int b = 0; b < bands_; ++b) {
    cur_min_[b] = HUGE_VAL;
    floor_[b] = min_floor_[b];
  }
}

void VadNoiseFloor::add(const double *power) {
  for (int b = 0; b < bands_; ++b)
    if (power[b] < cur_min_[b]) cur_min_[b] = power[b];
  ++cur_frames_;
  update();
  if (cur_frames_ == sub_frames_) {  // the sub-window is complete: into the ring
    for (int b = 0; b < bands_; ++b) {
      sub_min_[sub_next_][b] = cur_min_[b];
      cur_min_[b] = HUGE_VAL;
    }
    sub_next_ = (sub_next_ + 1) % (kSub - 1);
    if (sub_count_ < kSub - 1) ++sub_count_;
    cur_frames_ = 0;
  }
}

void VadNoiseFloor::update() {
  const std::uint32_t covered = static_cast<std::uint32_t>(sub_count_) * sub_frames_ + cur_frames_;
  std::uint32_t m = (covered * frame_ + window_ / 2) / window_;
  if (m < 1) m = 1;
  if (m > max_windows_) m = max_windows_;
  for (int b = 0; b < bands_; ++b) {
    double lo = cur_min_[b];
    for (int s = 0; s < sub_count_; ++s)
      if (sub_min_[s][b] < lo) lo = sub_min_[s][b];
    const double f = lo / bias_[static_cast<std::size_t>(b) * max_windows_ + m - 1];
    floor_[b] = f > min_floor_[b] ? f : min_floor_[b];
  }
}

VadFrameScore vad_score(const double *power, const VadNoiseFloor &floor, int bands) {
  // The two largest band SNRs in dB, each at least 0: a frame is as
  // speech-like as its strongest bands. One band alone is too easily moved
  // by a noise fluctuation; averaging all of them dilutes speech, which
  // fills only some bands (voiced speech the low ones, fricatives the high).
  double first = 0.0, second = 0.0, total = 0.0, total_floor = 0.0;
  for (int b = 0; b < bands; ++b) {
    const double ratio = power[b] / floor.floor(b);
    const double snr = ratio > 1.0 ? 10.0 * std::log10(ratio) : 0.0;
    if (snr > first) {
      second = first;
      first = snr;
    } else if (snr > second) {
      second = snr;
    }
    total += power[b];
    total_floor += floor.floor(b);
  }
  const double d = 0.5 * (first + second);
  VadFrameScore s;
  s.score = static_cast<float>(1.0 / (1.0 + std::exp(-(d - kMidDb) / kWidthDb)));
  s.quiet = total / total_floor;
  return s;
}

}  // namespace audio
}  // namespace core
