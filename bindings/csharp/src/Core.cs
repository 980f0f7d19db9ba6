namespace LibCore;

/// <summary>
/// libcore's runtime: version, SIMD target, thread control, status names.
/// Every member is safe from any thread.
/// </summary>
public static class Core
{
    /// <summary>The loaded library's version, "MAJOR.MINOR.PATCH" (core_version).</summary>
    public static string Version => CoreNative.core_version();

    /// <summary>The loaded library's version as MAJOR*10000 + MINOR*100 + PATCH
    /// (core_version_number).</summary>
    public static int VersionNumber => (int)CoreNative.core_version_number();

    /// <summary>The ABI version (soname major) of the loaded libcore (core_abi_version).</summary>
    public static int AbiVersion => CoreNative.core_abi_version();

    /// <summary>The libcore version this binding was built against.</summary>
    public static string BindingVersion => BuildInfo.Version;

    /// <summary>The SIMD instruction set chosen at run time for this CPU, e.g.
    /// "AVX3", "AVX2", "SSE4" or "SCALAR" (core_simd_target).</summary>
    public static string SimdTarget => CoreNative.core_simd_target();

    /// <summary>
    /// How many threads libcore's parallel work uses (at least 1). Set 1 for
    /// serial, 0 for the default (every CPU available to the process). The
    /// setting is process-wide and lives in libcore's own task arena, so it
    /// never limits other thread pools; results are bit-identical for every
    /// setting (core_get_num_threads / core_set_num_threads).
    /// </summary>
    /// <exception cref="CoreException">Set to a negative value
    /// (<see cref="CoreStatus.InvalidArgument"/>, libcore's message).</exception>
    public static int NumThreads
    {
        get => CoreNative.core_get_num_threads();
        set => CoreNative.core_set_num_threads(value);
    }

    /// <summary>The C name of a status, e.g. "CORE_E_INVALID_ARGUMENT", or
    /// "CORE_E_UNKNOWN" for a value outside the enum (core_status_str).</summary>
    public static string StatusName(CoreStatus status) => CoreNative.core_status_str(status);

    /// <summary>
    /// core_last_error_message() of the calling thread. Rarely needed: a failed
    /// call throws a <see cref="CoreException"/> that already carries its
    /// message. A successful call leaves it unchanged (like errno).
    /// </summary>
    public static string LastErrorMessage => CoreNative.core_last_error_message();

    /// <summary>The path libcore_csharp.so was loaded from (after the first call).</summary>
    public static string? NativeLibraryPath
    {
        get
        {
            NativeLibraryLoader.EnsureLoaded();
            return NativeLibraryLoader.LoadedFrom;
        }
    }
}
