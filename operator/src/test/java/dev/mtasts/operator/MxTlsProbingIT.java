package dev.mtasts.operator;

import static dev.mtasts.testing.TestPolicies.enforce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.check.CheckSettings;
import dev.mtasts.check.MxLookup;
import dev.mtasts.check.MxTlsCheck;
import dev.mtasts.publication.MxRecords;
import dev.mtasts.publication.MxTlsProbe;
import dev.mtasts.publication.MxTlsProbe.Verdict;
import dev.mtasts.publication.MxTlsProbes;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.LocalDns;
import dev.mtasts.testing.LocalMta;
import dev.mtasts.testing.RealKubernetes;
import dev.mtasts.testing.TestCertificates;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator's STARTTLS probe of MX hosts against Debian's postfix, the names resolved by Knot: each way a host
 * can fail a sender enforcing MTA-STS is told apart and named. Then the event source in a running JOSDK operator
 * on a real API server: only gated policies are probed, and a changed result reaches a reconciliation. The
 * reconciler there is the test's own, which records what it is given, until the policy reconciler reads the probes.
 */
@ExtendWith(RealKubernetes.class)
class MxTlsProbingIT {

  static final String NAMESPACE = "mx-tls-probing";
  /** Every MX host listens on this port of its own address, as all of a domain's MX hosts listen on 25. */
  static final int SMTP_PORT = 2525;
  static final InetSocketAddress DNS = new InetSocketAddress("127.0.9.1", 5353);
  static final String ZONE = "probe.test";

  @TempDir static Path dir;
  static LocalDns dns;
  static LocalMta mta;
  static CheckSettings settings;

  @BeforeAll
  static void serve() throws Exception {
    // postfix's unprivileged processes must reach their data directory and certificates below this one.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    TestCertificates ca = new TestCertificates();
    Path caFile = ca.writeCa(dir.resolve("ca.pem"));
    Path certs = Files.createDirectories(dir.resolve("mta"));
    Files.setPosixFilePermissions(certs, PosixFilePermissions.fromString("rwxr-xr-x"));
    Instant now = Instant.now();
    Instant month = now.plus(Duration.ofDays(30));
    mta = LocalMta.serve(List.of(
        listener(2, ca.issue(certs, "good", now.minusSeconds(60), month, "good.probe.test")),
        listener(3, ca.issue(certs, "other", now.minusSeconds(60), month, "mx.other.test")),
        new LocalMta.Listener(new InetSocketAddress("127.0.9.4", SMTP_PORT), Optional.empty()),
        listener(6, ca.issue(certs, "expired", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)),
            "expired.probe.test")),
        listener(7, new TestCertificates().issue(certs, "untrusted", now.minusSeconds(60), month,
            "untrusted.probe.test")),
        listener(8, ca.issue(certs, "wildcard", now.minusSeconds(60), month, "*.probe.test"))), dir);
    // 127.0.9.5 runs nothing; nowhere.probe.test has no address.
    dns = LocalDns.serve(Map.of(ZONE, zone(""), "gated.test", domain("good"), "ungated.test", domain("good")),
        Files.createDirectories(dir.resolve("dns")), DNS);
    settings = new CheckSettings(Optional.of(dns.address()), Optional.of(caFile), Duration.ofSeconds(3), SMTP_PORT,
        Duration.ofDays(14));
  }

  static LocalMta.Listener listener(int loopback4, Path[] certificate) {
    return new LocalMta.Listener(new InetSocketAddress("127.0.9." + loopback4, SMTP_PORT), Optional.of(certificate));
  }

  static String zone(String extra) {
    return "$ORIGIN " + ZONE + ".\n$TTL 1\n@ IN SOA ns hostmaster 1 3600 600 86400 1\n@ IN NS ns\n"
        + "ns IN A 127.0.9.1\ngood IN A 127.0.9.2\nwrongname IN A 127.0.9.3\nplain IN A 127.0.9.4\n"
        + "silent IN A 127.0.9.5\nexpired IN A 127.0.9.6\nuntrusted IN A 127.0.9.7\nwildcard IN A 127.0.9.8\n"
        + extra;
  }

  /** A mail domain whose MX hosts are the given hosts of probe.test. */
  static String domain(String... mxHosts) {
    StringBuilder zone = new StringBuilder("$TTL 1\n@ IN SOA ns." + ZONE + ". hostmaster 1 3600 600 86400 1\n"
        + "@ IN NS ns." + ZONE + ".\n");
    for (int i = 0; i < mxHosts.length; i++) {
      zone.append("@ IN MX ").append(10 * (i + 1)).append(' ').append(mxHosts[i]).append('.').append(ZONE)
          .append(".\n");
    }
    return zone.toString();
  }

  @AfterAll
  static void stop() {
    if (dns != null) {
      dns.close();
    }
    if (mta != null) {
      mta.close();
    }
  }

  static Stream<Arguments> hosts() {
    return Stream.of(
        Arguments.of("good.probe.test", Verdict.PASSED,
            "good.probe.test negotiated TLSv1.3 with a valid certificate for good.probe.test"),
        Arguments.of("wildcard.probe.test", Verdict.PASSED,
            "wildcard.probe.test negotiated TLSv1.3 with a valid certificate for wildcard.probe.test"),
        Arguments.of("wrongname.probe.test", Verdict.WRONG_NAME,
            "wrongname.probe.test: the STARTTLS certificate names [mx.other.test], not wrongname.probe.test"),
        Arguments.of("plain.probe.test", Verdict.NO_STARTTLS, "plain.probe.test does not offer STARTTLS"),
        Arguments.of("silent.probe.test", Verdict.UNREACHABLE,
            "cannot reach silent.probe.test (127.0.9.5:2525): ConnectException: Connection refused"),
        Arguments.of("nowhere.probe.test", Verdict.UNREACHABLE, "nowhere.probe.test has no address"),
        Arguments.of("expired.probe.test", Verdict.EXPIRED,
            "expired.probe.test: the STARTTLS certificate has expired: CertificateExpiredException: NotAfter: "),
        // Signed by another CA of the same name: the chain's signature does not verify against the trusted one.
        Arguments.of("untrusted.probe.test", Verdict.UNTRUSTED,
            "untrusted.probe.test: TLS handshake failed: SignatureException: Signature does not match."));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("hosts")
  void eachHostIsProbedAsASenderEnforcingThePolicyWould(String host, Verdict verdict, String detail) {
    MxTlsProbing probing = new MxTlsProbing(new MxTlsCheck(settings)::probe, Duration.ofHours(1), Clock.systemUTC());

    MxTlsProbe probe = probing.current(host, Instant.now());

    assertThat(probe.verdict()).as(probe.detail()).isEqualTo(verdict);
    assertThat(probe.detail()).startsWith(detail);
    assertThat(probe.host()).isEqualTo(host);
  }

  /** Records the probes each reconciliation is given, as the policy reconciler will read them. */
  @ControllerConfiguration(name = "mx-tls-probe-recorder")
  static class ProbeRecorder implements Reconciler<MtaStsPolicy> {
    static final String GATED = "mtasts.dev/test-rollout-gate";
    final Map<String, MxTlsProbes> given = new ConcurrentHashMap<>();
    final Map<String, Integer> reconciliations = new ConcurrentHashMap<>();

    @Override
    public List<EventSource<?, MtaStsPolicy>> prepareEventSources(EventSourceContext<MtaStsPolicy> context) {
      var mx = MxPolling.eventSource(context, new MxLookup(settings), Duration.ofSeconds(1));
      var tls = MxTlsProbing.eventSource(context, new MtaStsOperator.MxTlsSettings(settings, Duration.ofHours(1), 2),
          policy -> policy.getMetadata().getLabels().containsKey(GATED),
          policy -> mx.getSecondaryResource(ResourceID.fromResource(policy)), Clock.systemUTC());
      return List.of(mx, tls);
    }

    @Override
    public UpdateControl<MtaStsPolicy> reconcile(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
      String name = policy.getMetadata().getName();
      reconciliations.merge(name, 1, Integer::sum);
      context.getSecondaryResource(MxTlsProbes.class)
          .ifPresentOrElse(p -> given.put(name, p), () -> given.remove(name));
      return UpdateControl.noUpdate();
    }
  }

  @Test
  void aGatedPolicyIsReconciledWithItsProbesAndAgainWhenOneChanges(KubernetesCluster cluster) {
    KubernetesClient client = cluster.client();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    ProbeRecorder recorder = new ProbeRecorder();
    try (KubernetesClient operatorClient = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(cluster.kubeconfigYaml())).build()) {
      Operator operator = new Operator(o -> o.withKubernetesClient(operatorClient).withCloseClientOnStop(false));
      operator.register(recorder, config -> config.settingNamespaces(NAMESPACE));
      operator.start();
      try {
        MtaStsPolicy gated = enforce("gated.test");
        gated.getMetadata().setNamespace(NAMESPACE);
        gated.getMetadata().setLabels(Map.of(ProbeRecorder.GATED, "true"));
        MtaStsPolicy ungated = enforce("ungated.test");
        ungated.getMetadata().setNamespace(NAMESPACE);
        client.resource(gated).create();
        client.resource(ungated).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          MxTlsProbes probes = recorder.given.get("gated-test");
          assertThat(probes).as("probes given to gated-test").isNotNull();
          assertThat(probes.byHost()).containsOnlyKeys("good.probe.test");
          assertThat(probes.allPassed(List.of("good.probe.test"), Instant.now())).isTrue();
        });

        // A second MX host with a certificate for another name: the next MX poll finds it, the probe fails it,
        // and that new result reaches the gated policy's reconciliation.
        dns.update("gated.test", domain("good", "wrongname"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          MxTlsProbes probes = recorder.given.get("gated-test");
          MxRecords records = new MxRecords(
              Map.of("gated.test", List.of("good.probe.test", "wrongname.probe.test")), Map.of());
          assertThat(probes.probeOf("wrongname.probe.test")).map(MxTlsProbe::verdict).contains(Verdict.WRONG_NAME);
          assertThat(probes.problems(records, Instant.now())).containsExactly(
              "wrongname.probe.test: the STARTTLS certificate names [mx.other.test], not wrongname.probe.test");
        });

        assertThat(recorder.reconciliations).containsKey("ungated-test");
        assertThat(recorder.given).doesNotContainKey("ungated-test");
      } finally {
        operator.stop();
      }
    }
  }
}
