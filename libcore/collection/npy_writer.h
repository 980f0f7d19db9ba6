// A float32 NumPy .npy file of shape (rows, cols) written row by row when
// the row count is not known in advance, published atomically: the rows go
// to "<path>.partial", the header is rewritten with the final row count at
// the end, and only then is the file renamed to path. An interrupted or
// failed write leaves no file at path (and removes the partial one when it
// can), so a file at path is always complete.
#ifndef LIBCORE_COLLECTION_NPY_WRITER_H
#define LIBCORE_COLLECTION_NPY_WRITER_H

#include <core/core.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace core {
namespace collection {

class NpyWriter {
 public:
  NpyWriter() = default;
  NpyWriter(const NpyWriter &) = delete;
  NpyWriter &operator=(const NpyWriter &) = delete;
  ~NpyWriter() { abandon(); }

  // Creates the partial file and writes a placeholder header. On failure
  // returns the status (CORE_E_IO, CORE_E_NOT_FOUND for a missing folder)
  // with the reason in *why.
  core_status open(const std::string &path, std::size_t cols, std::string *why);
  // Appends rows * cols floats.
  core_status append(const float *x, std::size_t rows, std::string *why);
  // Writes the final header, closes and renames into place.
  core_status finish(std::string *why);
  // Closes and removes the partial file (nothing at path). Idempotent.
  void abandon();

  std::uint64_t rows() const { return rows_; }

 private:
  core_status write_header(std::string *why);
  core_status io_error(const char *what, std::string *why);

  std::FILE *f_ = nullptr;
  std::string path_, partial_;
  std::size_t cols_ = 0;
  std::uint64_t rows_ = 0;
};

}  // namespace collection
}  // namespace core

#endif
