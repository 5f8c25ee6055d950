package dev.mtasts.operator.condition;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.operator.status.CertificateReadiness;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Ready when cert-manager reports the Certificate Ready, or when the TXT records were already published: the first
 * id must wait for a certificate (senders refuse a policy host without one), but a renewal in progress must not
 * hold back a policy change while the current certificate still serves.
 */
public class CertificateIssued implements Condition<Certificate, MtaStsPolicy> {

  @Override
  public boolean isMet(
      DependentResource<Certificate, MtaStsPolicy> dependent, MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    return CertificateReadiness.isReady(dependent.getSecondaryResource(policy, context))
        || context.getSecondaryResource(DNSEndpoint.class).isPresent();
  }
}
