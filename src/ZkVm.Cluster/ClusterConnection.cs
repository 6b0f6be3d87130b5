using System.Net;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace ZkVm.Cluster;

/// <summary>
/// Where a cluster keeps its membership, from one connection string: <c>localhost</c> for a development cluster on one
/// machine (the first worker's silo port is the primary's, 11111), or a StackExchange.Redis connection string such as
/// <c>10.0.0.5:6379</c> or <c>redis.example:6379,password=…</c> (docs/DISTRIBUTED.md).
/// </summary>
public sealed record ClusterConnection(string Value)
{
    /// <summary>The silo port of a development cluster's primary worker, and its gateway port.</summary>
    public const int LocalhostPrimaryPort = 11111, LocalhostGatewayPort = 30000;

    /// <summary>The cluster and service identity all workers and clients share.</summary>
    public const string ClusterId = "zkvm", ServiceId = "zkvm-prover";

    /// <summary>Orleans' message body limit, for tasks and shard proofs alike.</summary>
    public const int MaxMessageBytes = 256 << 20;

    public bool IsLocalhost => Value == "localhost";

    /// <summary>The connection, checked: ZK7001 when it is empty or not a Redis connection string.</summary>
    public static ClusterConnection Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ZkVmException(ClusterErrors.BadConnection, "the cluster connection is empty; give 'localhost' or a Redis connection string such as 127.0.0.1:6379");
        value = value.Trim();
        if (value != "localhost")
        {
            try
            {
                var options = StackExchange.Redis.ConfigurationOptions.Parse(value);
                if (options.EndPoints.Count == 0) throw new ArgumentException("no endpoint");
            }
            catch (Exception e) when (e is ArgumentException or FormatException or NotSupportedException)
            {
                throw new ZkVmException(ClusterErrors.BadConnection, $"the cluster connection '{value}' is neither 'localhost' nor a Redis connection string (host:port[,option=value…]): {e.Message}", e);
            }
        }
        return new ClusterConnection(value);
    }

    internal void ConfigureSilo(ISiloBuilder silo, int siloPort, int gatewayPort, IPAddress? advertise)
    {
        silo.Configure<ClusterOptions>(o => { o.ClusterId = ClusterId; o.ServiceId = ServiceId; });
        if (IsLocalhost)
            silo.UseLocalhostClustering(siloPort, gatewayPort, new IPEndPoint(IPAddress.Loopback, LocalhostPrimaryPort), ServiceId, ClusterId);
        else
        {
            silo.UseRedisClustering(Value);
            // Without --advertise, Orleans advertises this host's first network address and listens on all of them.
            if (advertise is null) silo.ConfigureEndpoints(siloPort, gatewayPort, listenOnAnyHostAddress: true);
            else silo.ConfigureEndpoints(advertise, siloPort, gatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertise));
        }
        silo.Configure<SiloMessagingOptions>(o =>
        {
            o.ResponseTimeout = ShardCallTimeout;
            o.MaxMessageBodySize = MaxMessageBytes;
        });
    }

    internal void ConfigureClient(IClientBuilder client)
    {
        client.Configure<ClusterOptions>(o => { o.ClusterId = ClusterId; o.ServiceId = ServiceId; });
        if (IsLocalhost)
            client.UseLocalhostClustering(LocalhostGatewayPort, ServiceId, ClusterId);
        else
            client.UseRedisClustering(Value);
        client.Configure<ClientMessagingOptions>(o =>
        {
            o.ResponseTimeout = ShardCallTimeout;
            o.MaxMessageBodySize = MaxMessageBytes;
        });
    }

    /// <summary>
    /// A shard call may take as long as proving a shard does; a worker's death is noticed through membership instead
    /// (the coordinator polls it), so the call's own timeout only bounds a worker that is alive yet never answers.
    /// </summary>
    internal static readonly TimeSpan ShardCallTimeout = TimeSpan.FromHours(2);
}
