package dev.mtasts.cli;

import java.io.InputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code lint policy}, {@code lint record} and {@code lint report}: the strict RFC parsers for files and records kept
 * by hand, and for the TLS reports senders send back.
 */
@Command(
    name = "lint",
    mixinStandardHelpOptions = true,
    description = "Check MTA-STS policy files, TXT record values and SMTP TLS reports against RFC 8461 and RFC 8460.",
    footerHeading = "%nExamples:%n",
    footer = {
        "  mta-sts-operator lint policy mta-sts.txt",
        "  mta-sts-operator lint record 'v=STSv1; id=20260101000000'",
        "  mta-sts-operator lint record --json 'v=TLSRPTv1; rua=mailto:tlsrpt@example.com'",
        "  mta-sts-operator lint report report.json.gz"})
final class LintCommand {

  static CommandLine commandLine(InputStream stdin) {
    CommandLine lint = new CommandLine(new LintCommand());
    lint.addSubcommand(new LintPolicyCommand(stdin));
    lint.addSubcommand(new LintRecordCommand());
    lint.addSubcommand(new LintReportCommand(stdin));
    return lint;
  }
}
