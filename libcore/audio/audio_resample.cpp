// Resampling through libsoxr, streaming: the decoder's blocks go in as they
// come and each call's output is handed on from one block of the
// resampler's own (audio_reader.cpp copies it to the caller's buffer), so
// memory is libsoxr's filter state plus that block, whatever the file's
// length.
//
// Length. core_audio_read's count is fixed by the header (frames * to /
// from, rounded to nearest). libsoxr's output is delay-compensated (output
// sample 0 is input instant 0) and, once flushed, has that same length for
// every rate pair and length the tests and our trials used (0.1.3: the
// flushed total is round(frames * to / from), halves up). The tail is still
// forced to the count rather than trusted: audio_reader.cpp drops anything
// past it and zero-fills a shortfall (at most a sample or two; a larger
// one is an internal error, not padded over).
#ifdef CORE_HAVE_AUDIO_IO

#include <soxr.h>

#include <string>
#include <vector>

#include "libcore/audio/audio_file.h"

namespace core::audio {

namespace {

std::string soxr_text(soxr_error_t e) { return e != nullptr ? std::string(e) : "unknown error"; }

}  // namespace

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

bool Resampler::process(const float *x, std::size_t n, std::size_t *idone, const float **y,
                        std::size_t *odone, FileError *err) {
  Impl &r = *impl_;
  std::size_t in = 0, out = 0;
  // x NULL tells libsoxr the input has ended (and idone must be NULL then).
  const soxr_error_t e = soxr_process(r.soxr, x, n, x != nullptr ? &in : nullptr,
                                      r.scratch.data(), kOutBlock, &out);
  if (e != nullptr) return err->set(CORE_E_INTERNAL, "libsoxr failed: " + soxr_text(e));
  if (x != nullptr && in == 0 && out == 0)
    return err->set(CORE_E_INTERNAL, "libsoxr took no input and gave no output");
  *idone = in;
  *y = r.scratch.data();
  *odone = out;
  return true;
}

}  // namespace core::audio

#endif  // CORE_HAVE_AUDIO_IO
