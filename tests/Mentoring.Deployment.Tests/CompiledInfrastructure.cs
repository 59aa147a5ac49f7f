using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Mentoring.Deployment.Tests;

/// <summary>
/// The Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64 (restored by this project's PackageDownload):
/// builds infra/main.bicep to ARM JSON and lints it, once per test run.
/// </summary>
public sealed class CompiledInfrastructure
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public CompiledInfrastructure()
    {
        Build = Run("build", Repository.PathOf("infra/main.bicep"), "--stdout");
        Lint = Run("lint", Repository.PathOf("infra/main.bicep"));
        Template = JsonDocument.Parse(Build.Output).RootElement.Clone();
    }

    public (int ExitCode, string Output, string Diagnostics) Build { get; }

    public (int ExitCode, string Output, string Diagnostics) Lint { get; }

    /// <summary>The compiled subscription-scope template (modules are nested deployments with their templates inline).</summary>
    public JsonElement Template { get; }

    private static string BicepPath()
    {
        var folder = typeof(CompiledInfrastructure).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BicepPackageFolder").Value!;
        var path = Path.Combine(folder, "tools", "bicep");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The Bicep CLI is not at {path}: restore tests/Mentoring.Deployment.Tests (PackageDownload).", path);
        }

        // NuGet extracts the binary with the owner's execute bit only; make sure whoever runs the tests may run it.
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        }

        return path;
    }

    private static (int ExitCode, string Output, string Diagnostics) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(BicepPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry and no update check: the CLI runs offline here and in CI.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var bicep = Process.Start(start) ?? throw new InvalidOperationException("Could not start the Bicep CLI.");
        var output = bicep.StandardOutput.ReadToEndAsync();
        var errors = bicep.StandardError.ReadToEndAsync();
        if (!bicep.WaitForExit(Timeout))
        {
            bicep.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} took longer than {Timeout}.");
        }

        return (bicep.ExitCode, output.GetAwaiter().GetResult(), errors.GetAwaiter().GetResult());
    }
}
