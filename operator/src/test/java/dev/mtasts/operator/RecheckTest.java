package dev.mtasts.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.operator.status.ServedPolicy;
import dev.mtasts.operator.status.ServedPolicy.Outcome;
import dev.mtasts.publication.DomainConflict;
import dev.mtasts.publication.Publication;
import dev.mtasts.publication.PublishedPolicy;
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

  @Test
  void aServiceThatDoesNotServeThePolicyYetIsAskedAgainSoon() {
    assertThat(MtaStsPolicyReconciler.recheck(DECIDED,
        Optional.of(new ServedPolicy(Outcome.WRONG_POLICY, "an old pod answered"))))
        .contains(MtaStsPolicyReconciler.SERVED_RECHECK);
  }

  @Test
  void aServedOrUnreachablePolicyNeedsNoRecheck() {
    assertThat(MtaStsPolicyReconciler.recheck(DECIDED, Optional.of(new ServedPolicy(Outcome.SERVED, "ok"))))
        .isEmpty();
    assertThat(MtaStsPolicyReconciler.recheck(DECIDED, Optional.of(new ServedPolicy(Outcome.UNREACHABLE, "x"))))
        .isEmpty();
    assertThat(MtaStsPolicyReconciler.recheck(DECIDED, Optional.empty())).isEmpty();
  }

  @Test
  void aLostDomainIsLookedAtAgainLater() {
    PublishedPolicy conflicted = new PublishedPolicy(PUBLISHED.content(), PUBLISHED.id(), List.of(),
        List.of(new DomainConflict("example.com", "mail/older")));
    assertThat(MtaStsPolicyReconciler.recheck(new Publication.Decision(List.of(), Optional.of(conflicted),
        Optional.empty()), Optional.empty())).contains(MtaStsPolicyReconciler.CONFLICT_RECHECK);
  }
}
