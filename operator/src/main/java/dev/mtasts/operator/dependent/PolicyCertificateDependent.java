package dev.mtasts.operator.dependent;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.desired.PolicyCertificate;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The Certificate of a policy, applied with server-side apply; see {@link PolicyCertificate}. */
@KubernetesDependent(matcher = AppliedObjectMatcher.class,
    informer = @Informer(labelSelector = OwnedObjects.SELECTOR, itemStore = WithoutManagedFields.class))
public class PolicyCertificateDependent extends CRUDKubernetesDependentResource<Certificate, MtaStsPolicy> {

  @Override
  protected Certificate desired(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    WorkflowInputs inputs = WorkflowInputs.of(context);
    return AppliedObjectMatcher.stamped(PolicyCertificate.desired(policy, inputs.settings(), inputs.published()));
  }

  @Override
  protected ResourceID targetSecondaryResourceID(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    return OwnedObjects.id(ObjectNames.certificate(policy), policy);
  }
}
