package dev.mtasts.operator.status;

import static dev.mtasts.testing.TestObservations.NOW;
import static dev.mtasts.testing.TestObservations.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.ConditionTypes;
import dev.mtasts.api.v1alpha1.MtaStsPolicyStatus;
import dev.mtasts.api.v1alpha1.PolicyMode;
import dev.mtasts.api.v1alpha1.ReportResult;
import dev.mtasts.api.v1alpha1.ReportsSummary;
import dev.mtasts.api.v1alpha1.TlsRptReportSpec;
import dev.mtasts.publication.RolloutGate;
import dev.mtasts.testing.TestObservations;
import dev.mtasts.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What the TLS-RPT reports and the rollout gate put in status, and the events their changes imply. */
class ReportsStatusTest {

  static final Instant YESTERDAY = NOW.minus(Duration.ofDays(1));

  static Observations seen(Consumer<TestObservations> change) {
    TestObservations seen = TestObservations.allDone();
    seen.policy = TestPolicies.with(seen.policy, s -> s.setTlsRpt(TestPolicies.tlsRpt("mailto:tlsrpt@example.com")));
    change.accept(seen);
    return seen.build();
  }

  static Condition condition(MtaStsPolicyStatus status, String type) {
    return ConditionList.find(status.getConditions(), type).orElseThrow();
  }

  static List<PolicyEvent> events(MtaStsPolicyStatus previous, Observations seen) {
    return PolicyEvent.implied(Optional.ofNullable(previous), PolicyStatusCalculator.compute(seen, previous),
        seen.decision().published());
  }

  @Test
  void reportsCleanIsUnknownUntilTheFirstReport() {
    MtaStsPolicyStatus status = PolicyStatusCalculator.compute(seen(o -> { }), null);

    Condition clean = condition(status, ConditionTypes.REPORTS_CLEAN);
    assertThat(clean.getStatus()).isEqualTo("Unknown");
    assertThat(clean.getReason()).isEqualTo("NoReports");
    assertThat(status.getReports()).isNull();
  }

  @Test
  void withoutTlsRptThereIsNoReportsCondition() {
    TestObservations seen = TestObservations.allDone();

    assertThat(ConditionList.find(PolicyStatusCalculator.compute(seen.build(), null).getConditions(),
        ConditionTypes.REPORTS_CLEAN)).isEmpty();
  }

  @Test
  void cleanReportsSayHowManySessionsFromWhom() {
    MtaStsPolicyStatus status = PolicyStatusCalculator.compute(seen(o -> o.reports = List.of(
        report("google.com", YESTERDAY, 1200, 0), report("microsoft.com", NOW, 300, 0))), null);

    Condition clean = condition(status, ConditionTypes.REPORTS_CLEAN);
    assertThat(clean.getStatus()).isEqualTo("True");
    assertThat(clean.getMessage())
        .isEqualTo("2 reports from google.com, microsoft.com in the last 14 days: all 1500 sessions succeeded");
    ReportsSummary summary = status.getReports();
    assertThat(summary.getWindow()).isEqualTo("P14D");
    assertThat(summary.getReports()).isEqualTo(2);
    assertThat(summary.getOrganizations()).containsExactly("google.com", "microsoft.com");
    assertThat(summary.getSuccessfulSessions()).isEqualTo(1500);
    assertThat(summary.getFailedSessions()).isZero();
    assertThat(summary.getFailureRatio()).isEqualTo("0");
    assertThat(summary.getLastReport()).isEqualTo(NOW.toString());
  }

  @Test
  void failuresAreNamedByResultTypeAndMxMostFirst() {
    TlsRptReportSpec mixed = report("google.com", NOW, 990, 10);
    mixed.setResults(List.of(new ReportResult("example.com", "sts", "mx1.example.com", "certificate-expired", 3),
        new ReportResult("example.com", "sts", "mx2.example.com", "starttls-not-supported", 7)));

    MtaStsPolicyStatus status = PolicyStatusCalculator.compute(seen(o -> o.reports = List.of(mixed)), null);

    Condition clean = condition(status, ConditionTypes.REPORTS_CLEAN);
    assertThat(clean.getStatus()).isEqualTo("False");
    assertThat(clean.getReason()).isEqualTo("FailuresReported");
    assertThat(clean.getMessage()).isEqualTo("1 report from google.com in the last 14 days: 10 of 1000 sessions"
        + " failed (0.01): starttls-not-supported at mx2.example.com: 7; certificate-expired at mx1.example.com: 3");
    assertThat(status.getReports().getFailureRatio()).isEqualTo("0.01");
  }

  @Test
  void reportsOlderThanTheWindowAreLeftOut() {
    MtaStsPolicyStatus status = PolicyStatusCalculator.compute(seen(o -> o.reports = List.of(
        report("google.com", NOW.minus(Duration.ofDays(15)), 100, 5), report("google.com", NOW, 100, 0))), null);

    assertThat(status.getReports().getReports()).isEqualTo(1);
    assertThat(condition(status, ConditionTypes.REPORTS_CLEAN).getStatus()).isEqualTo("True");
  }

  /** In testing mode, where reported failures are what the reports are for. */
  static Observations testing(List<TlsRptReportSpec> reports) {
    return seen(o -> {
      o.policy.getSpec().setMode(PolicyMode.TESTING);
      o.reports = reports;
    });
  }

  @Test
  void aNewKindOfFailureIsAWarningOnceNotOnEveryVisit() {
    Observations clean = testing(List.of(report("google.com", YESTERDAY, 100, 0)));
    MtaStsPolicyStatus before = PolicyStatusCalculator.compute(clean, null);
    Observations failing = testing(List.of(report("google.com", YESTERDAY, 100, 0),
        report("google.com", NOW, 90, 10)));

    assertThat(events(before, failing)).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo(PolicyEvent.Reason.NewTlsFailure);
      assertThat(e.reason().type()).isEqualTo("Warning");
      assertThat(e.message()).isEqualTo("senders report a new kind of TLS failure: certificate-expired at"
          + " mx1.example.com: 10 failed sessions in the last 14 days");
    });

    MtaStsPolicyStatus after = PolicyStatusCalculator.compute(failing, before);
    Observations theNextDay = testing(List.of(report("google.com", YESTERDAY, 100, 0),
        report("google.com", NOW, 90, 10), report("microsoft.com", NOW, 50, 4)));
    assertThat(events(after, theNextDay)).isEmpty();
  }

  @Test
  void failuresWhileEnforceIsServedAreAWarning() {
    Observations clean = seen(o -> o.reports = List.of(report("google.com", YESTERDAY, 100, 0)));
    MtaStsPolicyStatus before = PolicyStatusCalculator.compute(clean, null);
    assertThat(before.getEffectiveMode()).isEqualTo("enforce");

    List<PolicyEvent> events = events(before, seen(o -> o.reports = List.of(report("google.com", NOW, 90, 10))));

    assertThat(events).extracting(PolicyEvent::reason)
        .containsExactlyInAnyOrder(PolicyEvent.Reason.NewTlsFailure, PolicyEvent.Reason.FailuresUnderEnforce);
  }

  @Test
  void theRolloutGateSaysWhatItWaitsForAndIsDatedWhenMet() {
    Observations waiting = seen(o -> o.rolloutVerdict = Optional.of(
        new RolloutGate.Verdict(false, "3 of 14 clean days; 1 of 2 organizations; MX TLS: ok")));
    MtaStsPolicyStatus before = PolicyStatusCalculator.compute(waiting, null);

    Condition gate = condition(before, ConditionTypes.ROLLOUT_GATE);
    assertThat(gate.getStatus()).isEqualTo("False");
    assertThat(gate.getReason()).isEqualTo("GateNotMet");
    assertThat(gate.getMessage()).isEqualTo("testing is served until the gate is met: 3 of 14 clean days; 1 of 2"
        + " organizations; MX TLS: ok");
    assertThat(before.getRollout().getPromotedAt()).isNull();

    Observations met = seen(o -> {
      o.rolloutVerdict = Optional.of(new RolloutGate.Verdict(true, "14 of 14 clean days; 2 of 2 organizations"));
      o.now = NOW.plusSeconds(60);
    });
    MtaStsPolicyStatus promoted = PolicyStatusCalculator.compute(met, before);
    assertThat(promoted.getRollout().getGateMet()).isTrue();
    assertThat(promoted.getRollout().getPromotedAt()).isEqualTo(NOW.plusSeconds(60).toString());
    assertThat(condition(promoted, ConditionTypes.ROLLOUT_GATE).getMessage()).isEqualTo("enforce is served since "
        + NOW.plusSeconds(60) + ": 14 of 14 clean days; 2 of 2 organizations");
    assertThat(events(before, met)).extracting(PolicyEvent::reason).contains(PolicyEvent.Reason.RolloutPromoted);

    Observations later = seen(o -> {
      o.rolloutVerdict = Optional.of(new RolloutGate.Verdict(true, "14 of 14 clean days; 2 of 2 organizations"));
      o.now = NOW.plus(Duration.ofDays(2));
    });
    assertThat(PolicyStatusCalculator.compute(later, promoted).getRollout().getPromotedAt())
        .as("kept from the status that first said met").isEqualTo(NOW.plusSeconds(60).toString());
    assertThat(events(promoted, later)).isEmpty();
  }

  @Test
  void anInvalidSpecKeepsTheServedModeTheGateAndTheReportsCondition() {
    Observations promoted = seen(o -> {
      o.reports = List.of(report("google.com", NOW, 100, 0));
      o.rolloutVerdict = Optional.of(new RolloutGate.Verdict(true, "14 of 14 clean days; 2 of 2 organizations"));
    });
    MtaStsPolicyStatus before = PolicyStatusCalculator.compute(promoted, null);

    MtaStsPolicyStatus invalid = PolicyStatusCalculator.compute(seen(o -> {
      o.errors = List.of("spec.mx[0]: \"*.*.example.com\": a wildcard may only replace the leftmost label");
      o.reports = List.of(report("google.com", NOW, 100, 0));
    }), before);

    assertThat(invalid.getEffectiveMode()).isEqualTo("enforce");
    assertThat(invalid.getRollout()).isEqualTo(before.getRollout());
    assertThat(condition(invalid, ConditionTypes.REPORTS_CLEAN).getStatus()).isEqualTo("True");
  }

  @Test
  void anInvalidSpecWithoutReportsBeforeHasNoReportsCondition() {
    MtaStsPolicyStatus before = PolicyStatusCalculator.compute(TestObservations.allDone().build(), null);
    TestObservations invalid = TestObservations.allDone();
    invalid.errors = List.of("spec.maxAge: -1 is below 0");

    assertThat(ConditionList.find(PolicyStatusCalculator.compute(invalid.build(), before).getConditions(),
        ConditionTypes.REPORTS_CLEAN)).isEmpty();
    assertThat(PolicyStatusCalculator.compute(invalid.build(), before).getRollout()).isNull();
  }

  @Test
  void aGateNotMetRecordsNoPromotion() {
    Observations waiting = seen(o -> o.rolloutVerdict = Optional.of(new RolloutGate.Verdict(false, "0 of 14")));

    assertThat(events(null, waiting)).extracting(PolicyEvent::reason)
        .doesNotContain(PolicyEvent.Reason.RolloutPromoted);
  }

  @Test
  void failuresUnderEnforceAreToldOnceAndAgainOnlyAfterAPromotion() {
    List<TlsRptReportSpec> failing = List.of(report("google.com", NOW, 90, 10));
    MtaStsPolicyStatus enforcing = PolicyStatusCalculator.compute(seen(o -> o.reports = failing), null);
    MtaStsPolicyStatus testing = PolicyStatusCalculator.compute(testing(failing), null);

    assertThat(events(enforcing, seen(o -> o.reports = failing))).as("the same failures under enforce again")
        .isEmpty();
    assertThat(events(testing, testing(failing))).isEmpty();
    assertThat(events(testing, seen(o -> o.reports = failing))).as("promoted while the reports show failures")
        .extracting(PolicyEvent::reason).containsExactly(PolicyEvent.Reason.FailuresUnderEnforce);
  }

  @Test
  void reportsOfNoSessionsHaveARatioOfZeroAndEqualFailuresAreOrderedByName() {
    TlsRptReportSpec empty = report("google.com", NOW, 0, 0);
    TlsRptReportSpec even = report("microsoft.com", NOW, 0, 4);
    even.setResults(List.of(new ReportResult("example.com", "sts", "mx2.example.com", "validation-failure", 2),
        new ReportResult("example.com", "sts", "mx1.example.com", "validation-failure", 2)));

    assertThat(ReportsWindow.summarize(List.of(empty), NOW).orElseThrow().getFailureRatio()).isEqualTo("0");
    assertThat(ReportsWindow.summarize(List.of(even), NOW).orElseThrow().getFailures())
        .extracting(ReportResult::getMx).containsExactly("mx1.example.com", "mx2.example.com");
  }
}
