package dev.mtasts.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.TestDaemon;
import dev.mtasts.testing.stack.RealStack;
import dev.mtasts.testing.stack.RealStackExtension;
import dev.mtasts.testing.stack.SenderView;
import dev.mtasts.testing.stack.StackPolicies;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Changes senders cannot see keep the id: more policy server replicas, another Ingress annotation, a new TTL of
 * the records. Each is applied and seen through (the pods roll out, the Ingress carries the annotation, DNS
 * answers the new TTL) while a sender reads DNS every 50 ms, and the id in DNS never changes.
 */
@ExtendWith(RealStackExtension.class)
class UnseenChangesIT {

  static final String DOMAIN = "unseen.example.com";
  static final String POLICY = """
      apiVersion: mtasts.dev/v1alpha1
      kind: MtaStsPolicy
      metadata:
        name: unseen
      spec:
        domains: [unseen.example.com]
        mode: enforce
        mx: [mx1.unseen.example.com]
        maxAge: 86400
      """;
  static final Duration TIMEOUT = Duration.ofMinutes(2);

  @Test
  void replicasIngressAnnotationsAndTtlKeepTheId(RealStack stack) {
    StackPolicies policies = new StackPolicies(stack, "unseen");
    var client = stack.client();
    try (RunningOperator operator = policies.startOperator()) {
      MtaStsPolicy first = policies.awaitReady(policies.apply(POLICY), Duration.ofMinutes(3));
      String id = first.getStatus().getPolicyId();
      policies.awaitSenderSees(DOMAIN, id, first.getStatus().getPolicyHash(), Duration.ofMinutes(1));

      List<SenderView.Sample> samples;
      try (SenderView.Recording recording = stack.senderView(DOMAIN).every(Duration.ofMillis(50))) {
        policies.awaitReady(policies.apply(POLICY + "  server: {replicas: 3}\n"), TIMEOUT);
        TestDaemon.waitUntil(TIMEOUT, () -> Integer.valueOf(3).equals(client.apps().deployments()
            .inNamespace("unseen").withName(ObjectNames.policyServer(first)).get().getStatus().getReadyReplicas()),
            () -> "the policy server did not scale to 3 ready replicas");

        policies.awaitReady(policies.apply(POLICY + "  server: {replicas: 3}\n"
            + "  ingress: {annotations: {example.com/team: mail}}\n"), TIMEOUT);
        TestDaemon.waitUntil(TIMEOUT, () -> "mail".equals(client.network().v1().ingresses().inNamespace("unseen")
            .withName(ObjectNames.ingress(first)).get().getMetadata().getAnnotations().get("example.com/team")),
            () -> "the Ingress did not get the annotation");

        policies.awaitReady(policies.apply(POLICY + "  server: {replicas: 3}\n"
            + "  ingress: {annotations: {example.com/team: mail}}\n  dns: {ttl: 120}\n"), TIMEOUT);
        SenderView view = stack.senderView(DOMAIN);
        TestDaemon.waitUntil(TIMEOUT, () -> view.sample().stsTtl() == 120,
            () -> "DNS does not answer the new TTL: " + view.sample());
        // The recording must cover the whole window: from before the first edit until DNS has the last one.
        TestDaemon.waitUntil(TIMEOUT, () -> recording.samples().stream().anyMatch(s -> s.stsTtl() == 120),
            () -> "the sender's recording never saw the new TTL");
        samples = recording.samples();
      }
      assertThat(policies.get("unseen").getStatus().getPolicyId()).isEqualTo(id);
      // How many samples fit in depends on how fast the edits go; what matters is that they span them all.
      assertThat(samples.get(0).stsTtl()).as("the first sample, before the edits").isEqualTo(300);
      assertThat(samples.get(samples.size() - 1).stsTtl()).as("the last sample, after them").isEqualTo(120);
      assertThat(samples).as("every id a sender saw").allMatch(s -> s.id().equals(Optional.of(id)));
      assertThat(SenderView.idChanges(samples)).isZero();
    }
  }
}
