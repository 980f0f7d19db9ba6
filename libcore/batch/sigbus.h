// SIGBUS protection for libcore's own file mappings.
//
// Reading a page of a MAP_SHARED file mapping that lies past the file's
// current end raises SIGBUS (the file was truncated after mmap). MAP_POPULATE
// or a size check before reading do not help: the truncation can happen at
// any moment. So while a mapping is registered here, a SIGBUS handler maps
// anonymous zero pages over the lost part of it, records the fault and lets
// the faulting load run again; the caller sees faulted() and reports
// CORE_E_IO instead of a crash.
//
// The handler is installed only over SIG_DFL: a process whose SIGBUS already
// belongs to someone (a JVM, the Go or .NET runtime, a sanitizer, Python's
// faulthandler) keeps its handler, and the guard reports !ok() so the caller
// reads the file with read(2) instead. Faults outside libcore's mappings,
// and signals sent with kill(), get the default action as before.
#ifndef LIBCORE_BATCH_SIGBUS_H
#define LIBCORE_BATCH_SIGBUS_H

#include <cstddef>

namespace core {
namespace sigbus {

class Guard {
 public:
  // Registers [base, base + len) (base page aligned). ok() is false when
  // the mapping cannot be protected: then nothing is registered.
  Guard(const void *base, std::size_t len);
  ~Guard();
  Guard(const Guard &) = delete;
  Guard &operator=(const Guard &) = delete;

  bool ok() const { return slot_ >= 0; }
  // Whether a SIGBUS hit the mapping (its tail now reads as zeros).
  bool faulted() const;

 private:
  int slot_ = -1;
};

}  // namespace sigbus
}  // namespace core

#endif
