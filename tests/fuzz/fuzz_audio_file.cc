// libFuzzer target: arbitrary bytes as an audio file, through
// core_audio_info and core_audio_read (audio.h).
//
// Input: byte 0 is the mode (bits 0-2: the resampling target rate; bit 3:
// read with a buffer one sample short first; bit 6: the chunked reader at
// that target rate rather than the file's; bit 4: repair a RIFF/WAVE
// header's RIFF and data sizes to the file's; bit 5: repair the CRC of
// every Ogg page, so mutations reach the Vorbis decoder instead of all
// failing the page check); the rest is the file, written to /dev/shm (or
// $TMPDIR, /tmp) and read by path.
//
// Checked against include/core/audio.h:
//  - core_audio_info returns CORE_OK, CORE_E_FORMAT, CORE_E_IO or
//    CORE_E_OUT_OF_MEMORY (the file exists and is regular); on CORE_OK
//    the fields are sane (rate and channels > 0, a known format, bits one
//    of the depths a PCM subtype has, duration = frames / rate exactly);
//  - core_audio_read with cap 0 fails exactly when info fails, with the
//    same status; otherwise it asks for frames samples at the file's rate
//    (CORE_E_BUFFER_TOO_SMALL, or CORE_OK with *n = 0 for a header that
//    announces no frames);
//  - reads (when the output is at most 2^21 samples): at the native rate
//    and at the target rate the count is round(frames * target / rate),
//    halves up, computed here in 128-bit arithmetic; CORE_OK or
//    CORE_E_FORMAT (damage found while decoding), never another status;
//    every sample of a successful read is finite; a buffer one sample short
//    is CORE_E_BUFFER_TOO_SMALL with the count and nothing written; two
//    native reads give the same samples; a resampled read succeeds when
//    the native one did (or fails only with CORE_E_FORMAT, for a value
//    that overflows float);
//  - the chunked reader (core_audio_open and core_audio_reader_*), at the
//    native or the target rate, read in chunks of PRNG sizes (0, 1, around
//    a 4096-frame block, larger): open fails exactly when info does, with
//    the same status; reader_info equals info; reader_length gives the
//    count and the samples given so far; the chunks, concatenated, are
//    core_audio_read's samples bit for bit when that read succeeded; a
//    read never gives more than asked, gives less only at the end, then 0;
//    an error is CORE_E_FORMAT (or out of memory) with *got 0, only when
//    core_audio_read failed too, and every later read repeats it.
//
// FUZZ_WRITE_SEEDS=DIR: write tiny files made with libsndfile (WAV PCM16,
// PCM24, float and u-law, stereo, WAVEX, FLAC, Ogg/Vorbis, AIFF, AU, an
// empty WAV), each with a few mode bytes, to DIR and exit.
#define FUZZ_NAME "fuzz_audio_file"
#include "fuzz_common.h"

#include <core/audio.h>
#include <sndfile.h>

#include <cmath>

namespace {

std::string g_path;

const uint32_t kTargets[] = {16000, 8000, 44100, 22050, 48000, 1, 384000, 11025};
constexpr size_t kMaxSamples = size_t(1) << 21;

void write_file(const std::string &path, const uint8_t *p, size_t n) {
  FILE *f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) fuzz_fail(__LINE__, "cannot write the temporary file", CORE_OK);
  if (n > 0 && std::fwrite(p, 1, n, f) != n) fuzz_fail(__LINE__, "short write", CORE_OK);
  std::fclose(f);
}

uint32_t le32(const uint8_t *p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
void put_le32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = uint8_t(v >> (8 * i));
}

// RIFF size = file - 8; the first data chunk's size = the bytes after it.
void repair_riff(std::vector<uint8_t> &f) {
  if (f.size() < 12 || std::memcmp(f.data(), "RIFF", 4) != 0) return;
  put_le32(f.data() + 4, uint32_t(f.size() - 8));
  size_t pos = 12;
  for (int i = 0; i < 64 && pos + 8 <= f.size(); ++i) {
    const uint32_t len = le32(f.data() + pos + 4);
    if (std::memcmp(f.data() + pos, "data", 4) == 0) {
      put_le32(f.data() + pos + 4, uint32_t(f.size() - pos - 8));
      return;
    }
    pos += 8 + size_t(len) + (len & 1);
  }
}

// Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, initial 0).
uint32_t ogg_crc(const uint8_t *p, size_t n) {
  static uint32_t table[256];
  if (table[1] == 0)
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t r = i << 24;
      for (int k = 0; k < 8; ++k) r = (r & 0x80000000u) ? (r << 1) ^ 0x04c11db7u : r << 1;
      table[i] = r;
    }
  uint32_t crc = 0;
  for (size_t i = 0; i < n; ++i) crc = (crc << 8) ^ table[((crc >> 24) ^ p[i]) & 0xff];
  return crc;
}

void repair_ogg(std::vector<uint8_t> &f) {
  size_t pos = 0;
  while (pos + 27 <= f.size()) {
    if (std::memcmp(f.data() + pos, "OggS", 4) != 0) {
      ++pos;
      continue;
    }
    const size_t nseg = f[pos + 26];
    if (pos + 27 + nseg > f.size()) return;
    size_t body = 0;
    for (size_t s = 0; s < nseg; ++s) body += f[pos + 27 + s];
    const size_t len = 27 + nseg + body;
    if (pos + len > f.size()) return;
    put_le32(f.data() + pos + 22, 0);
    put_le32(f.data() + pos + 22, ogg_crc(f.data() + pos, len));
    pos += len;
  }
}

// round(frames * to / from), halves up, or SIZE_MAX when it does not fit.
size_t expected_count(uint64_t frames, uint32_t from, uint32_t to) {
  __extension__ typedef unsigned __int128 u128;
  const u128 c = (u128{2} * frames * to + from) / (u128{2} * from);
  return c > SIZE_MAX ? SIZE_MAX : size_t(c);
}

bool documented_file_status(core_status st) {
  return st == CORE_E_FORMAT || st == CORE_E_IO || st == CORE_E_OUT_OF_MEMORY;
}

// A read of `want` samples at `rate`; returns the status (OK or FORMAT).
core_status read_all(uint32_t rate, size_t want, bool short_first, std::vector<float> *out) {
  out->assign(want + 1, -7.0f);
  size_t n = 12345;
  if (short_first && want > 0) {
    EXPECT(core_audio_read(g_path.c_str(), rate, out->data(), want - 1, &n),
           CORE_E_BUFFER_TOO_SMALL);
    CHECK(n == want);
    for (float v : *out) CHECK(v == -7.0f);  // nothing written
    n = 12345;
  }
  const core_status st = core_audio_read(g_path.c_str(), rate, out->data(), want, &n);
  if (st == CORE_OK) {
    CHECK(n == want);
    for (size_t i = 0; i < want; ++i) CHECK(std::isfinite((*out)[i]));
    CHECK((*out)[want] == -7.0f);  // nothing past the count
  } else {
    // Damage inside compressed data is found while decoding; on an error
    // *n is unchanged.
    if (st != CORE_E_FORMAT && st != CORE_E_OUT_OF_MEMORY)
      fuzz_fail(__LINE__, "core_audio_read: an undocumented status", st);
    CHECK(n == 12345);
  }
  out->resize(want);
  return st;
}

// The chunked reader at `rate`, in PRNG chunks, against core_audio_read's
// result (`whole`, valid when whole_st is CORE_OK).
void check_reader(const core_audio_info_t &info, uint32_t rate, size_t want,
                  core_status whole_st, const std::vector<float> &whole, uint64_t seed) {
  core_audio_reader_t *r = reinterpret_cast<core_audio_reader_t *>(0x1);
  const core_status ost = core_audio_open(g_path.c_str(), rate, &r);
  if (ost == CORE_E_OUT_OF_MEMORY) return;
  EXPECT(ost, CORE_OK);  // info succeeded: open makes the same checks
  core_audio_info_t ri;
  std::memset(&ri, 0x11, sizeof ri);
  ri.struct_size = sizeof ri;
  CHECK_OK(core_audio_reader_info(r, &ri));
  CHECK(ri.sample_rate == info.sample_rate && ri.channels == info.channels &&
        ri.frames == info.frames && ri.format == info.format && ri.bits == info.bits &&
        ri.duration == info.duration);
  uint64_t total = 1, done = 1;
  CHECK_OK(core_audio_reader_length(r, &total, &done));
  CHECK(total == want && done == 0);
  Rng rng(seed);
  std::vector<float> got_all, chunk;
  core_status failed = CORE_OK;
  for (int calls = 0; calls < 4000; ++calls) {
    size_t n;
    switch (rng.next() % 6) {
      case 0: n = 0; break;
      case 1: n = 1; break;
      case 2: n = 4096 + size_t(rng.next() % 3) - 1; break;
      case 3: n = size_t(rng.next() % 100000); break;
      default: n = size_t(rng.next() % 700); break;
    }
    chunk.assign(n + 1, -9.0f);
    size_t got = 12345;
    const core_status st = core_audio_reader_read(r, n ? chunk.data() : nullptr, n, &got);
    if (st != CORE_OK) {
      CHECK(st == CORE_E_FORMAT || st == CORE_E_OUT_OF_MEMORY);
      CHECK(got == 0);
      if (failed != CORE_OK) CHECK(st == failed);  // a failed reader repeats its status
      failed = st;
      if (rng.next() % 3 == 0) break;
      continue;
    }
    CHECK(failed == CORE_OK);  // failure is final
    CHECK(got <= n && chunk[n] == -9.0f);
    const size_t left = want - got_all.size();
    CHECK(got == std::min(n, left));  // n while that many remain
    for (size_t i = 0; i < got; ++i) CHECK(std::isfinite(chunk[i]));
    got_all.insert(got_all.end(), chunk.begin(), chunk.begin() + long(got));
    CHECK_OK(core_audio_reader_length(r, nullptr, &done));
    CHECK(done == got_all.size());
    if (got_all.size() == want && n > 0 && got == 0) break;  // the end, seen
  }
  if (failed == CORE_OK) {
    CHECK(got_all.size() == want);
    // core_audio_read failed: a reader must not read the file through.
    if (whole_st != CORE_OK)
      fuzz_fail(__LINE__, "the reader read a file core_audio_read refused", whole_st);
    CHECK(same_floats(got_all.data(), whole.data(), want));
  } else {
    CHECK(whole_st != CORE_OK);
    // What it gave before the damage is core_audio_read's start... which
    // failed, so only the count is known: never more than the header's.
    CHECK(got_all.size() <= want);
  }
  core_audio_reader_close(r);
}

// ---- seeds: tiny files written with libsndfile --------------------------------------

std::vector<uint8_t> sndfile_bytes(int format, int rate, int channels, int frames,
                                   const std::string &tmp) {
  SF_INFO si;
  std::memset(&si, 0, sizeof si);
  si.samplerate = rate;
  si.channels = channels;
  si.format = format;
  SNDFILE *sf = sf_open(tmp.c_str(), SFM_WRITE, &si);
  if (sf == nullptr) {
    std::fprintf(stderr, "fuzz_audio_file: libsndfile cannot write format 0x%x: %s\n", format,
                 sf_strerror(nullptr));
    std::exit(1);
  }
  std::vector<float> x(size_t(frames) * channels);
  for (int i = 0; i < frames; ++i)
    for (int c = 0; c < channels; ++c)
      x[size_t(i) * channels + c] = float(0.5 * std::sin(0.07 * i * (c + 1)));
  if (frames > 0) sf_writef_float(sf, x.data(), frames);
  sf_close(sf);
  std::vector<uint8_t> bytes;
  FILE *f = std::fopen(tmp.c_str(), "rb");
  CHECK(f != nullptr);
  for (int ch; (ch = std::fgetc(f)) != EOF;) bytes.push_back(uint8_t(ch));
  std::fclose(f);
  unlink(tmp.c_str());
  return bytes;
}

void write_seeds(const char *dir) {
  const std::string tmp = fuzz_temp_path("seed");
  struct S {
    int format, rate, channels, frames;
    const char *ext;
    std::vector<uint8_t> modes;
  };
  const S list[] = {
      {SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1, 64, ".wav", {0x00, 0x19, 0x0e}},
      {SF_FORMAT_WAV | SF_FORMAT_PCM_24, 16000, 2, 40, ".wav", {0x11, 0x03}},
      {SF_FORMAT_WAV | SF_FORMAT_FLOAT, 44100, 1, 32, ".wav", {0x10, 0x0a, 0x4a}},
      {SF_FORMAT_WAV | SF_FORMAT_ULAW, 8000, 1, 48, ".wav", {0x14}},
      {SF_FORMAT_WAVEX | SF_FORMAT_PCM_16, 22050, 3, 20, ".wav", {0x12}},
      {SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, 0, ".wav", {0x10}},  // no frames
      {SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 16000, 1, 300, ".flac", {0x00, 0x09, 0x41}},
      {SF_FORMAT_OGG | SF_FORMAT_VORBIS, 8000, 1, 400, ".ogg", {0x20, 0x2b, 0x60}},
      {SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 11025, 1, 30, ".aiff", {0x05}},
      {SF_FORMAT_AU | SF_FORMAT_PCM_S8, 8000, 1, 30, ".au", {0x06}},
  };
  int n = 0;
  for (const S &s : list) {
    const std::vector<uint8_t> file = sndfile_bytes(s.format, s.rate, s.channels, s.frames,
                                                    tmp + s.ext);
    for (uint8_t mode : s.modes) {
      std::vector<uint8_t> seed(1, mode);
      seed.insert(seed.end(), file.begin(), file.end());
      const std::string path = std::string(dir) + "/seed" + std::to_string(n++);
      write_file(path, seed.data(), seed.size());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  if (const char *dir = std::getenv("FUZZ_WRITE_SEEDS")) {
    write_seeds(dir);
    std::exit(0);
  }
  g_path = fuzz_temp_path("in");
  std::atexit([] { unlink(g_path.c_str()); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  std::vector<uint8_t> file(data + 1, data + size);
  if (mode & 0x10) repair_riff(file);
  if (mode & 0x20) repair_ogg(file);
  write_file(g_path, file.data(), file.size());

  core_audio_info_t info;
  std::memset(&info, 0xee, sizeof info);
  info.struct_size = sizeof info;
  const core_status st = core_audio_info(g_path.c_str(), &info);
  CHECK(is_status(st));
  size_t n = 12345;
  const core_status rst = core_audio_read(g_path.c_str(), 0, nullptr, 0, &n);
  if (st != CORE_OK) {
    if (!documented_file_status(st)) fuzz_fail(__LINE__, "core_audio_info: an undocumented status", st);
    core_audio_reader_t *r = reinterpret_cast<core_audio_reader_t *>(0x1);
    EXPECT(core_audio_open(g_path.c_str(), kTargets[mode & 7], &r), st);
    CHECK(r == reinterpret_cast<core_audio_reader_t *>(0x1));
    if (rst != st) {
      std::fprintf(stderr, "info: %s, read: %s\n", core_status_str(st), core_status_str(rst));
      fuzz_fail(__LINE__, "core_audio_read and core_audio_info disagree", rst);
    }
    CHECK(n == 12345);
    return 0;
  }
  CHECK(info.struct_size == sizeof info);
  CHECK(info.sample_rate > 0 && info.channels > 0);
  CHECK(info.format >= CORE_AUDIO_FORMAT_OTHER && info.format <= CORE_AUDIO_FORMAT_OGG);
  CHECK(info.bits == 0 || info.bits == 8 || info.bits == 12 || info.bits == 16 ||
        info.bits == 20 || info.bits == 24 || info.bits == 32);
  CHECK(info.duration == double(info.frames) / double(info.sample_rate));
  if (info.frames == 0) {
    EXPECT(rst, CORE_OK);
    CHECK(n == 0);
  } else {
    EXPECT(rst, CORE_E_BUFFER_TOO_SMALL);
    CHECK(n == info.frames);
  }

  // Native rate: twice, the same samples.
  std::vector<float> a, b;
  core_status native = CORE_E_FORMAT;
  if (info.frames <= kMaxSamples && info.frames * info.channels <= 4 * kMaxSamples) {
    native = read_all(0, size_t(info.frames), mode & 8, &a);
    if (native == CORE_OK) {
      // The file's rate named explicitly (the same read), when it is one a
      // target may be.
      const uint32_t again = info.sample_rate <= 384000 ? info.sample_rate : 0;
      CHECK(read_all(again, size_t(info.frames), false, &b) == CORE_OK);
      CHECK(same_floats(a.data(), b.data(), a.size()));
    }
  }
  const bool native_checked = info.frames <= kMaxSamples &&
                              info.frames * info.channels <= 4 * kMaxSamples;
  // A resampled rate.
  const uint32_t to = kTargets[mode & 7];
  const size_t want = expected_count(info.frames, info.sample_rate, to);
  if (want <= kMaxSamples && info.frames <= 4 * kMaxSamples &&
      info.frames * info.channels <= 4 * kMaxSamples) {
    size_t m = 12345;
    const core_status q = core_audio_read(g_path.c_str(), to, nullptr, 0, &m);
    EXPECT(q, want == 0 ? CORE_OK : CORE_E_BUFFER_TOO_SMALL);
    CHECK(m == want);
    const core_status r = read_all(to, want, false, &b);
    if (native == CORE_OK && r != CORE_OK && want > 0 && to != info.sample_rate)
      EXPECT(r, CORE_E_FORMAT);  // only an overflow of float may fail it
    // The chunked reader at the target rate (mode bit 6) or natively.
    const uint64_t seed = size * 0x2545f491u + mode;
    if (mode & 0x40) check_reader(info, to, want, r, b, seed);
    else if (native_checked) check_reader(info, 0, size_t(info.frames), native, a, seed);
  }
  return 0;
}
