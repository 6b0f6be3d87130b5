using ZkVm.Stark.Air;

namespace ZkVm.Machine.Tests.Support;

/// <summary>A generated chip's main column by name (its generated Columns.MainNames).</summary>
static class Columns
{
    public static string[] Names(IAir air) =>
        (string[])air.GetType().GetNestedType("Columns")!.GetField("MainNames")!.GetValue(null)!;

    public static int Index(IAir air, string name)
    {
        int i = Array.IndexOf(Names(air), name);
        Assert.True(i >= 0, $"table '{air.Name}' has no column '{name}'");
        return i;
    }
}
