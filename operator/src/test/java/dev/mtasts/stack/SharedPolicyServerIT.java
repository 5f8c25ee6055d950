package dev.mtasts.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.ServerMode;
import dev.mtasts.desired.SharedPolicyServer;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.stack.RealStack;
import dev.mtasts.testing.stack.RealStackExtension;
import dev.mtasts.testing.stack.SenderView;
import dev.mtasts.testing.stack.StackPolicies;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two policies of one namespace served by its shared policy server, watched by senders of both domains every
 * 50 ms through what a platform team does: a change of one (its new id only once the policy is served, the other's
 * id unmoved), a node drain in the middle of a change (evicted pods one at a time, the host served throughout),
 * the other one's deletion, a switch to a server of its own and back (served throughout, the id unchanged), and
 * the last one's deletion, which takes the shared server with it.
 */
@ExtendWith(RealStackExtension.class)
class SharedPolicyServerIT {

  static final String NAMESPACE = "shared";
  static final String A = "shared-a.example.com";
  static final String B = "shared-b.example.org";
  static final String POLICY = """
      apiVersion: mtasts.dev/v1alpha1
      kind: MtaStsPolicy
      metadata:
        name: %s
      spec:
        domains: [%s]
        mode: testing
        mx: [%s]
        maxAge: 86400%s
      """;

  static String policy(String name, String domain, String mx, String server) {
    return POLICY.formatted(name, domain, mx, server.isEmpty() ? "" : "\n  server: {mode: " + server + "}");
  }

  @Test
  void servesEveryPolicyOfTheNamespaceFromOneServerInTheSafeOrder(RealStack stack) throws Exception {
    StackPolicies policies = new StackPolicies(stack, NAMESPACE);
    KubernetesClient client = stack.client();
    try (RunningOperator operator = policies.startOperator(
        RealStack.operatorSettings().withServerMode(ServerMode.SHARED), RealStack.DNS_PUBLISH_TIMEOUT)) {
      MtaStsPolicy a = policies.awaitReady(policies.apply(policy("a", A, "mx1." + A, "")), Duration.ofMinutes(3));
      MtaStsPolicy b = policies.awaitReady(policies.apply(policy("b", B, "mx1." + B, "")), Duration.ofMinutes(3));
      policies.awaitSenderSees(A, a.getStatus().getPolicyId(), a.getStatus().getPolicyHash(), Duration.ofMinutes(1));
      policies.awaitSenderSees(B, b.getStatus().getPolicyId(), b.getStatus().getPolicyHash(), Duration.ofMinutes(1));
      assertThat(serverPods(client)).as("the namespace's policy server pods, one on each node").hasSize(2)
          .extracting(p -> p.getSpec().getNodeName()).doesNotHaveDuplicates();
      assertThat(client.apps().deployments().inNamespace(NAMESPACE).list().getItems())
          .extracting(d -> d.getMetadata().getName()).containsExactly(SharedPolicyServer.NAME);

      // A change of A, then one more with a node drained in its middle.
      String bId = b.getStatus().getPolicyId();
      for (boolean drain : List.of(false, true)) {
        String oldId = a.getStatus().getPolicyId();
        String oldHash = a.getStatus().getPolicyHash();
        try (SenderView.Recording atA = stack.senderView(A).every(Duration.ofMillis(50));
            SenderView.Recording atB = stack.senderView(B).every(Duration.ofMillis(50))) {
          policies.apply(policy("a", A, "mx1." + A + (drain ? ", mx3." + A : ", mx2." + A), ""));
          RealStack.Drain drained = drain ? stack.drain(serverPods(client).get(0).getSpec().getNodeName()) : null;
          a = policies.awaitReady(policies.awaitNewId("a", oldId, Duration.ofMinutes(3)), Duration.ofMinutes(3));
          policies.awaitSenderSees(A, a.getStatus().getPolicyId(), a.getStatus().getPolicyHash(),
              Duration.ofMinutes(1));
          String newId = a.getStatus().getPolicyId();
          List<SenderView.Sample> samples = atA.samples();
          if (drained != null) {
            stack.uncordon(drained.node());
            assertThat(drained.complete()).as("drain of %s: %s", drained.node(), drained).isTrue();
            assertThat(serverPods(client)).as("the policy server after the drain").hasSize(2)
                .allMatch(p -> !drained.node().equals(p.getSpec().getNodeName()));
          }
          assertThat(samples).as("samples of %s in which DNS names the new id while the URL serves the old policy",
              A).noneMatch(s -> s.id().filter(newId::equals).isPresent()
                  && s.policyHash().filter(oldHash::equals).isPresent());
          assertThat(samples).as("samples of %s in which the URL served no policy", A)
              .allMatch(s -> s.policyHash().isPresent());
          assertThat(SenderView.idsInOrder(samples)).containsExactly(oldId, newId);
          assertThat(SenderView.idsInOrder(atB.samples())).as("%s's id while %s changed", B, A)
              .containsExactly(bId);
          assertThat(atB.samples()).allMatch(s -> s.policyHash().isPresent());
        }
      }

      // B deleted: A is still served, from the same server.
      try (SenderView.Recording atA = stack.senderView(A).every(Duration.ofMillis(50))) {
        client.resources(MtaStsPolicy.class).inNamespace(NAMESPACE).withName("b").delete();
        await().atMost(Duration.ofMinutes(2)).until(() -> projectedPolicies(client).equals(List.of("a-policy")));
        String id = a.getStatus().getPolicyId();
        String hash = a.getStatus().getPolicyHash();
        policies.awaitSenderSees(A, id, hash, Duration.ofMinutes(1));
        assertThat(atA.samples()).as("%s while %s was deleted", A, B)
            .allMatch(s -> s.policyHash().filter(hash::equals).isPresent() && s.id().filter(id::equals).isPresent());
      }

      // A hand scale of the shared server (kubectl scale, through the scale subresource) is undone.
      client.apps().deployments().inNamespace(NAMESPACE).withName(SharedPolicyServer.NAME).scale(1);
      await("the shared server back at 2 replicas").atMost(Duration.ofMinutes(1)).until(() -> client.apps()
          .deployments().inNamespace(NAMESPACE).withName(SharedPolicyServer.NAME).get().getSpec().getReplicas() == 2
          && serverPods(client).size() == 2);

      // A switched to a server of its own and back: served all along, the same id.
      for (String mode : List.of("Dedicated", "Shared")) {
        String id = a.getStatus().getPolicyId();
        String hash = a.getStatus().getPolicyHash();
        String backend = mode.equals("Dedicated") ? "a-policy-server" : SharedPolicyServer.NAME;
        String left = mode.equals("Dedicated") ? SharedPolicyServer.NAME : "a-policy-server";
        try (SenderView.Recording atA = stack.senderView(A).every(Duration.ofMillis(50))) {
          policies.apply(policy("a", A, "mx1." + A + ", mx3." + A, mode));
          await().atMost(Duration.ofMinutes(3)).until(() -> routedTo(client).equals(backend)
              && client.apps().deployments().inNamespace(NAMESPACE).withName(left).get() == null);
          a = policies.awaitReady(policies.get("a"), Duration.ofMinutes(1));
          assertThat(a.getStatus().getPolicyId()).as("the id after the switch to %s", mode).isEqualTo(id);
          policies.awaitSenderSees(A, id, hash, Duration.ofMinutes(1));
          // A switch may take under a second here (kwok's pods start at once): as many samples as it lasted.
          assertThat(atA.samples()).as("%s during the switch to %s", A, mode)
              .isNotEmpty()
              .allMatch(s -> s.policyHash().filter(hash::equals).isPresent() && s.id().filter(id::equals).isPresent());
        }
      }

      // The last member deleted: Kubernetes removes the shared server with it (every member owns it).
      client.resources(MtaStsPolicy.class).inNamespace(NAMESPACE).withName("a").delete();
      await().atMost(Duration.ofMinutes(2)).until(() -> List.of(Deployment.class, io.fabric8.kubernetes.api.model
          .Service.class, io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class,
          io.fabric8.kubernetes.api.model.ConfigMap.class).stream().allMatch(kind -> client.resources(kind)
              .inNamespace(NAMESPACE).withName(SharedPolicyServer.NAME).get() == null));
    }
  }

  static List<Pod> serverPods(KubernetesClient client) {
    return client.pods().inNamespace(NAMESPACE).withLabels(SharedPolicyServer.selector()).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions()
            .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
        .toList();
  }

  static List<String> projectedPolicies(KubernetesClient client) {
    Deployment server = client.apps().deployments().inNamespace(NAMESPACE).withName(SharedPolicyServer.NAME).get();
    return server == null ? List.of() : server.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getProjected() != null).flatMap(v -> v.getProjected().getSources().stream())
        .map(s -> s.getConfigMap().getName()).toList();
  }

  static String routedTo(KubernetesClient client) {
    Ingress ingress = client.network().v1().ingresses().inNamespace(NAMESPACE).withName("a-policy").get();
    return ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getName();
  }
}
