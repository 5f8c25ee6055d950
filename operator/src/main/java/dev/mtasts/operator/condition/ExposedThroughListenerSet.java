package dev.mtasts.operator.condition;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.operator.dependent.WorkflowInputs;
import dev.mtasts.publication.PolicyExposure;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The ListenerSet exists while the policy is exposed through a Gateway with the operator's own listeners, and,
 * like the routes attached to it, until the Ingress that replaces them serves ({@link ExposedThroughGateway}).
 */
public class ExposedThroughListenerSet implements Condition<HasMetadata, MtaStsPolicy> {

  @Override
  public boolean isMet(
      DependentResource<HasMetadata, MtaStsPolicy> dependent, MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    PolicyExposure exposure = PolicyExposure.of(policy, WorkflowInputs.of(context).settings());
    if (exposure instanceof PolicyExposure.ThroughIngress) {
      return dependent.getSecondaryResource(policy, context).isPresent()
          && ExposedThroughGateway.switchingToIngress(context);
    }
    return exposure.gateway().filter(PolicyExposure.ThroughGateway::ownListeners).isPresent();
  }
}
