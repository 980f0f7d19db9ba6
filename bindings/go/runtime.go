package core

import "libcore.dev/core/internal/capi"

// Version is the version of the loaded libcore, "MAJOR.MINOR.PATCH".
func Version() string { return capi.Core_version() }

// VersionNumber is MAJOR*10000 + MINOR*100 + PATCH of the loaded libcore.
func VersionNumber() int { return int(capi.Core_version_number()) }

// HeaderVersionNumber is the version number of the headers this package was
// compiled against; it differs from VersionNumber() when an older or newer
// libcore.so.1 is loaded at run time.
const HeaderVersionNumber = capi.HeaderVersionNumber

// ABIVersion is the ABI (soname) version of the loaded libcore: 1 for
// libcore.so.1.
func ABIVersion() int { return capi.Core_abi_version() }

// SimdTarget names the SIMD instruction set libcore chose for this CPU,
// such as "AVX3", "AVX2", "SSE4" or "SCALAR".
func SimdTarget() string { return capi.Core_simd_target() }

// SetNumThreads sets how many threads libcore's parallel work may use:
// 1 is serial, 0 the default (every CPU available to the process). It
// limits libcore's own task arena only. A negative n is ErrInvalidArgument.
func SetNumThreads(n int) error {
	if int64(n) != int64(int32(n)) {
		return argError("core.SetNumThreads", ErrInvalidArgument, "n = %d does not fit in a C int", n)
	}
	return check("core.SetNumThreads", capi.Core_set_num_threads(n))
}

// NumThreads is the number of threads libcore's parallel work uses now.
func NumThreads() int { return capi.Core_get_num_threads() }
