package dev.mtasts.testing.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.testing.ControlPlane;
import dev.mtasts.testing.RunningOperator;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stack survives its control plane crashing: after kube-apiserver is SIGKILLed and started again, then etcd,
 * the policy is still there with its status (etcd's data was kept), and a change still goes all the way to a
 * sender (the controllers, kwok, cert-manager, external-dns and the operator's informers all reconnected by
 * themselves). What a fault-campaign test builds on.
 */
@ExtendWith(RealStackExtension.class)
class ControlPlaneRestartIT {

  static final String DOMAIN = "restart.example.com";
  static final String POLICY = """
      apiVersion: mtasts.dev/v1alpha1
      kind: MtaStsPolicy
      metadata:
        name: restart
      spec:
        domains: [restart.example.com]
        mode: testing
        mx: [%s]
        maxAge: 86400
      """;

  @Test
  void aPolicyKeepsItsStatusAndChangesReachSendersAfterApiServerAndEtcdRestarts(RealStack stack) {
    StackPolicies policies = new StackPolicies(stack, "restart");
    ControlPlane controlPlane = stack.controlPlane();
    try (RunningOperator operator = policies.startOperator()) {
      MtaStsPolicy published = seenBySenders(policies, policies.awaitReady(
          policies.apply(POLICY.formatted("mx1.restart.example.com")), Duration.ofMinutes(3)));

      Duration apiServerRestart = controlPlane.restartApiServer();
      assertKept(policies, published);
      published = change(policies, published, "mx1.restart.example.com, mx2.restart.example.com");

      Duration etcdRestart = controlPlane.restartEtcd();
      assertKept(policies, published);
      change(policies, published, "mx1.restart.example.com, mx2.restart.example.com, mx3.restart.example.com");

      System.out.printf("ControlPlaneRestartIT: kube-apiserver SIGKILL to /readyz ok %d ms; etcd SIGKILL to etcd"
          + " healthy and /readyz ok %d ms%n", apiServerRestart.toMillis(), etcdRestart.toMillis());
    }
  }

  /** The policy as it was before the restart: the same object, the same published id, Ready never flipped. */
  private static void assertKept(StackPolicies policies, MtaStsPolicy before) {
    MtaStsPolicy after = policies.awaitReady(before, Duration.ofSeconds(30));
    assertThat(after.getMetadata().getUid()).as("uid").isEqualTo(before.getMetadata().getUid());
    assertThat(after.getMetadata().getGeneration()).as("generation").isEqualTo(before.getMetadata().getGeneration());
    assertThat(after.getStatus().getPolicyId()).as("status.policyId").isEqualTo(before.getStatus().getPolicyId());
    assertThat(after.getStatus().getPolicyHash()).as("status.policyHash")
        .isEqualTo(before.getStatus().getPolicyHash());
    assertThat(StackPolicies.condition(after, "Ready").orElseThrow().getLastTransitionTime())
        .as("Ready's lastTransitionTime")
        .isEqualTo(StackPolicies.condition(before, "Ready").orElseThrow().getLastTransitionTime());
  }

  /** Applies the policy with these MX hosts and waits until a sender finds the new id and policy. */
  private static MtaStsPolicy change(StackPolicies policies, MtaStsPolicy before, String mx) {
    policies.apply(POLICY.formatted(mx));
    return seenBySenders(policies, policies.awaitReady(
        policies.awaitNewId("restart", before.getStatus().getPolicyId(), Duration.ofMinutes(3)),
        Duration.ofMinutes(3)));
  }

  private static MtaStsPolicy seenBySenders(StackPolicies policies, MtaStsPolicy ready) {
    policies.awaitSenderSees(DOMAIN, ready.getStatus().getPolicyId(), ready.getStatus().getPolicyHash(),
        Duration.ofMinutes(1));
    return ready;
  }
}
