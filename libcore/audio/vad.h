// The voice activity detector's internal C++ interface. The extern "C"
// layer (libcore/abi/vad.cpp) checks the options and writes the messages;
// nothing here touches the thread-local error. What the detector does, in
// the terms a caller sees, is documented in include/core/audio.h.
//
// Files: vad_features.cpp (band powers of one analysis window, KissFFT),
// vad_detector.cpp (noise floor per band and the speech score),
// vad_segments.cpp (hysteresis, minimum durations, padding, maximum length,
// the queue of finished segments), vad_stream.cpp (options, framing of a
// pushed stream, the detector's life cycle).
#ifndef LIBCORE_AUDIO_VAD_H
#define LIBCORE_AUDIO_VAD_H

#include <core/audio.h>

#include <cstddef>
#include <cstdint>
#include <vector>

struct kiss_fftr_state;

namespace core {
namespace audio {

constexpr std::uint32_t kVadMagic = 0x56414421;  // "VAD!"
constexpr int kVadMaxBands = 6;
// The shortest analysis window: frames of 10 and 20 ms are analysed over the
// last 30 and 40 ms (3 and 2 frames), so every frame size sees about as many
// FFT bins per band, and so the same noise statistics.
constexpr std::uint32_t kVadMinWindowMs = 30;

// Options resolved to samples (the ABI layer has checked them).
struct VadConfig {
  std::uint32_t sample_rate = 0;
  std::uint32_t frame = 0;   // samples per frame
  std::uint32_t window = 0;  // samples per analysis window, a multiple of frame
  float threshold = 0.5f;
  float neg_threshold = 0.35f;  // resolved (never the 0 "default" marker)
  std::uint64_t min_speech = 0, min_silence = 0, pad = 0;  // samples
  std::uint64_t max_frames = 0;  // longest segment before padding, in frames; 0: no limit
};

// The exit threshold meant by neg_threshold == 0 (audio.h).
float vad_default_neg(float threshold);
// The options in samples. Requires options that core_vad_create accepts.
VadConfig vad_config(const core_vad_options_t &opts);

// ---- features (vad_features.cpp) ---------------------------------------------------

// The band powers of one analysis window: mean power per sample in each of
// the bands of kVadBandEdgesHz below the Nyquist frequency, from a
// rectangular-window real FFT (zero-padded to an even length with no
// prime factor above 5).
class VadSpectrum {
 public:
  explicit VadSpectrum(const VadConfig &cfg);  // throws std::bad_alloc
  ~VadSpectrum();
  VadSpectrum(const VadSpectrum &) = delete;
  VadSpectrum &operator=(const VadSpectrum &) = delete;

  // x[0, n) are the stream's samples in the window (n <= window: fewer at
  // the start of the stream and in a trailing partial frame). Writes
  // bands() powers to out; false when one is not finite (a NaN or infinite
  // sample, or a power that overflows).
  bool band_powers(const float *x, std::size_t n, double *out);

  int bands() const { return bands_; }
  int bins(int b) const { return hi_[b] - lo_[b]; }
  std::uint32_t nfft() const { return nfft_; }

 private:
  std::uint32_t nfft_ = 0;
  int bands_ = 0;
  int lo_[kVadMaxBands] = {}, hi_[kVadMaxBands] = {};  // FFT bins [lo, hi)
  kiss_fftr_state *plan_ = nullptr;
  std::vector<float> in_;
  std::vector<float> out_;  // nfft / 2 + 1 complex values, interleaved
};

// ---- noise floor and score (vad_detector.cpp) --------------------------------------

// Per band, the minimum of the band power over the last ~1.5 s of finite
// frames (minimum statistics), corrected for the minimum's bias on noise and
// kept above a white-noise floor of kVadFloorDb.
class VadNoiseFloor {
 public:
  void init(const VadConfig &cfg, const VadSpectrum &spectrum);  // allocates
  void reset();
  // Adds a finite frame's band powers (the floor includes it at once).
  void add(const double *power);
  double floor(int b) const { return floor_[b]; }

 private:
  void update();
  static constexpr int kSub = 8;  // sub-windows of the sliding minimum
  int bands_ = 0;
  std::uint32_t sub_frames_ = 0;   // frames per sub-window
  std::uint32_t frame_ = 0, window_ = 0;
  double sub_min_[kSub - 1][kVadMaxBands] = {};  // completed sub-windows, a ring
  int sub_count_ = 0, sub_next_ = 0;
  double cur_min_[kVadMaxBands] = {};
  std::uint32_t cur_frames_ = 0;
  double min_floor_[kVadMaxBands] = {};
  double floor_[kVadMaxBands] = {};
  // bias_[b * max_windows_ + m - 1]: the expected minimum of m noise windows
  // over their mean, for band b.
  std::vector<double> bias_;
  std::uint32_t max_windows_ = 0;
};

struct VadFrameScore {
  float score;   // in [0, 1]
  double quiet;  // total power over total floor: lower is quieter (max-length splits)
};
// The frame's speech score from its band powers (audio.h gives the formula).
VadFrameScore vad_score(const double *power, const VadNoiseFloor &floor, int bands);

// ---- segments (vad_segments.cpp) ---------------------------------------------------

class VadSegmenter {
 public:
  void init(const VadConfig &cfg);
  void reset();
  // One analysed frame: samples [start, start + len), its score and quietness.
  void frame(std::uint64_t start, std::uint64_t len, float score, double quiet);
  // End of stream at sample `total`: closes the open segment, settles padding.
  void finish(std::uint64_t total);
  bool pop(core_segment_t *out);
  bool open_start(std::uint64_t *start) const;

 private:
  static constexpr std::uint64_t kNone = UINT64_MAX;
  void begin(std::uint64_t start);
  void confirm();
  void close(std::uint64_t end);
  void split();
  void settle(std::uint64_t pos);
  void emit(std::uint64_t start, std::uint64_t end);

  VadConfig cfg_;
  std::uint64_t half_ = 0;  // samples from a segment's start to the split search
  // The speech in progress.
  bool triggered_ = false, confirmed_ = false;
  std::uint64_t start_ = 0, pause_ = kNone, open_start_ = 0;
  std::uint64_t quiet_at_ = kNone;
  double quiet_key_ = 0;
  // The last kept segment while its end padding waits on the next one.
  bool pending_ = false;
  std::uint64_t pend_start_ = 0, pend_end_ = 0;
  std::uint64_t last_end_ = 0;  // padded end of the last finished segment
  std::vector<core_segment_t> queue_;
  std::size_t head_ = 0;
};

// ---- the detector (vad_stream.cpp) -------------------------------------------------

struct Vad {
  explicit Vad(const VadConfig &c);
  std::uint32_t magic = kVadMagic;
  VadConfig cfg;
  VadSpectrum spectrum;
  VadNoiseFloor floor;
  VadSegmenter segments;
  std::vector<float> buf;   // the analysis window; its last frame is being filled
  std::uint32_t fill = 0;   // samples of that frame received
  std::uint64_t frames = 0; // whole frames analysed
  bool flushed = false;
};

Vad *vad_create(const core_vad_options_t &opts);  // throws std::bad_alloc
void vad_destroy(Vad *v);
void vad_push(Vad &v, const float *x, std::size_t n);
void vad_flush(Vad &v);
void vad_reset(Vad &v);

}  // namespace audio
}  // namespace core

#endif
