using System.Text.Json;

namespace ZkVm.Riscv.Profiling;

/// <summary>
/// Writes a <see cref="CycleProfile"/> in speedscope's file format (https://www.speedscope.app,
/// schema https://www.speedscope.app/file-format-schema.json): one sampled profile whose samples are
/// the call stacks and whose weights are their cycles, in the order the stacks were first entered.
/// </summary>
public static class SpeedscopeFormat
{
    public const string Schema = "https://www.speedscope.app/file-format-schema.json";

    public static void Write(CycleProfile profile, string name, Stream output)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("$schema", Schema);
        json.WriteString("exporter", $"zkvm@{typeof(SpeedscopeFormat).Assembly.GetName().Version?.ToString(3)}");
        json.WriteString("name", name);
        json.WriteNumber("activeProfileIndex", 0);
        json.WriteStartObject("shared");
        json.WriteStartArray("frames");
        foreach (var frame in profile.Frames)
        {
            json.WriteStartObject();
            json.WriteString("name", frame);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartArray("profiles");
        json.WriteStartObject();
        json.WriteString("type", "sampled");
        json.WriteString("name", $"{name}: guest cycles");
        json.WriteString("unit", "none");
        json.WriteNumber("startValue", 0);
        json.WriteNumber("endValue", profile.Result.Cycles);
        json.WriteStartArray("samples");
        foreach (var (stack, _) in profile.Stacks)
        {
            json.WriteStartArray();
            foreach (int frame in stack)
                json.WriteNumberValue(frame);
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteStartArray("weights");
        foreach (var (_, cycles) in profile.Stacks)
            json.WriteNumberValue(cycles);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
