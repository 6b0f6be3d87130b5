using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ZkVm.Cluster.Tests;

/// <summary>A real redis-server (Debian's, installed by build/prerequisites.sh) on a free loopback port, for one test's cluster.</summary>
sealed class RedisServer : IDisposable
{
    readonly Process process;

    public RedisServer()
    {
        Port = FreePort();
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" }) start.ArgumentList.Add(a);
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed: run build/test.sh, whose prerequisites install it (Debian's redis-server)", e);
        }
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                Thread.Sleep(50);
            }
        }
    }

    public int Port { get; }
    public string Connection => $"127.0.0.1:{Port}";

    public void Dispose()
    {
        if (!process.HasExited) process.Kill();
        process.Dispose();
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The built zkvm tool as a process; its output lines are collected as they come.</summary>
sealed class ZkvmProcess : IDisposable
{
    readonly Process process;
    readonly ConcurrentQueue<string> lines = new();

    public ZkvmProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "zkvm.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Lines => [.. lines];
    public string Output => string.Join('\n', lines);
    public bool HasExited => process.HasExited;
    public int ExitCode => process.ExitCode;

    /// <summary>Waits until a line satisfies <paramref name="match"/>; fails the test with the output so far when it does not come.</summary>
    public string WaitFor(Func<string, bool> match, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (lines.FirstOrDefault(match) is string line) return line;
            if (process.HasExited && lines.FirstOrDefault(match) is null) break;
            Thread.Sleep(50);
        }
        Assert.Fail($"{what} did not come within {timeout.TotalSeconds} s:\n{Output}");
        return "";
    }

    public void WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"zkvm did not finish within {timeout.TotalSeconds} s:\n{Output}");
        }
        process.WaitForExit();
    }

    /// <summary>SIGKILL: the process dies at once, without leaving the cluster.</summary>
    public void Kill() => process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}

/// <summary>A worker process: <c>zkvm worker --cluster … --advertise 127.0.0.1</c>, started and waited for until it has joined.</summary>
sealed class WorkerProcess : IDisposable
{
    public WorkerProcess(string cluster)
    {
        Process = new ZkvmProcess("worker", "--cluster", cluster, "--advertise", "127.0.0.1");
        string ready = Process.WaitFor(l => l.StartsWith("worker ", StringComparison.Ordinal) && l.Contains(" ready"), TimeSpan.FromSeconds(90), "the worker's ready line");
        Name = ready.Split(' ')[1];
    }

    public ZkvmProcess Process { get; }

    /// <summary>The worker's address, as the client's progress names it.</summary>
    public string Name { get; }

    public void Dispose() => Process.Dispose();
}

/// <summary>The guest the cluster tests prove: samples/fibonacci, compiled once with zkvm cc, and its input.</summary>
static class Guest
{
    static readonly Lazy<string> Elf = new(() =>
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "ZkSdk.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("the repository root is not above the test folder");
        string elf = Path.Combine(Path.GetTempPath(), $"zkvm-cluster-fib-{Environment.ProcessId}.elf");
        using var cc = new ZkvmProcess("cc", Path.Combine(root, "samples", "fibonacci", "main.c"), "-o", elf);
        cc.WaitForExit(TimeSpan.FromMinutes(2));
        Assert.True(cc.ExitCode == 0, cc.Output);
        InputPath = Path.Combine(root, "samples", "fibonacci", "input.bin");
        return elf;
    });

    public static string ElfPath => Elf.Value;
    public static string InputPath { get; private set; } = "";

    /// <summary>31,480 cycles in shards of 8,192: four shards.</summary>
    public const ulong ShardCycles = 8192;
    public const int Shards = 4;
}
