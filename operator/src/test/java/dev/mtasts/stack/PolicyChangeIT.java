package dev.mtasts.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.stack.RealStack;
import dev.mtasts.testing.stack.RealStackExtension;
import dev.mtasts.testing.stack.SenderView;
import dev.mtasts.testing.stack.StackPolicies;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The order the operator promises, watched from outside while every real component acts: a sender reading DNS and
 * the public URL every 50 ms through a policy change never finds the new id while the URL still serves the old
 * policy, and the id in DNS changes exactly once.
 */
@ExtendWith(RealStackExtension.class)
class PolicyChangeIT {

  static final String DOMAIN = "change.example.com";
  static final String POLICY = """
      apiVersion: mtasts.dev/v1alpha1
      kind: MtaStsPolicy
      metadata:
        name: change
      spec:
        domains: [change.example.com]
        mode: testing
        mx: [%s]
        maxAge: 86400
      """;

  @Test
  void theNewIdReachesDnsOnlyAfterTheNewPolicyIsServed(RealStack stack) {
    StackPolicies policies = new StackPolicies(stack, "change");
    try (RunningOperator operator = policies.startOperator()) {
      MtaStsPolicy first = policies.awaitReady(policies.apply(POLICY.formatted("mx1.change.example.com")),
          Duration.ofMinutes(3));
      String oldId = first.getStatus().getPolicyId();
      String oldHash = first.getStatus().getPolicyHash();
      policies.awaitSenderSees(DOMAIN, oldId, oldHash, Duration.ofMinutes(1));

      List<SenderView.Sample> samples;
      MtaStsPolicy second;
      try (SenderView.Recording recording = stack.senderView(DOMAIN).every(Duration.ofMillis(50))) {
        policies.apply(POLICY.formatted("mx1.change.example.com, mx2.change.example.com"));
        second = policies.awaitReady(policies.awaitNewId("change", oldId, Duration.ofMinutes(3)),
            Duration.ofMinutes(3));
        policies.awaitSenderSees(DOMAIN, second.getStatus().getPolicyId(), second.getStatus().getPolicyHash(),
            Duration.ofMinutes(1));
        samples = recording.samples();
      }
      String newId = second.getStatus().getPolicyId();
      assertThat(newId).isNotEqualTo(oldId);
      assertThat(samples).as("samples in which DNS names the new id while the URL serves the old policy")
          .noneMatch(s -> s.id().filter(newId::equals).isPresent()
              && s.policyHash().filter(oldHash::equals).isPresent());
      assertThat(SenderView.idChanges(samples)).as("changes of the id in DNS").isEqualTo(1);
      assertThat(SenderView.idsInOrder(samples)).containsExactly(oldId, newId);
      assertThat(samples.size()).as("samples taken").isGreaterThan(20);
    }
  }
}
