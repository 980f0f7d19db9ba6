// The console reporter that keeps the figures for the ratios, and the
// "ratios" section printed after the run.

#ifndef LIBCORE_BENCH_REPORT_H
#define LIBCORE_BENCH_REPORT_H

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

namespace bench {

struct Figure {
  double seconds = 0.0;        // wall time per call
  double bytes_per_sec = 0.0;  // array bytes per second (see conventions)
  bool ok = false;
};

// The usual console table, plus the figures kept for the ratios. Google
// Benchmark reports the repetitions of one benchmark in one call and their
// aggregates in a second one. With repetitions, the table shows two rows per
// benchmark: "_best" (the fastest repetition: interference from other
// processes only ever slows a run down, so on a shared machine this is the
// closest to the uncontended figure) and "_median"; the ratios use the best
// and quote the median alongside.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  explicit RatioReporter(OutputOptions opts) : ConsoleReporter(opts) {}

  void ReportRuns(const std::vector<Run> &runs) override;

  bool errors() const { return errors_; }

  // Keyed by benchmark name and argument ("stats_f32/100"); nullptr when the
  // benchmark was not run or failed.
  const Figure *best(const std::string &k) const { return find(best_, k); }
  const Figure *median(const std::string &k) const { return find(median_, k); }

 private:
  static std::string key(const Run &r);
  static Figure figure(const Run &r);
  static const Figure *find(const std::map<std::string, Figure> &m, const std::string &k);

  std::map<std::string, Figure> best_, median_;
  bool errors_ = false;
};

// Prints the "ratios" section from the figures of rep, running the paired
// measurement for each ratio whose two sides were run. Returns false when a
// paired run hit a libcore error.
bool print_ratios(const RatioReporter &rep);

}  // namespace bench

#endif  // LIBCORE_BENCH_REPORT_H
