package dev.mtasts.operator.dependent;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.desired.PolicyDnsEndpoint;
import dev.mtasts.api.externaldns.DNSEndpoint;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The DNSEndpoint of a policy, applied with server-side apply; see {@link PolicyDnsEndpoint}. */
@KubernetesDependent(matcher = AppliedObjectMatcher.class,
    informer = @Informer(labelSelector = OwnedObjects.SELECTOR, itemStore = WithoutManagedFields.class))
public class PolicyDnsEndpointDependent extends CRUDKubernetesDependentResource<DNSEndpoint, MtaStsPolicy> {

  @Override
  protected DNSEndpoint desired(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    WorkflowInputs inputs = WorkflowInputs.of(context);
    return AppliedObjectMatcher.stamped(PolicyDnsEndpoint.desired(policy, inputs.settings(), inputs.published()));
  }

  @Override
  protected ResourceID targetSecondaryResourceID(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    return OwnedObjects.id(ObjectNames.dnsEndpoint(policy), policy);
  }
}
