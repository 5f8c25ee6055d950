package dev.mtasts.desired;

import dev.mtasts.api.gatewayapi.ListenerSet;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.TlsReporting;
import dev.mtasts.api.v1alpha1.ServerMode;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PolicyServing;
import dev.mtasts.publication.PolicyExposure;
import dev.mtasts.publication.PublishedPolicy;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTPRoutes of a policy exposed through a Gateway: one per policy host {@code mta-sts.<domain>}, so that the
 * Gateway accepts or refuses each host on its own (and an HTTPRoute's 16 hostnames never limit a policy), routing
 * the exact policy path (and the exact report path when the policy receives its TLS reports) to the policy
 * Service. Attached to the host's listener of our ListenerSet, or to the Gateway (its section, if named). No
 * redirect filter: senders do not follow redirects for the policy (RFC 8461 §3.3). Empty for an Ingress.
 */
public final class PolicyHttpRoutes {

  private PolicyHttpRoutes() {}

  /** Routed to the server the policy asks for, as in steady state. */
  public static List<HTTPRoute> desired(MtaStsPolicy policy, OperatorSettings settings, PublishedPolicy published) {
    return desired(policy, settings, published, PolicyServing.wanted(policy, settings));
  }

  /** Routed to {@code server}: during a switch of server mode, the one that serves now. */
  public static List<HTTPRoute> desired(MtaStsPolicy policy, OperatorSettings settings, PublishedPolicy published,
      ServerMode server) {
    String backend = ObjectNames.policyServer(policy, server);
    return PolicyExposure.of(policy, settings).gateway()
        .map(gateway -> published.domains().stream()
            .map(d -> route(policy, settings, published, gateway, d, backend)).toList())
        .orElse(List.of());
  }

  private static HTTPRoute route(MtaStsPolicy policy, OperatorSettings settings, PublishedPolicy published,
      PolicyExposure.ThroughGateway gateway, String domain, String backend) {
    // The same condition as the policy server's /tlsrpt location: the route never passes a path nginx refuses.
    boolean receives = NginxConfig.ReportForwarding.of(published.content(), settings).isPresent();
    List<HTTPRouteRule> rules = new ArrayList<>();
    rules.add(exactPath(backend, ObjectNames.POLICY_PATH));
    if (receives) {
      // RFC 8460 §3: https://mta-sts.<domain>/tlsrpt, where senders POST their reports.
      rules.add(exactPath(backend, TlsReporting.RECEIVE_PATH));
    }
    return new HTTPRouteBuilder()
        .withMetadata(StandardLabels.metadata(policy, ObjectNames.httpRoute(policy, domain), StandardLabels.POLICY_HOST))
        .withNewSpec()
          .withParentRefs(parent(policy, gateway, domain))
          .withHostnames(ObjectNames.policyHost(domain))
          .withRules(rules)
        .endSpec()
        .build();
  }

  private static ParentReference parent(MtaStsPolicy policy, PolicyExposure.ThroughGateway gateway, String domain) {
    if (gateway.ownListeners()) {
      return new ParentReferenceBuilder()
          .withGroup(ListenerSet.GROUP)
          .withKind(ListenerSet.KIND)
          .withName(ObjectNames.listenerSet(policy))
          .withSectionName(ObjectNames.listener(domain))
          .build();
    }
    return new ParentReferenceBuilder()
        .withGroup(ListenerSet.GROUP)
        .withKind("Gateway")
        .withName(gateway.name())
        .withNamespace(gateway.namespace())
        .withSectionName(gateway.sectionName().orElse(null))
        .build();
  }

  private static HTTPRouteRule exactPath(String backend, String path) {
    return new HTTPRouteRuleBuilder()
        .addNewMatch()
          .withNewPath().withType("Exact").withValue(path).endPath()
        .endMatch()
        .addNewBackendRef()
          .withName(backend)
          .withPort(PolicyService.PORT)
        .endBackendRef()
        .build();
  }
}
