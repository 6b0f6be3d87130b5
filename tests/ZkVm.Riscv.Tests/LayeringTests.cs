using ZkVm.Riscv.Elf;
using ZkVm.Toolchain;

namespace ZkVm.Riscv.Tests;

/// <summary>Dependencies point one way: the engine a verifier loads carries no compiler driver or C sources.</summary>
public class LayeringTests
{
    [Fact]
    public void The_engine_references_only_errors_and_elfsharp_and_embeds_no_guest_runtime()
    {
        var engine = typeof(ElfFile).Assembly;
        var references = engine.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("ZkVm") || !n.StartsWith("System")).Order();
        Assert.Equal(["ELFSharp", "ZkVm.Errors"], references);
        Assert.Empty(engine.GetManifestResourceNames());
        Assert.Contains("guest/c/zkvm.h", typeof(GuestCompiler).Assembly.GetManifestResourceNames());
    }
}
