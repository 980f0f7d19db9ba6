using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace LibCore;

/// <summary>The call guard of the objects libcore lets one thread at a time use
/// (LogMelStream, Vad, Batcher, each side of a Pipeline): a reference on the
/// SafeHandle, so Dispose cannot free the native object under a running call,
/// and a slot a second concurrent call finds taken (an InvalidOperationException
/// instead of corrupted native state).</summary>
internal static class OneThreadCall
{
    /// <summary>Takes a reference on <paramref name="handle"/> and the slot
    /// <paramref name="busy"/> for one call; <see cref="Exit"/> gives both back.
    /// <paramref name="owner"/> names the type in ObjectDisposedException;
    /// <paramref name="conflict"/> is the message when the slot is taken.</summary>
    internal static IntPtr Enter(SafeHandle handle, ref int busy, bool disposed, string owner,
                                 string conflict)
    {
        if (disposed)
            throw new ObjectDisposedException(owner);
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            throw new ObjectDisposedException(owner);
        }
        return TakeSlot(handle, ref busy, conflict);
    }

    /// <summary>The slot alone, for a caller that already holds a reference on
    /// <paramref name="handle"/> (released here when the slot is taken).</summary>
    internal static IntPtr TakeSlot(SafeHandle handle, ref int busy, string conflict)
    {
        if (Interlocked.Exchange(ref busy, 1) != 0)
        {
            handle.DangerousRelease();
            throw new InvalidOperationException(conflict);
        }
        return handle.DangerousGetHandle();
    }

    internal static void Exit(SafeHandle handle, ref int busy)
    {
        Volatile.Write(ref busy, 0);
        handle.DangerousRelease();
    }
}
