package dev.mtasts.cli;

import dev.mtasts.rfc.Finding;
import dev.mtasts.rfc.ParseResult;
import dev.mtasts.rfc.Policy;
import dev.mtasts.rfc.PolicyLint;
import dev.mtasts.rfc.PolicyParser;
import dev.mtasts.rfc.TlsRptRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Parses policy files with the strict RFC 8461 parser, as senders would read them. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = {
        "Check MTA-STS policy files (the body served at https://mta-sts.<domain>/.well-known/mta-sts.txt) with"
            + " the strict RFC 8461 §3.2 parser. Each finding names the line and the rule.",
        "Warnings (legal but risky, such as max_age under a day in enforce mode) are shown but do not fail."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:every file is valid (warnings allowed)", "1:a file is invalid or unreadable",
        "2:usage error"},
    footerHeading = "%nExamples:%n",
    footer = {
        "  mta-sts-operator lint policy mta-sts.txt",
        "  curl -s https://mta-sts.example.com/.well-known/mta-sts.txt | mta-sts-operator lint policy -",
        "  mta-sts-operator lint policy --tls-rpt 'v=TLSRPTv1; rua=mailto:tls@example.com' --json mta-sts.txt"})
final class LintPolicyCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Policy files, or - for standard input.")
  List<String> files;

  @Option(names = "--tls-rpt", paramLabel = "RECORD",
      description = "The domain's _smtp._tls TXT record value, if it has one: checked too, and without it a"
          + " testing-mode policy is warned about (testing mode is useful only with reports).")
  String tlsRptRecord;

  @Option(names = "--json", description = "Print the findings as JSON.")
  boolean json;

  @Spec CommandSpec spec;

  private final InputStream stdin;

  LintPolicyCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    List<FindingReport.Checked> results = new ArrayList<>();
    boolean tlsRptPublished = false;
    if (tlsRptRecord != null) {
      var tlsRpt = TlsRptRecord.parseAll(List.of(tlsRptRecord));
      tlsRptPublished = tlsRpt.isValid();
      results.add(new FindingReport.Checked("--tls-rpt", tlsRpt.findings()));
    }
    for (String file : files) {
      results.add(lint(file, tlsRptPublished));
    }
    return FindingReport.print(results, json, spec.commandLine().getOut());
  }

  private FindingReport.Checked lint(String file, boolean tlsRptPublished) {
    Optional<byte[]> body = read(file);
    if (body.isEmpty()) {
      return new FindingReport.Checked(file, List.of(new Finding(
          Finding.Severity.ERROR, "file", "input", "cannot read " + file)));
    }
    ParseResult<Policy> parsed = PolicyParser.parse(body.get());
    List<Finding> findings = new ArrayList<>(parsed.findings());
    parsed.value().ifPresent(policy -> findings.addAll(PolicyLint.check(policy, tlsRptPublished)));
    return new FindingReport.Checked(file, findings);
  }

  // Bytes, not a String: decoding here would turn bytes that are not UTF-8 into U+FFFD and hide them from the parser.
  private Optional<byte[]> read(String file) {
    try {
      return Optional.of(file.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
