/* NO_INTERPOSE is defined in sanitizer builds, which replace malloc & co
 * themselves: tests that interpose allocators (to count or to fail them)
 * skip there. Test code only. */
#ifndef CORE_TEST_SANITIZED_H
#define CORE_TEST_SANITIZED_H

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define NO_INTERPOSE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define NO_INTERPOSE 1
#endif
#endif

#endif
