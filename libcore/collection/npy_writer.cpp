// NumPy's format 1.0 (numpy.lib.format): the magic "\x93NUMPY", version
// 1.0, a little-endian uint16 header length, then a Python dict literal
// padded with spaces and ended by '\n' so that the data starts at a
// multiple of 64 bytes. The header here always takes kHeader bytes, room
// for any row count, so rewriting it at the end never moves the data.
#include "libcore/collection/npy_writer.h"

#include <cerrno>
#include <cstring>

namespace core {
namespace collection {

namespace {

constexpr std::size_t kHeader = 128;  // magic + version + length + dict

// The dtype in the machine's byte order: the floats are written as they
// are in memory.
const char *float_descr() {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  return ">f4";
#else
  return "<f4";
#endif
}

}  // namespace

core_status NpyWriter::io_error(const char *what, std::string *why) {
  const int e = errno;
  *why = std::string(what) + " " + partial_ + ": " + std::strerror(e);
  const core_status st = e == ENOENT ? CORE_E_NOT_FOUND : e == ENOMEM ? CORE_E_OUT_OF_MEMORY
                                                                      : CORE_E_IO;
  abandon();
  return st;
}

core_status NpyWriter::open(const std::string &path, std::size_t cols, std::string *why) {
  abandon();
  path_ = path;
  partial_ = path + ".partial";
  cols_ = cols;
  rows_ = 0;
  f_ = std::fopen(partial_.c_str(), "wb");
  if (f_ == nullptr) return io_error("cannot create", why);
  return write_header(why);
}

core_status NpyWriter::write_header(std::string *why) {
  char dict[kHeader];
  const int len = std::snprintf(dict, sizeof dict,
                                "{'descr': '%s', 'fortran_order': False, 'shape': (%llu, %zu), }",
                                float_descr(), static_cast<unsigned long long>(rows_), cols_);
  const std::size_t dict_room = kHeader - 10;  // after magic (6), version (2), length (2)
  if (len < 0 || static_cast<std::size_t>(len) + 1 > dict_room) {
    errno = EOVERFLOW;
    return io_error("header does not fit for", why);
  }
  unsigned char head[kHeader];
  std::memcpy(head, "\x93NUMPY\x01\x00", 8);
  head[8] = static_cast<unsigned char>(dict_room & 0xff);
  head[9] = static_cast<unsigned char>(dict_room >> 8);
  std::memset(head + 10, ' ', dict_room);
  std::memcpy(head + 10, dict, static_cast<std::size_t>(len));
  head[kHeader - 1] = '\n';
  if (std::fseek(f_, 0, SEEK_SET) != 0 || std::fwrite(head, 1, kHeader, f_) != kHeader)
    return io_error("cannot write", why);
  return CORE_OK;
}

core_status NpyWriter::append(const float *x, std::size_t rows, std::string *why) {
  if (rows == 0) return CORE_OK;
  if (std::fseek(f_, 0, SEEK_END) != 0) return io_error("cannot seek in", why);
  const std::size_t n = rows * cols_;
  if (std::fwrite(x, sizeof(float), n, f_) != n) return io_error("cannot write", why);
  rows_ += rows;
  return CORE_OK;
}

core_status NpyWriter::finish(std::string *why) {
  const core_status st = write_header(why);
  if (st != CORE_OK) return st;
  std::FILE *f = f_;
  f_ = nullptr;
  // fclose flushes: a full disk shows up here.
  if (std::fclose(f) != 0) {
    const int e = errno;
    std::remove(partial_.c_str());
    *why = "cannot write " + partial_ + ": " + std::strerror(e);
    partial_.clear();
    return CORE_E_IO;
  }
  if (std::rename(partial_.c_str(), path_.c_str()) != 0) {
    const int e = errno;
    std::remove(partial_.c_str());
    *why = "cannot rename " + partial_ + " to " + path_ + ": " + std::strerror(e);
    partial_.clear();
    return CORE_E_IO;
  }
  partial_.clear();
  return CORE_OK;
}

void NpyWriter::abandon() {
  if (f_ != nullptr) {
    std::fclose(f_);
    f_ = nullptr;
  }
  if (!partial_.empty()) {
    std::remove(partial_.c_str());
    partial_.clear();
  }
}

}  // namespace collection
}  // namespace core
