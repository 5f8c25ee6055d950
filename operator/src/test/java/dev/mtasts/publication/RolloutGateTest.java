package dev.mtasts.publication;

import static dev.mtasts.testing.TestObservations.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.RolloutSettings;
import dev.mtasts.api.v1alpha1.TlsRptReportSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutGateTest {

  static final Instant NOW = Instant.parse("2026-12-01T06:00:00Z");
  static final Instant TODAY = Instant.parse("2026-12-01T00:00:00Z");
  static final RolloutEvidence.MxTlsVerdict PROBED =
      new RolloutEvidence.MxTlsVerdict(true, "every MX host offers STARTTLS with a valid certificate");

  /** One clean daily report per organization for each of the {@code days} UTC days before today. */
  static List<TlsRptReportSpec> daily(int days, String... organizations) {
    List<TlsRptReportSpec> reports = new ArrayList<>();
    for (int d = days - 1; d >= 0; d--) {
      for (String organization : organizations) {
        reports.add(report(organization, TODAY.minus(Duration.ofDays(d)), 1000, 0));
      }
    }
    return reports;
  }

  static RolloutSettings rollout(Integer cleanDays, Integer minOrganizations, String maxFailureRatio) {
    RolloutSettings rollout = new RolloutSettings();
    rollout.setCleanDays(cleanDays);
    rollout.setMinOrganizations(minOrganizations);
    rollout.setMaxFailureRatio(maxFailureRatio);
    return rollout;
  }

  static RolloutGate.Verdict evaluate(RolloutSettings rollout, List<TlsRptReportSpec> reports) {
    return RolloutGate.evaluate(rollout, new RolloutEvidence(reports, PROBED), NOW);
  }

  static List<TlsRptReportSpec> with(List<TlsRptReportSpec> reports, TlsRptReportSpec more) {
    List<TlsRptReportSpec> all = new ArrayList<>(reports);
    all.add(more);
    return all;
  }

  static Stream<Arguments> gates() {
    RolloutSettings defaults = new RolloutSettings();
    return Stream.of(
        Arguments.of("no report yet", defaults, List.of(), false,
            "0 of 14 clean days (no TLS-RPT report yet); 0 of 2 organizations; MX TLS: every MX host"),
        Arguments.of("3 clean days from one sender", defaults, daily(3, "google.com"), false,
            "3 of 14 clean days; 1 of 2 organizations; MX TLS:"),
        Arguments.of("14 clean days from one sender", defaults, daily(14, "google.com"), false,
            "14 of 14 clean days; 1 of 2 organizations"),
        Arguments.of("13 clean days from two senders", defaults, daily(13, "google.com", "microsoft.com"), false,
            "13 of 14 clean days; 2 of 2 organizations"),
        Arguments.of("14 clean days from two senders", defaults, daily(14, "google.com", "microsoft.com"), true,
            "14 of 14 clean days; 2 of 2 organizations"),
        Arguments.of("one failed session yesterday restarts the count", defaults,
            with(daily(20, "google.com", "microsoft.com"), report("google.com", TODAY, 999, 1)), false,
            "0 of 14 clean days (the latest report, ending 2026-12-01T00:00:00Z, failed above 0)"),
        Arguments.of("a failure under the allowed ratio counts as clean", rollout(14, 2, "0.001"),
            with(daily(14, "google.com", "microsoft.com"), report("google.com", TODAY, 9999, 1)), true,
            "14 of 14 clean days; 2 of 2 organizations"),
        Arguments.of("a failure just above the allowed ratio does not", rollout(14, 2, "0.0001"),
            with(daily(14, "google.com", "microsoft.com"), report("google.com", TODAY, 9998, 2)), false,
            "0 of 14 clean days"),
        Arguments.of("the days after a failure count again", rollout(4, 1, null),
            with(daily(3, "google.com"), report("google.com", TODAY.minus(Duration.ofDays(5)), 0, 7)), false,
            "3 of 4 clean days; 1 of 1 organization"),
        Arguments.of("and meet the gate once there are enough", rollout(3, 1, null),
            with(daily(3, "google.com"), report("google.com", TODAY.minus(Duration.ofDays(5)), 0, 7)), true,
            "3 of 3 clean days; 1 of 1 organization"),
        Arguments.of("reports that stopped coming are no evidence", rollout(1, 1, null),
            daily(6, "google.com").subList(0, 1), false, "1 of 1 clean days; 1 of 1 organization; no report since"
                + " 2026-11-26T00:00:00Z"),
        Arguments.of("exactly the allowed ratio counts as clean", rollout(1, 1, "0.5"),
            List.of(report("google.com", TODAY, 5, 5)), true, "1 of 1 clean days; 1 of 1 organization"),
        Arguments.of("the last of several failures restarts the count", rollout(2, 1, null),
            List.of(report("google.com", TODAY.minus(Duration.ofDays(4)), 9, 1),
                report("google.com", TODAY.minus(Duration.ofDays(2)), 9, 1), report("google.com", TODAY, 10, 0)),
            false, "1 of 2 clean days"),
        Arguments.of("a report still running counts up to now only", rollout(1, 1, null),
            List.of(new ReportBuilder("google.com", NOW.minus(Duration.ofHours(23)), NOW.plus(Duration.ofHours(2)))
                .build()), false, "0 of 1 clean days"),
        Arguments.of("a report exactly 3 days old is still evidence", rollout(1, 1, null),
            List.of(report("google.com", NOW.minus(Duration.ofDays(3)), 10, 0)), true, "1 of 1 clean days; 1 of 1"
                + " organization; MX TLS"),
        Arguments.of("a report dated in the future does not count", rollout(1, 1, null),
            List.of(report("google.com", NOW.plus(Duration.ofDays(3)), 10, 0)), false, "0 of 1 clean days"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gates")
  void metExactlyWhenTheReportsSaySo(String description, RolloutSettings rollout, List<TlsRptReportSpec> reports,
      boolean met, String message) {
    RolloutGate.Verdict verdict = evaluate(rollout, reports);

    assertThat(verdict.met()).as(verdict.message()).isEqualTo(met);
    assertThat(verdict.message()).contains(message);
  }

  /** A clean report with a period of its own. */
  record ReportBuilder(String organization, Instant start, Instant end) {
    TlsRptReportSpec build() {
      TlsRptReportSpec report = report(organization, end, 100, 0);
      report.setStartDatetime(start.toString());
      return report;
    }
  }

  @Test
  void clean14DaysFrom2SendersIsNotEnoughWithoutTheMxProbe() {
    RolloutEvidence.MxTlsVerdict failed = new RolloutEvidence.MxTlsVerdict(false,
        "mx2.example.com: the STARTTLS certificate is for mail.example.net, not mx2.example.com");

    RolloutGate.Verdict verdict = RolloutGate.evaluate(new RolloutSettings(),
        new RolloutEvidence(daily(14, "google.com", "microsoft.com"), failed), NOW);

    assertThat(verdict.met()).isFalse();
    assertThat(verdict.message()).isEqualTo("14 of 14 clean days; 2 of 2 organizations; MX TLS: mx2.example.com:"
        + " the STARTTLS certificate is for mail.example.net, not mx2.example.com");
  }

  @Test
  void aReportWhoseDatesCannotBeReadCountsForNothing() {
    TlsRptReportSpec edited = report("google.com", TODAY, 10, 0);
    edited.setEndDatetime("yesterday");
    TlsRptReportSpec noStart = report("google.com", TODAY, 10, 0);
    noStart.setStartDatetime("the day before");

    assertThat(evaluate(rollout(1, 1, null), List.of(edited)).message()).startsWith("0 of 1 clean days (no TLS-RPT");
    assertThat(evaluate(rollout(1, 1, null), List.of(noStart)).message()).startsWith("0 of 1 clean days (no TLS-RPT");
  }
}
