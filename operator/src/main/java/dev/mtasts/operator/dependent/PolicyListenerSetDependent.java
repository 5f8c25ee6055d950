package dev.mtasts.operator.dependent;

import dev.mtasts.api.gatewayapi.ListenerSet;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.desired.PolicyListenerSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The ListenerSet of a policy exposed through a Gateway with its own listeners, applied with server-side apply;
 * see {@link PolicyListenerSet}. Reconciled only while {@code condition/ExposedThroughListenerSet} holds.
 */
@KubernetesDependent(matcher = AppliedObjectMatcher.class,
    informer = @Informer(labelSelector = OwnedObjects.SELECTOR, itemStore = WithoutManagedFields.class))
public class PolicyListenerSetDependent extends CRUDKubernetesDependentResource<ListenerSet, MtaStsPolicy> {

  @Override
  protected ListenerSet desired(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    WorkflowInputs inputs = WorkflowInputs.of(context);
    // Kept as it is while a switch back to an Ingress is under way (condition/ExposedThroughListenerSet).
    return PolicyListenerSet.desired(policy, inputs.settings(), inputs.published())
        .map(AppliedObjectMatcher::stamped)
        .or(() -> getSecondaryResource(policy, context))
        .orElseThrow(() -> new IllegalStateException("no ListenerSet for " + policy.getMetadata().getName()));
  }

  @Override
  protected ResourceID targetSecondaryResourceID(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    return OwnedObjects.id(ObjectNames.listenerSet(policy), policy);
  }
}
