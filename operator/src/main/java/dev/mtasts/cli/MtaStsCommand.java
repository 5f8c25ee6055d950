package dev.mtasts.cli;

import java.io.InputStream;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one command line of the jar: {@code run}, {@code render}, {@code lint}, {@code check}. */
@Command(
    name = "mta-sts-operator",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Declarative MTA-STS (RFC 8461) and SMTP TLS Reporting (RFC 8460) for Kubernetes.",
    subcommands = {CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:success", "1:invalid input or findings", "2:usage error"})
public final class MtaStsCommand {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return commandLine(Clock.systemUTC(), System.in);
  }

  /** The command line with its inputs given, so that tests can fix the clock and standard input. */
  public static CommandLine commandLine(Clock clock, InputStream stdin) {
    CommandLine cli = new CommandLine(new MtaStsCommand());
    cli.addSubcommand(new RunCommand());
    cli.addSubcommand(new RenderCommand(clock, stdin));
    cli.addSubcommand(LintCommand.commandLine(stdin));
    cli.addSubcommand(new CheckCommand(clock));
    return cli;
  }
}
