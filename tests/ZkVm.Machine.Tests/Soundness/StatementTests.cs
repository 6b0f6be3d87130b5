using ZkVm.Machine.Tests.Support;
using ZkVm.Riscv;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Toolchain;
using ZkVm.Riscv.Trace;

namespace ZkVm.Machine.Tests.Soundness;

/// <summary>
/// What the ImageId binds and what a program rebuilt from untrusted parts (a receipt) may hold: the
/// review's findings 1 (the memory map was not in the statement), 3 (any register could start nonzero,
/// x0 included) and 4 (code ranges reaching p).
/// </summary>
public class StatementTests
{
    static MachineProgram Real => MachineRuns.Directed("memory.S").Program;

    /// <summary>The real map with the null page made read-write: what an extra empty NOBITS segment at
    /// page 0 gave the emulator, with the same ImageId before the map was bound.</summary>
    static List<MemoryRegion> NullPageMapped(MachineProgram program)
    {
        var regions = program.Map.Regions.ToList();
        Assert.Equal(new MemoryRegion(0, PageAccess.None), regions[0]);
        regions[0] = new MemoryRegion(0, PageAccess.ReadWrite);
        regions.Insert(1, new MemoryRegion(program.CodeBase & ~(MemoryMap.PageSize - 1), PageAccess.None));
        return regions;
    }

    [Fact]
    public void The_loader_maps_the_null_page_and_code_as_unmapped_and_rodata_as_read_only()
    {
        var program = Real;
        Assert.Equal(PageAccess.None, program.Map.AccessOf(0));
        Assert.Equal(PageAccess.None, program.Map.AccessOf(program.CodeBase));
        Assert.Equal(PageAccess.ReadWrite, program.Map.AccessOf(GuestMemoryMap.StackTop - 4));
        Assert.Equal(PageAccess.None, program.Map.AccessOf(GuestMemoryMap.StackTop));
        // Every region the loader makes is one the emulator uses: its page table agrees region by region.
        var pages = program.Program.Map.PageTable();
        foreach (var region in program.Map.Regions)
            Assert.Equal(region.Access, pages[region.Start >> MemoryMap.PageBits]);
    }

    [Fact]
    public void Another_memory_map_is_another_image()
    {
        var real = Real;
        var other = new MachineProgram(real.Entry, real.CodeBase, real.Words, real.Image, NullPageMapped(real));
        Assert.NotEqual(real.ImageId, other.ImageId);
        var same = new MachineProgram(real.Entry, real.CodeBase, real.Words, real.Image, real.Map.Regions);
        Assert.Equal(real.ImageId, same.ImageId);
    }

    [Fact]
    public void An_elf_with_an_empty_segment_at_page_0_is_another_image()
    {
        // The review's two ELFs: a guest that stores to address 0, and the same guest linked with one extra,
        // empty NOBITS segment at page 0. Same ROM, same data image (the segment holds no byte): the ImageId
        // used to be the same, while the emulator traps on one and halts with 1234 on the other.
        const string guest = """
                .text
                .globl _start
            _start:
                li t0, 1234
                sw t0, 0(zero)
                lw a0, 0(zero)
                li a7, 0
                ecall
                .data
            value: .word 7
            """;
        string source = Path.Combine(Guests.WorkDir, "null_page_guest.S");
        File.WriteAllText(source, guest);
        string runtime = GuestCompiler.RuntimeDirectory();
        string script = Path.Combine(Guests.WorkDir, "null_page.ld");
        File.WriteAllText(script, File.ReadAllText(Path.Combine(runtime, "zkvm.ld")).ReplaceLineEndings("\n")
            .Replace("PHDRS\n{\n", "PHDRS\n{\n  nullpage PT_LOAD FLAGS(6);\n")
            .Replace("SECTIONS\n{\n", "SECTIONS\n{\n  .nullpage 0 (NOLOAD) : { . += 4; } :nullpage\n"));
        string Link(string linkerScript, string name)
        {
            string elf = Path.Combine(Guests.WorkDir, name);
            var (exit, _, errors) = Tool.Run(GuestCompiler.FindGcc(), ["-march=rv32im", "-mabi=ilp32", "-nostdlib", "-T", linkerScript, source, "-o", elf]);
            Assert.True(exit == 0, errors);
            return elf;
        }
        var real = new MachineProgram(HarvardProgram.Load(Link(Path.Combine(runtime, "zkvm.ld"), "null_page_real.elf")));
        var attack = new MachineProgram(HarvardProgram.Load(Link(script, "null_page_attack.elf")));
        Assert.Equal(0u, attack.Program.LowestAddress);
        Assert.Equal(real.Words, attack.Words);
        Assert.Equal(real.Image, attack.Image);
        Assert.Equal(TrapCause.UnmappedAccess, ReExecutor.RunWithRecords(real.Program, ReadOnlyMemory<byte>.Empty).Result.Trap?.Cause);
        Assert.Equal(1234, ReExecutor.RunWithRecords(attack.Program, ReadOnlyMemory<byte>.Empty).Result.ExitCode);

        Assert.NotEqual(real.ImageId, attack.ImageId);
        // The attack's own run proves against its own statement; against the real one it is TrapEquivalenceTests' null_store.
        var proof = MachineProver.Prove(attack, ReadOnlyMemory<byte>.Empty);
        Assert.Equal(1234u, proof.Claim.ExitCode);
        MachineVerifier.Verify(attack, proof.Claim, proof.Proof);
    }

    [Theory]
    [InlineData(0u, 5u)]   // x0 = 5 would make add a0, x0, x0 give 10
    [InlineData(10u, 7u)]  // a0 starting nonzero
    [InlineData(33u, 1u)]  // past the journal cursor
    public void A_register_image_cell_other_than_sp_is_refused(uint register, uint value)
    {
        var real = Real;
        var image = real.Image.ToList();
        image.Insert(register < 2 ? 0 : 1, new ImageWord(MachineLayout.RegisterSpace, register, value));
        var e = Assert.Throws<ZkVmException>(() => new MachineProgram(real.Entry, real.CodeBase, real.Words, image, real.Map.Regions));
        Assert.Equal(MachineErrors.BadProgram, e.Code);
    }

    [Fact]
    public void A_program_without_sp_or_with_another_sp_is_refused()
    {
        var real = Real;
        var image = real.Image.Skip(1).ToList();
        Assert.Equal(MachineErrors.BadProgram, Assert.Throws<ZkVmException>(() => new MachineProgram(real.Entry, real.CodeBase, real.Words, image, real.Map.Regions)).Code);
        image.Insert(0, MachineProgram.StackPointer with { Value = 0x1000_0000 });
        Assert.Equal(MachineErrors.BadProgram, Assert.Throws<ZkVmException>(() => new MachineProgram(real.Entry, real.CodeBase, real.Words, image, real.Map.Regions)).Code);
    }

    [Theory]
    [InlineData(0xFFFF_F000u)]  // code reaching p and the end of the address space
    [InlineData(0x7800_0000u)]  // pcs whose high limb passes MachineLayout.MaxPcHi
    [InlineData(0x1FFF_FFFCu)]  // code running past the guest address space
    [InlineData(0x0001_0002u)]  // misaligned code
    public void Code_outside_the_guest_address_space_is_refused(uint codeBase)
    {
        var real = Real;
        var e = Assert.Throws<ZkVmException>(() => new MachineProgram(codeBase, codeBase, [0x00000073, 0x00000073], real.Image, real.Map.Regions));
        Assert.Equal(MachineErrors.BadProgram, e.Code);
    }

    [Fact]
    public void An_entry_outside_the_code_is_refused()
    {
        var real = Real;
        var e = Assert.Throws<ZkVmException>(() => new MachineProgram(real.CodeBase - 4, real.CodeBase, real.Words, real.Image, real.Map.Regions));
        Assert.Equal(MachineErrors.BadProgram, e.Code);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("not at 0")]
    [InlineData("unaligned")]
    [InlineData("repeated access")]
    [InlineData("above the top")]
    [InlineData("bad access")]
    public void A_map_that_is_not_canonical_is_refused(string what)
    {
        var real = Real;
        List<MemoryRegion> map = what switch
        {
            "empty" => [],
            "not at 0" => [new(0x1000, PageAccess.None), new(0x2000, PageAccess.ReadWrite)],
            "unaligned" => [new(0, PageAccess.None), new(0x2004, PageAccess.ReadWrite)],
            "repeated access" => [new(0, PageAccess.None), new(0x1000, PageAccess.None)],
            "above the top" => [new(0, PageAccess.None), new(GuestMemoryMap.StackTop, PageAccess.ReadWrite)],
            _ => [new(0, PageAccess.None), new(0x2000, (PageAccess)3)],
        };
        var e = Assert.Throws<ZkVmException>(() => new MachineProgram(real.Entry, real.CodeBase, real.Words, real.Image, map));
        Assert.Equal(MachineErrors.BadProgram, e.Code);
    }

    [Fact]
    public void An_image_word_in_unmapped_memory_is_refused()
    {
        var real = Real;
        var image = real.Image.ToList();
        image.Insert(1, new ImageWord(MachineLayout.MemorySpace, 0x10, 1)); // byte 0x40, the null page
        var e = Assert.Throws<ZkVmException>(() => new MachineProgram(real.Entry, real.CodeBase, real.Words, image, real.Map.Regions));
        Assert.Equal(MachineErrors.BadProgram, e.Code);
    }
}
