using Mentoring.Cli.Commands;

return CommandDispatcher.Run(args, Console.Out, Console.Error);
