using System;

namespace LibCore;

/// <summary>
/// A libcore call returned a status other than <see cref="CoreStatus.Ok"/>.
/// </summary>
/// <remarks>
/// <para>Carries the status and libcore's own message
/// (<c>core_last_error_message()</c>, for example
/// <c>"core_arange_len: step is 0"</c>). The message is thread-local in C; the
/// native wrapper reads it inside the same native call that failed, on the
/// same thread, so it always belongs to this failure.</para>
/// <para>Error policy of the binding: what libcore validates (step 0,
/// non-finite arguments, q outside [0, 100], an empty input to
/// <c>Min</c>/<c>Max</c>/<c>Percentile</c>, constant data to
/// <c>Normalize</c>, a bad <see cref="NanPolicy"/>, a negative thread count)
/// is reported as a <see cref="CoreException"/> with libcore's status and
/// message. What libcore cannot see — a null array (C would read it as
/// empty), a negative count or ddof (C takes unsigned), two arrays of
/// different lengths or a destination span that is too short (C takes one
/// length) — is refused before the native call with
/// <see cref="ArgumentNullException"/>, <see cref="ArgumentOutOfRangeException"/>
/// or <see cref="ArgumentException"/>. No failed call returns NaN or zero.</para>
/// </remarks>
public sealed class CoreException : Exception
{
    /// <summary>Creates the exception for a failed call.</summary>
    /// <param name="status">The status libcore returned.</param>
    /// <param name="libCoreMessage">libcore's message for the failure.</param>
    /// <param name="statusName">The C name of the status (core_status_str);
    /// when null, derived from <paramref name="status"/>.</param>
    public CoreException(CoreStatus status, string libCoreMessage, string? statusName = null)
        : base(Format(status, libCoreMessage, statusName))
    {
        Status = status;
        LibCoreMessage = libCoreMessage ?? "";
        StatusName = statusName ?? "CoreStatus." + status;
    }

    /// <summary>The status libcore returned.</summary>
    public CoreStatus Status { get; }

    /// <summary>The C name of <see cref="Status"/>, e.g. "CORE_E_INVALID_ARGUMENT".</summary>
    public string StatusName { get; }

    /// <summary>libcore's message for this failure, exactly as
    /// core_last_error_message() gave it ("" if libcore gave none).</summary>
    public string LibCoreMessage { get; }

    private static string Format(CoreStatus status, string? message, string? name)
    {
        name ??= "CoreStatus." + status;
        return string.IsNullOrEmpty(message) ? name : $"{message} ({name})";
    }
}
