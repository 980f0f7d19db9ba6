// Resampling through libsoxr, streaming: the decoder's blocks go in as they
// come and the output goes straight to the caller's buffer through a Sink,
// so memory is libsoxr's filter state plus one scratch block, whatever the
// file's length (a later chunked reader feeds the same class).
//
// Length. core_audio_read's count is fixed by the header (frames * to /
// from, rounded to nearest). libsoxr's output is delay-compensated (output
// sample 0 is input instant 0) and, once flushed, has that same length for
// every rate pair and length the tests and our trials used (0.1.3: the
// flushed total is round(frames * to / from), halves up). The tail is still
// forced to the count rather than trusted: the Sink drops anything past it,
// and audio_file.cpp zero-fills a shortfall (at most a sample or two; a
// larger one is an internal error, not padded over).
#ifdef CORE_HAVE_AUDIO_IO

#include <soxr.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "libcore/audio/audio_file.h"

namespace core::audio {

namespace {

// Output samples per libsoxr call.
constexpr std::size_t kOutBlock = 8192;

std::string soxr_text(soxr_error_t e) { return e != nullptr ? std::string(e) : "unknown error"; }

}  // namespace

void Sink::put(const float *x, std::size_t n) {
  const std::size_t k = std::min(n, want_ - written_);
  if (k != 0) std::memcpy(out_ + written_, x, k * sizeof(float));
  written_ += k;
}

std::size_t Sink::pad() {
  const std::size_t k = want_ - written_;
  std::fill(out_ + written_, out_ + want_, 0.0f);
  written_ = want_;
  return k;
}

struct Resampler::Impl {
  soxr_t soxr = nullptr;
  std::vector<float> scratch;
  ~Impl() {
    if (soxr != nullptr) soxr_delete(soxr);
  }
};

Resampler::Resampler() : impl_(new Impl) {}
Resampler::~Resampler() = default;

bool Resampler::open(std::uint32_t from, std::uint32_t to, FileError *err) {
  Impl &r = *impl_;
  if (r.soxr != nullptr) soxr_delete(r.soxr);
  r.soxr = nullptr;
  r.scratch.resize(kOutBlock);
  soxr_error_t e = nullptr;
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  // SOXR_HQ: 20-bit precision, linear phase (so samples keep their time
  // alignment). One thread: libcore's parallelism lives in its own task
  // arena, and a file read must not start OpenMP threads of its own.
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  const soxr_runtime_spec_t runtime = soxr_runtime_spec(1);
  r.soxr = soxr_create(from, to, 1, &e, &io, &quality, &runtime);
  if (r.soxr == nullptr || e != nullptr)
    return err->set(CORE_E_INTERNAL, "libsoxr cannot resample " + std::to_string(from) +
                                         " Hz to " + std::to_string(to) + " Hz: " + soxr_text(e));
  return true;
}

bool Resampler::push(const float *x, std::size_t n, Sink *sink, FileError *err) {
  Impl &r = *impl_;
  std::size_t pos = 0;
  // libsoxr takes only the input whose output fits in one scratch block
  // (upsampling), so the rest goes in on the next turn.
  while (pos < n && !sink->full()) {
    std::size_t idone = 0, odone = 0;
    const soxr_error_t e =
        soxr_process(r.soxr, x + pos, n - pos, &idone, r.scratch.data(), kOutBlock, &odone);
    if (e != nullptr) return err->set(CORE_E_INTERNAL, "libsoxr failed: " + soxr_text(e));
    if (idone == 0 && odone == 0)
      return err->set(CORE_E_INTERNAL, "libsoxr took no input and gave no output");
    sink->put(r.scratch.data(), odone);
    pos += idone;
  }
  return true;
}

bool Resampler::flush(Sink *sink, FileError *err) {
  Impl &r = *impl_;
  while (!sink->full()) {
    std::size_t odone = 0;
    const soxr_error_t e =
        soxr_process(r.soxr, nullptr, 0, nullptr, r.scratch.data(), kOutBlock, &odone);
    if (e != nullptr) return err->set(CORE_E_INTERNAL, "libsoxr failed: " + soxr_text(e));
    if (odone == 0) break;
    sink->put(r.scratch.data(), odone);
  }
  return true;
}

}  // namespace core::audio

#endif  // CORE_HAVE_AUDIO_IO
