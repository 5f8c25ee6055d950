package dev.mtasts.operator.reports;

import dev.mtasts.api.v1alpha1.TlsRptReportSpec;
import java.time.Instant;

/** Which stored reports {@code --report-retention} deletes: those whose period ended before the cut-off. */
public final class ReportRetention {

  public static final String DEFAULT = "P31D";

  private ReportRetention() {}

  /** A report whose end cannot be read (edited by hand) is kept: deleting is the one thing not to guess at. */
  public static boolean endedBefore(TlsRptReportSpec report, Instant cutOff) {
    return report != null && report.periodEnd().filter(end -> end.isBefore(cutOff)).isPresent();
  }
}
