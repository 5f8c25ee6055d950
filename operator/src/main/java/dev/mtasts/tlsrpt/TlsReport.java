package dev.mtasts.tlsrpt;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One SMTP TLS report (RFC 8460 §4.4): what one sending organization saw when delivering to the policy domains in
 * one period, usually a UTC day.
 */
public record TlsReport(
    String organizationName,
    Instant startDatetime,
    Instant endDatetime,
    Optional<String> contactInfo,
    String reportId,
    List<PolicyResult> policies) {

  public TlsReport {
    Objects.requireNonNull(organizationName, "organizationName");
    Objects.requireNonNull(startDatetime, "startDatetime");
    Objects.requireNonNull(endDatetime, "endDatetime");
    Objects.requireNonNull(contactInfo, "contactInfo");
    Objects.requireNonNull(reportId, "reportId");
    policies = List.copyOf(policies);
  }

  /** Sessions that negotiated TLS and passed the policy, over every policy of the report. */
  public long successfulSessions() {
    return policies.stream().mapToLong(PolicyResult::totalSuccessfulSessions).sum();
  }

  /** Sessions that failed, over every policy of the report. */
  public long failedSessions() {
    return policies.stream().mapToLong(PolicyResult::totalFailureSessions).sum();
  }

  /** The policy domains the report is about, lower-case, in report order. */
  public Set<String> policyDomains() {
    Set<String> domains = new LinkedHashSet<>();
    policies.forEach(p -> domains.add(p.policyDomain()));
    return domains;
  }
}
