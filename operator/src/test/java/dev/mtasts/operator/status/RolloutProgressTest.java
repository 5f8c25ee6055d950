package dev.mtasts.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutProgressTest {

  static final String HASH = "abc";

  /** A Deployment of 2 replicas, generation 2, fully rolled out, carrying HASH; tweaked per case. */
  static Deployment deployment(UnaryOperator<DeploymentBuilder> change) {
    DeploymentBuilder builder = new DeploymentBuilder()
        .withNewMetadata().withName("web").withGeneration(2L).endMetadata()
        .withNewSpec().withReplicas(2)
          .withNewTemplate().withNewMetadata().withAnnotations(Map.of("mtasts.dev/policy-hash", HASH)).endMetadata()
          .endTemplate()
        .endSpec()
        .withNewStatus().withObservedGeneration(2L).withReplicas(2).withUpdatedReplicas(2).withAvailableReplicas(2)
          .withReadyReplicas(2)
        .endStatus();
    return change.apply(builder).build();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("rolled out", deployment(b -> b), true,
            "deployment \"web\" successfully rolled out"),
        Arguments.of("spec change not yet observed", deployment(b -> b.editStatus().withObservedGeneration(1L)
            .endStatus()), false, "waiting for deployment spec update to be observed"),
        Arguments.of("new replicas not all updated", deployment(b -> b.editStatus().withUpdatedReplicas(1)
            .endStatus()), false, "waiting for deployment \"web\" rollout to finish: 1 out of 2 new replicas have"
            + " been updated"),
        Arguments.of("old replicas still running, though ready == replicas", deployment(b -> b.editStatus()
            .withReplicas(3).endStatus()), false,
            "waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination"),
        Arguments.of("updated replicas not yet available", deployment(b -> b.editStatus().withAvailableReplicas(1)
            .endStatus()), false,
            "waiting for deployment \"web\" rollout to finish: 1 of 2 updated replicas are available"),
        Arguments.of("template carries another policy", deployment(b -> b.editSpec().editTemplate().editMetadata()
            .withAnnotations(Map.of("mtasts.dev/policy-hash", "old")).endMetadata().endTemplate().endSpec()), false,
            "waiting for deployment \"web\" to carry the current policy"),
        Arguments.of("progress deadline exceeded", deployment(b -> b.editStatus().withUpdatedReplicas(1)
            .withConditions(new DeploymentConditionBuilder().withType("Progressing").withStatus("False")
                .withReason("ProgressDeadlineExceeded").build()).endStatus()), false,
            "deployment \"web\" exceeded its progress deadline"),
        Arguments.of("no status yet", deployment(b -> b.withStatus(null)), false,
            "waiting for deployment spec update to be observed"),
        Arguments.of("not created yet", null, false, "waiting for the policy server Deployment to be created"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decidesAsKubectlRolloutStatus(String description, Deployment deployment, boolean complete, String message) {
    RolloutProgress.State state = RolloutProgress.of(deployment, HASH);

    assertThat(state.message()).isEqualTo(message);
    assertThat(state.complete()).isEqualTo(complete);
  }
}
