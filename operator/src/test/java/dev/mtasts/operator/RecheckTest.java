package dev.mtasts.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicyStatus;
import dev.mtasts.operator.status.PolicyStatusCalculator;
import dev.mtasts.operator.status.ServedPolicy;
import dev.mtasts.operator.status.ServedPolicy.Outcome;
import dev.mtasts.publication.DomainConflict;
import dev.mtasts.publication.Publication;
import dev.mtasts.publication.PublishedPolicy;
import dev.mtasts.testing.TestObservations;
import dev.mtasts.testing.TestPolicies;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the reconciler looks again though no watched object changes. */
class RecheckTest {

  static final PublishedPolicy PUBLISHED = TestPolicies.published(TestPolicies.enforce("example.com"),
      "20261201000000");
  static final Publication.Decision DECIDED = new Publication.Decision(List.of(), Optional.of(PUBLISHED),
      Optional.empty());
  static final MtaStsPolicyStatus SETTLED = PolicyStatusCalculator.compute(TestObservations.allDone().build(), null);

  @Test
  void aServiceThatDoesNotServeThePolicyYetIsAskedAgainSoon() {
    assertThat(MtaStsPolicyReconciler.recheck(DECIDED,
        Optional.of(new ServedPolicy(Outcome.WRONG_POLICY, "an old pod answered")), SETTLED))
        .contains(MtaStsPolicyReconciler.SERVED_RECHECK);
  }

  @Test
  void aServedOrUnreachablePolicyNeedsNoRecheck() {
    assertThat(MtaStsPolicyReconciler.recheck(DECIDED, Optional.of(new ServedPolicy(Outcome.SERVED, "ok")), SETTLED))
        .isEmpty();
    assertThat(MtaStsPolicyReconciler.recheck(DECIDED, Optional.of(new ServedPolicy(Outcome.UNREACHABLE, "x")), SETTLED))
        .isEmpty();
    assertThat(MtaStsPolicyReconciler.recheck(DECIDED, Optional.empty(), SETTLED)).isEmpty();
  }

  @Test
  void recordsThatDnsDoesNotAnswerYetAreLookedAtAgainSoThatThePublishTimeoutCanPass() {
    TestObservations waiting = TestObservations.allDone();
    waiting.dns = p -> TestObservations.answering(p, "v=STSv1", null);
    assertThat(MtaStsPolicyReconciler.recheck(DECIDED, Optional.empty(),
        PolicyStatusCalculator.compute(waiting.build(), null))).contains(MtaStsPolicyReconciler.DNS_RECHECK);
  }

  @Test
  void aLostDomainIsLookedAtAgainLater() {
    PublishedPolicy conflicted = new PublishedPolicy(PUBLISHED.content(), PUBLISHED.id(), List.of(),
        List.of(new DomainConflict("example.com", "mail/older")));
    assertThat(MtaStsPolicyReconciler.recheck(new Publication.Decision(List.of(), Optional.of(conflicted),
        Optional.empty()), Optional.empty(), SETTLED)).contains(MtaStsPolicyReconciler.CONFLICT_RECHECK);
  }
}
