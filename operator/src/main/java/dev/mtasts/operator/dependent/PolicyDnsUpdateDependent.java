package dev.mtasts.operator.dependent;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.PolicyDnsEndpoint;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import java.util.Optional;

/**
 * The same records as {@link PolicyDnsEndpointDependent}, written straight to the zone's primary by RFC 2136
 * update ({@code run --dns-publisher=rfc2136}) instead of handed to external-dns: the desired DNSEndpoint is the
 * record set, {@link DnsUpdatePublisher} the publisher. It has no Deleter: removal on deletion is the reconciler's
 * cleanup, so that only this mode puts a finalizer on the policies.
 */
public class PolicyDnsUpdateDependent implements DependentResource<DNSEndpoint, MtaStsPolicy> {

  @Override
  public ReconcileResult<DNSEndpoint> reconcile(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    WorkflowInputs inputs = WorkflowInputs.of(context);
    DNSEndpoint desired = PolicyDnsEndpoint.desired(policy, inputs.settings(), inputs.published());
    boolean wrote = inputs.dnsUpdates().orElseThrow(() -> new IllegalStateException(
        "the RFC 2136 workflow runs without a publisher")).publish(policy, desired);
    return wrote ? ReconcileResult.resourceUpdated(desired) : ReconcileResult.noOperation(desired);
  }

  @Override
  public Class<DNSEndpoint> resourceType() {
    return DNSEndpoint.class;
  }

  @Override
  public Optional<DNSEndpoint> getSecondaryResource(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    WorkflowInputs inputs = WorkflowInputs.of(context);
    return inputs.dnsUpdates().map(p -> p.handedOver(
        PolicyDnsEndpoint.desired(policy, inputs.settings(), inputs.published())));
  }
}
