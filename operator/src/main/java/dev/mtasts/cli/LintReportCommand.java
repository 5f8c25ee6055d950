package dev.mtasts.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mtasts.rfc.Finding;
import dev.mtasts.rfc.ParseResult;
import dev.mtasts.tlsrpt.FailureDetail;
import dev.mtasts.tlsrpt.PolicyResult;
import dev.mtasts.tlsrpt.ReportAttachment;
import dev.mtasts.tlsrpt.ReportMediaType;
import dev.mtasts.tlsrpt.ReportMessage;
import dev.mtasts.tlsrpt.ReportParser;
import dev.mtasts.tlsrpt.TlsReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Reads SMTP TLS reports (RFC 8460) as the operator's receivers do, and sums them up for a person. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
        "Check SMTP TLS reports (RFC 8460 §4) with the parser the operator's report receivers use, and print what"
            + " each says: who sent it, its report-id and period, and per policy domain the successful and failed"
            + " sessions, the failures by result type and by receiving MX host.",
        "A FILE is a report as JSON (application/tlsrpt+json), gzip-compressed (application/tlsrpt+gzip: told by"
            + " its first bytes, or a .gz name) or a mail holding reports (an .eml file of type multipart/report;"
            + " report-type=tlsrpt, RFC 8460 §5.3). Each finding names the field, e.g."
            + " policies[0].summary.total-failure-session-count, and the rule.",
        "Warnings (a datetime without a UTC offset, an unknown result type) are shown but do not fail."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:every report is valid (warnings allowed)", "1:a report is invalid or a file unreadable",
        "2:usage error"},
    footerHeading = "%nExamples:%n",
    footer = {
        "  mta-sts-operator lint report google.com!example.com!1795132800!1795219199.json.gz",
        "  mta-sts-operator lint report --json report.eml",
        "  gzip -dc report.json.gz | mta-sts-operator lint report -"})
final class LintReportCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", arity = "1..*",
      description = "Report files (.json, .json.gz, .eml), or - for standard input.")
  List<String> files;

  @Option(names = "--json", description = "Print the reports and findings as JSON.")
  boolean json;

  @Spec CommandSpec spec;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final InputStream stdin;
  private final ReportParser parser = new ReportParser();

  LintReportCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  /** One report read from a file (a mail may hold several): where it came from, the report if valid, findings. */
  record Read(String source, Optional<TlsReport> report, List<Finding> findings) {
    boolean valid() {
      return findings.stream().noneMatch(Finding::isError);
    }
  }

  @Override
  public Integer call() {
    List<Read> reads = new ArrayList<>();
    for (String file : files) {
      reads.addAll(lint(file));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(toJson(reads));
    } else {
      reads.forEach(read -> print(read, out));
    }
    out.flush();
    return reads.stream().allMatch(Read::valid) ? 0 : 1;
  }

  private List<Read> lint(String file) {
    byte[] body;
    try {
      body = file.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      return List.of(new Read(file, Optional.empty(), List.of(new Finding(
          Finding.Severity.ERROR, "file", "input", "cannot read " + file))));
    }
    if (!ReportParser.startsWithGzipMagic(body) && isMessage(file, body)) {
      ParseResult<List<ReportAttachment>> parts = ReportMessage.attachments(new ByteArrayInputStream(body));
      if (parts.value().isEmpty()) {
        return List.of(new Read(file, Optional.empty(), parts.findings()));
      }
      return parts.value().get().stream()
          .map(part -> read(file + ": " + part.filename(), parser.parse(part.body(), part.mediaType())))
          .toList();
    }
    return List.of(read(file, parser.parse(body, mediaType(file, body))));
  }

  private static Read read(String source, ParseResult<TlsReport> parsed) {
    return new Read(source, parsed.value(), parsed.findings());
  }

  // Content first: a gzip body is gzip whatever its name; a .gz name that is not gzip gets the parser's finding.
  private static ReportMediaType mediaType(String file, byte[] body) {
    String name = file.toLowerCase(Locale.ROOT);
    return ReportParser.startsWithGzipMagic(body) || name.endsWith(".gz") ? ReportMediaType.GZIP
        : ReportMediaType.JSON;
  }

  // A mail starts with header fields; a JSON report with "{" (or whitespace before it).
  private static boolean isMessage(String file, byte[] body) {
    String name = file.toLowerCase(Locale.ROOT);
    if (name.endsWith(".eml")) {
      return true;
    }
    if (name.endsWith(".json") || name.endsWith(".gz")) {
      return false;
    }
    for (byte b : body) {
      if (!Character.isWhitespace(b)) {
        return b != '{' && b != '[';
      }
    }
    return false;
  }

  private static void print(Read read, PrintWriter out) {
    String source = read.source();
    read.report().ifPresent(report -> {
      out.println(source + ": " + report.organizationName() + ", report-id " + report.reportId() + ", "
          + report.startDatetime() + " to " + report.endDatetime());
      for (PolicyResult policy : report.policies()) {
        out.println(source + ":   " + policy.policyDomain() + " (" + policy.policyType().value() + "): "
            + policy.totalSuccessfulSessions() + " successful, " + policy.totalFailureSessions() + " failed");
        failuresByResultType(policy).forEach((type, byMx) -> out.println(source + ":     " + type + ": "
            + failures(byMx)));
      }
    });
    for (Finding finding : read.findings()) {
      out.println(source + ": " + finding.severity().name().toLowerCase(Locale.ROOT) + ": " + finding);
    }
    out.println(source + ": " + (read.valid() ? "valid" : "INVALID"));
  }

  // Details without receiving-mx-hostname (a policy fetch error concerns no MX) are counted under "".
  private static final String NO_MX = "";

  /** "45 failed (mx1.example.com 40, mx2.example.com 5)", "4 failed", or with some unnamed "(..., no MX named 1)". */
  private static String failures(Map<String, Long> byMx) {
    long total = byMx.values().stream().mapToLong(Long::longValue).sum();
    if (byMx.keySet().equals(Set.of(NO_MX))) {
      return total + " failed";
    }
    List<String> parts = byMx.entrySet().stream().filter(e -> !e.getKey().equals(NO_MX))
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.toCollection(ArrayList::new));
    Optional.ofNullable(byMx.get(NO_MX)).ifPresent(n -> parts.add("no MX named " + n));
    return total + " failed (" + String.join(", ", parts) + ")";
  }

  /** result-type -> receiving MX host -> failed sessions, each in name order. */
  static Map<String, Map<String, Long>> failuresByResultType(PolicyResult policy) {
    Map<String, Map<String, Long>> byType = new TreeMap<>();
    for (FailureDetail detail : policy.failureDetails()) {
      byType.computeIfAbsent(detail.resultType(), t -> new TreeMap<>())
          .merge(detail.receivingMxHostname().orElse(NO_MX), detail.failedSessionCount(), Long::sum);
    }
    return byType;
  }

  private static String toJson(List<Read> reads) {
    List<Map<String, Object>> items = reads.stream().map(read -> {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("source", read.source());
      item.put("valid", read.valid());
      read.report().ifPresent(report -> item.put("report", reportJson(report)));
      item.put("findings", read.findings().stream().map(FindingReport::findingJson).toList());
      return item;
    }).toList();
    try {
      return JSON.writeValueAsString(items);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> reportJson(TlsReport report) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("organizationName", report.organizationName());
    json.put("reportId", report.reportId());
    json.put("startDatetime", report.startDatetime().toString());
    json.put("endDatetime", report.endDatetime().toString());
    json.put("contactInfo", report.contactInfo().orElse(null));
    json.put("successfulSessions", report.successfulSessions());
    json.put("failedSessions", report.failedSessions());
    json.put("policies", report.policies().stream().map(policy -> {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("policyType", policy.policyType().value());
      p.put("policyDomain", policy.policyDomain());
      p.put("mxHosts", policy.mxHosts());
      p.put("successfulSessions", policy.totalSuccessfulSessions());
      p.put("failedSessions", policy.totalFailureSessions());
      p.put("failuresByResultType", failuresByResultType(policy));
      return p;
    }).toList());
    return json;
  }
}
