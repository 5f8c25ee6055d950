package dev.mtasts.operator.dependent;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.PolicyServerDeployment;
import dev.mtasts.operator.DesiredInputs;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The Deployment of a policy, applied with server-side apply; see {@link PolicyServerDeployment}. */
@KubernetesDependent(informer = @Informer(labelSelector = OwnedObjects.SELECTOR))
public class PolicyServerDeploymentDependent extends CRUDKubernetesDependentResource<Deployment, MtaStsPolicy> {

  @Override
  protected Deployment desired(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    DesiredInputs inputs = DesiredInputs.of(context);
    return PolicyServerDeployment.desired(policy, inputs.settings(), inputs.published());
  }
}
