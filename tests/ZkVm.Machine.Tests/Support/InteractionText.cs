using ZkVm.Field;
using ZkVm.Stark.Air;

namespace ZkVm.Machine.Tests.Support;

/// <summary>
/// Each interaction of a table written out with its columns' names, e.g. <c>bytes U16(30719 − PcHi)</c>:
/// which lookup it is, so the knockout table can be read (and a reason keyed) without counting interactions.
/// </summary>
static class InteractionText
{
    public static List<string> Of(IAir air)
    {
        var builder = new Builder(Columns.Names(air));
        air.Eval<Builder, Text>(builder);
        return builder.Lines;
    }

    static readonly string[] ByteOps = ["U16", "BytePair", "And", "Or", "Xor"];

    sealed class Text(string s, int precedence, BabyBear? constant = null) : IAirExpression<Text>
    {
        public string S => s;
        public int Precedence => precedence;
        public BabyBear? Value => constant;

        public static Text Constant(BabyBear value)
        {
            uint v = value.ToCanonical();
            return v > BabyBear.P / 2 ? new($"−{BabyBear.P - v}", 3, value) : new(v.ToString(), 4, value);
        }

        static string Wrap(Text t, int precedence) => t.Precedence < precedence ? $"({t.S})" : t.S;

        public static Text operator +(Text a, Text b) =>
            a.Value is { } x && b.Value is { } y ? Constant(x + y)
            : a.Value is { IsZero: true } ? b : b.Value is { IsZero: true } ? a
            : new($"{Wrap(a, 1)} + {Wrap(b, 1)}", 1);

        public static Text operator -(Text a, Text b) =>
            a.Value is { } x && b.Value is { } y ? Constant(x - y)
            : b.Value is { IsZero: true } ? a
            : new($"{Wrap(a, 1)} − {Wrap(b, 2)}", 1);

        public static Text operator *(Text a, Text b) =>
            a.Value is { } x && b.Value is { } y ? Constant(x * y)
            : a.Value == BabyBear.One ? b : b.Value == BabyBear.One ? a
            : new($"{Wrap(a, 2)}·{Wrap(b, 3)}", 2);

        public static Text operator -(Text a) => a.Value is { } x ? Constant(-x) : new($"−{Wrap(a, 3)}", 3);
    }

    sealed class Builder(string[] names) : IAirBuilder<Text>
    {
        public readonly List<string> Lines = [];
        public Text Main(int column) => new(names[column], 4);
        public Text MainNext(int column) => new($"next.{names[column]}", 4);
        public Text Preprocessed(int column) => new($"pre{column}", 4);
        public Text PreprocessedNext(int column) => new($"next.pre{column}", 4);
        public Text Public(int index) => new($"public{index}", 4);
        public Text IsFirstRow => new("first", 4);
        public Text IsLastRow => new("last", 4);
        public Text IsTransition => new("transition", 4);
        public void AssertZero(Text constraint, string name = "") { }
        public void Send(Bus bus, Text multiplicity, params ReadOnlySpan<Text> values) => Add(bus, values);
        public void Receive(Bus bus, Text multiplicity, params ReadOnlySpan<Text> values) => Add(bus, values);

        void Add(Bus bus, ReadOnlySpan<Text> values)
        {
            var all = values.ToArray();
            if (bus.Id == MachineBuses.Bytes.Id && all[0].Value is { } op && op.ToCanonical() < ByteOps.Length)
            {
                // A byte lookup: its operation, then the operands it checks (U16 and BytePair pad with zeros).
                var operands = op.ToCanonical() <= ByteOp.BytePair ? all[1..].Where(v => v.Value is not { IsZero: true }) : all[1..];
                Lines.Add($"{bus.Name} {ByteOps[op.ToCanonical()]}({string.Join(", ", operands.Select(v => v.S))})");
            }
            else Lines.Add($"{bus.Name}({string.Join(", ", all.Select(v => v.S))})");
        }
    }
}
