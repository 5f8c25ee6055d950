package dev.mtasts.operator.condition;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.operator.dependent.WorkflowInputs;
import dev.mtasts.operator.status.ServedPolicy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The gate of the TXT records: the server the policy asks for has rolled out what serves the current policy, and
 * the reconciler's fetch found it served. Its own server: the pods carrying the policy hash are all updated and
 * available, no old pod left, and the fetch through the Service got no other policy (unreachable from outside the
 * cluster: the rollout alone decides). The shared server: its rollout holds the policy's hosts, and every ready
 * endpoint answered the current policy for each of them.
 */
public class PolicyServedByItsServer implements Condition<Deployment, MtaStsPolicy> {

  @Override
  public boolean isMet(DependentResource<Deployment, MtaStsPolicy> dependent, MtaStsPolicy policy,
      Context<MtaStsPolicy> context) {
    WorkflowInputs inputs = WorkflowInputs.of(context);
    return inputs.rollout().complete() && inputs.served().map(ServedPolicy::allowsPublication).orElse(false);
  }
}
