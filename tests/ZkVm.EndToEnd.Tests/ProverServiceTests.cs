using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Xunit.Abstractions;

namespace ZkVm.EndToEnd.Tests;

/// <summary>
/// samples/prover-service started on a loopback port, as a user runs it: it proves a posted input and verifies the posted
/// receipt through HttpClient, and a request abandoned mid-proof stops its proof (the service logs that it stopped).
/// </summary>
[Collection("packs the repository")]
public sealed class ProverServiceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_prover_service_proves_verifies_and_stops_an_abandoned_proof()
    {
        string root = Dotnet.RepositoryRoot, configuration = Dotnet.Configuration;
        string work = Directory.CreateTempSubdirectory("zkvm-service-").FullName;
        var lines = new ConcurrentQueue<string>();
        Process? service = null;
        try
        {
            var dotnet = new Dotnet(work, ownPackages: false);
            var build = dotnet.Run(root, "build", "samples/prover-service", "-c", configuration);
            Assert.True(build.ExitCode == 0, build.ToString());
            string elf = Path.Combine(work, "fib.elf");
            var cc = dotnet.Run(root, Path.Combine(root, "src", "ZkVm.Cli", "bin", configuration, "net10.0", "zkvm.dll"),
                "cc", Path.Combine(root, "samples", "fibonacci", "main.c"), "-o", elf, "-O", "2");
            Assert.True(cc.ExitCode == 0, cc.ToString());

            int port = FreePort();
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string a in new[] { Path.Combine(root, "samples", "prover-service", "bin", configuration, "net10.0", "ProverService.dll"),
                "--urls", $"http://127.0.0.1:{port}", "--Guest:Elf", elf })
                start.ArgumentList.Add(a);
            service = Process.Start(start)!;
            service.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
            service.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
            service.BeginOutputReadLine();
            service.BeginErrorReadLine();

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(3) };
            await Ready(http);

            // fib(10) = 55: proven, then verified by the same service.
            var proved = await http.PostAsync("/prove", new ByteArrayContent(BitConverter.GetBytes(10u)));
            Assert.True(proved.StatusCode == HttpStatusCode.OK, await proved.Content.ReadAsStringAsync());
            byte[] receipt = await proved.Content.ReadAsByteArrayAsync();
            var verified = await http.PostAsync("/verify", new ByteArrayContent(receipt));
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
            using (var claim = JsonDocument.Parse(await verified.Content.ReadAsStringAsync()))
            {
                Assert.Equal(0, claim.RootElement.GetProperty("exitCode").GetInt32());
                Assert.Equal(Convert.ToHexStringLower(BitConverter.GetBytes(55ul)), claim.RootElement.GetProperty("journal").GetString());
            }
            receipt[^1] ^= 1;
            var forged = await http.PostAsync("/verify", new ByteArrayContent(receipt));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, forged.StatusCode);

            // fib(300000), about 3 M cycles in three shards: the client gives up after four seconds, and the proof stops.
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(4));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => http.PostAsync("/prove", new ByteArrayContent(BitConverter.GetBytes(300_000u)), patience.Token));
            var watch = Stopwatch.StartNew();
            while (!lines.Any(l => l.Contains("stopped: The operation was canceled")) && watch.Elapsed < TimeSpan.FromSeconds(60))
                await Task.Delay(200);
            Assert.True(lines.Any(l => l.Contains("stopped: The operation was canceled")), string.Join('\n', lines));
            output.WriteLine($"the abandoned proof stopped {watch.Elapsed.TotalSeconds:F1} s after the client left");
            Assert.DoesNotContain(lines, l => l.Contains("proved ") && l.Contains("3005063"));
        }
        finally
        {
            if (service is { HasExited: false }) service.Kill(entireProcessTree: true);
            service?.WaitForExit();
            output.WriteLine(string.Join('\n', lines));
            Directory.Delete(work, recursive: true);
        }
    }

    static async Task Ready(HttpClient http)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var id = await http.GetAsync("/image-id");
                if (id.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) when (watch.Elapsed < TimeSpan.FromSeconds(60))
            {
            }
            await Task.Delay(250);
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
