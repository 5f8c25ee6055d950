package dev.mtasts.operator.condition;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.operator.dependent.WorkflowInputs;
import dev.mtasts.operator.status.ServedPolicy;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Ready when the reconciler's fetch of the policy through the Service, made once the rollout was complete, did not
 * return another policy than the current one. When the operator cannot reach the Service (run outside the
 * cluster, or a NetworkPolicy), the rollout alone decides. No fetch yet (the rollout was still running): not ready.
 */
public class PolicyServed implements Condition<Service, MtaStsPolicy> {

  @Override
  public boolean isMet(
      DependentResource<Service, MtaStsPolicy> dependent, MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    return WorkflowInputs.of(context).served().map(ServedPolicy::allowsPublication).orElse(false);
  }
}
