using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using ZkVm.Machine.Extensions;

namespace ZkVm.Cluster;

/// <summary>How a worker joins its cluster: membership, its two ports (0: any free one), the address it advertises and its machine.</summary>
public sealed record WorkerOptions(ClusterConnection Cluster)
{
    public int SiloPort { get; init; }
    public int GatewayPort { get; init; }
    public IPAddress? Advertise { get; init; }
    public ExtensionSet Machine { get; init; } = ExtensionSet.Rv32im;
    public LogLevel LogLevel { get; init; } = LogLevel.Warning;

    /// <summary>What proves the shards; the engine by default (tests give doubles).</summary>
    public Func<ExtensionSet, IShardWorker>? Worker { get; init; }
}

/// <summary>A worker: an Orleans silo that offers shard proving (<c>zkvm worker --cluster …</c>).</summary>
public static class WorkerHost
{
    public static IHost Build(WorkerOptions options)
    {
        var cluster = options.Cluster;
        int siloPort = options.SiloPort != 0 ? options.SiloPort : cluster.IsLocalhost ? ClusterConnection.LocalhostPrimaryPort : FreePort();
        int gatewayPort = options.GatewayPort != 0 ? options.GatewayPort : cluster.IsLocalhost ? ClusterConnection.LocalhostGatewayPort : FreePort();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.SetMinimumLevel(options.LogLevel);
        // Orleans' start-up notes (server GC, a watchdog's first tick) are noise for a worker; its errors are not.
        builder.Logging.AddFilter("Orleans", LogLevel.Error);
        builder.Logging.AddFilter("ZkVm.Cluster", LogLevel.Information);
        builder.Services.AddSingleton(options.Worker?.Invoke(options.Machine) ?? new ShardWorker(options.Machine));
        builder.Services.AddPlacementDirector<SiloTargetedPlacement, SiloTargetedPlacementDirector>();
        builder.UseOrleans(silo => cluster.ConfigureSilo(silo, siloPort, gatewayPort, options.Advertise));
        return builder.Build();
    }

    /// <summary>The address this worker's silo advertises, as the coordinator names it in progress.</summary>
    public static string Name(IHost host) => NameOf(host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress);

    internal static string NameOf(SiloAddress silo) => silo.Endpoint.ToString();

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
