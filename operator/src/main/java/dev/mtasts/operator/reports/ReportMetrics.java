package dev.mtasts.operator.reports;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.ReportResult;
import dev.mtasts.api.v1alpha1.TlsRptReportSpec;
import dev.mtasts.tlsrpt.ReportParser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions reported by senders, as Prometheus counters {@code mtasts_tlsrpt_sessions_total} by namespace, policy,
 * domain, organization and result ("successful" or the result type). Label values are bounded: result types
 * outside RFC 8460 §4.3 and organizations beyond the first {@link #MAX_ORGANIZATIONS} are "other", and no address
 * of the report ever becomes a label, since anyone can send a report.
 */
public final class ReportMetrics {

  public static final String SESSIONS = "mtasts_tlsrpt_sessions";
  public static final int MAX_ORGANIZATIONS = 50;
  static final String OTHER = TlsRptReportSpec.OTHER;

  private final MeterRegistry registry;
  private final Set<String> organizations = ConcurrentHashMap.newKeySet();

  public ReportMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts the sessions of one stored report. */
  void stored(MtaStsPolicy policy, TlsRptReportSpec report) {
    String organization = organization(report.getOrganization());
    String domain = report.getDomains().isEmpty() ? "" : report.getDomains().get(0);
    sessions(policy, domain, organization, "successful").increment(report.getSuccessfulSessions());
    if (report.getResults() != null) {
      for (ReportResult result : report.getResults()) {
        String resultType = ReportParser.RESULT_TYPES.contains(result.getResultType())
            || TlsRptReportSpec.UNSPECIFIED.equals(result.getResultType()) ? result.getResultType() : OTHER;
        String resultDomain = result.getDomain().isEmpty() ? domain : result.getDomain();
        sessions(policy, resultDomain, organization, resultType).increment(result.getSessions());
      }
    }
  }

  private Counter sessions(MtaStsPolicy policy, String domain, String organization, String result) {
    return Counter.builder(SESSIONS)
        .description("SMTP sessions senders reported in TLS-RPT reports (RFC 8460), by result")
        .tag("namespace", policy.getMetadata().getNamespace())
        .tag("policy", policy.getMetadata().getName())
        .tag("domain", domain)
        .tag("organization", organization)
        .tag("result", result)
        .register(registry);
  }

  private String organization(String name) {
    String label = name.toLowerCase(Locale.ROOT).strip();
    label = label.length() > 64 ? label.substring(0, 64) : label;
    if (organizations.contains(label)) {
      return label;
    }
    if (organizations.size() < MAX_ORGANIZATIONS) {
      organizations.add(label);
      return label;
    }
    return OTHER;
  }
}
