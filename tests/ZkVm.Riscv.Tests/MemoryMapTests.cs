using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Tests.Support;

namespace ZkVm.Riscv.Tests;

/// <summary>The memory map the loader derives, the canonical form a receipt must give, and the emulator following it.</summary>
public class MemoryMapTests
{
    const string Guest = """
        .text
        .globl _start
        _start:
            la t0, constant
            lw t1, 0(t0)
            la t0, data
            lw t1, 0(t0)
            li a0, 0
            li a7, 0
            ecall
        .section .rodata
        constant: .word 42
        .data
        data: .word 7
        """;

    static HarvardProgram Program => Guests.Load(Guests.FromText("map.S", Guest, bare: true));

    [Fact]
    public void The_loader_map_is_null_page_and_code_unmapped_then_rodata_then_read_write_to_the_top()
    {
        var program = Program;
        var regions = program.Map.Regions;
        Assert.True(regions.Count == 3 && regions[0] == new MemoryRegion(0, PageAccess.None)
            && regions[1].Access == PageAccess.ReadOnly && regions[2].Access == PageAccess.ReadWrite, program.Map.ToString());
        Assert.True(regions[1].Start >= program.CodeEnd);
        Assert.Equal(PageAccess.None, program.Map.AccessOf(program.Entry));
        Assert.Equal(PageAccess.ReadWrite, program.Map.AccessOf(GuestMemoryMap.StackTop - 1));
        Assert.Equal(PageAccess.None, program.Map.AccessOf(GuestMemoryMap.StackTop));
        Assert.Equal(PageAccess.None, program.Map.AccessOf(uint.MaxValue));
    }

    [Fact]
    public void The_page_table_agrees_with_every_address_lookup()
    {
        var map = Program.Map;
        var pages = map.PageTable();
        for (int page = 0; page < pages.Length; page += 97)
            Assert.Equal(map.AccessOf((uint)page << MemoryMap.PageBits), pages[page]);
        foreach (var region in map.Regions)
            Assert.Equal(region.Access, pages[region.Start >> MemoryMap.PageBits]);
    }

    [Fact]
    public void The_loader_map_is_canonical()
    {
        var map = Program.Map;
        var again = MemoryMap.TryCreate(map.Regions, out string? problem);
        Assert.Null(problem);
        Assert.Equal(map.Regions, again!.Regions);
    }

    [Theory]
    [InlineData(new uint[0], new byte[0], "1 to")]
    [InlineData(new uint[] { 0x1000 }, new byte[] { 2 }, "starts at 0x00001000, not 0")]
    [InlineData(new uint[] { 0, 0x1004 }, new byte[] { 0, 2 }, "not a page")]
    [InlineData(new uint[] { 0, 0x1000 }, new byte[] { 0, 0 }, "another access")]
    [InlineData(new uint[] { 0, 0x2000, 0x1000 }, new byte[] { 0, 2, 1 }, "another access")]
    [InlineData(new uint[] { 0, 0x2000_0000 }, new byte[] { 0, 2 }, "not a page below")]
    [InlineData(new uint[] { 0 }, new byte[] { 3 }, "none of 0, 1, 2")]
    public void A_map_that_is_not_canonical_says_why(uint[] starts, byte[] access, string why)
    {
        var regions = starts.Zip(access, (s, a) => new MemoryRegion(s, (PageAccess)a)).ToArray();
        Assert.Null(MemoryMap.TryCreate(regions, out string? problem));
        Assert.Contains(why, problem);
    }

    [Fact]
    public void A_zero_length_buffer_names_no_address_and_does_not_trap()
    {
        const string text = """
            .text
            .globl _start
            _start:
                li a0, 1
                li a1, 0x30000000
                li a2, 0
                li a7, 2
                ecall
                li a0, 0x30000000
                li a1, 0
                li a7, 3
                ecall
                li a0, 0
                li a7, 0
                ecall
            """;
        var program = Guests.Load(Guests.FromText("zero_length.S", text, bare: true));
        var result = Interpreter.Run(program, ReadOnlyMemory<byte>.Empty, ExecutionOptions.Default);
        Assert.Null(result.Trap);
        Assert.Equal(0, result.ExitCode);
    }
}
