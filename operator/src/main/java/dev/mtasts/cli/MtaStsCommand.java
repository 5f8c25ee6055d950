package dev.mtasts.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one command line of the jar: {@code run}, {@code render}, {@code lint}, {@code check}. */
@Command(
    name = "mta-sts-operator",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Declarative MTA-STS (RFC 8461) and SMTP TLS Reporting (RFC 8460) for Kubernetes.",
    subcommands = {CommandLine.HelpCommand.class})
public final class MtaStsCommand {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new MtaStsCommand());
  }
}
