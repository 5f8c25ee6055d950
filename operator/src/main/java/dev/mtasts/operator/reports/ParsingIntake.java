package dev.mtasts.operator.reports;

import dev.mtasts.reports.IntakeOutcome;
import dev.mtasts.reports.ReportIntake;
import dev.mtasts.rfc.Finding;
import dev.mtasts.rfc.ParseResult;
import dev.mtasts.tlsrpt.ReportMediaType;
import dev.mtasts.tlsrpt.ReportParser;
import dev.mtasts.tlsrpt.TlsReport;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both receivers hand their reports to: the strict, bounded parser (a gzip bomb or a deep nesting stops
 * there), then the store. A report that came through a policy host may only be about that host's domain.
 */
public final class ParsingIntake implements ReportIntake {

  private static final Logger log = LoggerFactory.getLogger(ParsingIntake.class);
  private static final String POLICY_HOST_PREFIX = "mta-sts.";

  private final ReportParser parser;
  private final ClusterReportStore store;

  public ParsingIntake(ReportParser parser, ClusterReportStore store) {
    this.parser = parser;
    this.store = store;
  }

  @Override
  public IntakeOutcome accept(byte[] body, ReportMediaType mediaType, Channel channel, String source,
      Optional<String> policyHost) {
    ParseResult<TlsReport> parsed = parser.parse(body, mediaType);
    if (parsed.value().isEmpty()) {
      String why = parsed.errors().stream().map(Finding::toString).collect(Collectors.joining("; "));
      log.info("step=report refused from {}: {}", source, why);
      return IntakeOutcome.malformed(why);
    }
    Optional<String> onlyDomain = policyHost.map(ParsingIntake::domainOf);
    if (policyHost.isPresent() && onlyDomain.get().isEmpty()) {
      return IntakeOutcome.notOurs(Finding.quote(policyHost.get()) + " is not a policy host (mta-sts.<domain>)");
    }
    return store.store(parsed.value().get(), channel, onlyDomain);
  }

  /** "mta-sts.example.com" -> "example.com"; "" for a host that is no policy host. */
  static String domainOf(String policyHost) {
    return policyHost.startsWith(POLICY_HOST_PREFIX) && policyHost.length() > POLICY_HOST_PREFIX.length()
        ? policyHost.substring(POLICY_HOST_PREFIX.length()) : "";
  }
}
