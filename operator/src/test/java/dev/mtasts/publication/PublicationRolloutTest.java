package dev.mtasts.publication;

import static dev.mtasts.testing.TestPolicies.enforce;
import static dev.mtasts.testing.TestPolicies.tlsRpt;
import static dev.mtasts.testing.TestPolicies.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.MtaStsPolicyStatus;
import dev.mtasts.api.v1alpha1.PolicyMode;
import dev.mtasts.api.v1alpha1.RolloutSettings;
import dev.mtasts.api.v1alpha1.RolloutStatus;
import dev.mtasts.rfc.Mode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** spec.rollout in the one decision: testing is served until the gate is met, then enforce, and it stays. */
class PublicationRolloutTest {

  static final RolloutEvidence CLEAN = new RolloutEvidence(
      RolloutGateTest.daily(14, "google.com", "microsoft.com"), RolloutGateTest.PROBED);
  static final RolloutEvidence THREE_DAYS = new RolloutEvidence(
      RolloutGateTest.daily(3, "google.com"), RolloutGateTest.PROBED);

  static MtaStsPolicy gated() {
    return with(enforce("example.com"), s -> {
      s.setTlsRpt(tlsRpt("mailto:tlsrpt@example.com"));
      s.setRollout(new RolloutSettings());
    });
  }

  static Publication.Decision decide(MtaStsPolicy policy, RolloutEvidence evidence) {
    return Publication.decide(policy, Optional.ofNullable(policy.getStatus()), MxObservation.NOT_YET,
        DomainClaims.Claimants.inCluster(List.of(policy)), evidence, false, RolloutGateTest.NOW);
  }

  static Mode served(Publication.Decision decision) {
    return decision.published().orElseThrow().content().policy().mode();
  }

  /** The status the operator wrote after serving {@code decision}. */
  static MtaStsPolicy afterServing(MtaStsPolicy policy, Publication.Decision decision) {
    MtaStsPolicyStatus status = new MtaStsPolicyStatus();
    status.setPolicyId(decision.published().orElseThrow().policyId());
    status.setPolicyHash(decision.published().orElseThrow().content().hash());
    status.setEffectiveMode(served(decision).token());
    decision.rollout().ifPresent(v -> status.setRollout(new RolloutStatus(v.met(), v.message(),
        v.met() ? RolloutGateTest.NOW.toString() : null)));
    policy.setStatus(status);
    return policy;
  }

  @Test
  void servesTestingUntilTheGateIsMet() {
    Publication.Decision decision = decide(gated(), THREE_DAYS);

    assertThat(served(decision)).isEqualTo(Mode.TESTING);
    assertThat(decision.rollout()).get().extracting(RolloutGate.Verdict::met).isEqualTo(false);
    assertThat(decision.rollout().get().message()).startsWith("3 of 14 clean days; 1 of 2 organizations");
  }

  @Test
  void servesEnforceWithANewIdWhenTheGateIsMet() {
    MtaStsPolicy policy = afterServing(gated(), decide(gated(), THREE_DAYS));
    String testingId = policy.getStatus().getPolicyId();
    policy.getStatus().setPolicyId("2026110100000000");

    Publication.Decision promoted = decide(policy, CLEAN);

    assertThat(served(promoted)).isEqualTo(Mode.ENFORCE);
    assertThat(promoted.published().orElseThrow().id().changed()).isTrue();
    assertThat(promoted.published().orElseThrow().policyId()).isNotEqualTo("2026110100000000");
    assertThat(testingId).isNotNull();
  }

  @Test
  void neverDemotesOnItsOwn() {
    MtaStsPolicy policy = afterServing(gated(), decide(gated(), CLEAN));
    String enforceId = policy.getStatus().getPolicyId();

    // The reports then turn bad (and the probe too): still enforce, same id.
    Publication.Decision later = decide(policy, new RolloutEvidence(List.of(
        dev.mtasts.testing.TestObservations.report("google.com", RolloutGateTest.TODAY, 0, 50)),
        RolloutEvidence.MxTlsVerdict.NOT_PROBED));

    assertThat(served(later)).isEqualTo(Mode.ENFORCE);
    assertThat(later.published().orElseThrow().policyId()).isEqualTo(enforceId);
    assertThat(later.rollout()).get().extracting(RolloutGate.Verdict::met).isEqualTo(true);
  }

  @Test
  void anEditToTestingDemotesAndBackToEnforceWaitsForTheGateAgain() {
    MtaStsPolicy policy = afterServing(gated(), decide(gated(), CLEAN));
    policy.getSpec().setMode(PolicyMode.TESTING);
    policy.getSpec().setRollout(null);
    MtaStsPolicy demoted = afterServing(policy, decide(policy, CLEAN));
    assertThat(demoted.getStatus().getEffectiveMode()).isEqualTo("testing");

    demoted.getSpec().setMode(PolicyMode.ENFORCE);
    demoted.getSpec().setRollout(new RolloutSettings());
    Publication.Decision again = decide(demoted, THREE_DAYS);

    assertThat(served(again)).isEqualTo(Mode.TESTING);
  }

  @Test
  void receivingReportsNeedsTheOperatorsReceiver() {
    MtaStsPolicy receiving = with(enforce("example.com"), s -> {
      s.setTlsRpt(new dev.mtasts.api.v1alpha1.TlsReporting());
      s.getTlsRpt().setReceive(true);
    });

    Publication.Decision without = decide(receiving, RolloutEvidence.NONE);
    Publication.Decision with = Publication.decide(receiving, Optional.empty(), MxObservation.NOT_YET,
        DomainClaims.Claimants.inCluster(List.of(receiving)), RolloutEvidence.NONE, true, RolloutGateTest.NOW);

    assertThat(without.errors()).singleElement().asString().startsWith("spec.tlsRpt.receive: the operator receives"
        + " no reports (it runs without --report-receiver-url)");
    assertThat(with.published().orElseThrow().content().tlsRptFor("example.com").orElseThrow().render())
        .isEqualTo("v=TLSRPTv1; rua=https://mta-sts.example.com/tlsrpt");
  }

  @Test
  void withoutARolloutEnforceIsServedAtOnce() {
    MtaStsPolicy policy = enforce("example.com");

    Publication.Decision decision = decide(policy, RolloutEvidence.NONE);

    assertThat(served(decision)).isEqualTo(Mode.ENFORCE);
    assertThat(decision.rollout()).isEmpty();
  }

  @Test
  void theGateWaitsForTime() {
    // The same reports a day later: 14 days are only reached when the clock says so.
    RolloutEvidence thirteenDays = new RolloutEvidence(
        RolloutGateTest.daily(13, "google.com", "microsoft.com"), RolloutGateTest.PROBED);
    assertThat(served(decide(gated(), thirteenDays))).isEqualTo(Mode.TESTING);

    Publication.Decision tomorrow = Publication.decide(gated(), Optional.empty(), MxObservation.NOT_YET,
        DomainClaims.Claimants.inCluster(List.of(gated())), new RolloutEvidence(
            RolloutGateTest.daily(14, "google.com", "microsoft.com"), RolloutGateTest.PROBED), false,
        RolloutGateTest.NOW.plus(Duration.ofHours(1)));
    assertThat(served(tomorrow)).isEqualTo(Mode.ENFORCE);
  }
}
