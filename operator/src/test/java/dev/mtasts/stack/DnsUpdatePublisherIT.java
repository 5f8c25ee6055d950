package dev.mtasts.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.dnsupdate.TxtRecordWriter;
import dev.mtasts.operator.MtaStsOperator;
import dev.mtasts.testing.DnsPrimary;
import dev.mtasts.testing.KnotPrimary;
import dev.mtasts.testing.PowerDns;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.TestDaemon;
import dev.mtasts.testing.stack.RealStack;
import dev.mtasts.testing.stack.RealStackExtension;
import dev.mtasts.testing.stack.SenderView;
import dev.mtasts.testing.stack.StackPolicies;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code run --dns-publisher=rfc2136} on the real stack, against each primary that runs here (Knot, PowerDNS),
 * authoritative for a zone CoreDNS forwards to it: the first publication, three id changes and the deletion, each
 * time DNS answering exactly our record by the time the condition says so, and nothing left behind.
 */
@ExtendWith(RealStackExtension.class)
class DnsUpdatePublisherIT {

  interface Primary {
    DnsPrimary serve(Map<String, String> zones, Path dir, InetSocketAddress listen);
  }

  static Stream<Arguments> primaries() {
    return Stream.of(
        Arguments.of("knot.test", (Primary) KnotPrimary::serve),
        Arguments.of("pdns.test", (Primary) PowerDns::serve));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("primaries")
  void theRecordsFollowThePolicyOnThePrimaryAndAreRemovedWithIt(String domain, Primary primary, RealStack stack,
      @TempDir Path dir) throws Exception {
    InetSocketAddress address = RealStack.DELEGATED.get(domain);
    String namespace = "rfc2136-" + domain.substring(0, domain.indexOf('.'));
    StackPolicies policies = new StackPolicies(stack, namespace);
    try (DnsPrimary server = primary.serve(Map.of(domain, RealStack.delegatedZone(domain,
            // The policy host: the RFC 2136 publisher writes only the TXT records.
            "mta-sts 300 IN A " + RealStack.INGRESS_ADDRESS.getHostAddress())),
            Files.createDirectories(dir.resolve("dns")), address);
        RunningOperator operator = policies.startOperator(new MtaStsOperator.DnsUpdate(server.address(),
            server.updateKey(), Duration.ofSeconds(3)))) {
      TxtRecordWriter onThePrimary = new TxtRecordWriter(server.address(), server.updateKey(), Duration.ofSeconds(3));
      SenderView sender = stack.senderView(domain);
      MtaStsPolicy ready = policies.awaitReady(policies.apply(policy(domain, 86400)), Duration.ofMinutes(3));
      assertPublished(ready, sender, onThePrimary, domain);

      // Ids in order, each with the hash of its policy: DNS may name an id only once the URL serves that policy.
      List<String> ids = new ArrayList<>(List.of(ready.getStatus().getPolicyId()));
      List<String> hashes = new ArrayList<>(List.of(ready.getStatus().getPolicyHash()));
      List<SenderView.Sample> samples;
      try (SenderView.Recording recording = sender.every(Duration.ofMillis(50))) {
        for (int change = 1; change <= 3; change++) {
          String before = ready.getStatus().getPolicyId();
          policies.apply(policy(domain, 86400 + change));
          MtaStsPolicy changed = policies.awaitNewId(ready.getMetadata().getName(), before, Duration.ofMinutes(1));
          ready = policies.awaitReady(changed, Duration.ofMinutes(2));
          assertPublished(ready, sender, onThePrimary, domain);
          ids.add(ready.getStatus().getPolicyId());
          hashes.add(ready.getStatus().getPolicyHash());
        }
        samples = recording.samples();
      }
      assertThat(SenderView.aheadOfTheirPolicy(samples, ids, hashes))
          .as("samples in which DNS names an id while the URL serves an older policy").isEmpty();
      assertThat(SenderView.idsInOrder(samples)).containsExactlyElementsOf(ids);
      assertThat(SenderView.idChanges(samples)).as("changes of the id in DNS").isEqualTo(3);

      stack.client().resource(ready).delete();
      String name = ready.getMetadata().getName();
      TestDaemon.waitUntil(Duration.ofMinutes(1), () -> onThePrimary.read("_mta-sts." + domain).isEmpty()
          && onThePrimary.read("_smtp._tls." + domain).isEmpty(),
          () -> "the primary still holds " + onThePrimary.read("_mta-sts." + domain));
      TestDaemon.waitUntil(Duration.ofSeconds(30), () -> policies.get(name) == null,
          () -> "the finalizer was not removed");
      assertThat(sender.sample().stsRecords()).as("a sender finds no record").isEmpty();
    }
  }

  /** The moment Ready is True: the primary and a sender's resolver answer exactly the records, and status says so. */
  static void assertPublished(MtaStsPolicy ready, SenderView sender, TxtRecordWriter primary, String domain) {
    String record = "v=STSv1; id=" + ready.getStatus().getPolicyId();
    assertThat(primary.read("_mta-sts." + domain)).containsExactly(record);
    assertThat(primary.read("_smtp._tls." + domain)).containsExactly("v=TLSRPTv1; rua=mailto:tlsrpt@" + domain);
    assertThat(sender.sample().stsRecords()).containsExactly(record);
    assertThat(StackPolicies.condition(ready, "DnsPublished").orElseThrow().getReason()).isEqualTo("DnsAnswers");
    assertThat(ready.getStatus().getDomains().get(0).getDns().getServers()).isEqualTo("ns1." + domain + " ("
        + RealStack.DELEGATED.get(domain).getAddress().getHostAddress() + ")");
  }

  static String policy(String domain, int maxAge) {
    return """
        apiVersion: mtasts.dev/v1alpha1
        kind: MtaStsPolicy
        metadata:
          name: updated
        spec:
          domains: [%1$s]
          mode: testing
          mx: [mx1.%1$s]
          maxAge: %2$d
          tlsRpt:
            rua: [mailto:tlsrpt@%1$s]
        """.formatted(domain, maxAge);
  }
}
