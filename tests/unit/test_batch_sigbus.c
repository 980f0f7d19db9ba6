/* Unit tests for the batch module, part 4: a file that shrinks while
 * core_stats_file_f32 reads it must give CORE_E_IO, never a crash, and the
 * SIGBUS handler libcore installs must not change what happens to any
 * other SIGBUS. C API only.
 *
 * To shrink the file at a known moment, this program interposes fstat
 * (glibc's fstat64 symbol, which libcore.so imports): when armed, it
 * truncates the file right after libcore has read its size, so libcore maps
 * or reads a range the file no longer has. Dynamic symbol interposition is
 * the shared-library counterpart of the linker's --wrap. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <core/core.h>

#include "stats_testutil.h"

/* ---- the interposed fstat --------------------------------------------------------- */

static char armed_path[256]; /* truncate this file at the next fstat of a regular file */
static off_t armed_size;

int fstat64(int fd, struct stat64 *st) {
  static int (*real)(int, struct stat64 *);
  if (real == NULL) real = (int (*)(int, struct stat64 *))dlsym(RTLD_NEXT, "fstat64");
  int r = real(fd, st);
  if (r == 0 && armed_path[0] != '\0' && S_ISREG(st->st_mode)) {
    cr_assert_eq(truncate(armed_path, armed_size), 0, "truncate failed");
    armed_path[0] = '\0';
  }
  return r;
}

/* ---- helpers ---------------------------------------------------------------------- */

static char dir[64], path[128];
static const size_t N = 4 * 1024 * 1024; /* 16 MiB of float32 */

static void setup(void) {
  strcpy(dir, "/tmp/libcore_sigbus_XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/values.f32", dir);
}

static void teardown(void) {
  unlink(path);
  rmdir(dir);
}

TestSuite(sigbus, .init = setup, .fini = teardown, .timeout = 120);

static void write_values(void) {
  FILE *f = fopen(path, "wb");
  cr_assert_not_null(f);
  float chunk[4096];
  for (size_t i = 0; i < 4096; ++i) chunk[i] = (float)(i % 97);
  for (size_t done = 0; done < N; done += 4096)
    cr_assert_eq(fwrite(chunk, sizeof chunk, 1, f), 1u);
  cr_assert_eq(fclose(f), 0);
}

static int sigbus_is_siginfo_handler(void) {
  struct sigaction sa;
  sigaction(SIGBUS, NULL, &sa);
  return (sa.sa_flags & SA_SIGINFO) != 0;
}

static void shrink_during_call(const char *want_msg) {
  write_values();
  snprintf(armed_path, sizeof armed_path, "%s", path);
  armed_size = 1000 * sizeof(float); /* inside the first page: the rest is gone */
  core_stats_t s;
  memset(&s, 0xA5, sizeof s);
  core_stats_t before = s;
  cr_expect_eq(core_stats_file_f32(path, 0, 0, CORE_NAN_PROPAGATE, &s), CORE_E_IO);
  cr_expect_eq(armed_path[0], '\0', "the truncation never happened");
  cr_expect(tu_message_has(want_msg), "\"%s\"", core_last_error_message());
  cr_expect(memcmp(&s, &before, sizeof s) == 0, "out written on an error");
}

/* ---- tests -------------------------------------------------------------------------- */

Test(sigbus, mapped_file_shrinking_gives_io_error) {
  /* A sanitizer runtime (ASan's handle_sigbus=1, its default) owns SIGBUS:
   * libcore then reads instead of mapping, and there is nothing to test.
   * .ci/run sets handle_sigbus=0 so this runs there. */
  if (sigbus_is_siginfo_handler())
    cr_skip_test("the test process already has a SIGBUS handler (a sanitizer's?)");
  shrink_during_call("shrank while mapped");
  /* The guard was what caught it: libcore's handler is installed now. */
  cr_expect(sigbus_is_siginfo_handler(), "no SIGBUS handler installed: the mapping was not used");
  /* And the library keeps working afterwards, on the file as it is now. */
  core_stats_t s;
  ST_OK(core_stats_file_f32(path, 0, 0, CORE_NAN_PROPAGATE, &s), "after");
  cr_expect_eq(s.count, 1000u);
}

Test(sigbus, read_path_file_shrinking_gives_io_error) {
  setenv("LIBCORE_NO_MMAP", "1", 1);
  shrink_during_call("shrank while being read");
  unsetenv("LIBCORE_NO_MMAP");
}

static volatile sig_atomic_t host_handler_calls;
static void host_handler(int sig, siginfo_t *info, void *ctx) {
  (void)sig, (void)info, (void)ctx;
  ++host_handler_calls;
}

/* A process with a SIGBUS handler of its own keeps it; libcore reads the
 * file instead of mapping it, with the same result. */
Test(sigbus, host_handler_is_kept) {
  struct sigaction sa, now;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = host_handler;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  cr_assert_eq(sigaction(SIGBUS, &sa, NULL), 0);
  write_values();
  core_stats_t s;
  ST_OK(core_stats_file_f32(path, 0, 0, CORE_NAN_PROPAGATE, &s), "file");
  cr_expect_eq(s.count, N);
  sigaction(SIGBUS, NULL, &now);
  cr_expect(now.sa_sigaction == host_handler, "libcore replaced the host's SIGBUS handler");
  shrink_during_call("shrank while being read");
  cr_expect_eq(host_handler_calls, 0, "the host handler saw a SIGBUS");
}

/* In a child: installs libcore's handler, then hits a SIGBUS libcore does
 * not own. Returns the child's wait status. */
static int child_status(int kind) {
  write_values();
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    core_stats_t s;
    if (core_stats_file_f32(path, 0, 0, CORE_NAN_PROPAGATE, &s) != CORE_OK) _exit(3);
    if (!sigbus_is_siginfo_handler()) _exit(4);
    if (kind == 0) {
      raise(SIGBUS); /* a sent signal */
    } else {         /* a fault in a mapping of the program's own */
      int fd = open(path, O_RDONLY);
      const volatile float *m = mmap(NULL, N * sizeof(float), PROT_READ, MAP_SHARED, fd, 0);
      if (m == MAP_FAILED || truncate(path, 0) != 0) _exit(5);
      float v = m[N / 2];
      (void)v;
    }
    _exit(0); /* survived: wrong */
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

Test(sigbus, other_sigbus_keeps_the_default_action) {
  for (int kind = 0; kind < 2; ++kind) {
    int status = child_status(kind);
    cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS,
              "%s: the child was not killed by SIGBUS (exited %d, signal %d)",
              kind == 0 ? "raise(SIGBUS)" : "fault in a foreign mapping",
              WIFEXITED(status) ? WEXITSTATUS(status) : -1,
              WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  }
}

/* ---- the unplanned case: a truncation racing the call ----------------------------- */

static void *truncate_later(void *arg) {
  usleep((useconds_t)(uintptr_t)arg);
  truncate(path, 4096);
  return NULL;
}

Test(sigbus, racing_truncation_never_crashes) {
  int ok = 0, io = 0;
  for (int i = 0; i < 40; ++i) {
    write_values();
    pthread_t t;
    pthread_create(&t, NULL, truncate_later, (void *)(uintptr_t)(i * 100));
    core_stats_t s;
    core_status st = core_stats_file_f32(path, 0, 0, CORE_NAN_PROPAGATE, &s);
    pthread_join(t, NULL);
    cr_expect(st == CORE_OK || st == CORE_E_IO, "status %s: %s", core_status_str(st),
              core_last_error_message());
    if (st == CORE_OK)
      cr_expect(s.count == N || s.count == 1024, "a summary of %llu values",
                (unsigned long long)s.count);
    ok += st == CORE_OK;
    io += st == CORE_E_IO;
  }
  cr_log_info("racing truncation: %d calls finished first or started late, %d saw it", ok, io);
}
