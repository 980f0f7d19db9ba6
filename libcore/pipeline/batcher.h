// The generic dynamic batcher behind core_batcher_* (include/core/pipeline.h)
// and the pipeline's encoder batching. Internal C++ interface: the extern "C"
// layer in libcore/abi/batcher.cpp checks arguments and writes messages;
// nothing here touches the thread-local error.
//
// Items (a caller id and a length) wait in length buckets: an item's bucket
// is the first whose bound is >= its length, the last bucket takes the
// rest. A bucket's batch is due when the bucket holds max_batch items, when
// its oldest item has waited >= max_delay_ns (0: due at once), or when
// flush() was called while its items waited (each flushed item is due; the
// flushed items go out in batches of at most max_batch). next() releases
// the due batch whose oldest item arrived first across buckets: up to
// max_batch ids from the head of that bucket, in arrival order.
//
// Storage: one ring of items per bucket, reserved at construction and
// doubled only when a bucket outgrows it, so add/next do not allocate in
// steady state. Not thread-safe: one thread at a time.
#ifndef LIBCORE_PIPELINE_BATCHER_H
#define LIBCORE_PIPELINE_BATCHER_H

#include <core/pipeline.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace core {
namespace pipeline {

class Batcher {
 public:
  struct Options {
    std::size_t max_batch;          // >= 1
    std::uint64_t max_delay_ns;     // 0: every item is due at once
    std::vector<std::uint64_t> bounds;  // strictly ascending inclusive upper bounds
                                        // of all buckets but the last (empty: one bucket)
    core_clock_ns_fn clock;         // nullptr: CLOCK_MONOTONIC
    void *clock_user;
  };

  // Options must be valid (see batcher_options_from). Throws std::bad_alloc.
  explicit Batcher(const Options &o);

  // Queues an item, stamped with now(). May throw std::bad_alloc (only when
  // a bucket grows past its reserved capacity; the batcher is unchanged then).
  void add(std::uint64_t id, std::uint64_t length);

  // Releases the next due batch: ids (arrival order) into ids[0, *count),
  // ids must hold >= max_batch; *bucket its bucket index. False (outputs
  // untouched) when no batch is due now.
  bool next(std::uint64_t *ids, std::size_t *count, std::size_t *bucket);

  // Makes every item waiting now due (items added later are not).
  void flush();

  // Items waiting (due or not).
  std::size_t pending() const;

  // *ns = nanoseconds from now() until the oldest waiting item times out,
  // 0 when a batch is due now. False (ns untouched) when nothing waits.
  bool next_deadline(std::uint64_t *ns) const;

  // The clock, ns (CLOCK_MONOTONIC when clock is nullptr).
  std::uint64_t now() const;

  std::size_t max_batch() const { return max_batch_; }
  std::size_t n_buckets() const { return buckets_.size(); }

 private:
  struct Item {
    std::uint64_t id;
    std::uint64_t t;    // arrival time, ns
    std::uint64_t seq;  // arrival order across buckets
  };
  struct Bucket {
    std::vector<Item> ring;  // capacity: a power of two
    std::size_t head = 0, size = 0;
    std::size_t flushed = 0;  // the first `flushed` items are due by flush
    const Item &front() const { return ring[head]; }
  };

  bool due(const Bucket &b, std::uint64_t now) const;
  std::size_t bucket_of(std::uint64_t length) const;

  std::size_t max_batch_;
  std::uint64_t max_delay_ns_;
  std::vector<std::uint64_t> bounds_;
  core_clock_ns_fn clock_;
  void *clock_user_;
  std::vector<Bucket> buckets_;
  std::size_t pending_ = 0;
  std::uint64_t seq_ = 0;
};

// Checks the public options (struct_size already handled by the caller) and
// converts them. Returns true, or false with a message (without the function
// name) in why[0, why_cap). Throws std::bad_alloc.
bool batcher_options_from(const core_batcher_options_t &in, Batcher::Options *out, char *why,
                          std::size_t why_cap);

}  // namespace pipeline
}  // namespace core

#endif
