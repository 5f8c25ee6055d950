package dev.mtasts.operator.condition;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.operator.dependent.WorkflowInputs;
import dev.mtasts.operator.status.CertificateReadiness;
import dev.mtasts.operator.status.GatewayAttachment;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Ready when the policy hosts can answer senders: cert-manager reports the Certificate Ready and, through a
 * Gateway, its controller accepted every route and programmed every listener ({@link GatewayAttachment}); or when
 * the TXT records were already published. The first id must wait for both (senders refuse a policy host without a
 * certificate, and find none without a route), but a renewal in progress or a Gateway being reprogrammed must not
 * hold back a policy change while the current host still serves: that one is gated by the fetch of the policy
 * URLs before each new id.
 */
public class PolicyHostReady implements Condition<Certificate, MtaStsPolicy> {

  @Override
  public boolean isMet(
      DependentResource<Certificate, MtaStsPolicy> dependent, MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    if (context.getSecondaryResource(DNSEndpoint.class).isPresent()) {
      return true;
    }
    return CertificateReadiness.isReady(dependent.getSecondaryResource(policy, context))
        && WorkflowInputs.of(context).gateway().map(g -> g.holds()).orElse(true);
  }
}
