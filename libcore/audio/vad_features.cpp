// Per-frame features: the power in six speech bands of one analysis window.
//
// Band energies against per-band noise floors are what the score is built
// on. Zero-crossing rate and spectral flatness were measured as extra
// evidence and left out: on the speech_gaps clip in white noise at 5, 10
// and 30 dB SNR neither separated speech frames from noise frames better
// than the two strongest band SNRs already do (ROC area 0.974 alone, 0.975
// at best with either added), so they would only add cost and tuning.
#include "libcore/audio/vad.h"

#include <kissfft/kiss_fftr.h>

#include <cmath>
#include <cstring>
#include <new>

namespace core {
namespace audio {

namespace {

// Band edges in Hz. Below 60 Hz is hum and rumble; above 8 kHz there is
// little speech, and leaving it out keeps every sample rate on the same
// bands. Each band holds at least 7 FFT bins in a 30 ms window, so its
// power fluctuates on noise by under 2 dB.
constexpr int kEdgesHz[kVadMaxBands + 1] = {60, 300, 700, 1500, 3000, 5000, 8000};

// The FFT length for a window of n samples: the next even length whose
// odd part has no prime factor above 5. kiss_fftr wants an even length,
// and KissFFT is quadratic in a large prime factor: padded only to even,
// a 44.1 kHz stream with 10 ms frames (1323 -> 1324 = 4 x 331) took 600 us
// per frame instead of ~14 at 48 kHz, and 191.9 kHz (5757 -> 2 x 2879)
// 22 ms per 10 ms frame, slower than real time (found by
// tests/fuzz/fuzz_vad, regression fuzz_vad-44k-10ms-prime-fft). Zero
// padding is accounted for in band_powers' scale and in the band bins.
std::uint32_t fft_length(std::uint32_t n) {
  for (std::uint32_t m = n + (n & 1u);; m += 2) {
    std::uint32_t r = m;
    for (std::uint32_t p : {2u, 3u, 5u})
      while (r % p == 0) r /= p;
    if (r == 1) return m;
  }
}

// The first FFT bin whose frequency k * rate / nfft is at least hz.
int bin_at(std::uint32_t hz, std::uint32_t nfft, std::uint32_t rate) {
  return static_cast<int>((static_cast<std::uint64_t>(hz) * nfft + rate - 1) / rate);
}

}  // namespace

VadSpectrum::VadSpectrum(const VadConfig &cfg) {
  // Zero-padded to an even length KissFFT computes fast (fft_length).
  nfft_ = fft_length(cfg.window);
  const int top = static_cast<int>(nfft_ / 2);  // the Nyquist bin, left out with DC
  for (int b = 0; b < kVadMaxBands; ++b) {
    int lo = bin_at(static_cast<std::uint32_t>(kEdgesHz[b]), nfft_, cfg.sample_rate);
    int hi = bin_at(static_cast<std::uint32_t>(kEdgesHz[b + 1]), nfft_, cfg.sample_rate);
    if (lo < 1) lo = 1;
    if (hi > top) hi = top;
    if (hi <= lo) break;  // the band is above the Nyquist frequency
    lo_[bands_] = lo;
    hi_[bands_] = hi;
    ++bands_;
  }
  in_.assign(nfft_, 0.0f);
  out_.assign(2 * (nfft_ / 2 + 1), 0.0f);
  plan_ = kiss_fftr_alloc(static_cast<int>(nfft_), 0, nullptr, nullptr);
  if (plan_ == nullptr) throw std::bad_alloc();
}

VadSpectrum::~VadSpectrum() { kiss_fftr_free(plan_); }

bool VadSpectrum::band_powers(const float *x, std::size_t n, double *out) {
  static_assert(sizeof(kiss_fft_cpx) == 2 * sizeof(float), "kiss_fft_cpx is two floats");
  if (n != nfft_) {  // the start of the stream, a partial frame, an odd window
    std::memcpy(in_.data(), x, n * sizeof(float));
    std::memset(in_.data() + n, 0, (nfft_ - n) * sizeof(float));
    x = in_.data();
  }
  kiss_fftr(plan_, x, reinterpret_cast<kiss_fft_cpx *>(out_.data()));
  // |X_k|^2 * 2 / (nfft * n) is the one-sided power per sample: white noise
  // of variance s^2 gives 2 s^2 / nfft per bin, s^2 over all of them. Only
  // the n samples of the stream count (none are invented at its start).
  const double scale = 2.0 / (static_cast<double>(nfft_) * static_cast<double>(n));
  const float *c = out_.data();
  bool finite = true;
  for (int b = 0; b < bands_; ++b) {
    // Four running sums, not one: the additions overlap instead of each
    // waiting for the last (a band holds up to ~90 bins at 16 kHz).
    double sum[4] = {0.0, 0.0, 0.0, 0.0};
    int k = lo_[b];
    for (; k + 4 <= hi_[b]; k += 4)
      for (int j = 0; j < 4; ++j) {
        const float re = c[2 * (k + j)], im = c[2 * (k + j) + 1];
        sum[j] += static_cast<double>(re * re + im * im);
      }
    for (; k < hi_[b]; ++k) {
      const float re = c[2 * k], im = c[2 * k + 1];
      sum[0] += static_cast<double>(re * re + im * im);
    }
    out[b] = ((sum[0] + sum[1]) + (sum[2] + sum[3])) * scale;
    // Every FFT output depends on every input, so a NaN or infinite sample
    // makes every band non-finite, and so does float overflow of |X|^2.
    finite = finite && std::isfinite(out[b]);
  }
  return finite;
}

}  // namespace audio
}  // namespace core
