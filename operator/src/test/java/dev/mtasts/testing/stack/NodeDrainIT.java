package dev.mtasts.testing.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.PolicyServerDeployment;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Both of the stack's nodes run policy servers: with the second node cordoned the policy server lands on the first,
 * and draining the first moves it to the second, where senders find the same policy again. A drain that a
 * PodDisruptionBudget refuses leaves the pods running.
 */
@ExtendWith(RealStackExtension.class)
class NodeDrainIT {

  static final String NAMESPACE = "drain";
  static final String DOMAIN = "drain.example.com";
  static final String POLICY = """
      apiVersion: mtasts.dev/v1alpha1
      kind: MtaStsPolicy
      metadata:
        name: drain
      spec:
        domains: [drain.example.com]
        mode: testing
        mx: [mx1.drain.example.com]
        maxAge: 86400
      """;

  @Test
  void aDrainedNodesPolicyServerComesBackOnTheOtherNode(RealStack stack) {
    StackPolicies policies = new StackPolicies(stack, NAMESPACE);
    try (var operator = policies.startOperator()) {
      stack.cordon(RealStack.SECOND_NODE, true);
      MtaStsPolicy ready = policies.awaitReady(policies.apply(POLICY), Duration.ofMinutes(3));
      String id = ready.getStatus().getPolicyId();
      String hash = ready.getStatus().getPolicyHash();
      policies.awaitSenderSees(DOMAIN, id, hash, Duration.ofMinutes(1));
      int replicas = readyPods(stack).size();
      assertThat(readyPods(stack)).extracting(p -> p.getSpec().getNodeName()).containsOnly(RealStack.FIRST_NODE);

      stack.uncordon(RealStack.SECOND_NODE);
      RealStack.Drain drain = stack.drain(RealStack.FIRST_NODE);

      assertThat(drain.complete()).as("drain of %s: %s", RealStack.FIRST_NODE, drain).isTrue();
      assertThat(drain.evicted()).anyMatch(pod -> pod.startsWith(NAMESPACE + "/"));
      await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(readyPods(stack))
          .extracting(p -> p.getSpec().getNodeName()).hasSize(replicas).containsOnly(RealStack.SECOND_NODE));
      policies.awaitSenderSees(DOMAIN, id, hash, Duration.ofMinutes(1));
      assertThat(stack.kubelet(RealStack.SECOND_NODE).runningContainers()).isGreaterThanOrEqualTo(replicas);

      // A budget that allows no disruption: the Eviction API answers 429, and the drain keeps asking until its time
      // is up, leaving the pods where they are.
      var selector = stack.client().apps().deployments().inNamespace(NAMESPACE).list().getItems().get(0).getSpec()
          .getSelector();
      stack.client().policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).resource(
          new PodDisruptionBudgetBuilder().withNewMetadata().withName("keep-all").endMetadata()
              .withNewSpec().withMinAvailable(new IntOrString(replicas)).withSelector(selector).endSpec().build())
          .create();
      RealStack.Drain refused = stack.drain(RealStack.SECOND_NODE, Duration.ofSeconds(5));
      assertThat(refused.refused()).as("refusals in %s", refused).isPositive();
      // The stack is shared: other classes' pods on the node are evicted, ours stay.
      assertThat(refused.evicted()).noneMatch(pod -> pod.startsWith(NAMESPACE + "/"));
      assertThat(refused.remaining()).filteredOn(pod -> pod.startsWith(NAMESPACE + "/")).hasSize(replicas);
      assertThat(readyPods(stack)).hasSize(replicas);
      System.out.printf("NodeDrainIT: %s; %s%n", drain, refused);
    } finally {
      stack.client().policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).withName("keep-all").delete();
      RealStack.NODES.forEach(stack::uncordon);
    }
  }

  private static List<Pod> readyPods(RealStack stack) {
    return stack.client().pods().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions()
            .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
        .filter(p -> p.getSpec().getContainers().get(0).getPorts().stream()
            .anyMatch(port -> port.getContainerPort() == PolicyServerDeployment.HTTP_PORT))
        .toList();
  }
}
