package dev.mtasts.operator.condition;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.operator.dependent.WorkflowInputs;
import dev.mtasts.publication.PolicyExposure;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The Ingress exists while the policy is exposed through one, and while a switch to a Gateway is under way: it
 * is deleted only once the Gateway accepted the new routes, so the policy hosts stay served throughout.
 */
public class ExposedThroughIngress implements Condition<Ingress, MtaStsPolicy> {

  @Override
  public boolean isMet(
      DependentResource<Ingress, MtaStsPolicy> dependent, MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    WorkflowInputs inputs = WorkflowInputs.of(context);
    if (PolicyExposure.of(policy, inputs.settings()) instanceof PolicyExposure.ThroughIngress) {
      return true;
    }
    boolean switching = dependent.getSecondaryResource(policy, context).isPresent();
    return switching && !inputs.gateway().map(g -> g.holds()).orElse(false);
  }
}
