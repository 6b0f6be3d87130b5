namespace ZkVm;

/// <summary>What happened to a shard: handed out, finished and accepted, its result refused (redone elsewhere), or its worker lost (redone elsewhere).</summary>
public enum ShardEvent { Started, Done, Rejected, Lost }
