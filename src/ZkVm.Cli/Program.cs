using System.CommandLine;
using ZkVm.Cli;
using ZkVm.Cli.Commands;

var root = new RootCommand("zkvm: build, run, prove and verify RV32IM guests");
root.Subcommands.Add(CcCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(ProfileCommand.Create());
root.Subcommands.Add(DisasmCommand.Create());
root.Subcommands.Add(InspectCommand.Create());
root.Subcommands.Add(ProveCommand.Create());
root.Subcommands.Add(VerifyCommand.Create());
root.Subcommands.Add(WorkerCommand.Create());
root.Subcommands.Add(ImageIdCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return Cli.Run(root, args);
