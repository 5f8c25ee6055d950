package dev.mtasts.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.operator.MtaStsOperator;
import dev.mtasts.testing.TestDaemon;
import dev.mtasts.testing.stack.EndpointsServedPolicyCheck;
import dev.mtasts.testing.stack.RealStack;
import dev.mtasts.testing.stack.RealStackExtension;
import dev.mtasts.testing.stack.SenderView;
import dev.mtasts.testing.stack.StackPolicies;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two operator replicas sharing a real Lease while every component runs: when the leader stops, the other takes
 * the Lease, takes up the published state from status, and the id in DNS stays the same throughout; a change after
 * the failover still reaches senders, once.
 */
@ExtendWith(RealStackExtension.class)
class LeaderFailoverIT {

  static final String NAMESPACE = "failover";
  static final String DOMAIN = "failover.example.com";
  static final String POLICY = """
      apiVersion: mtasts.dev/v1alpha1
      kind: MtaStsPolicy
      metadata:
        name: failover
      spec:
        domains: [failover.example.com]
        mode: enforce
        mx: [%s]
        maxAge: 86400
      """;

  @Test
  void theIdSurvivesTheLeaderStopping(RealStack stack) throws Exception {
    StackPolicies policies = new StackPolicies(stack, NAMESPACE);
    MtaStsOperator first = replica(stack, "replica-a");
    MtaStsOperator second = replica(stack, "replica-b");
    try {
      first.start();
      TestDaemon.waitUntil(Duration.ofMinutes(1), () -> holder(stack.client()).equals("replica-a"),
          () -> "replica-a did not take the Lease");
      second.start();
      MtaStsPolicy ready = policies.awaitReady(policies.apply(POLICY.formatted("mx1.failover.example.com")),
          Duration.ofMinutes(3));
      String id = ready.getStatus().getPolicyId();
      policies.awaitSenderSees(DOMAIN, id, ready.getStatus().getPolicyHash(), Duration.ofMinutes(1));

      List<SenderView.Sample> samples;
      try (SenderView.Recording recording = stack.senderView(DOMAIN).every(Duration.ofMillis(50))) {
        first.close();
        TestDaemon.waitUntil(Duration.ofMinutes(1), () -> holder(stack.client()).equals("replica-b"),
            () -> "replica-b did not take the Lease over");
        // The new leader reconciles everything on start; give it a change to act on, too.
        policies.apply(POLICY.formatted("mx1.failover.example.com, mx2.failover.example.com"));
        MtaStsPolicy changed = policies.awaitReady(policies.awaitNewId("failover", id, Duration.ofMinutes(2)),
            Duration.ofMinutes(2));
        policies.awaitSenderSees(DOMAIN, changed.getStatus().getPolicyId(), changed.getStatus().getPolicyHash(),
            Duration.ofMinutes(1));
        samples = recording.samples();
      }
      assertThat(SenderView.idsInOrder(samples)).as("ids DNS answered through the failover and the change")
          .hasSize(2).startsWith(id);
      assertThat(SenderView.idChanges(samples)).isEqualTo(1);
    } finally {
      first.close();
      second.close();
    }
  }

  static MtaStsOperator replica(RealStack stack, String identity) {
    KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(stack.cluster().kubeconfigYaml())).build();
    return new MtaStsOperator(client, new MtaStsOperator.Options(RealStack.operatorSettings(), Set.of(NAMESPACE),
        Optional.of(new MtaStsOperator.LeaderElection("mta-sts-operator", NAMESPACE, identity, false)), -1, -1,
        Optional.empty(), Optional.of(stack.dnsCheck())), new EndpointsServedPolicyCheck(client), Clock.systemUTC());
  }

  static String holder(KubernetesClient client) {
    Lease lease = client.leases().inNamespace(NAMESPACE).withName("mta-sts-operator").get();
    return lease == null || lease.getSpec().getHolderIdentity() == null ? "" : lease.getSpec().getHolderIdentity();
  }
}
