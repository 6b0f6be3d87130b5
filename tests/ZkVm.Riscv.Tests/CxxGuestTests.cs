using System.Buffers.Binary;
using System.Text;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Toolchain;

namespace ZkVm.Riscv.Tests;

/// <summary>C++ guests: what the toolchain allows without libstdc++ works, and the standard library is refused at its line.</summary>
public class CxxGuestTests
{
    const string Shapes = """
        #include "zkvm.h"
        #include <stdint.h>

        struct Shape
        {
            virtual ~Shape() {}
            virtual uint32_t area() const = 0;
        };

        struct Rect : Shape
        {
            uint32_t w, h;
            Rect(uint32_t w, uint32_t h) : w(w), h(h) {}
            uint32_t area() const override { return w * h; }
        };

        template <typename T> T twice(T x) { return x + x; }

        static uint32_t base = 0;
        struct Init { Init() { base = 41; } } init;                                  // a static constructor
        struct Bye { ~Bye() { zkvm_write(1, "bye\n", 4); } } bye;                    // a static destructor, run by exit

        int main()
        {
            Shape *shapes[2] = { new Rect(3, 4), new Rect(2, 5) };
            uint32_t *squares = new uint32_t[4];
            for (uint32_t i = 0; i < 4; i++) squares[i] = i * i;
            uint32_t total = base + twice(shapes[0]->area() + shapes[1]->area()) + squares[3];
            for (Shape *s : shapes) delete s;
            delete[] squares;
            zkvm_commit(&total, sizeof total);
            return 0;
        }
        """;

    [Fact]
    public void Classes_virtual_functions_templates_new_delete_and_static_objects_work()
    {
        var result = Interpreter.Run(Guests.Load(Guests.FromText("shapes.cpp", Shapes, bare: false)), Array.Empty<byte>());
        Assert.Null(result.Trap);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(41u + 2 * (12 + 10) + 9, BinaryPrimitives.ReadUInt32LittleEndian(result.Journal));
        Assert.Equal("bye\n", Encoding.ASCII.GetString(result.Stdout));
    }

    [Fact]
    public void A_standard_library_header_is_refused_at_its_line_with_the_reason()
    {
        string path = Path.Combine(Guests.WorkDir, "uses_vector.cpp");
        File.WriteAllText(path, "#include \"zkvm.h\"\n  #include <vector>\nint main() { return 0; }\n");
        var e = Assert.Throws<ZkVmException>(() => GuestCompiler.Compile([path], Path.Combine(Guests.WorkDir, "uses_vector.elf")));
        Assert.Equal(ToolchainError.CompileFailed, e.Code);
        Assert.Contains($"{path}:2:13: error: <vector> is part of the C++ standard library", e.Message);
        Assert.Contains("no libstdc++", e.Message);
    }

    [Fact]
    public void A_pure_virtual_call_aborts_the_guest()
    {
        const string text = """
            #include "zkvm.h"
            struct Base;
            static void call(Base *b);
            struct Base { Base() { call(this); } virtual ~Base() {} virtual int f() = 0; };
            struct Derived : Base { int f() override { return 1; } };
            static void call(Base *b) { b->f(); }                    // from Base's constructor: f is still pure
            int main() { Derived d; return 0; }
            """;
        var result = Interpreter.Run(Guests.Load(Guests.FromText("pure_virtual.cpp", text, bare: false)), Array.Empty<byte>());
        Assert.Equal(134, result.ExitCode); // abort(): 128 + SIGABRT
    }

    /// <summary>samples/shapes-cpp: the sum of the areas of n shapes, odd i an i × (i + 1) rectangle, even i an i × i square.</summary>
    [Theory]
    [InlineData(20u)]
    [InlineData(0u)]
    [InlineData(1000u)]
    public void The_shapes_sample_commits_the_sum_of_its_areas(uint n)
    {
        var result = Interpreter.Run(Guests.Load(Guests.SampleElf("shapes-cpp")), Encoding.ASCII.GetBytes($"{n}\n"));
        Assert.Equal(0, result.ExitCode);
        ulong expected = 0;
        for (ulong i = 1; i <= n; i++) expected += i % 2 == 1 ? i * (i + 1) : i * i;
        Assert.Equal(expected, BinaryPrimitives.ReadUInt64LittleEndian(result.Journal));
    }
}
