// One file of a collection: read in chunks, and feed every chunk to the
// statistics accumulator, the VAD and the log-mel stream (whose frames go
// to the .npy writer) before reading the next, so memory is a chunk plus
// each stage's own bounded state, whatever the file's length.
#include <cmath>
#include <memory>
#include <new>
#include <vector>

#include <core/batch.h>

#include "libcore/collection/collection.h"
#include "libcore/collection/npy_writer.h"

namespace core {
namespace collection {

void FileResult::fail(core_status st, const std::string &what) {
  status = st;
  message = what;
}

namespace {

// Frames read from the log-mel stream per step.
constexpr std::size_t kMelFrames = 256;

struct ReaderClose {
  void operator()(core_audio_reader_t *r) const { core_audio_reader_close(r); }
};
struct VadDestroy {
  void operator()(core_vad_t *v) const { core_vad_destroy(v); }
};
struct StreamDestroy {
  void operator()(core_logmel_stream_t *s) const { core_logmel_stream_destroy(s); }
};

// Times a stage into its timer when the run has a registry.
class Stopwatch {
 public:
  Stopwatch(const Timers &t, core_metrics_t *m, core_metric_id_t id)
      : m_(t.on ? m : nullptr), id_(id), t0_(m_ != nullptr ? core_now_ns() : 0) {}
  ~Stopwatch() {
    if (m_ != nullptr) (void)core_metrics_stop(m_, id_, t0_);
  }

 private:
  core_metrics_t *m_;
  core_metric_id_t id_;
  std::uint64_t t0_;
};

class Analysis {
 public:
  Analysis(const Config &c, const Timers &t, FileResult *r) : c_(c), t_(t), r_(*r) {}

  // false when the file failed (r_ says why).
  bool run(const char *path, const char *output) {
    if (!open(path, output)) return false;
    std::vector<float> buf(c_.chunk);
    for (;;) {
      std::size_t got = 0;
      core_status st;
      {
        Stopwatch w(t_, c_.metrics, t_.read);
        st = core_audio_reader_read(reader_.get(), buf.data(), buf.size(), &got);
      }
      if (st != CORE_OK) return failed(st);
      if (got == 0) break;
      if (!consume(buf.data(), got)) return false;
    }
    return finish();
  }

 private:
  bool failed(core_status st) {
    r_.fail(st, core_last_error_message());
    return false;
  }
  bool failed(core_status st, const std::string &why) {
    r_.fail(st, "core_collection_run: " + why);
    return false;
  }

  bool open(const char *path, const char *output) {
    core_audio_reader_t *rd = nullptr;
    core_status st = core_audio_open(path, c_.rate, &rd);
    if (st != CORE_OK) return failed(st);
    reader_.reset(rd);
    r_.info.struct_size = sizeof r_.info;
    if ((st = core_audio_reader_info(rd, &r_.info)) != CORE_OK) return failed(st);
    std::uint64_t total = 0;
    if ((st = core_audio_reader_length(rd, &total, nullptr)) != CORE_OK) return failed(st);
    // The declared length makes the result exactly core_stats_f32's over
    // the whole file, whatever the chunking (batch.h).
    acc_.reset(new core_stats_acc_t);
    if ((st = core_stats_acc_init(acc_.get(), CORE_NAN_PROPAGATE, total)) != CORE_OK)
      return failed(st);
    if (c_.vad) {
      core_vad_t *v = nullptr;
      if ((st = core_vad_create(&c_.vad_options, &v)) != CORE_OK) return failed(st);
      vad_.reset(v);
    }
    if (c_.features && output != nullptr) {
      core_logmel_stream_t *s = nullptr;
      if ((st = core_logmel_stream_create(&c_.logmel_options, &s)) != CORE_OK) return failed(st);
      mel_.reset(s);
      mel_buf_.resize(kMelFrames * c_.logmel_options.n_mels);
      std::string why;
      if ((st = npy_.open(output, c_.logmel_options.n_mels, &why)) != CORE_OK)
        return failed(st, why);
      r_.output = output;
    }
    return true;
  }

  bool consume(const float *x, std::size_t n) {
    core_status st;
    {
      Stopwatch w(t_, c_.metrics, t_.stats);
      st = core_stats_acc_push_f32(acc_.get(), x, n);
    }
    // More samples than the header announced: the reader's contract says
    // this cannot happen.
    if (st != CORE_OK) return failed(CORE_E_INTERNAL, core_last_error_message());
    r_.samples += n;
    if (vad_) {
      Stopwatch w(t_, c_.metrics, t_.vad);
      if ((st = core_vad_push(vad_.get(), x, n)) != CORE_OK) return failed(st);
      drain_segments();
    }
    if (mel_) {
      {
        Stopwatch w(t_, c_.metrics, t_.logmel);
        if ((st = core_logmel_stream_push(mel_.get(), x, n)) != CORE_OK) return failed(st);
      }
      if (!drain_frames()) return false;
    }
    return true;
  }

  void drain_segments() {
    core_segment_t s;
    while (core_vad_next_segment(vad_.get(), &s) == CORE_OK) {
      ++r_.segments_total;
      r_.speech_samples += s.end - s.start;
      if (r_.segments.size() < c_.max_segments) r_.segments.push_back(s);
    }
  }

  bool drain_frames() {
    for (;;) {
      std::size_t got = 0;
      core_status st = core_logmel_stream_read(mel_.get(), mel_buf_.data(), kMelFrames, &got);
      if (st != CORE_OK) return failed(st);
      if (got == 0) return true;
      std::string why;
      Stopwatch w(t_, c_.metrics, t_.write);
      if ((st = npy_.append(mel_buf_.data(), got, &why)) != CORE_OK) return failed(st, why);
    }
  }

  bool finish() {
    core_status st;
    if (vad_) {
      Stopwatch w(t_, c_.metrics, t_.vad);
      if ((st = core_vad_flush(vad_.get())) != CORE_OK) return failed(st);
      drain_segments();
    }
    if (mel_) {
      {
        Stopwatch w(t_, c_.metrics, t_.logmel);
        if ((st = core_logmel_stream_flush(mel_.get())) != CORE_OK) return failed(st);
      }
      if (!drain_frames()) return false;
      std::string why;
      Stopwatch w(t_, c_.metrics, t_.write);
      if ((st = npy_.finish(&why)) != CORE_OK) return failed(st, why);
      r_.mel_frames = npy_.rows();
    }
    if ((st = core_stats_acc_result(acc_.get(), &r_.stats)) != CORE_OK) return failed(st);
    const core_stats_t &s = r_.stats;
    // Mean of squares from the one-pass summary: m2 / n + mean^2.
    r_.rms = s.count > 0 ? std::sqrt(s.m2 / static_cast<double>(s.count) + s.mean * s.mean) : 0.0;
    return true;
  }

  const Config &c_;
  const Timers &t_;
  FileResult &r_;
  std::unique_ptr<core_audio_reader_t, ReaderClose> reader_;
  std::unique_ptr<core_stats_acc_t> acc_;
  std::unique_ptr<core_vad_t, VadDestroy> vad_;
  std::unique_ptr<core_logmel_stream_t, StreamDestroy> mel_;
  std::vector<float> mel_buf_;
  NpyWriter npy_;  // abandons the partial file unless finished
};

}  // namespace

FileResult analyse_file(const Config &c, const Timers &t, const char *path, const char *output) {
  FileResult r;
  const std::uint64_t t0 = core_now_ns();
  bool ok = false;
  try {
    Analysis a(c, t, &r);
    ok = a.run(path, output);
  } catch (const std::bad_alloc &) {
    r.fail(CORE_E_OUT_OF_MEMORY, "core_collection_run: out of memory");
  } catch (const std::exception &e) {
    r.fail(CORE_E_INTERNAL, std::string("core_collection_run: internal error: ") + e.what());
  }
  if (!ok) {
    // A failed file reports its header (when it was read) and nothing
    // else: partial numbers would look like a shorter file's.
    const core_audio_info_t info = r.info;
    const core_status st = r.status;
    std::string msg = std::move(r.message);
    r = FileResult{};
    r.status = st == CORE_OK ? CORE_E_INTERNAL : st;
    r.message = std::move(msg);
    r.info = info;
  }
  r.seconds = static_cast<double>(core_now_ns() - t0) * 1e-9;
  if (t.on) (void)core_metrics_stop(c.metrics, t.file, t0);
  return r;
}

}  // namespace collection
}  // namespace core
