namespace Mentoring.Cli.Commands;

internal static class CommandDispatcher
{
    /// <summary>All commands. Add a new one by adding an <see cref="ICliCommand"/> here.</summary>
    private static readonly ICliCommand[] Commands =
    [
        new SolveCommand(),
        new SolveBipartiteCommand(),
        new GenerateBipartiteCommand(),
        new SyntheticCommand(),
        new GenerateCommand(),
        new ExportCommand(),
    ];

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            PrintUsage(args.Length == 0 ? error : output);
            return args.Length == 0 ? 2 : 0;
        }

        var command = Array.Find(Commands, c => string.Equals(c.Name, args[0], StringComparison.Ordinal));
        if (command == null)
        {
            error.WriteLine($"unknown command '{args[0]}'");
            PrintUsage(error);
            return 2;
        }

        try
        {
            return command.Run(args.Skip(1).ToArray(), output, error);
        }
        catch (CliUsageException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return 2;
        }
    }

    private static void PrintUsage(TextWriter w)
    {
        w.WriteLine("usage: mentoring <command> [options]");
        foreach (var c in Commands)
        {
            w.WriteLine($"  {c.Usage}");
        }
    }
}
