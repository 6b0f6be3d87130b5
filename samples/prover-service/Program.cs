using ZkVm;

// One guest (--Guest:Elf=path): POST /prove with the private input as the body returns the receipt's bytes; POST /verify
// with a receipt's bytes returns its claim (200) or the rejection's code and reason (422). A client that disconnects
// cancels its proof (HttpContext.RequestAborted reaches ProveAsync), which stops within milliseconds.
var builder = WebApplication.CreateBuilder(args);
string elf = builder.Configuration["Guest:Elf"] ?? throw new InvalidOperationException("name the guest: --Guest:Elf=path/to/guest.elf");
var program = ZkProgram.Load(elf);
// The guest's exit code is part of the answer here, so the service accepts any and reports it.
var verifier = new Verifier(policy: VerificationPolicy.AnyExitCode());
var app = builder.Build();
var proofs = app.Logger;

app.MapGet("/image-id", () => program.ImageId.ToString());

app.MapPost("/prove", async (HttpRequest request, CancellationToken aborted) =>
{
    byte[] input = await Body(request, aborted);
    try
    {
        var receipt = await program.ProveAsync(input, new ProverOptions { Logger = proofs }, cancellationToken: aborted);
        return Results.Bytes(receipt.ToBytes(), "application/octet-stream");
    }
    catch (ZkVmException e)
    {
        return Results.UnprocessableEntity(new { code = e.Code, reason = e.Detail });
    }
});

app.MapPost("/verify", async (HttpRequest request, CancellationToken aborted) =>
{
    byte[] bytes = await Body(request, aborted);
    try
    {
        var receipt = verifier.Verify(bytes, program.ImageId);
        return Results.Ok(new { exitCode = receipt.ExitCode, cycles = receipt.Cycles, journal = Convert.ToHexStringLower(receipt.Journal.Span) });
    }
    catch (VerificationException e)
    {
        return Results.UnprocessableEntity(new { code = e.Code, reason = e.Detail });
    }
});

app.Run();

static async Task<byte[]> Body(HttpRequest request, CancellationToken aborted)
{
    using var body = new MemoryStream();
    await request.Body.CopyToAsync(body, aborted);
    return body.ToArray();
}
