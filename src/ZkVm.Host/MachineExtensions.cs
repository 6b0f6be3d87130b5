using System.Reflection;
using System.Runtime.Loader;
using ZkVm.Machine.Extensions;
using ZkVm.Machine.Precompiles;

namespace ZkVm;

/// <summary>Machine extensions from their assemblies, as <c>zkvm --extension</c> and the SDK's ZkExtension items give them.</summary>
public static class MachineExtensions
{
    /// <summary>
    /// The machine with every public <see cref="IMachineExtension"/> (a class with a public parameterless constructor)
    /// of the assemblies at <paramref name="assemblyPaths"/>, where the name "accelerators" stands for the built-in
    /// <see cref="AcceleratorsExtension"/>; none gives plain RV32IM. An assembly that cannot be
    /// loaded or holds no extension fails with <see cref="HostErrors.BadExtensionAssembly"/>, one whose extension is
    /// inconsistent with <c>ZK2114</c>.
    /// </summary>
    public static ExtensionSet Load(IEnumerable<string> assemblyPaths)
    {
        var extensions = new List<IMachineExtension>();
        foreach (string path in assemblyPaths)
            if (path == AcceleratorsExtension.ExtensionName)
                extensions.Add(AcceleratorsExtension.Instance);
            else
                extensions.AddRange(From(path));
        return extensions.Count == 0 ? ExtensionSet.Rv32im : new ExtensionSet(extensions);
    }

    static IEnumerable<IMachineExtension> From(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new ZkVmException(HostErrors.BadExtensionAssembly, $"extension assembly '{path}' not found");
        Type[] types;
        try
        {
            // The default context: the extension shares this process's ZkVm assemblies, so its chips are our IInstructionChip.
            var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(full);
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or ReflectionTypeLoadException or TypeLoadException)
        {
            throw new ZkVmException(HostErrors.BadExtensionAssembly, $"extension assembly '{path}' cannot be loaded: {e.Message}", e);
        }
        var found = types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IMachineExtension).IsAssignableFrom(t)).ToList();
        if (found.Count == 0)
            throw new ZkVmException(HostErrors.BadExtensionAssembly, $"extension assembly '{path}' has no public class implementing {nameof(IMachineExtension)}");
        foreach (var type in found)
        {
            if (type.GetConstructor(Type.EmptyTypes) is not { } constructor)
                throw new ZkVmException(HostErrors.BadExtensionAssembly, $"{type.FullName} in '{path}' has no public parameterless constructor");
            IMachineExtension extension;
            try
            {
                extension = (IMachineExtension)constructor.Invoke(null);
            }
            catch (TargetInvocationException e)
            {
                throw new ZkVmException(HostErrors.BadExtensionAssembly, $"{type.FullName} in '{path}' failed to start: {e.InnerException?.Message}", e);
            }
            yield return extension;
        }
    }
}
