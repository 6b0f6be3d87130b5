using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ZkVm.Air.Generator;

/// <summary>One opcode table: the lines of a .opcodes file and what was wrong with them.</summary>
internal sealed record OpcodeTableSpec(string Name, string Namespace, EquatableArray<OpcodeLine> Lines, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>An instruction: it matches a word when (word &amp; Mask) == Match; Syntax is objdump's name and operand roles.</summary>
internal sealed record OpcodeLine(string Mnemonic, string Format, string Family, uint Mask, uint Match, string Printed, EquatableArray<string> Operands)
{
    /// <summary>The enum member: the mnemonic in Pascal case, a dot starting a new word (czero.eqz → CzeroEqz).</summary>
    public string Member => string.Concat(Mnemonic.Split('.').Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)));
}

/// <summary>Reads the line format documented at the top of rv32im.opcodes.</summary>
internal static class OpcodeParser
{
    public static readonly string[] Formats = ["R", "I", "IShift", "S", "B", "U", "J", "Fence", "System"];
    public static readonly string[] Roles = ["rd", "rs1", "rs2", "imm", "shamt", "upper", "target", "offset(rs1)", "fence"];

    private const uint MaskOpcode = 0x7F, MaskFunct3 = 0x7000, MaskFunct7 = 0xFE00_0000;

    public static OpcodeTableSpec Parse(string path, SourceText? text)
    {
        var lines = new List<OpcodeLine>();
        var diagnostics = new List<DiagnosticInfo>();
        string ns = "";
        string name = Path.GetFileNameWithoutExtension(path);
        if (text is null) return new(name, ns, default, default);

        foreach (var line in text.Lines)
        {
            string s = line.ToString().Trim();
            if (s.Length == 0 || s[0] == '#') continue;
            void Report(DiagnosticDescriptor d, string message) =>
                diagnostics.Add(DiagnosticInfo.Create(d, Location.Create(path, line.Span, text.Lines.GetLinePositionSpan(line.Span)), message));

            if (s.StartsWith("namespace ", StringComparison.Ordinal))
            {
                ns = s.Substring("namespace ".Length).Trim();
                continue;
            }
            var parsed = Line(s, out string? error);
            if (parsed is null)
            {
                Report(Diagnostics.OpcodeLine, error!);
                continue;
            }
            var clash = lines.FirstOrDefault(l => l.Mnemonic == parsed.Mnemonic || ((l.Match ^ parsed.Match) & l.Mask & parsed.Mask) == 0);
            if (clash is not null)
            {
                Report(Diagnostics.OpcodeClash, clash.Mnemonic == parsed.Mnemonic
                    ? $"'{parsed.Mnemonic}' is declared twice"
                    : $"'{parsed.Mnemonic}' matches words that '{clash.Mnemonic}' also matches");
                continue;
            }
            lines.Add(parsed);
        }
        if (ns.Length == 0 && diagnostics.Count == 0)
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.OpcodeLine, Location.Create(path, default, default), "the table has no 'namespace' line"));
        return new(name, ns, new EquatableArray<OpcodeLine>(lines.ToImmutableArray()), new EquatableArray<DiagnosticInfo>(diagnostics.ToImmutableArray()));
    }

    private static OpcodeLine? Line(string s, out string? error)
    {
        error = null;
        int bar = s.IndexOf('|');
        string[] fields = (bar < 0 ? s : s.Substring(0, bar)).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        string[] syntax = bar < 0 ? [] : s.Substring(bar + 1).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 7 || syntax.Length is < 1 or > 2)
        {
            error = "expected 'mnemonic format family opcode funct3 funct7 word | name operands'";
            return null;
        }
        string mnemonic = fields[0], format = fields[1], family = fields[2];
        if (!mnemonic.Split('.').All(IsIdentifier) || !IsIdentifier(family))
        {
            error = $"'{mnemonic}' or '{family}' is not a name";
            return null;
        }
        if (!Formats.Contains(format))
        {
            error = $"unknown format '{format}' (one of {string.Join(", ", Formats)})";
            return null;
        }
        if (!Number(fields[3], 0x7F, out uint? opcode) || opcode is null || !Number(fields[4], 7, out uint? funct3)
            || !Number(fields[5], 0x7F, out uint? funct7) || !Number(fields[6], uint.MaxValue, out uint? word))
        {
            error = "opcode (up to 0x7f), funct3 (up to 7), funct7 (up to 0x7f) and word must be numbers or '-', and opcode is required";
            return null;
        }
        string[] operands = syntax.Length == 2 ? syntax[1].Split(',') : [];
        if (operands.FirstOrDefault(o => !Roles.Contains(o)) is string unknown)
        {
            error = $"unknown operand role '{unknown}' (one of {string.Join(", ", Roles)})";
            return null;
        }
        if (operands.Contains("fence") && operands.Length != 1)
        {
            error = "the role 'fence' stands alone";
            return null;
        }
        uint mask, match;
        if (word is uint w)
        {
            if ((w & MaskOpcode) != opcode || funct3 is not null || funct7 is not null)
            {
                error = "a whole-word match must agree with its opcode and leave funct3 and funct7 '-'";
                return null;
            }
            (mask, match) = (uint.MaxValue, w);
        }
        else
        {
            mask = MaskOpcode | (funct3 is null ? 0 : MaskFunct3) | (funct7 is null ? 0 : MaskFunct7);
            match = opcode.Value | (funct3 ?? 0) << 12 | (funct7 ?? 0) << 25;
        }
        return new OpcodeLine(mnemonic, format, family, mask, match, syntax[0], new EquatableArray<string>(operands.ToImmutableArray()));
    }

    private static bool Number(string s, uint max, out uint? value)
    {
        value = null;
        if (s == "-") return true;
        bool ok = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(s.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint v)
            : uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v);
        if (!ok || v > max) return false;
        value = v;
        return true;
    }

    private static bool IsIdentifier(string s) => s.Length > 0 && char.IsLetter(s[0]) && s.All(char.IsLetterOrDigit);
}
