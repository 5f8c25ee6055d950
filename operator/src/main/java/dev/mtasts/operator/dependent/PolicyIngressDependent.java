package dev.mtasts.operator.dependent;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.desired.PolicyIngress;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The Ingress of a policy, applied with server-side apply; see {@link PolicyIngress}. */
@KubernetesDependent(matcher = AppliedObjectMatcher.class,
    informer = @Informer(labelSelector = OwnedObjects.SELECTOR, itemStore = WithoutManagedFields.class))
public class PolicyIngressDependent extends CRUDKubernetesDependentResource<Ingress, MtaStsPolicy> {

  @Override
  protected Ingress desired(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    WorkflowInputs inputs = WorkflowInputs.of(context);
    return AppliedObjectMatcher.stamped(PolicyIngress.desired(policy, inputs.settings(), inputs.published(),
        inputs.serving().routedTo()));
  }

  @Override
  protected ResourceID targetSecondaryResourceID(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    return OwnedObjects.id(ObjectNames.ingress(policy), policy);
  }
}
