package dev.mtasts.operator.dependent;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.PolicyCertificate;
import dev.mtasts.operator.DesiredInputs;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The Certificate of a policy, applied with server-side apply; see {@link PolicyCertificate}. */
@KubernetesDependent(informer = @Informer(labelSelector = OwnedObjects.SELECTOR))
public class PolicyCertificateDependent extends CRUDKubernetesDependentResource<Certificate, MtaStsPolicy> {

  @Override
  protected Certificate desired(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    DesiredInputs inputs = DesiredInputs.of(context);
    return PolicyCertificate.desired(policy, inputs.settings(), inputs.published());
  }
}
