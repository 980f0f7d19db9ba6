/* jcore_extra.h: the names declared in bindings/java/core_java_extra.i,
 * each the libcore function it wraps. */
#ifndef LIBCORE_JAVA_JCORE_EXTRA_H
#define LIBCORE_JAVA_JCORE_EXTRA_H

#include <core/core.h>

/* direct-buffer variants */
#define jcore_stats_f32_direct core_stats_f32
#define jcore_min_f32_direct core_min_f32
#define jcore_max_f32_direct core_max_f32
#define jcore_mean_f32_direct core_mean_f32
#define jcore_var_f32_direct core_var_f32
#define jcore_std_f32_direct core_std_f32
#define jcore_energy_f32_direct core_energy_f32
#define jcore_rms_f32_direct core_rms_f32
#define jcore_zero_crossing_rate_f32_direct core_zero_crossing_rate_f32
#define jcore_dot_f32_direct core_dot_f32
#define jcore_corrcoef_f32_direct core_corrcoef_f32
#define jcore_percentile_f32_direct core_percentile_f32
#define jcore_cumsum_f32_direct core_cumsum_f32
#define jcore_normalize_f32_direct core_normalize_f32
#define jcore_normal_pdf_f32_direct core_normal_pdf_f32

#define jcore_stats_f64_direct core_stats_f64
#define jcore_min_f64_direct core_min_f64
#define jcore_max_f64_direct core_max_f64
#define jcore_mean_f64_direct core_mean_f64
#define jcore_var_f64_direct core_var_f64
#define jcore_std_f64_direct core_std_f64
#define jcore_energy_f64_direct core_energy_f64
#define jcore_rms_f64_direct core_rms_f64
#define jcore_zero_crossing_rate_f64_direct core_zero_crossing_rate_f64
#define jcore_dot_f64_direct core_dot_f64
#define jcore_corrcoef_f64_direct core_corrcoef_f64
#define jcore_percentile_f64_direct core_percentile_f64
#define jcore_cumsum_f64_direct core_cumsum_f64
#define jcore_normalize_f64_direct core_normalize_f64
#define jcore_normal_pdf_f64_direct core_normal_pdf_f64

/* float64 functions whose output array is named like stats.h's scalar out */
#define jcore_linspace_f64 core_linspace_f64
#define jcore_cumsum_f64 core_cumsum_f64
#define jcore_normal_pdf_f64 core_normal_pdf_f64
#define jcore_pcm16_to_f64 core_pcm16_to_f64

/* accumulator pushes from direct buffers (the array pushes are helpers in
 * jcore_batch.h) */
#define jcore_stats_acc_push_f32_direct core_stats_acc_push_f32
#define jcore_stats_acc_push_f64_direct core_stats_acc_push_f64

/* ring calls on direct buffers */
#define jcore_ring_append_f32_direct core_ring_append_f32
#define jcore_ring_read_direct core_ring_read

#endif
