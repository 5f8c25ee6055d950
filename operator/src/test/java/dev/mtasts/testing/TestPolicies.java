package dev.mtasts.testing;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.MtaStsPolicySpec;
import dev.mtasts.api.v1alpha1.PolicyMode;
import dev.mtasts.api.v1alpha1.ServerSettings;
import dev.mtasts.api.v1alpha1.TlsReporting;
import dev.mtasts.publication.DomainClaims;
import dev.mtasts.publication.MxObservation;
import dev.mtasts.publication.PolicyContent;
import dev.mtasts.publication.PolicyIdAllocator;
import dev.mtasts.publication.Publication;
import dev.mtasts.publication.RolloutEvidence;
import dev.mtasts.publication.PublishedPolicy;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Small builders for MtaStsPolicy fixtures: {@code TestPolicies.enforce("example.com")}. */
public final class TestPolicies {

  private TestPolicies() {}

  /** An enforce policy named after its first domain, with MX patterns mx1 and mx2 of that domain. */
  public static MtaStsPolicy enforce(String... domains) {
    return policy(PolicyMode.ENFORCE, domains);
  }

  public static MtaStsPolicy testing(String... domains) {
    return policy(PolicyMode.TESTING, domains);
  }

  public static MtaStsPolicy policy(PolicyMode mode, String... domains) {
    MtaStsPolicy policy = new MtaStsPolicy();
    policy.setMetadata(new ObjectMetaBuilder()
        .withName(domains[0].replace('.', '-'))
        .withNamespace("mail")
        .build());
    MtaStsPolicySpec spec = new MtaStsPolicySpec();
    spec.setDomains(new ArrayList<>(List.of(domains)));
    spec.setMode(mode);
    spec.setMx(new ArrayList<>(List.of("mx1." + domains[0], "mx2." + domains[0])));
    spec.setMaxAge(604800L);
    policy.setSpec(spec);
    return policy;
  }

  /** Applies a change to a copy-free fixture, for one-line variations in tables. */
  public static MtaStsPolicy with(MtaStsPolicy policy, Consumer<MtaStsPolicySpec> change) {
    change.accept(policy.getSpec());
    return policy;
  }

  public static MtaStsPolicy withUid(MtaStsPolicy policy, String uid) {
    policy.getMetadata().setUid(uid);
    return policy;
  }

  /**
   * What senders see of a valid fixture, as the operator decides it (MX discovery: the list in status), for an
   * operator with a report receiver.
   */
  public static PolicyContent content(MtaStsPolicy policy) {
    Publication.Decision decision = Publication.decide(policy, Optional.ofNullable(policy.getStatus()),
        MxObservation.NOT_YET, DomainClaims.Claimants.inCluster(List.of(policy)), RolloutEvidence.NONE, true,
        Instant.EPOCH);
    if (!decision.isValid()) {
      throw new IllegalArgumentException("not a valid fixture: " + decision.errors());
    }
    return decision.published().orElseThrow().content();
  }

  /** The fixture as published under the given id, for all its domains. */
  public static PublishedPolicy published(MtaStsPolicy policy, String policyId) {
    return published(policy, policyId, Publication.normalised(policy.getSpec().getDomains()));
  }

  /** The fixture as published under the given id, for the given domains only. */
  public static PublishedPolicy published(MtaStsPolicy policy, String policyId, List<String> domains) {
    return new PublishedPolicy(content(policy),
        new PolicyIdAllocator.Allocation(policyId, Optional.empty(), Optional.of("first publication")), domains,
        List.of());
  }

  /** An enforce policy whose TLS reports the operator receives itself (spec.tlsRpt.receive). */
  public static MtaStsPolicy receiving(String... domains) {
    MtaStsPolicy policy = enforce(domains);
    TlsReporting tlsRpt = new TlsReporting();
    tlsRpt.setReceive(true);
    policy.getSpec().setTlsRpt(tlsRpt);
    return policy;
  }

  public static TlsReporting tlsRpt(String... rua) {
    TlsReporting tlsRpt = new TlsReporting();
    tlsRpt.setRua(new ArrayList<>(List.of(rua)));
    return tlsRpt;
  }

  /** spec.server with only a mode. */
  public static ServerSettings server(dev.mtasts.api.v1alpha1.ServerMode mode) {
    ServerSettings server = new ServerSettings();
    server.setMode(mode);
    return server;
  }

  /** The policy in {@code mode}. */
  public static MtaStsPolicy served(MtaStsPolicy policy, dev.mtasts.api.v1alpha1.ServerMode mode) {
    return with(policy, spec -> spec.setServer(server(mode)));
  }

  public static ServerSettings server(Integer replicas, String image) {
    ServerSettings server = new ServerSettings();
    server.setReplicas(replicas);
    server.setImage(image);
    return server;
  }

  /** spec.gateway naming the Gateway {@code namespace/name}, with our own ListenerSet or the Gateway's listeners. */
  public static dev.mtasts.api.v1alpha1.GatewaySettings gateway(String namespace, String name, String section,
      boolean ownListeners) {
    var gateway = new dev.mtasts.api.v1alpha1.GatewaySettings();
    gateway.setParentRef(new dev.mtasts.api.v1alpha1.GatewayReference(name, namespace, section));
    gateway.setListeners(ownListeners ? dev.mtasts.api.v1alpha1.GatewayListeners.LISTENER_SET
        : dev.mtasts.api.v1alpha1.GatewayListeners.GATEWAY);
    return gateway;
  }

  /** An enforce policy exposed through the Gateway infra/shared with our own ListenerSet. */
  public static MtaStsPolicy throughGateway(String... domains) {
    return with(enforce(domains), s -> s.setGateway(gateway("infra", "shared", null, true)));
  }
}
