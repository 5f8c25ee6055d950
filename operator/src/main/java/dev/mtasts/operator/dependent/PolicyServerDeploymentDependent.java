package dev.mtasts.operator.dependent;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.desired.PolicyServerDeployment;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The Deployment of a policy, applied with server-side apply; see {@link PolicyServerDeployment}. */
@KubernetesDependent(matcher = AppliedObjectMatcher.class,
    informer = @Informer(labelSelector = OwnedObjects.SELECTOR, itemStore = WithoutManagedFields.class))
public class PolicyServerDeploymentDependent extends CRUDKubernetesDependentResource<Deployment, MtaStsPolicy> {

  @Override
  protected Deployment desired(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    WorkflowInputs inputs = WorkflowInputs.of(context);
    return AppliedObjectMatcher.stamped(PolicyServerDeployment.desired(policy, inputs.settings(), inputs.published()));
  }

  @Override
  protected ResourceID targetSecondaryResourceID(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    return OwnedObjects.id(ObjectNames.policyServer(policy), policy);
  }
}
