package dev.mtasts.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.publication.TxtEncoding;
import dev.mtasts.testing.KnotPrimary;
import dev.mtasts.testing.PowerDns;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.TestDaemon;
import dev.mtasts.testing.stack.ExternalDns;
import dev.mtasts.testing.stack.RealStack;
import dev.mtasts.testing.stack.RealStackExtension;
import dev.mtasts.testing.stack.SenderView;
import dev.mtasts.testing.stack.StackPolicies;
import io.fabric8.kubernetes.api.model.Event;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * external-dns's providers that run here, each with the TXT encoding it needs: coredns (the stack's own
 * external-dns) with plain targets and pdns against PowerDNS with quoted ones, through the first publication,
 * three id changes watched by a sender every 50 ms and the deletion; and two wrong
 * configurations a user can make, which DnsPublished must name and never call True: TXT left out of
 * --managed-record-types, and the rfc2136 provider, which cuts our record at its ";".
 */
@ExtendWith(RealStackExtension.class)
class ExternalDnsProvidersIT {

  /** Short, so that the wrong configurations reach DnsNotAnswering within the test. */
  static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(20);

  static String policy(String domain, int maxAge) {
    return """
        apiVersion: mtasts.dev/v1alpha1
        kind: MtaStsPolicy
        metadata:
          name: provider
        spec:
          domains: [%1$s]
          mode: testing
          mx: [mx1.%1$s]
          maxAge: %2$d
          tlsRpt:
            rua: [mailto:tlsrpt@%1$s]
        """.formatted(domain, maxAge);
  }

  static PowerDns powerDns(Path dir) throws Exception {
    InetSocketAddress address = RealStack.DELEGATED.get("pdns.test");
    return PowerDns.serve(Map.of("pdns.test", RealStack.delegatedZone("pdns.test")),
        Files.createDirectories(dir.resolve("pdns")), address);
  }

  static ExternalDns.PowerDnsApi api(PowerDns server) {
    URI api = server.api();
    return new ExternalDns.PowerDnsApi(URI.create(api.getScheme() + "://" + api.getAuthority()), server.apiKey());
  }

  /** A provider as a scenario sets it up: the DNS server and the external-dns writing to it, and the encoding. */
  interface ProviderSetup {
    AutoCloseable start(RealStack stack, String namespace, Path dir) throws Exception;
  }

  static Stream<Arguments> providers() {
    ProviderSetup theStacksOwn = (stack, namespace, dir) -> () -> { };
    ProviderSetup pdns = (stack, namespace, dir) -> {
      PowerDns server = powerDns(dir);
      ExternalDns externalDns = ExternalDns.start(stack.cluster(), api(server),
          ExternalDns.Scope.namespace(namespace, List.of("pdns.test")), Files.createDirectories(dir.resolve("ed")));
      return () -> {
        externalDns.close();
        server.close();
      };
    };
    return Stream.of(
        Arguments.of("coredns", "plain.example.org", TxtEncoding.PLAIN, theStacksOwn),
        Arguments.of("pdns", "quoted.pdns.test", TxtEncoding.QUOTED, pdns));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void theProviderPublishesEveryIdExactlyAndRemovesTheRecords(String provider, String domain, TxtEncoding encoding,
      ProviderSetup setup, RealStack stack, @TempDir Path dir) throws Exception {
    String namespace = "provider-" + provider;
    StackPolicies policies = new StackPolicies(stack, namespace);
    try (AutoCloseable dns = setup.start(stack, namespace, dir);
        RunningOperator operator = policies.startOperator(RealStack.operatorSettings().withTxtEncoding(encoding),
            RealStack.DNS_PUBLISH_TIMEOUT)) {
      SenderView sender = stack.senderView(domain);
      MtaStsPolicy ready = policies.awaitReady(policies.apply(policy(domain, 86400)), Duration.ofMinutes(3));
      assertThat(sender.sample().stsRecords()).containsExactly("v=STSv1; id=" + ready.getStatus().getPolicyId());

      List<String> ids = new ArrayList<>(List.of(ready.getStatus().getPolicyId()));
      List<String> hashes = new ArrayList<>(List.of(ready.getStatus().getPolicyHash()));
      List<SenderView.Sample> samples;
      try (SenderView.Recording recording = sender.every(Duration.ofMillis(50))) {
        for (int change = 1; change <= 3; change++) {
          policies.apply(policy(domain, 86400 + change));
          ready = policies.awaitReady(policies.awaitNewId("provider", ids.get(ids.size() - 1), Duration.ofMinutes(1)),
              Duration.ofMinutes(2));
          // Ready means DNS answers exactly the new record, not the new one beside the old.
          assertThat(sender.sample().stsRecords()).containsExactly("v=STSv1; id=" + ready.getStatus().getPolicyId());
          ids.add(ready.getStatus().getPolicyId());
          hashes.add(ready.getStatus().getPolicyHash());
        }
        samples = recording.samples();
      }
      assertThat(SenderView.aheadOfTheirPolicy(samples, ids, hashes))
          .as("samples in which DNS names an id while the URL serves an older policy").isEmpty();
      assertThat(SenderView.idsInOrder(samples)).containsExactlyElementsOf(ids);

      stack.client().resource(ready).delete();
      TestDaemon.waitUntil(Duration.ofMinutes(1), () -> sender.sample().stsRecords().isEmpty(),
          () -> "DNS still answers " + sender.sample().stsRecords());
    }
  }

  @Test
  void txtLeftOutOfManagedRecordTypesIsNamedAndNeverTrue(RealStack stack, @TempDir Path dir) throws Exception {
    String namespace = "provider-untxt";
    String domain = "untxt.pdns.test";
    StackPolicies policies = new StackPolicies(stack, namespace);
    try (PowerDns server = powerDns(dir);
        ExternalDns externalDns = ExternalDns.start(stack.cluster(), api(server),
            ExternalDns.Scope.namespace(namespace, List.of("pdns.test")).managing(List.of("A", "CNAME")),
            Files.createDirectories(dir.resolve("ed")));
        RunningOperator operator = policies.startOperator(
            RealStack.operatorSettings().withTxtEncoding(TxtEncoding.QUOTED), PUBLISH_TIMEOUT)) {
      MtaStsPolicy applied = policies.apply(policy(domain, 86400));

      MtaStsPolicy named = awaitNotAnsweringNeverTrue(policies, applied, Duration.ofMinutes(3));

      assertThat(StackPolicies.condition(named, "DnsPublished").orElseThrow().getMessage())
          .startsWith("_mta-sts." + domain + " answers no TXT record at ns1.pdns.test (127.0.5.53); want id="
              + named.getStatus().getPolicyId())
          .contains("--managed-record-types=TXT");
      assertThat(warnings(stack, namespace)).extracting(Event::getReason).contains("DnsNotAnswering");
    }
  }

  @Test
  void theRecordTheRfc2136ProviderCutsIsNamedAndNeverTrue(RealStack stack, @TempDir Path dir) throws Exception {
    String namespace = "provider-rfc2136";
    String domain = "cut.knot.test";
    InetSocketAddress address = RealStack.DELEGATED.get("knot.test");
    StackPolicies policies = new StackPolicies(stack, namespace);
    try (KnotPrimary server = KnotPrimary.serve(Map.of("knot.test", RealStack.delegatedZone("knot.test")),
            Files.createDirectories(dir.resolve("knot")), address);
        ExternalDns externalDns = ExternalDns.start(stack.cluster(), new ExternalDns.Rfc2136(address,
            List.of("knot.test"), new ExternalDns.TsigKey(server.updateKey().name(), server.updateKey().algorithm(),
            server.updateKey().secret())), ExternalDns.Scope.namespace(namespace, List.of("knot.test")),
            Files.createDirectories(dir.resolve("ed")));
        RunningOperator operator = policies.startOperator(RealStack.operatorSettings(), PUBLISH_TIMEOUT)) {
      MtaStsPolicy applied = policies.apply(policy(domain, 86400));

      MtaStsPolicy named = awaitNotAnsweringNeverTrue(policies, applied, Duration.ofMinutes(3));

      assertThat(StackPolicies.condition(named, "DnsPublished").orElseThrow().getMessage())
          .startsWith("_mta-sts." + domain + " answers \"v=STSv1\" (")
          .contains("want id=" + named.getStatus().getPolicyId());
      assertThat(named.getStatus().getDomains().get(0).getDns().getStsRecords()).containsExactly("v=STSv1");
    }
  }

  /** Waits for DnsNotAnswering, looking at DnsPublished every 100 ms on the way: it must never say True. */
  static MtaStsPolicy awaitNotAnsweringNeverTrue(StackPolicies policies, MtaStsPolicy applied, Duration timeout) {
    String name = applied.getMetadata().getName();
    List<String> seen = new ArrayList<>();
    AtomicReference<MtaStsPolicy> last = new AtomicReference<>();
    TestDaemon.waitUntil(timeout, () -> {
      MtaStsPolicy policy = policies.get(name);
      last.set(policy);
      StackPolicies.condition(policy, "DnsPublished").ifPresent(c -> {
        String state = c.getStatus() + "/" + c.getReason();
        if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state)) {
          seen.add(state);
        }
      });
      return StackPolicies.condition(policy, "DnsPublished").map(c -> "DnsNotAnswering".equals(c.getReason()))
          .orElse(false);
    }, () -> name + ": DnsPublished went " + seen);
    assertThat(seen).as("DnsPublished on the way").noneMatch(s -> s.startsWith("True"))
        .contains("False/WaitingForDns");
    assertThat(StackPolicies.condition(last.get(), "Ready").orElseThrow().getReason()).isEqualTo("DnsNotAnswering");
    return last.get();
  }

  static List<Event> warnings(RealStack stack, String namespace) {
    return stack.client().v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType())).toList();
  }
}
