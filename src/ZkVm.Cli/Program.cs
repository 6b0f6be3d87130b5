using System.CommandLine;
using ZkVm.Cli;

var root = new RootCommand("zkvm: build, run, prove and verify RV32IM guests");
return Cli.Run(root, args);
