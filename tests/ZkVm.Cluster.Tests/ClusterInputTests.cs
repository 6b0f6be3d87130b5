using ZkVm.Machine;
using ZkVm.Machine.Extensions;
using ZkVm.Stark.Serialization;

namespace ZkVm.Cluster.Tests;

/// <summary>Bad input to the cluster gets a typed error: a connection string, a program message for another program or machine.</summary>
public class ClusterInputTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void An_empty_connection_is_refused(string? connection) =>
        Assert.Equal(ClusterErrors.BadConnection, Assert.Throws<ZkVmException>(() => ClusterConnection.Parse(connection)).Code);

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("127.0.0.1:6379", false)]
    [InlineData("redis.example:6380,password=secret", false)]
    public void Localhost_and_Redis_connections_are_understood(string connection, bool localhost) =>
        Assert.Equal(localhost, ClusterConnection.Parse(connection).IsLocalhost);

    static MachineProgram Program() => ZkProgram.Load(Guest.ElfPath).Machine;

    [Fact]
    public void A_program_message_round_trips_to_the_same_ImageId()
    {
        var program = Program();
        Assert.Equal(program.ImageId, ProgramMessage.Read(ProgramMessage.Write(program), ExtensionSet.Rv32im).ImageId);
    }

    [Fact]
    public void A_program_message_whose_ELF_is_not_the_stated_program_is_refused()
    {
        byte[] message = ProgramMessage.Write(Program());
        message[0] ^= 1; // the stated ImageId's first byte
        Assert.Equal(MachineErrors.BadProgram, Assert.Throws<ZkVmException>(() => ProgramMessage.Read(message, ExtensionSet.Rv32im)).Code);
    }

    [Fact]
    public void A_program_message_for_another_machine_is_refused()
    {
        var program = Program();
        var w = new ProofWriter();
        byte[] honest = ProgramMessage.Write(program);
        // The same message claiming one extension: id, then a count of 1 and a name, then the ELF as before.
        w.WriteBytes(honest.AsSpan(0, ImageId.ByteLength));
        w.WriteCount(1);
        w.WriteCount(7);
        w.WriteBytes("zicond!"u8);
        w.WriteBytes(honest.AsSpan(ImageId.ByteLength + 4));
        var e = Assert.Throws<ZkVmException>(() => ProgramMessage.Read(w.ToArray(), ExtensionSet.Rv32im));
        Assert.Equal(MachineErrors.BadProgram, e.Code);
        Assert.Contains("zicond!", e.Message);
    }

    [Fact]
    public void A_truncated_program_message_is_a_coded_format_error()
    {
        byte[] message = ProgramMessage.Write(Program());
        foreach (int cut in new[] { 0, 10, ImageId.ByteLength + 2, message.Length - 1 })
            Assert.StartsWith("ZK", Assert.Throws<ZkVmException>(() => ProgramMessage.Read(message[..cut], ExtensionSet.Rv32im)).Code);
    }

    [Fact]
    public void The_cli_refuses_a_bad_or_unreachable_cluster_and_a_bad_advertised_address_with_their_codes()
    {
        using var prove = new ZkvmProcess("prove", Guest.ElfPath, "-o", Path.GetTempFileName(), "--cluster", " ");
        prove.WaitForExit(TimeSpan.FromMinutes(1));
        Assert.Contains("ZK7001", prove.Output);
        Assert.NotEqual(0, prove.ExitCode);
        // Nothing listens on port 1: Redis cannot be reached.
        using var unreachable = new ZkvmProcess("prove", Guest.ElfPath, "--input", Guest.InputPath, "-o", Path.GetTempFileName(),
            "--shard-size", Guest.ShardCycles.ToString(), "--cluster", "127.0.0.1:1");
        unreachable.WaitForExit(TimeSpan.FromMinutes(2));
        Assert.Contains("ZK7002", unreachable.Output);
        Assert.DoesNotContain("   at ", unreachable.Output);
        using var worker = new ZkvmProcess("worker", "--cluster", "127.0.0.1:1", "--advertise", "not-an-address");
        worker.WaitForExit(TimeSpan.FromMinutes(1));
        Assert.Contains("ZK0002", worker.Output);
        Assert.DoesNotContain("   at ", worker.Output);
    }
}
