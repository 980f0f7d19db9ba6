// The summary as the public struct the callback gets, and as the one-line
// JSON record every front end writes (collection.h documents the fields).
#include <cmath>
#include <cstdio>

#include "libcore/collection/collection.h"

namespace core {
namespace collection {

core_file_summary_t summary_of(const FileResult &r, std::size_t index, const char *path,
                               std::uint32_t rate) {
  core_file_summary_t s{};
  s.struct_size = sizeof s;
  s.index = index;
  s.path = path;
  s.status = r.status;
  s.message = r.message.c_str();
  s.info = r.info;
  s.sample_rate = rate;
  s.samples = r.samples;
  s.duration = static_cast<double>(r.samples) / rate;
  s.stats = r.stats;
  s.rms = r.rms;
  s.segments = r.segments.empty() ? nullptr : r.segments.data();
  s.n_segments = r.segments.size();
  s.segments_total = r.segments_total;
  s.speech = static_cast<double>(r.speech_samples) / rate;
  s.mel_frames = r.mel_frames;
  s.output = r.output.empty() ? nullptr : r.output.c_str();
  s.seconds = r.seconds;
  return s;
}

namespace {

class Json {
 public:
  void raw(const char *s) { out_ += s; }
  void key(const char *k) {
    out_ += first_ ? "\"" : ",\"";
    first_ = false;
    out_ += k;
    out_ += "\":";
  }
  void str(const char *s) {
    if (s == nullptr) {
      out_ += "null";
      return;
    }
    out_ += '"';
    for (const unsigned char *p = reinterpret_cast<const unsigned char *>(s); *p; ++p) {
      switch (*p) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
          if (*p < 0x20) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\u%04x", *p);
            out_ += esc;
          } else {
            out_ += static_cast<char>(*p);
          }
      }
    }
    out_ += '"';
  }
  void u64(std::uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "%llu", static_cast<unsigned long long>(v));
    out_ += b;
  }
  // 17 significant digits round-trip every double; JSON has no NaN or Inf.
  void dbl(double v) {
    if (!std::isfinite(v)) {
      out_ += "null";
      return;
    }
    char b[32];
    std::snprintf(b, sizeof b, "%.17g", v);
    out_ += b;
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  bool first_ = true;
};

const char *format_name(int f) {
  switch (f) {
    case CORE_AUDIO_FORMAT_WAV: return "wav";
    case CORE_AUDIO_FORMAT_FLAC: return "flac";
    case CORE_AUDIO_FORMAT_OGG: return "ogg";
    default: return "other";
  }
}

}  // namespace

std::string summary_json(const core_file_summary_t &s) {
  Json j;
  j.raw("{");
  j.key("path");
  j.str(s.path);
  j.key("status");
  j.str(core_status_str(s.status));
  j.key("error");
  if (s.status != CORE_OK) {
    j.str(s.message);
    j.raw("}");
    return j.take();
  }
  j.raw("null");
  j.key("format");
  j.str(format_name(s.info.format));
  j.key("file_rate");
  j.u64(s.info.sample_rate);
  j.key("channels");
  j.u64(s.info.channels);
  j.key("bits");
  j.u64(s.info.bits);
  j.key("frames");
  j.u64(s.info.frames);
  j.key("rate");
  j.u64(s.sample_rate);
  j.key("samples");
  j.u64(s.samples);
  j.key("duration");
  j.dbl(s.duration);
  const bool any = s.stats.count > 0;
  const double nan = std::nan("");
  j.key("min");
  j.dbl(any ? s.stats.min : nan);
  j.key("max");
  j.dbl(any ? s.stats.max : nan);
  j.key("mean");
  j.dbl(any ? s.stats.mean : nan);
  j.key("std");
  j.dbl(any ? std::sqrt(s.stats.m2 / static_cast<double>(s.stats.count)) : nan);
  j.key("rms");
  j.dbl(s.rms);
  j.key("speech");
  j.dbl(s.speech);
  j.key("segments");
  j.raw("[");
  for (std::size_t i = 0; i < s.n_segments; ++i) {
    if (i > 0) j.raw(",");
    j.raw("[");
    j.u64(s.segments[i].start);
    j.raw(",");
    j.u64(s.segments[i].end);
    j.raw("]");
  }
  j.raw("]");
  j.key("segments_total");
  j.u64(s.segments_total);
  j.key("features");
  j.str(s.output);
  j.key("mel_frames");
  j.u64(s.mel_frames);
  j.raw("}");
  return j.take();
}

}  // namespace collection
}  // namespace core
