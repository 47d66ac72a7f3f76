using DelaySim.Host;

return await Cli.RunAsync(args);
