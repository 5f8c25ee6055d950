package dev.mtasts.operator.condition;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.operator.dependent.WorkflowInputs;
import dev.mtasts.operator.status.RolloutProgress;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Ready when the pods that carry the current policy are all updated and available, and no old pod is left: only
 * then does every request for the policy get the new one, so only then may the new id be published.
 */
public class RolloutComplete implements Condition<Deployment, MtaStsPolicy> {

  @Override
  public boolean isMet(
      DependentResource<Deployment, MtaStsPolicy> dependent, MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    String hash = WorkflowInputs.of(context).published().content().hash();
    return RolloutProgress.of(dependent.getSecondaryResource(policy, context).orElse(null), hash).complete();
  }
}
