package dev.mtasts.testing.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.check.CheckSettings;
import dev.mtasts.check.DomainAudit;
import dev.mtasts.rfc.Finding;
import dev.mtasts.testing.MtaStsQuery;
import java.time.Clock;

import io.fabric8.kubernetes.api.model.Condition;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.operator.MtaStsOperator;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.TestDaemon;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/** What one test does on the stack, in its own namespace, as a user would: apply, wait, look. */
public final class StackPolicies {

  private final RealStack stack;
  private final String namespace;
  private final KubernetesClient client;

  public StackPolicies(RealStack stack, String namespace) {
    this.stack = stack;
    this.namespace = namespace;
    this.client = stack.client();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();
  }

  /** The operator as {@code run} starts it on this stack, watching this namespace. */
  public RunningOperator startOperator() {
    return RunningOperator.start(stack.cluster(), namespace, RealStack.operatorSettings(),
        new EndpointsServedPolicyCheck(client), Optional.empty(), Optional.of(stack.dnsCheck()));
  }

  /** As above, with other settings (the TXT encoding a provider wants) and another --dns-publish-timeout. */
  public RunningOperator startOperator(OperatorSettings settings, Duration publishTimeout) {
    return RunningOperator.start(stack.cluster(), namespace, settings, new EndpointsServedPolicyCheck(client),
        Optional.empty(), Optional.of(stack.dnsCheck(publishTimeout)));
  }

  /** As above, writing the records by RFC 2136 update to the given primary instead of through external-dns. */
  public RunningOperator startOperator(MtaStsOperator.DnsUpdate dnsUpdate) {
    return RunningOperator.start(stack.cluster(), namespace, RealStack.operatorSettings(),
        new EndpointsServedPolicyCheck(client), Optional.empty(), Optional.of(stack.dnsCheck()),
        Optional.of(dnsUpdate));
  }

  /**
   * As {@link #startOperator()}, reading the TlsRptReport objects into the rollout gate and probing the MX hosts
   * of gated policies by STARTTLS, with the time from clock.
   */
  public RunningOperator startOperator(Clock clock, MtaStsOperator.MxCheck mxCheck,
      MtaStsOperator.MxTlsSettings mxTls, MtaStsOperator.Reports reports) {
    return RunningOperator.start(stack.cluster(), new MtaStsOperator.Options(RealStack.operatorSettings(),
        Set.of(namespace), Optional.empty(), -1, -1, Optional.of(mxCheck), Optional.of(stack.dnsCheck()),
        Optional.empty(), Optional.of(mxTls), Optional.of(reports)), new EndpointsServedPolicyCheck(client), clock);
  }

  /** Server-side applies a policy document, as {@code kubectl apply --server-side} would. */
  public MtaStsPolicy apply(String yaml) {
    MtaStsPolicy policy = client.getKubernetesSerialization().unmarshal(yaml, MtaStsPolicy.class);
    policy.getMetadata().setNamespace(namespace);
    return client.resource(policy).fieldManager("kubectl").forceConflicts().serverSideApply();
  }

  public MtaStsPolicy get(String name) {
    return client.resources(MtaStsPolicy.class).inNamespace(namespace).withName(name).get();
  }

  /** Waits until the policy's Ready condition is True for its current generation. */
  public MtaStsPolicy awaitReady(MtaStsPolicy applied, Duration timeout) {
    return awaitCondition(applied.getMetadata().getName(), "Ready", "True", timeout);
  }

  /** Waits until the condition has the status for the current generation; the failure lists every condition. */
  public MtaStsPolicy awaitCondition(String name, String type, String status, Duration timeout) {
    AtomicReference<MtaStsPolicy> last = new AtomicReference<>();
    TestDaemon.waitUntil(timeout, () -> {
      MtaStsPolicy policy = get(name);
      last.set(policy);
      return policy.getStatus() != null
          && policy.getMetadata().getGeneration().equals(policy.getStatus().getObservedGeneration())
          && condition(policy, type).map(c -> status.equals(c.getStatus())).orElse(false);
    }, () -> namespace + "/" + name + " has no " + type + "=" + status + " after " + timeout + "; conditions: "
        + Optional.ofNullable(last.get()).map(p -> p.getStatus() == null ? "none" : p.getStatus().getConditions()
            .stream().map(c -> c.getType() + "=" + c.getStatus() + " (" + c.getReason() + ": " + c.getMessage() + ")")
            .toList().toString()).orElse("no policy") + "; logs in " + stack.dir());
    return last.get();
  }

  /** Waits until the condition has the reason, whatever its generation. */
  public MtaStsPolicy awaitReason(String name, String type, String reason, Duration timeout) {
    AtomicReference<MtaStsPolicy> last = new AtomicReference<>();
    TestDaemon.waitUntil(timeout, () -> {
      last.set(get(name));
      return condition(last.get(), type).map(c -> reason.equals(c.getReason())).orElse(false);
    }, () -> namespace + "/" + name + ": " + type + " never said " + reason + "; last "
        + condition(last.get(), type).map(c -> c.getReason() + ": " + c.getMessage()).orElse("none"));
    return last.get();
  }

  /** Waits until the policy's status carries an id other than oldId. */
  public MtaStsPolicy awaitNewId(String name, String oldId, Duration timeout) {
    AtomicReference<MtaStsPolicy> last = new AtomicReference<>();
    TestDaemon.waitUntil(timeout, () -> {
      last.set(get(name));
      return last.get().getStatus() != null && last.get().getStatus().getPolicyId() != null
          && !oldId.equals(last.get().getStatus().getPolicyId());
    }, () -> namespace + "/" + name + " kept id " + oldId + " for " + timeout);
    return last.get();
  }

  public static Optional<Condition> condition(MtaStsPolicy policy, String type) {
    return policy.getStatus() == null ? Optional.empty()
        : policy.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Waits until a sender finds exactly this id in DNS and this policy at the URL. */
  public SenderView.Sample awaitSenderSees(String domain, String id, String policyHash, Duration timeout) {
    SenderView view = stack.senderView(domain);
    AtomicReference<SenderView.Sample> last = new AtomicReference<>();
    TestDaemon.waitUntil(timeout, () -> {
      SenderView.Sample sample = view.sample();
      last.set(sample);
      return sample.id().equals(Optional.of(id)) && sample.policyHash().equals(Optional.of(policyHash));
    }, () -> "a sender does not find id " + id + " and the policy for " + domain + "; last saw " + last.get());
    return last.get();
  }

  /**
   * Two senders' views of the domain agree that it is valid with this id: our {@code check} (no error, a policy)
   * and postfix-mta-sts-resolver's {@code mta-sts-query} (VALID), both through the stack's DNS and trusting only
   * its CA.
   */
  public void assertBothClientsSayValid(String domain, String id, Path dir) throws IOException {
    Path ca = Files.write(dir.resolve("ca.pem"), stack.caPem());
    DomainAudit.Report report = new DomainAudit(new CheckSettings(Optional.of(stack.dns()), Optional.of(ca),
        Duration.ofSeconds(5), 25, Duration.ofDays(14)), Clock.systemUTC()).check(domain);
    assertThat(report.findings()).as("check %s", domain)
        .noneMatch(f -> f.finding().severity() == Finding.Severity.ERROR);
    assertThat(report.policy()).isPresent();
    MtaStsQuery.Verdict verdict = MtaStsQuery.query(domain, stack.dns().getAddress().getHostAddress(), ca,
        Files.createDirectories(dir.resolve("query")));
    assertThat(verdict.result()).as(verdict.output()).isEqualTo("VALID");
    assertThat(verdict.output()).contains(id);
  }

  /** Has cert-manager issue a certificate from the stack's CA; returns its PEM files {certificate, key}. */
  public Path[] issueCertificate(String name, List<String> dnsNames, Path dir) {
    String yaml = """
        apiVersion: cert-manager.io/v1
        kind: Certificate
        metadata:
          name: %s
          namespace: %s
        spec:
          secretName: %s-tls
          dnsNames: [%s]
          issuerRef: {name: %s, kind: ClusterIssuer, group: cert-manager.io}
        """.formatted(name, namespace, name, String.join(", ", dnsNames), CertManager.CA_ISSUER);
    client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).serverSideApply();
    TestDaemon.waitUntil(Duration.ofSeconds(90), () -> CertManager.ready(client.genericKubernetesResources(
        "cert-manager.io/v1", "Certificate").inNamespace(namespace).withName(name).get()),
        () -> "cert-manager did not issue Certificate " + namespace + "/" + name);
    Secret secret = client.secrets().inNamespace(namespace).withName(name + "-tls").get();
    try {
      Path crt = Files.write(dir.resolve(name + ".crt"), Base64.getDecoder().decode(secret.getData().get("tls.crt")));
      Path key = Files.write(dir.resolve(name + ".key"), Base64.getDecoder().decode(secret.getData().get("tls.key")));
      return new Path[] {crt, key};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Publishes the domain's MX records, mx1 and mx2 both at address: the hosts' A records through external-dns, as
   * a user would (one DNSEndpoint per domain, so several can share a namespace); the MX records by hand in the DNS server, since external-dns's coredns provider has no MX. (Their
   * keys must not be a host's label: CoreDNS would answer that host's queries from them.)
   */
  public void publishMx(String domain, String address) {
    stack.putDnsRecord(domain, "mail-10", "{\"host\":\"mx1." + domain + "\",\"priority\":10,\"mail\":true,\"ttl\":60}");
    stack.putDnsRecord(domain, "mail-20", "{\"host\":\"mx2." + domain + "\",\"priority\":20,\"mail\":true,\"ttl\":60}");
    String yaml = """
        apiVersion: externaldns.k8s.io/v1alpha1
        kind: DNSEndpoint
        metadata:
          name: mx-%s
          namespace: %s
        spec:
          endpoints:
          - {dnsName: mx1.%s, recordType: A, targets: ["%s"], recordTTL: 60}
          - {dnsName: mx2.%s, recordType: A, targets: ["%s"], recordTTL: 60}
        """.formatted(domain.replace('.', '-'), namespace, domain, address, domain, address);
    client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).serverSideApply();
  }
}
