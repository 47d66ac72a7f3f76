using Akka.Actor;
using Akka.Configuration;
using Serilog;
using Serilog.Events;

namespace DelaySim.Host;

/// <summary>Logging and the ActorSystem, set up in one place.</summary>
public static class AkkaSetup
{
    /// <summary>config/akka.hocon as shipped (embedded in the executable).</summary>
    public static Config ShippedConfig()
    {
        using var stream = typeof(AkkaSetup).Assembly.GetManifestResourceStream("DelaySim.akka.hocon")
            ?? throw new InvalidOperationException("resource DelaySim.akka.hocon is missing from the build");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    /// <summary>Serilog to standard error (standard output carries the results table).</summary>
    public static void ConfigureLogging(LogEventLevel level = LogEventLevel.Information) =>
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}")
            .CreateLogger();

    public static ActorSystem CreateSystem(Config? overrides = null)
    {
        var config = overrides is null ? ShippedConfig() : overrides.WithFallback(ShippedConfig());
        return ActorSystem.Create("delaysim", config);
    }
}
