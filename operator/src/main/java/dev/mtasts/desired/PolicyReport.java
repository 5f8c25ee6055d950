package dev.mtasts.desired;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.ReportFailureDetail;
import dev.mtasts.api.v1alpha1.ReportResult;
import dev.mtasts.api.v1alpha1.TlsRptReport;
import dev.mtasts.api.v1alpha1.TlsRptReportSpec;
import dev.mtasts.tlsrpt.FailureDetail;
import dev.mtasts.tlsrpt.PolicyResult;
import dev.mtasts.tlsrpt.TlsReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The stored form of a received report: the part of it about one policy's domains, bounded (counts per MX and
 * result type, the first failure details) so that one object stays a few kilobytes in etcd whatever a sender sends.
 */
public final class PolicyReport {

  private PolicyReport() {}

  /**
   * @param domains the report's policy domains that {@code policy} publishes
   * @param channel "https" or "mail"
   */
  public static TlsRptReport desired(MtaStsPolicy policy, TlsReport report, List<String> domains, String channel,
      Instant receivedAt) {
    List<PolicyResult> ours = report.policies().stream().filter(p -> domains.contains(p.policyDomain())).toList();

    var metadata = StandardLabels.metadata(policy,
        ObjectNames.report(policy, report.organizationName(), report.reportId()), StandardLabels.TLS_REPORT);
    Map<String, String> labels = new LinkedHashMap<>(metadata.getLabels());
    labels.put(TlsRptReport.POLICY_LABEL, policy.getMetadata().getName());
    metadata.setLabels(labels);

    TlsRptReportSpec spec = new TlsRptReportSpec();
    spec.setPolicy(policy.getMetadata().getName());
    spec.setOrganization(cut(report.organizationName()));
    spec.setReportId(cut(report.reportId()));
    spec.setContactInfo(report.contactInfo().map(PolicyReport::cut).orElse(null));
    spec.setStartDatetime(report.startDatetime().toString());
    spec.setEndDatetime(report.endDatetime().toString());
    spec.setReceivedAt(receivedAt.toString());
    spec.setChannel(channel);
    spec.setDomains(ours.stream().map(PolicyResult::policyDomain).distinct().toList());
    spec.setSuccessfulSessions(ours.stream().mapToLong(PolicyResult::totalSuccessfulSessions).sum());
    spec.setFailedSessions(ours.stream().mapToLong(PolicyResult::totalFailureSessions).sum());

    List<ReportResult> results = results(ours);
    List<FailureDetail> details = ours.stream().flatMap(p -> p.failureDetails().stream()).toList();
    boolean truncated = results.size() > TlsRptReportSpec.MAX_RESULTS
        || details.size() > TlsRptReportSpec.MAX_FAILURE_DETAILS;
    spec.setResults(results.isEmpty() ? null : bounded(results));
    spec.setFailureDetails(details.isEmpty() ? null : details.stream()
        .limit(TlsRptReportSpec.MAX_FAILURE_DETAILS).map(PolicyReport::detail).toList());
    spec.setTruncated(truncated ? true : null);

    TlsRptReport object = new TlsRptReport();
    object.setMetadata(metadata);
    object.setSpec(spec);
    return object;
  }

  /**
   * Failed sessions per domain, policy type, MX and result type. A policy whose failure total is not covered by
   * its details (RFC 8460 §4.4 makes details optional) gets the rest as "unspecified", so the counts add up.
   */
  private static List<ReportResult> results(List<PolicyResult> policies) {
    Map<List<String>, Long> counts = new LinkedHashMap<>();
    for (PolicyResult p : policies) {
      long detailed = 0;
      for (FailureDetail d : p.failureDetails()) {
        // Cut like the free text: the parser lets a string reach 64 KiB, and 50 such entries would not fit etcd.
        String mx = d.receivingMxHostname().map(h -> cut(h.toLowerCase(Locale.ROOT))).orElse("");
        counts.merge(List.of(p.policyDomain(), p.policyType().value(), mx, cut(d.resultType())),
            d.failedSessionCount(), Long::sum);
        detailed += d.failedSessionCount();
      }
      if (p.totalFailureSessions() > detailed) {
        counts.merge(List.of(p.policyDomain(), p.policyType().value(), "", TlsRptReportSpec.UNSPECIFIED),
            p.totalFailureSessions() - detailed, Long::sum);
      }
    }
    List<ReportResult> results = new ArrayList<>();
    counts.forEach((k, n) -> results.add(new ReportResult(k.get(0), k.get(1), k.get(2), k.get(3), n)));
    return results;
  }

  /** The first MAX_RESULTS - 1 entries, and one "other" entry with the rest, so that the total stays right. */
  private static List<ReportResult> bounded(List<ReportResult> results) {
    int max = TlsRptReportSpec.MAX_RESULTS;
    if (results.size() <= max) {
      return results;
    }
    List<ReportResult> kept = new ArrayList<>(results.subList(0, max - 1));
    long rest = results.subList(max - 1, results.size()).stream().mapToLong(ReportResult::getSessions).sum();
    kept.add(new ReportResult("", "", "", TlsRptReportSpec.OTHER, rest));
    return kept;
  }

  private static ReportFailureDetail detail(FailureDetail d) {
    ReportFailureDetail out = new ReportFailureDetail();
    out.setResultType(cut(d.resultType()));
    out.setSendingMtaIp(d.sendingMtaIp().map(PolicyReport::cut).orElse(null));
    out.setReceivingMxHostname(d.receivingMxHostname().map(PolicyReport::cut).orElse(null));
    out.setReceivingIp(d.receivingIp().map(PolicyReport::cut).orElse(null));
    out.setFailedSessions(d.failedSessionCount());
    out.setFailureReasonCode(d.failureReasonCode().map(PolicyReport::cut).orElse(null));
    out.setAdditionalInformation(d.additionalInformation().map(PolicyReport::cut).orElse(null));
    return out;
  }

  private static String cut(String text) {
    return Optional.ofNullable(text).map(t -> t.substring(0, Math.min(t.length(), TlsRptReportSpec.MAX_TEXT)))
        .orElse(null);
  }
}
