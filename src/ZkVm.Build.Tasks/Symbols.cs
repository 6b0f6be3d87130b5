using System.Diagnostics;
using System.Globalization;

namespace ZkVm.Build.Tasks;

/// <summary>The function around an address of a guest ELF, from <c>riscv64-unknown-elf-nm</c> (null when unknown).</summary>
static class Symbols
{
    public static string? Lookup(string elf, uint pc)
    {
        try
        {
            var start = new ProcessStartInfo("riscv64-unknown-elf-nm")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (var a in new[] { "-n", "--defined-only", elf }) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) return null;
            string? best = null;
            uint bestAddress = 0;
            foreach (var line in output.Split('\n'))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length != 3 || parts[1] is not ("t" or "T")
                    || !uint.TryParse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint address)
                    || address > pc || parts[2].StartsWith('.') || parts[2].StartsWith("$"))
                    continue;
                if (best is null || address >= bestAddress) { best = parts[2]; bestAddress = address; }
            }
            return best is null ? null : pc == bestAddress ? best : $"{best}+0x{pc - bestAddress:x}";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }
}
