using System.Reflection;

namespace ZkVm.Host.Tests;

/// <summary>What an app touches is one namespace, <c>ZkVm</c>, and speaks no engine type (issue 19).</summary>
public class PublicApiTests
{
    static readonly string[] Allowed = ["System", "Microsoft.Extensions.Logging"];

    static bool IsAllowed(Type type)
    {
        if (type.IsGenericParameter) return true;
        if (type.HasElementType) return IsAllowed(type.GetElementType()!);
        if (type.IsGenericType && !type.GetGenericArguments().All(IsAllowed)) return false;
        string ns = type.Namespace ?? "";
        return ns == "ZkVm" || Allowed.Any(a => ns == a || ns.StartsWith(a + ".", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_public_type_of_the_host_package_is_in_ZkVm_and_its_signatures_use_no_engine_type()
    {
        var assembly = typeof(ZkProgram).Assembly;
        var types = assembly.GetExportedTypes();
        Assert.Contains(typeof(Verifier), types);
        Assert.All(types, t => Assert.Equal("ZkVm", t.Namespace));
        // And the types they hand out that live elsewhere are in ZkVm too: the ImageId, presets, regimes, the machine.
        Assert.All(new[] { typeof(ImageId), typeof(SecurityPreset), typeof(SecurityRegime), typeof(ExtensionSet), typeof(ZkVmException), typeof(ShardEvent) },
            t => Assert.Equal("ZkVm", t.Namespace));

        var offending = new List<string>();
        foreach (var type in types)
        {
            const BindingFlags Public = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var member in type.GetMembers(Public))
            {
                IEnumerable<Type> used = member switch
                {
                    MethodBase m => m.GetParameters().Select(p => p.ParameterType).Append(m is MethodInfo mi ? mi.ReturnType : typeof(void)),
                    PropertyInfo p => [p.PropertyType],
                    FieldInfo f => [f.FieldType],
                    EventInfo e => [e.EventHandlerType!],
                    _ => [],
                };
                foreach (var t in used.Where(t => !IsAllowed(t)))
                    offending.Add($"{type.Name}.{member.Name}: {t.FullName}");
            }
        }
        Assert.True(offending.Count == 0, "engine types in public signatures:\n" + string.Join("\n", offending.Distinct()));
    }
}
