package dev.mtasts.operator.status;

import dev.mtasts.desired.PolicyServerDeployment;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the policy server has rolled out the current policy, as {@code kubectl rollout status} decides
 * (pkg/polymorphichelpers/rollout_status.go in kubernetes/kubectl), plus one check of our own: the rolled-out pod
 * template carries the current policy hash. "Ready replicas == replicas" is not enough: it is true mid-rollout,
 * while old pods still serve the old policy.
 */
public final class RolloutProgress {

  /** Done, or what the rollout still waits for, in kubectl's words. */
  public record State(boolean complete, boolean stalled, String message) {
    static State waiting(String message) {
      return new State(false, false, message);
    }
  }

  private RolloutProgress() {}

  public static State of(Deployment deployment, String policyHash) {
    if (deployment == null) {
      return State.waiting("waiting for the policy server Deployment to be created");
    }
    String name = deployment.getMetadata().getName();
    String carried = deployment.getSpec().getTemplate().getMetadata().getAnnotations() == null ? null
        : deployment.getSpec().getTemplate().getMetadata().getAnnotations()
            .get(PolicyServerDeployment.POLICY_HASH_ANNOTATION);
    if (!Objects.equals(carried, policyHash)) {
      return State.waiting("waiting for deployment \"" + name + "\" to carry the current policy");
    }
    return ofTemplate(deployment);
  }

  /**
   * kubectl's check alone: whether the Deployment's current template has rolled out. The shared policy server's
   * template carries no policy; what its pods serve is probed on each of them.
   */
  public static State ofTemplate(Deployment deployment) {
    String name = deployment.getMetadata().getName();
    var status = deployment.getStatus();
    long generation = Optional.ofNullable(deployment.getMetadata().getGeneration()).orElse(0L);
    if (status == null || status.getObservedGeneration() == null || status.getObservedGeneration() < generation) {
      return State.waiting("waiting for deployment spec update to be observed");
    }
    if (status.getConditions() != null) {
      for (DeploymentCondition condition : status.getConditions()) {
        if ("Progressing".equals(condition.getType()) && "ProgressDeadlineExceeded".equals(condition.getReason())) {
          return new State(false, true, "deployment \"" + name + "\" exceeded its progress deadline");
        }
      }
    }
    return replicas(name, deployment);
  }

  /** The last three steps of kubectl's check: new replicas updated, old ones gone, new ones available. */
  private static State replicas(String name, Deployment deployment) {
    var status = deployment.getStatus();
    int desired = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1);
    int updated = Optional.ofNullable(status.getUpdatedReplicas()).orElse(0);
    int replicas = Optional.ofNullable(status.getReplicas()).orElse(0);
    int available = Optional.ofNullable(status.getAvailableReplicas()).orElse(0);
    if (updated < desired) {
      return State.waiting("waiting for deployment \"" + name + "\" rollout to finish: " + updated + " out of "
          + desired + " new replicas have been updated");
    }
    if (replicas > updated) {
      return State.waiting("waiting for deployment \"" + name + "\" rollout to finish: " + (replicas - updated)
          + " old replicas are pending termination");
    }
    if (available < updated) {
      return State.waiting("waiting for deployment \"" + name + "\" rollout to finish: " + available + " of "
          + updated + " updated replicas are available");
    }
    return new State(true, false, "deployment \"" + name + "\" successfully rolled out");
  }
}
