package dev.mtasts.publication;

import dev.mtasts.api.v1alpha1.GatewaySettings;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import java.util.Optional;

/**
 * How a policy's hosts are exposed: the policy's spec.ingress or spec.gateway, else the operator's default. One
 * pure choice, read by the builders of the Ingress, the HTTPRoutes and the ListenerSet and by the status, so that
 * exactly one of them is made.
 */
public sealed interface PolicyExposure {

  /** Through an Ingress of the policy's or the operator's class (the default). */
  record ThroughIngress() implements PolicyExposure {}

  /**
   * Through a Gateway.
   *
   * @param name the Gateway's name
   * @param namespace the Gateway's namespace (the policy's own when the reference names none)
   * @param sectionName with the Gateway's listeners, the one the routes attach to
   * @param ownListeners whether the operator attaches its own ListenerSet (else the Gateway's listener serves)
   */
  record ThroughGateway(String name, String namespace, Optional<String> sectionName, boolean ownListeners)
      implements PolicyExposure {}

  static PolicyExposure of(MtaStsPolicy policy, OperatorSettings settings) {
    if (policy.getSpec() != null && policy.getSpec().getIngress() != null) {
      return new ThroughIngress();
    }
    Optional<GatewaySettings> gateway = Optional.ofNullable(policy.getSpec()).map(s -> s.getGateway())
        .or(settings::defaultGateway);
    return gateway.<PolicyExposure>map(g -> new ThroughGateway(g.getParentRef().getName(),
            Optional.ofNullable(g.getParentRef().getNamespace()).orElse(policy.getMetadata().getNamespace()),
            Optional.ofNullable(g.getParentRef().getSectionName()), g.ownListeners()))
        .orElseGet(ThroughIngress::new);
  }

  /** The Gateway, when exposed through one. */
  default Optional<ThroughGateway> gateway() {
    return this instanceof ThroughGateway g ? Optional.of(g) : Optional.empty();
  }
}
