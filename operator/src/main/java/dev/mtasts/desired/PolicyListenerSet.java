package dev.mtasts.desired;

import dev.mtasts.api.gatewayapi.ListenerSet;
import dev.mtasts.api.gatewayapi.ListenerSetSpec;
import dev.mtasts.api.gatewayapi.ParentGatewayReference;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PolicyExposure;
import dev.mtasts.publication.PublishedPolicy;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerBuilder;
import java.util.Optional;

/**
 * The ListenerSet of a policy exposed through a Gateway with its own listeners: one HTTPS listener on port 443 per
 * policy host, terminating TLS with the Secret of the policy's cert-manager Certificate (in the policy's
 * namespace, so no ReferenceGrant is needed), taking only HTTPRoutes from this namespace. Attached to the named
 * Gateway, which must allow it ({@code spec.allowedListeners}). Empty for an Ingress or the Gateway's listeners.
 */
public final class PolicyListenerSet {

  /** The port senders fetch the policy on (RFC 8461 §3.3: HTTPS). */
  public static final int HTTPS_PORT = 443;

  private PolicyListenerSet() {}

  public static Optional<ListenerSet> desired(MtaStsPolicy policy, OperatorSettings settings,
      PublishedPolicy published) {
    return PolicyExposure.of(policy, settings).gateway().filter(PolicyExposure.ThroughGateway::ownListeners)
        .map(gateway -> {
          ListenerSet set = new ListenerSet();
          set.setMetadata(StandardLabels.metadata(policy, ObjectNames.listenerSet(policy), StandardLabels.POLICY_HOST));
          set.setSpec(new ListenerSetSpec(new ParentGatewayReference(gateway.name(), gateway.namespace()),
              published.domains().stream().map(d -> listener(policy, d)).toList()));
          return set;
        });
  }

  private static Listener listener(MtaStsPolicy policy, String domain) {
    return new ListenerBuilder()
        .withName(ObjectNames.listener(domain))
        .withHostname(ObjectNames.policyHost(domain))
        .withPort(HTTPS_PORT)
        .withProtocol("HTTPS")
        .withNewTls()
          .withMode("Terminate")
          .addNewCertificateRef().withGroup("").withKind("Secret").withName(ObjectNames.tlsSecret(policy))
          .endCertificateRef()
        .endTls()
        .withNewAllowedRoutes()
          .withNewNamespaces().withFrom("Same").endNamespaces()
          .addNewKind().withGroup(ListenerSet.GROUP).withKind("HTTPRoute").endKind()
        .endAllowedRoutes()
        .build();
  }
}
