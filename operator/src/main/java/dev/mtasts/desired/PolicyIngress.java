package dev.mtasts.desired;

import dev.mtasts.api.v1alpha1.IngressSettings;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.TlsReporting;
import dev.mtasts.api.v1alpha1.ServerMode;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PolicyServing;
import dev.mtasts.publication.PublishedPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Ingress for every policy host {@code mta-sts.<domain>}: one rule per host for the exact policy path (and the
 * exact report path when the policy receives its TLS reports), TLS from
 * the Certificate's secret, and the external-dns hostname annotation so the hosts get their address records.
 */
public final class PolicyIngress {

  public static final String HOSTNAME_ANNOTATION = IngressSettings.HOSTNAME_ANNOTATION;

  private PolicyIngress() {}

  /** Routed to the server the policy asks for, as in steady state. */
  public static Ingress desired(MtaStsPolicy policy, OperatorSettings settings, PublishedPolicy published) {
    return desired(policy, settings, published, PolicyServing.wanted(policy, settings));
  }

  /** Routed to {@code server}: during a switch of server mode, the one that serves now. */
  public static Ingress desired(MtaStsPolicy policy, OperatorSettings settings, PublishedPolicy published,
      ServerMode server) {
    String backend = ObjectNames.policyServer(policy, server);
    Optional<IngressSettings> ingress = Optional.ofNullable(policy.getSpec().getIngress());
    String className = ingress.map(IngressSettings::getClassName).orElse(settings.ingressClass());
    List<String> hosts = published.domains().stream().map(ObjectNames::policyHost).toList();
    // The same condition as the policy server's /tlsrpt location: the Ingress never routes a path nginx refuses.
    boolean receives = NginxConfig.ReportForwarding.of(published.content(), settings).isPresent();

    // Sorted, so that the rendered object does not depend on map order.
    Map<String, String> annotations = new TreeMap<>(settings.ingressAnnotations());
    ingress.map(IngressSettings::getAnnotations).ifPresent(annotations::putAll);
    annotations.put(HOSTNAME_ANNOTATION, String.join(",", hosts));

    var metadata = StandardLabels.metadata(policy, ObjectNames.ingress(policy), StandardLabels.POLICY_HOST);
    metadata.setAnnotations(annotations);
    return new IngressBuilder()
        .withMetadata(metadata)
        .withNewSpec()
          .withIngressClassName(className.isEmpty() ? null : className)
          .addNewTl().withHosts(hosts).withSecretName(ObjectNames.tlsSecret(policy)).endTl()
          .withRules(hosts.stream().map(host -> rule(backend, host, receives)).toList())
        .endSpec()
        .build();
  }

  private static IngressRule rule(String backend, String host, boolean receives) {
    List<HTTPIngressPath> paths = new ArrayList<>();
    paths.add(exactPath(backend, ObjectNames.POLICY_PATH));
    if (receives) {
      // RFC 8460 §3: https://mta-sts.<domain>/tlsrpt, where senders POST their reports.
      paths.add(exactPath(backend, TlsReporting.RECEIVE_PATH));
    }
    return new IngressRuleBuilder()
        .withHost(host)
        .withNewHttp()
          .withPaths(paths)
        .endHttp()
        .build();
  }

  private static HTTPIngressPath exactPath(String backend, String path) {
    return new HTTPIngressPathBuilder()
        .withPath(path)
        .withPathType("Exact")
        .withNewBackend()
          .withNewService()
            .withName(backend)
            .withNewPort().withName(PolicyServerDeployment.PORT_NAME).endPort()
          .endService()
        .endBackend()
        .build();
  }
}
