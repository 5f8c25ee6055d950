package dev.mtasts.operator.dependent;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.PolicyConfigMap;
import dev.mtasts.operator.DesiredInputs;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The ConfigMap of a policy, applied with server-side apply; see {@link PolicyConfigMap}. */
@KubernetesDependent(informer = @Informer(labelSelector = OwnedObjects.SELECTOR))
public class PolicyConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, MtaStsPolicy> {

  @Override
  protected ConfigMap desired(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    DesiredInputs inputs = DesiredInputs.of(context);
    return PolicyConfigMap.desired(policy, inputs.published());
  }
}
