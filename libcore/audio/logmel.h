// The log-mel front end's internal C++ interface (the extern "C" layer in
// libcore/abi/logmel.cpp checks arguments and writes messages; nothing here
// touches the thread-local error).
//
// Files: mel_filters.cpp (window and filterbank), fft.h + fft*.cpp (power
// spectra: SIMD kernel, KissFFT, FFTW), logmel.cpp (the analyser: frames,
// workspaces), logmel_batch.cpp (offline compute of one or many clips, in
// parallel, and WHISPER normalization), logmel_stream.cpp (streaming). The
// mel filters and log10 are a Highway kernel (libcore/simd/mel.h).
//
// Every frame is computed on its own: its samples (reflected at the signal's
// edges), the power spectrum, the mel kernel. Neither depends on which other
// frames share the call, so offline, batched, parallel and streaming results
// are the same bits, whatever the thread count.
#ifndef LIBCORE_AUDIO_LOGMEL_H
#define LIBCORE_AUDIO_LOGMEL_H

#include <core/audio.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <vector>

#include "libcore/audio/fft.h"
#include "libcore/simd/mel.h"

namespace core {
namespace audio {

constexpr std::uint32_t kLogmelMagic = 0x4c4d454c;  // "LMEL"
constexpr std::uint32_t kStreamMagic = 0x4c4d5354;  // "LMST"

// Frames per FFT call: at least the lanes of the widest SIMD target (16)
// times two, so the batched kernel gets full groups, while a group's
// spectra (32 x 201 floats for Whisper) stay in L1.
constexpr std::size_t kGroupFrames = 32;

// Validated options (the abi layer checks every range); fmax is resolved
// (never 0).
struct LogmelConfig {
  std::uint32_t sample_rate = 16000, n_fft = 400, hop = 160, n_mels = 80;
  double fmin = 0.0, fmax = 8000.0;
  int mode = CORE_LOGMEL_WHISPER;
  std::uint32_t window_frames = 3000;
};

// ---- window and filterbank (mel_filters.cpp) --------------------------------

std::vector<float> hann_periodic(std::size_t n);

// The filterbank in sparse form (see simd::MelFilters).
struct SparseMel {
  std::size_t n_mels = 0, n_bins = 0;
  std::vector<std::uint32_t> first, len, offset;
  std::vector<float> weights;
  // The dense n_mels x n_bins matrix, row-major, into out.
  void dense(float *out) const;
  simd::MelFilters view() const;
};
SparseMel mel_filterbank(const LogmelConfig &c);

// ---- the analyser (logmel.cpp) ------------------------------------------------

// Samples a run of frames reads: x[i] is sample base + i of a signal of n
// samples (the edge where frames reflect). Frames may read only samples
// x holds.
struct Signal {
  const float *x;
  std::uint64_t base, n;
};

// One thread's buffers: reflected frames, their spectra, kernel scratch.
struct Workspace {
  std::unique_ptr<FftWorker> fft;
  std::vector<float> frames, power, mel;
  std::vector<const float *> ptrs;
};

class Analyser {
 public:
  // Throws std::bad_alloc.
  explicit Analyser(const LogmelConfig &c);
  Analyser(const Analyser &) = delete;
  Analyser &operator=(const Analyser &) = delete;

  const LogmelConfig &config() const { return c_; }
  const SparseMel &filters() const { return mel_; }
  const char *fft_name() const { return fft_->name(); }
  std::size_t frame_count(std::uint64_t n) const { return static_cast<std::size_t>(n / c_.hop); }

  // LOG10 values of frames [t0, t1) of s into out[m * band_stride +
  // (t - t0) * frame_stride]; returns their largest non-NaN value
  // (-infinity when none).
  float log10_frames(Workspace &ws, const Signal &s, std::uint64_t t0, std::uint64_t t1,
                     float *out, std::size_t band_stride, std::size_t frame_stride) const;

  // Workspaces: made on demand, kept for reuse (compute may run on many
  // threads at once). Throws std::bad_alloc.
  std::unique_ptr<Workspace> new_workspace() const;
  std::unique_ptr<Workspace> acquire() const;
  void release(std::unique_ptr<Workspace> ws) const;

 private:
  const float *frame(const Signal &s, std::int64_t start, float *scratch) const;

  LogmelConfig c_;
  std::vector<float> window_;
  SparseMel mel_;
  std::unique_ptr<Fft> fft_;
  mutable std::mutex pool_mutex_;
  mutable std::vector<std::unique_ptr<Workspace>> pool_;
};

// A workspace from the analyser's pool for one scope.
class Lease {
 public:
  explicit Lease(const Analyser &a) : a_(a), ws_(a.acquire()) {}
  ~Lease() { a_.release(std::move(ws_)); }
  Lease(const Lease &) = delete;
  Lease &operator=(const Lease &) = delete;
  Workspace &operator*() { return *ws_; }

 private:
  const Analyser &a_;
  std::unique_ptr<Workspace> ws_;
};

// What core_logmel_t points at.
struct Logmel {
  std::uint32_t magic = kLogmelMagic;
  Analyser analyser;
  explicit Logmel(const LogmelConfig &c) : analyser(c) {}
};

// ---- WHISPER normalization -----------------------------------------------------

// Whisper's floor is the maximum - 8 and each value becomes (max(x, floor)
// + 4) / 4, in float32 as torch does it. NaN stays NaN (x < floor is
// false), so frames made NaN by bad samples stay NaN.
inline float whisper_floor(float max) { return max - 8.0f; }
inline float whisper_value(float x, float floor) { return ((x < floor ? floor : x) + 4.0f) / 4.0f; }
void whisper_normalize(float *x, std::size_t n, float floor);

// ---- offline compute (logmel_batch.cpp) ------------------------------------------

// One clip: x[0, n), n >= n_fft; out holds n_mels x n_frames floats.
struct ClipJob {
  const float *x;
  std::size_t n;
  float *out;
  std::size_t n_frames;
};
// Computes every clip, in parallel over blocks of frames of all clips.
// Throws std::bad_alloc (rethrown on the calling thread).
void compute_clips(const Analyser &a, const ClipJob *jobs, std::size_t count);

// ---- streaming (logmel_stream.cpp) ------------------------------------------------

class Stream {
 public:
  std::uint32_t magic = kStreamMagic;

  explicit Stream(const LogmelConfig &c);  // throws std::bad_alloc
  // Precondition: !flushed(). push and flush throw std::bad_alloc with the
  // stream unchanged (nothing of x taken; a failed flush can be retried).
  void push(const float *x, std::size_t n);
  void flush();
  std::size_t read(float *out, std::size_t max_frames);
  std::size_t available() const { return ready_.size() / n_mels_ - ready_read_; }
  void reset();
  bool flushed() const { return flushed_; }
  std::size_t n_mels() const { return n_mels_; }  // floats per frame

 private:
  void reserve(std::uint64_t t_end, bool closing);
  void compute(std::uint64_t t_end);
  void finish_window();

  Analyser an_;
  std::unique_ptr<Workspace> ws_;
  std::size_t n_mels_;
  std::vector<float> buf_;       // samples [base_, total_)
  std::uint64_t base_ = 0, total_ = 0;
  std::uint64_t next_ = 0;       // the next frame to compute
  bool flushed_ = false;
  std::vector<float> ready_;     // frame-major, readable from ready_read_
  std::size_t ready_read_ = 0;   // frames of ready_ already read
  std::vector<float> win_;       // WHISPER: the open window's LOG10 frames
  std::size_t win_frames_ = 0;
  float win_max_ = -std::numeric_limits<float>::infinity();
};

}  // namespace audio
}  // namespace core

#endif
