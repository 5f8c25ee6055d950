package dev.mtasts.operator.status;

import dev.mtasts.api.v1alpha1.ReportResult;
import dev.mtasts.api.v1alpha1.ReportsSummary;
import dev.mtasts.api.v1alpha1.TlsRptReportSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The stored reports of a policy whose period ended in the last {@link #WINDOW}, summed up for its status. */
public final class ReportsWindow {

  public static final Duration WINDOW = Duration.ofDays(14);
  /** How messages name the window. */
  public static final String IN_THE_WINDOW = "in the last " + WINDOW.toDays() + " days";

  private ReportsWindow() {}

  /** The summary, or empty when no report ended in the window. */
  public static Optional<ReportsSummary> summarize(List<TlsRptReportSpec> reports, Instant now) {
    Instant since = now.minus(WINDOW);
    List<TlsRptReportSpec> recent = reports.stream()
        .filter(r -> r.periodEnd().filter(e -> e.isAfter(since)).isPresent())
        .sorted(Comparator.comparing((TlsRptReportSpec r) -> r.periodEnd().orElseThrow())
            .thenComparing(TlsRptReportSpec::getOrganization))
        .toList();
    if (recent.isEmpty()) {
      return Optional.empty();
    }
    long successful = recent.stream().mapToLong(r -> count(r.getSuccessfulSessions())).sum();
    long failed = recent.stream().mapToLong(r -> count(r.getFailedSessions())).sum();
    Map<List<String>, Long> failures = new LinkedHashMap<>();
    for (TlsRptReportSpec report : recent) {
      for (ReportResult result : Optional.ofNullable(report.getResults()).orElse(List.of())) {
        failures.merge(List.of(result.getResultType(), Optional.ofNullable(result.getMx()).orElse("")),
            count(result.getSessions()), Long::sum);
      }
    }
    ReportsSummary summary = new ReportsSummary();
    summary.setWindow("P" + WINDOW.toDays() + "D");
    summary.setReports(recent.size());
    summary.setOrganizations(recent.stream().map(TlsRptReportSpec::getOrganization).distinct().sorted()
        .limit(ReportsSummary.MAX_ORGANIZATIONS).toList());
    summary.setSuccessfulSessions(successful);
    summary.setFailedSessions(failed);
    summary.setFailureRatio(ratio(failed, successful + failed));
    summary.setFailures(failures.isEmpty() ? null : failures.entrySet().stream()
        .sorted(Map.Entry.<List<String>, Long>comparingByValue().reversed()
            .thenComparing(e -> String.join(" ", e.getKey())))
        .limit(ReportsSummary.MAX_FAILURES)
        .map(e -> new ReportResult(null, null, e.getKey().get(1), e.getKey().get(0), e.getValue()))
        .toList());
    summary.setLastReport(recent.get(recent.size() - 1).periodEnd().orElseThrow().toString());
    return Optional.of(summary);
  }

  /** "0.000123": failed / total to 6 places, "0" when there were no sessions. */
  static String ratio(long failed, long total) {
    if (total == 0) {
      return "0";
    }
    return BigDecimal.valueOf(failed).divide(BigDecimal.valueOf(total), 6, RoundingMode.HALF_UP)
        .stripTrailingZeros().toPlainString();
  }

  /** "certificate-expired at mx1.example.com: 10" */
  static String describe(ReportResult failure) {
    String mx = failure.getMx() == null || failure.getMx().isEmpty() ? "" : " at " + failure.getMx();
    return failure.getResultType() + mx + ": " + failure.getSessions();
  }

  private static long count(Long value) {
    return value == null ? 0 : value;
  }
}
