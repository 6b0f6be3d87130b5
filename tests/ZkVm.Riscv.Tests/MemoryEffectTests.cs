using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Isa;

namespace ZkVm.Riscv.Tests;

/// <summary>
/// The one owner of what a load or store does to a memory word and which registers an instruction touches
/// (<see cref="Alu.MergeStore"/>, <see cref="Alu.LoadFrom"/>, <see cref="Instruction.WritesRd"/>), which the
/// re-executor, the witness builder and the ROM all use: checked here against byte-level memory.
/// </summary>
public class MemoryEffectTests
{
    public static TheoryData<int, uint> Accesses()
    {
        var data = new TheoryData<int, uint>();
        foreach (int size in new[] { 1, 2, 4 })
            for (uint offset = 0; offset < 4; offset += (uint)size)
                data.Add(size, offset);
        return data;
    }

    [Theory]
    [MemberData(nameof(Accesses))]
    public void A_store_changes_exactly_its_bytes_and_a_load_reads_them_back(int size, uint offset)
    {
        const uint word = 0x8899AABB, value = 0x12345678;
        uint address = 0x1000 + offset;
        var bytes = BitConverter.GetBytes(word);
        for (int i = 0; i < size; i++) bytes[offset + i] = (byte)(value >> (8 * i));
        uint expected = BitConverter.ToUInt32(bytes);

        uint merged = Alu.MergeStore(word, address, value, size);
        Assert.Equal(expected, merged);
        Assert.Equal(value & Alu.SizeMask(size), Alu.LoadFrom(merged, address, size));
        Assert.Equal(word, Alu.MergeStore(merged, address, Alu.LoadFrom(word, address, size), size));
    }

    [Theory]
    [InlineData(Opcode.Add, 5, true, true, true)]
    [InlineData(Opcode.Add, 0, true, true, false)]
    [InlineData(Opcode.Addi, 0, true, false, false)]
    [InlineData(Opcode.Lw, 3, true, false, true)]
    [InlineData(Opcode.Sw, 0, true, true, false)]
    [InlineData(Opcode.Beq, 0, true, true, false)]
    [InlineData(Opcode.Lui, 7, false, false, true)]
    [InlineData(Opcode.Jal, 0, false, false, false)]
    [InlineData(Opcode.Jalr, 1, true, false, true)]
    [InlineData(Opcode.Fence, 0, false, false, false)]
    [InlineData(Opcode.Ecall, 0, false, false, false)]
    public void The_registers_an_instruction_touches_follow_its_format_and_x0(Opcode op, byte rd, bool rs1, bool rs2, bool writes)
    {
        var ins = new Instruction(op, rd, 1, 2, 0);
        Assert.Equal((rs1, rs2, writes), (ins.ReadsRs1, ins.ReadsRs2, ins.WritesRd));
    }
}
