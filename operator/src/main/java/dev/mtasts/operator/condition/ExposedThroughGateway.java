package dev.mtasts.operator.condition;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.operator.dependent.WorkflowInputs;
import dev.mtasts.publication.PolicyExposure;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The HTTPRoutes exist while the policy is exposed through a Gateway, and while a switch back to an Ingress is
 * under way: they are deleted only once the ingress controller has taken the Ingress (it reports a load-balancer
 * address), so the policy hosts stay served throughout.
 */
public class ExposedThroughGateway implements Condition<HasMetadata, MtaStsPolicy> {

  @Override
  public boolean isMet(
      DependentResource<HasMetadata, MtaStsPolicy> dependent, MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    return PolicyExposure.of(policy, WorkflowInputs.of(context).settings()).gateway().isPresent()
        || switchingToIngress(context);
  }

  /** Routes of ours are still out, and the Ingress that replaces them has no address yet. */
  static boolean switchingToIngress(Context<MtaStsPolicy> context) {
    boolean routed = !context.getSecondaryResources(HTTPRoute.class).isEmpty();
    boolean ingressServes = context.getSecondaryResource(Ingress.class)
        .map(i -> i.getStatus() != null && i.getStatus().getLoadBalancer() != null
            && i.getStatus().getLoadBalancer().getIngress() != null
            && !i.getStatus().getLoadBalancer().getIngress().isEmpty())
        .orElse(false);
    return routed && !ingressServes;
  }
}
