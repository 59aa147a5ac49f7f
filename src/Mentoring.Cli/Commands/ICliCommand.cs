namespace Mentoring.Cli.Commands;

/// <summary>One `mentoring &lt;name&gt; ...` command. Register new commands in <see cref="CommandDispatcher"/>.</summary>
internal interface ICliCommand
{
    string Name { get; }

    /// <summary>One-line usage shown by `mentoring help`.</summary>
    string Usage { get; }

    /// <summary>Runs the command with the arguments after its name; returns the process exit code.</summary>
    int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error);
}

/// <summary>Thrown for bad command-line arguments or input files; reported without a stack trace, exit code 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
