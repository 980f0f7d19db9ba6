/* Reference data from ../shared/testdata (real speech, Whisper's mel
 * filters, a clip with known silences), read in place, never copied into
 * the repository. The folder is $LIBCORE_TESTDATA, else ../shared/testdata
 * beside the source tree. A test that needs a file it cannot find is
 * SKIPPED (reported as skipped, never as passed), or FAILS when
 * LIBCORE_REQUIRE_TESTDATA=1 (set by .ci/run, so CI never passes by
 * skipping). Test code only. */
#ifndef CORE_TESTDATA_H
#define CORE_TESTDATA_H

#include <criterion/criterion.h>

#include <stddef.h>

/* The full path of `name` in the test data folder, in a static buffer
 * (valid until the next call), or NULL when the file is not readable. */
const char *td_find(const char *name);

/* 1 when LIBCORE_REQUIRE_TESTDATA=1. */
int td_required(void);

/* Reads a headerless little-endian float32 file; *n receives the count.
 * NULL when unreadable. Free with free(). */
float *td_read_f32(const char *path, size_t *n);

/* In a Criterion test: `const char *p = TD_PATH("jfk_16k.wav");` gives the
 * path, or ends the test as skipped (or failed when required). */
#define TD_PATH(name)                                                              \
  ({                                                                              \
    const char *td_p_ = td_find(name);                                            \
    if (!td_p_) {                                                                 \
      if (td_required())                                                          \
        cr_assert_fail("test data %s missing and LIBCORE_REQUIRE_TESTDATA=1", (name)); \
      cr_skip_test("test data %s not found (set LIBCORE_TESTDATA)", (name));     \
    }                                                                             \
    td_p_;                                                                        \
  })

#endif
