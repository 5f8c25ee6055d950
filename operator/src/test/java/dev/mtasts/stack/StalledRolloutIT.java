package dev.mtasts.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.stack.RealStack;
import dev.mtasts.testing.stack.RealStackExtension;
import dev.mtasts.testing.stack.SenderView;
import dev.mtasts.testing.stack.StackPolicies;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A rollout that cannot finish: the new policy comes with an image the node does not have, so the new pod never
 * becomes Ready (the kubelet stand-in runs only images it has, as a real node pulls only those it can). The
 * Deployment controller reports ProgressDeadlineExceeded, the operator says RolloutStalled, and all the while a
 * sender keeps finding the old id and the old policy. Fixing the image lets the change through.
 */
@ExtendWith(RealStackExtension.class)
class StalledRolloutIT {

  static final String DOMAIN = "stalled.example.com";
  static final String POLICY = """
      apiVersion: mtasts.dev/v1alpha1
      kind: MtaStsPolicy
      metadata:
        name: stalled
      spec:
        domains: [stalled.example.com]
        mode: enforce
        mx: [%s]
        maxAge: 86400
      """;
  static final String MISSING_IMAGE = "\n  server: {image: \"nginxinc/nginx-unprivileged:no-such-tag\"}\n";

  @Test
  void theOldIdStaysWhileTheRolloutIsStalled(RealStack stack) {
    StackPolicies policies = new StackPolicies(stack, "stalled");
    try (RunningOperator operator = policies.startOperator()) {
      MtaStsPolicy first = policies.awaitReady(policies.apply(POLICY.formatted("mx1.stalled.example.com")),
          Duration.ofMinutes(3));
      String oldId = first.getStatus().getPolicyId();
      String oldHash = first.getStatus().getPolicyHash();
      policies.awaitSenderSees(DOMAIN, oldId, oldHash, Duration.ofMinutes(1));
      // Kubernetes waits 600 s before it calls a rollout stalled; a cluster admin's patch makes that 5 s here.
      // The operator does not set the field, so its server-side apply leaves the patch alone.
      stack.client().apps().deployments().inNamespace("stalled").withName(ObjectNames.policyServer(first))
          .edit(d -> new DeploymentBuilder(d).editSpec().withProgressDeadlineSeconds(5).endSpec().build());

      List<SenderView.Sample> samples;
      try (SenderView.Recording recording = stack.senderView(DOMAIN).every(Duration.ofMillis(50))) {
        policies.apply(POLICY.formatted("mx1.stalled.example.com, mx2.stalled.example.com").stripTrailing()
            + MISSING_IMAGE);
        MtaStsPolicy stalled = policies.awaitReason("stalled", "PolicyServed", "RolloutStalled", Duration.ofMinutes(2));
        assertThat(StackPolicies.condition(stalled, "Ready").map(c -> c.getStatus())).contains("False");
        // Status already holds the id allocated to the new policy; the DNSEndpoint waits for the rollout.
        assertThat(StackPolicies.condition(stalled, "DnsPublished").map(c -> c.getStatus())).contains("False");
        samples = recording.samples();
      }
      assertThat(samples).as("samples taken").hasSizeGreaterThan(20);
      assertThat(samples).as("what a sender found during the stalled rollout")
          .allMatch(s -> s.id().equals(Optional.of(oldId)) && s.policyHash().equals(Optional.of(oldHash)));

      policies.apply(POLICY.formatted("mx1.stalled.example.com, mx2.stalled.example.com"));
      MtaStsPolicy fixed = policies.awaitReady(policies.awaitNewId("stalled", oldId, Duration.ofMinutes(2)),
          Duration.ofMinutes(2));
      assertThat(fixed.getStatus().getPolicyId()).isNotEqualTo(oldId);
    }
  }
}
