package dev.mtasts.operator.dependent;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.PolicyHttpRoutes;
import dev.mtasts.publication.PolicyExposure;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTPRoutes of a Gateway-exposed policy, one per policy host, applied with server-side apply; see
 * {@link PolicyHttpRoutes}. A route of a domain the policy no longer lists is deleted; all of them once a policy
 * switched back to an Ingress is served by it. Garbage collected through the owner reference, like the other
 * owned objects: without saying so, JOSDK would put a finalizer on every policy to delete the routes itself.
 */
@KubernetesDependent(matcher = AppliedObjectMatcher.class,
    informer = @Informer(labelSelector = OwnedObjects.SELECTOR, itemStore = WithoutManagedFields.class))
public class PolicyHttpRoutesDependent extends KubernetesDependentResource<HTTPRoute, MtaStsPolicy>
    implements CRUDKubernetesBulkDependentResource<HTTPRoute, MtaStsPolicy>,
        KubernetesBulkDependentResource<HTTPRoute, MtaStsPolicy>, GarbageCollected<MtaStsPolicy> {

  @Override
  public Map<ResourceID, HTTPRoute> desiredResources(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    WorkflowInputs inputs = WorkflowInputs.of(context);
    if (PolicyExposure.of(policy, inputs.settings()).gateway().isEmpty()) {
      // Kept as they are while a switch back to an Ingress is under way (condition/ExposedThroughGateway).
      return getSecondaryResources(policy, context);
    }
    Map<ResourceID, HTTPRoute> routes = new LinkedHashMap<>();
    for (HTTPRoute route : PolicyHttpRoutes.desired(policy, inputs.settings(), inputs.published(),
        inputs.serving().routedTo())) {
      routes.put(OwnedObjects.id(route.getMetadata().getName(), policy), AppliedObjectMatcher.stamped(route));
    }
    return routes;
  }
}
