package dev.mtasts.operator.reports;

import dev.mtasts.api.v1alpha1.TlsRptReportSpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Which stored reports {@code --report-retention} deletes: those whose period ended before the cut-off. */
public final class ReportRetention {

  public static final String DEFAULT = "P31D";

  private ReportRetention() {}

  /** A report whose end cannot be read (edited by hand) is kept: deleting is the one thing not to guess at. */
  public static boolean endedBefore(TlsRptReportSpec report, Instant cutOff) {
    try {
      return report != null && Instant.parse(report.getEndDatetime()).isBefore(cutOff);
    } catch (DateTimeParseException | NullPointerException e) {
      return false;
    }
  }
}
