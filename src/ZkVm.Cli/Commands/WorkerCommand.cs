using System.CommandLine;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ZkVm.Cluster;

namespace ZkVm.Cli.Commands;

/// <summary>
/// <c>zkvm worker --cluster &lt;connection&gt; [--silo-port N] [--gateway-port N] [--advertise ADDRESS] [--extension dll]</c>:
/// hosts an Orleans silo that proves shards for <c>zkvm prove --cluster</c>, until it is stopped (Ctrl+C, SIGTERM).
/// </summary>
static class WorkerCommand
{
    static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(20);

    public static Command Create()
    {
        var cluster = new Option<string>("--cluster") { Description = "the cluster: 'localhost' (one machine) or a Redis connection string, e.g. 127.0.0.1:6379", Required = true, HelpName = "connection" };
        var siloPort = new Option<int>("--silo-port") { Description = "port for silo-to-silo traffic (default: any free one; 11111 on localhost)" };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "port clients connect to (default: any free one; 30000 on localhost)" };
        var advertise = new Option<string?>("--advertise") { Description = "the address other machines reach this worker at (default: this host's first address)", HelpName = "address" };
        var extensions = ExtensionOption.Create();
        var command = new Command("worker", "Prove shards for a cluster (docs/DISTRIBUTED.md) until stopped") { cluster, siloPort, gatewayPort, advertise, extensions };
        command.SetAction(parsed =>
        {
            var connection = ClusterConnection.Parse(parsed.GetValue(cluster));
            IPAddress? address = null;
            if (parsed.GetValue(advertise) is string text && !IPAddress.TryParse(text, out address))
                throw new ZkVmException(CliErrors.BadOption, $"--advertise must be an IP address, got '{text}'");
            foreach (var port in new[] { (siloPort, "--silo-port"), (gatewayPort, "--gateway-port") })
                if (parsed.GetValue(port.Item1) is < 0 or > 65535)
                    throw new ZkVmException(CliErrors.BadOption, $"{port.Item2} must be 0…65535, got {parsed.GetValue(port.Item1)}");
            var host = WorkerHost.Build(new WorkerOptions(connection)
            {
                SiloPort = parsed.GetValue(siloPort),
                GatewayPort = parsed.GetValue(gatewayPort),
                Advertise = address,
                Machine = ExtensionOption.Machine(parsed, extensions),
            });
            try
            {
                host.Start();
            }
            catch (Exception e) when (e is not ZkVmException)
            {
                throw new ZkVmException(ClusterErrors.NoWorkers, $"the worker could not join the cluster at '{connection.Value}': {e.Message}", e);
            }
            Console.WriteLine($"worker {WorkerHost.Name(host)} ready (cluster {connection.Value})");
            // Ctrl+C or SIGTERM: leave the cluster. Leaving goes through the membership store, and with the store gone
            // Orleans would wait for it without end, so the wait is bounded and the worker exits anyway.
            host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.WaitHandle.WaitOne();
            if (host.StopAsync().Wait(LeaveTimeout)) host.Dispose();
            else Console.Error.WriteLine($"worker: leaving the cluster did not finish within {LeaveTimeout.TotalSeconds:F0} s (is its membership store gone?); exiting anyway");
            return Cli.Ok;
        });
        return command;
    }
}
