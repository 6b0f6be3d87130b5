using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ZkVm.Air.Generator;

/// <summary>One opcode table: the lines of a .opcodes file and what was wrong with them.</summary>
/// <remarks>RomAirNamespace, when set, asks for the table's ROM decoding AIRs in that namespace instead of the decoder and disassembler.</remarks>
internal sealed record OpcodeTableSpec(string Name, string Namespace, EquatableArray<FormatSpec> Formats, EquatableArray<OpcodeLine> Lines,
    EquatableArray<AliasSpec> Aliases, EquatableArray<DiagnosticInfo> Diagnostics, string RomAirNamespace = "");

/// <summary>objdump's other name for instruction Base when every condition holds, with its own operands by role.</summary>
internal sealed record AliasSpec(string Base, EquatableArray<Condition> When, string Printed, EquatableArray<string> Operands);

/// <summary>A decoded field (rd, rs1, rs2, imm) equal to a value.</summary>
internal sealed record Condition(string Field, int Value);

/// <summary>An encoding format: where each of its fields (rd, rs1, rs2, imm) lies in the word.</summary>
internal sealed record FormatSpec(string Name, EquatableArray<FieldSpec> Fields);

/// <summary>A field assembled from pieces of the word.</summary>
internal sealed record FieldSpec(string Name, EquatableArray<Piece> Pieces);

/// <summary>Word bits Hi..Lo placed at bit At of the field; a signed piece sign-extends the field from its top bit.</summary>
internal sealed record Piece(int Hi, int Lo, int At, bool Signed);

/// <summary>An instruction: it matches a word when (word &amp; Mask) == Match; Syntax is objdump's name and operand roles.</summary>
internal sealed record OpcodeLine(string Mnemonic, string Format, string Family, uint Mask, uint Match, string Printed, EquatableArray<string> Operands)
{
    /// <summary>The enum member: the mnemonic in Pascal case, a dot starting a new word (czero.eqz → CzeroEqz).</summary>
    public string Member => string.Concat(Mnemonic.Split('.').Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)));
}

/// <summary>Reads the line format documented at the top of rv32im.opcodes.</summary>
internal static class OpcodeParser
{
    public static readonly string[] FieldNames = ["rd", "rs1", "rs2", "imm"];
    public static readonly string[] Roles = ["rd", "rs1", "rs2", "imm", "shamt", "upper", "target", "offset(rs1)", "addr(rs1)", "pred", "succ"];

    private const uint MaskOpcode = 0x7F, MaskFunct3 = 0x7000, MaskFunct7 = 0xFE00_0000;

    public static OpcodeTableSpec Parse(string path, SourceText? text)
    {
        var formats = new List<FormatSpec>();
        var lines = new List<OpcodeLine>();
        var aliases = new List<AliasSpec>();
        var diagnostics = new List<DiagnosticInfo>();
        string ns = "";
        string name = Path.GetFileNameWithoutExtension(path);
        if (text is null) return new(name, ns, default, default, default, default);

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
            if (s.StartsWith("format ", StringComparison.Ordinal))
            {
                var format = Format(s, formats, out string? formatError);
                if (format is null) Report(Diagnostics.OpcodeLine, formatError!);
                else formats.Add(format);
                continue;
            }
            if (s.StartsWith("alias ", StringComparison.Ordinal))
            {
                var alias = Alias(s, lines, out string? aliasError);
                if (alias is null) Report(Diagnostics.OpcodeLine, aliasError!);
                else aliases.Add(alias);
                continue;
            }
            var parsed = Line(s, formats, out string? error);
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
        return new(name, ns, new EquatableArray<FormatSpec>(formats.ToImmutableArray()), new EquatableArray<OpcodeLine>(lines.ToImmutableArray()),
            new EquatableArray<AliasSpec>(aliases.ToImmutableArray()), new EquatableArray<DiagnosticInfo>(diagnostics.ToImmutableArray()));
    }

    /// <summary>
    /// <c>format NAME field=pieces…</c>, a piece being <c>hi:lo@at</c> (or <c>bit@at</c>): word bits
    /// hi..lo at bit 'at' of the field, an 's' before it sign-extending the field from that piece's top bit.
    /// </summary>
    private static FormatSpec? Format(string s, List<FormatSpec> declared, out string? error)
    {
        error = null;
        string[] words = s.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        string name = words[1];
        if (!IsIdentifier(name) || declared.Any(f => f.Name == name))
        {
            error = $"'{name}' is not a name or is declared twice";
            return null;
        }
        var fields = new List<FieldSpec>();
        foreach (string word in words.Skip(2))
        {
            int eq = word.IndexOf('=');
            string field = eq < 0 ? word : word.Substring(0, eq);
            if (eq < 0 || !FieldNames.Contains(field) || fields.Any(f => f.Name == field))
            {
                error = $"'{word}' is not 'field=pieces' with a field among {string.Join(", ", FieldNames)}, each once";
                return null;
            }
            var pieces = new List<Piece>();
            foreach (string text in word.Substring(eq + 1).Split(','))
            {
                var piece = PieceOf(text);
                if (piece is null)
                {
                    error = $"'{text}' is not a piece 'hi:lo@at' of bits 31..0 ('s' before it sign-extends)";
                    return null;
                }
                pieces.Add(piece);
            }
            int top = pieces.Max(p => p.At + p.Hi - p.Lo);
            bool overlap = pieces.Any(p => pieces.Any(q => !ReferenceEquals(p, q) && p.At <= q.At + q.Hi - q.Lo && q.At <= p.At + p.Hi - p.Lo));
            if (overlap || top > 31 || pieces.Any(p => p.Signed && p.At + p.Hi - p.Lo != top))
            {
                error = $"the pieces of '{field}' overlap, pass bit 31 or sign-extend from below its top bit";
                return null;
            }
            if (field != "imm" && (top > 4 || pieces.Any(p => p.Signed)))
            {
                error = $"the register field '{field}' must be an unsigned number of 5 bits at most";
                return null;
            }
            fields.Add(new FieldSpec(field, new EquatableArray<Piece>(pieces.ToImmutableArray())));
        }
        return new FormatSpec(name, new EquatableArray<FieldSpec>(fields.ToImmutableArray()));
    }

    private static Piece? PieceOf(string text)
    {
        bool signed = text.StartsWith("s", StringComparison.Ordinal);
        string[] parts = (signed ? text.Substring(1) : text).Split('@');
        if (parts.Length != 2) return null;
        string[] range = parts[0].Split(':');
        if (range.Length > 2 || !int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out int hi)
            || !int.TryParse(range[range.Length - 1], NumberStyles.None, CultureInfo.InvariantCulture, out int lo)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int at)
            || hi > 31 || lo > hi)
            return null;
        return new Piece(hi, lo, at, signed);
    }

    private static OpcodeLine? Line(string s, List<FormatSpec> formats, out string? error)
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
        if (!formats.Any(f => f.Name == format))
        {
            error = $"unknown format '{format}' (one of {string.Join(", ", formats.Select(f => f.Name))}, declared above by 'format' lines)";
            return null;
        }
        if (!Number(fields[3], 0x7F, out uint? opcode) || opcode is null || !Number(fields[4], 7, out uint? funct3)
            || !Number(fields[5], 0x7F, out uint? funct7) || !Number(fields[6], uint.MaxValue, out uint? word))
        {
            error = "opcode (up to 0x7f), funct3 (up to 7), funct7 (up to 0x7f) and word must be numbers or '-', and opcode is required";
            return null;
        }
        var operands = Operands(syntax, out error);
        if (operands is null) return null;
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
        return new OpcodeLine(mnemonic, format, family, mask, match, syntax[0], operands.Value);
    }

    /// <summary>
    /// <c>alias BASE field=value… | name operands</c>: the first alias of BASE (in file order) whose
    /// conditions all hold names the instruction instead of its own syntax.
    /// </summary>
    private static AliasSpec? Alias(string s, List<OpcodeLine> lines, out string? error)
    {
        error = null;
        int bar = s.IndexOf('|');
        string[] words = (bar < 0 ? s : s.Substring(0, bar)).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        string[] syntax = bar < 0 ? [] : s.Substring(bar + 1).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 3 || syntax.Length is < 1 or > 2)
        {
            error = "expected 'alias instruction field=value... | name operands', with at least one condition";
            return null;
        }
        if (!lines.Any(l => l.Mnemonic == words[1]))
        {
            error = $"'{words[1]}' is not an instruction declared above";
            return null;
        }
        var conditions = new List<Condition>();
        foreach (string word in words.Skip(2))
        {
            string[] parts = word.Split('=');
            if (parts.Length != 2 || !FieldNames.Contains(parts[0]) || !Integer(parts[1], out int value))
            {
                error = $"'{word}' is not 'field=value' with a field among {string.Join(", ", FieldNames)}";
                return null;
            }
            conditions.Add(new Condition(parts[0], value));
        }
        var operands = Operands(syntax, out error);
        if (operands is null) return null;
        return new AliasSpec(words[1], new EquatableArray<Condition>(conditions.ToImmutableArray()), syntax[0], operands.Value);
    }

    private static EquatableArray<string>? Operands(string[] syntax, out string? error)
    {
        error = null;
        string[] operands = syntax.Length == 2 ? syntax[1].Split(',') : [];
        if (operands.FirstOrDefault(o => !Roles.Contains(o)) is string unknown)
        {
            error = $"unknown operand role '{unknown}' (one of {string.Join(", ", Roles)})";
            return null;
        }
        return new EquatableArray<string>(operands.ToImmutableArray());
    }

    /// <summary>A decimal (possibly negative) or 0x-hexadecimal int.</summary>
    private static bool Integer(string s, out int value) =>
        s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(s.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value)
            : int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

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
