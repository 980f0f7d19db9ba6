// Power-spectrum backends of the log-mel front end: for a group of frames,
// |FFT(window * frame)|^2 at bins 0 .. n/2, float32.
//
// Three implementations behind one interface, chosen once per analyser:
//  - "simd":    the batched Highway kernel (libcore/simd/spectrum.h), frames
//               across the lanes, for the sizes it plans;
//  - "kissfft": KissFFT (kiss_fftr for even n, complex kiss_fft for odd n),
//               every size;
//  - "fftw":    FFTW3f, every size, only in builds made with -Dfft=fftw.
// A frame's result never depends on the other frames of its group, so
// offline, batched and streaming analysers give the same bits.
//
// The backend object is immutable (shared by every thread using the
// analyser); each thread computes through its own Worker, which owns the
// library's mutable state (KissFFT's plans write to themselves) and the
// scratch.
#ifndef LIBCORE_AUDIO_FFT_H
#define LIBCORE_AUDIO_FFT_H

#include <cstddef>
#include <memory>

namespace core {
namespace audio {

class FftWorker {
 public:
  virtual ~FftWorker() = default;
  // For f < count: power[f * (n/2 + 1) + k] = |sum_j window[j] *
  // frames[f][j] e^(-2 pi i jk/n)|^2, k = 0 .. n/2. frames[f] points at n
  // samples.
  virtual void power(const float *const *frames, std::size_t count, float *power) = 0;
};

class Fft {
 public:
  virtual ~Fft() = default;
  virtual const char *name() const = 0;
  // A worker for one thread. Throws std::bad_alloc.
  virtual std::unique_ptr<FftWorker> worker() const = 0;
};

// Which backend make_fft picks.
enum class FftChoice {
  kDefault,  // the SIMD kernel when it plans n, else FFTW (if built) or KissFFT
  kKiss,     // KissFFT
  kFftw,     // FFTW3f (kDefault in builds without it)
};

// The choice the environment asks for: LIBCORE_FFT=kissfft or =fftw, read
// when an analyser is created; anything else (or unset) is kDefault.
FftChoice fft_choice_from_env();

// A backend for n-point frames weighted by window[0, n) (copied). Throws
// std::bad_alloc.
std::unique_ptr<Fft> make_fft(std::size_t n, const float *window, FftChoice choice);

// The library backends (fft_kiss.cpp, fft_fftw.cpp; the latter returns
// nullptr in builds without FFTW).
std::unique_ptr<Fft> make_kiss_fft(std::size_t n, const float *window);
std::unique_ptr<Fft> make_fftw_fft(std::size_t n, const float *window);

}  // namespace audio
}  // namespace core

#endif
