using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace LibCore;

/// <summary>
/// Finds and loads the native wrapper libcore_csharp.so (which links
/// libcore.so.1) for every P/Invoke of this assembly.
/// </summary>
/// <remarks>
/// Places tried, in order (the first that loads wins):
/// <list type="number">
/// <item>$LIBCORE_CSHARP_LIBRARY, the full path of the wrapper; when set, it
/// is the only place tried.</item>
/// <item>The directory of LibCore.dll, and its runtimes/linux-x64/native.</item>
/// <item>The application's base directory.</item>
/// <item>The directory `meson install` put it in (BuildInfo.InstallLibDir).</item>
/// <item>The system search for "libcore_csharp.so" (LD_LIBRARY_PATH, the
/// ld.so cache, /lib, /usr/lib).</item>
/// </list>
/// When none loads, the first native call throws a
/// <see cref="DllNotFoundException"/> listing each place and why it failed
/// (file missing, or the loader's error, e.g. libcore.so.1 not found).
/// </remarks>
internal static class NativeLibraryLoader
{
    internal const string LibraryName = "core_csharp";
    internal const string FileName = "libcore_csharp.so";
    internal const string PathVariable = "LIBCORE_CSHARP_LIBRARY";

    private static readonly object s_lock = new();
    private static IntPtr s_handle;
    private static bool s_loaded;

    /// <summary>Where the wrapper was loaded from (null before the first call).</summary>
    internal static string? LoadedFrom { get; private set; }

#pragma warning disable CA2255 // a library module initializer: the resolver must be in place before any P/Invoke
    [ModuleInitializer]
    internal static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
#pragma warning restore CA2255

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == LibraryName ? Load() : IntPtr.Zero;

    /// <summary>Loads the wrapper on first use; throws a DllNotFoundException
    /// naming every place tried when it cannot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void EnsureLoaded()
    {
        if (!Volatile.Read(ref s_loaded))
            Load();
    }

    private static IntPtr Load()
    {
        lock (s_lock)
        {
            if (s_loaded)
                return s_handle;
            var candidates = Candidates(Environment.GetEnvironmentVariable(PathVariable),
                AssemblyDirectory(), AppContext.BaseDirectory, BuildInfo.InstallLibDir);
            IntPtr handle = TryLoad(candidates, out string? from, out string report);
            if (handle == IntPtr.Zero)
                throw new DllNotFoundException(report);
            s_handle = handle;
            LoadedFrom = from;
            Volatile.Write(ref s_loaded, true);
            return handle;
        }
    }

    private static string? AssemblyDirectory()
    {
        string location = typeof(NativeLibraryLoader).Assembly.Location;
        return string.IsNullOrEmpty(location) ? null : Path.GetDirectoryName(location);
    }

    /// <summary>A place to try: a path, or a bare name for the system search.</summary>
    internal readonly record struct Candidate(string Path, string Description, bool IsBareName = false);

    /// <summary>The places tried, in order, for the given environment.</summary>
    internal static List<Candidate> Candidates(string? envPath, string? assemblyDir,
                                               string? baseDir, string? installDir)
    {
        var list = new List<Candidate>();
        if (!string.IsNullOrEmpty(envPath))
        {
            list.Add(new Candidate(envPath, $"${PathVariable}"));
            return list;
        }
        void Add(string? dir, string description)
        {
            if (string.IsNullOrEmpty(dir))
                return;
            string path = Path.GetFullPath(Path.Combine(dir, FileName));
            if (!list.Exists(c => c.Path == path))
                list.Add(new Candidate(path, description));
        }
        Add(assemblyDir, "beside LibCore.dll");
        if (!string.IsNullOrEmpty(assemblyDir))
            Add(Path.Combine(assemblyDir, "runtimes", "linux-x64", "native"), "NuGet runtimes folder");
        Add(baseDir, "application directory");
        Add(installDir, "meson install directory");
        list.Add(new Candidate(FileName, "system search: LD_LIBRARY_PATH, ld.so cache, /lib, /usr/lib",
                               IsBareName: true));
        return list;
    }

    /// <summary>The dynamic loader's own words (dlerror), the last line of
    /// .NET's message, e.g. "libcore.so.1: cannot open shared object file".</summary>
    private static string LoaderError(string message)
    {
        string[] lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "could not be loaded" : lines[^1];
    }

    /// <summary>Tries each candidate; on failure <paramref name="report"/> is the
    /// message of the DllNotFoundException.</summary>
    internal static IntPtr TryLoad(IReadOnlyList<Candidate> candidates, out string? loadedFrom,
                                   out string report)
    {
        var why = new StringBuilder();
        int i = 0;
        foreach (Candidate c in candidates)
        {
            ++i;
            if (!c.IsBareName && !File.Exists(c.Path))
            {
                why.Append($"\n  {i}. {c.Path} ({c.Description}): no such file");
                continue;
            }
            try
            {
                IntPtr handle = NativeLibrary.Load(c.Path);
                loadedFrom = c.Path;
                report = "";
                return handle;
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                why.Append($"\n  {i}. {c.Path} ({c.Description}): {LoaderError(e.Message)}");
            }
        }
        loadedFrom = null;
        report = $"LibCore could not load its native library {FileName} (the SWIG wrapper, " +
                 $"which needs libcore.so.{BuildInfo.AbiVersion}). Tried:{why}\n" +
                 $"Set {PathVariable} to the full path of {FileName}, put it beside LibCore.dll, " +
                 "or add its directory to LD_LIBRARY_PATH.";
        return IntPtr.Zero;
    }
}
