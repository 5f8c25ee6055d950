package dev.mtasts.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mtasts.check.CheckFinding;
import dev.mtasts.check.CheckSettings;
import dev.mtasts.check.DomainAudit;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Audits live domains as a sending MTA would. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Audit live domains as a sending mail server applies MTA-STS (RFC 8461 §3-5): the _mta-sts TXT record, the"
            + " policy fetched from https://mta-sts.<domain>/.well-known/mta-sts.txt (certificate, status, no"
            + " redirect, text/plain, size, strict parse), the MX records and whether the policy covers them, a"
            + " STARTTLS probe of each MX host (offered, trusted chain, name, expiry), and the _smtp._tls record.",
        "Every finding has a severity and a one-line fix. Domains are checked concurrently."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:no finding is an error", "1:a finding is an error", "2:usage error"},
    footerHeading = "%nExamples:%n",
    footer = {
        "  mta-sts-operator check example.com",
        "  mta-sts-operator check --json example.com example.org",
        "  mta-sts-operator check --resolver 127.0.0.1:5353 --ca-file test-ca.pem example.test"})
final class CheckCommand implements Callable<Integer> {

  @Parameters(paramLabel = "DOMAIN", arity = "1..*", description = "Mail domains to audit.")
  List<String> domains;

  @Option(names = "--json", description = "Print the reports as JSON.")
  boolean json;

  @Option(names = "--resolver", paramLabel = "HOST[:PORT]",
      description = "DNS server to ask instead of the system's resolvers.")
  String resolver;

  @Option(names = "--ca-file", paramLabel = "PEM", description = "Trust these CA certificates instead of the JDK's.")
  Path caFile;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "Timeout of each DNS query, connection and read (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--smtp-port", paramLabel = "PORT", defaultValue = "25",
      description = "Port the MX hosts are probed on (default: ${DEFAULT-VALUE}, as senders connect).")
  int smtpPort;

  @Option(names = "--expiry-warning-days", paramLabel = "DAYS", defaultValue = "14",
      description = "Warn about MX certificates that expire within this many days (default: ${DEFAULT-VALUE}).")
  int expiryWarningDays;

  @Spec CommandSpec spec;

  private final Clock clock;

  CheckCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws Exception {
    DomainAudit audit = new DomainAudit(settings(), clock);
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(16, domains.size()));
    List<DomainAudit.Report> reports = new ArrayList<>();
    try {
      List<Future<DomainAudit.Report>> futures = domains.stream()
          .map(d -> pool.submit(() -> audit.check(d.toLowerCase(Locale.ROOT)))).toList();
      for (Future<DomainAudit.Report> future : futures) {
        reports.add(future.get());
      }
    } finally {
      pool.shutdown();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(toJson(reports));
    } else {
      reports.forEach(r -> print(r, out));
    }
    out.flush();
    return reports.stream().anyMatch(DomainAudit.Report::hasErrors) ? 1 : 0;
  }

  private CheckSettings settings() {
    if (timeoutSeconds <= 0 || smtpPort <= 0 || smtpPort > 65535) {
      throw new ParameterException(spec.commandLine(), "--timeout must be positive and --smtp-port 1 to 65535");
    }
    Optional<InetSocketAddress> dns = Optional.ofNullable(resolver).map(r -> {
      try {
        return HostPort.parse(r, 53);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--resolver: " + e.getMessage());
      }
    });
    return new CheckSettings(dns, Optional.ofNullable(caFile), Duration.ofSeconds(timeoutSeconds), smtpPort,
        Duration.ofDays(expiryWarningDays));
  }

  private static void print(DomainAudit.Report report, PrintWriter out) {
    long errors = report.findings().stream().filter(CheckFinding::isError).count();
    long warnings = report.findings().stream().filter(f -> f.finding().severity().name().equals("WARNING")).count();
    out.printf("%s: %s (%d errors, %d warnings; MX %s)%n", report.domain(),
        errors > 0 ? "FAIL" : "ok", errors, warnings, report.mxHosts().isEmpty() ? "none" : report.mxHosts());
    for (CheckFinding f : report.findings()) {
      out.printf("  %-7s %s%n", f.finding().severity(), f.finding());
      if (!f.fix().isEmpty()) {
        out.printf("          fix: %s%n", f.fix());
      }
    }
  }

  private static String toJson(List<DomainAudit.Report> reports) {
    List<Map<String, Object>> items = reports.stream().map(r -> {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("domain", r.domain());
      item.put("ok", !r.hasErrors());
      item.put("mx", r.mxHosts());
      item.put("findings", r.findings().stream().map(f -> {
        Map<String, Object> finding = new LinkedHashMap<>();
        finding.put("severity", f.finding().severity().name());
        finding.put("location", f.finding().location());
        finding.put("rule", f.finding().rule());
        finding.put("message", f.finding().message());
        finding.put("fix", f.fix());
        return finding;
      }).toList());
      return item;
    }).toList();
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(items);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
