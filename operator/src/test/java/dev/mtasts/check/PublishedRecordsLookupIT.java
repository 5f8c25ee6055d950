package dev.mtasts.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.check.PublishedRecordsLookup.DomainAnswer;
import dev.mtasts.check.PublishedRecordsLookup.ServerAnswer;
import dev.mtasts.check.PublishedRecordsLookup.Source;
import dev.mtasts.testing.LocalDns;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records as the operator's DNS check finds them, against two Knot servers authoritative for one zone, as a
 * primary and a secondary that lags behind: the lookup finds them from the NS records, asks each on port 53 and
 * reports each answer, so a record one server lacks is not taken for published.
 */
class PublishedRecordsLookupIT {

  static final InetSocketAddress NS1 = new InetSocketAddress("127.0.4.53", 53);
  static final InetSocketAddress NS2 = new InetSocketAddress("127.0.4.54", 53);

  static LocalDns primary;
  static LocalDns secondary;

  static String zone(String stsId) {
    return """
        $ORIGIN example.test.
        @ 300 IN SOA ns1 hostmaster 1 3600 600 86400 300
        @ 300 IN NS ns1
        @ 300 IN NS ns2
        ns1 300 IN A 127.0.4.53
        ns2 300 IN A 127.0.4.54
        _mta-sts 300 IN TXT "v=STSv1; id=%1$s"
        _smtp._tls 300 IN TXT "v=TLSRPTv1; rua=mailto:" "tlsrpt@example.test"
        _mta-sts.mail 300 IN TXT "v=STSv1; id=%1$s"
        """.formatted(stsId);
  }

  @BeforeAll
  static void serve(@TempDir Path dir) throws Exception {
    primary = LocalDns.serve(Map.of("example.test", zone("20261201000002")),
        Files.createDirectories(dir.resolve("ns1")), NS1);
    secondary = LocalDns.serve(Map.of("example.test", zone("20261201000001")),
        Files.createDirectories(dir.resolve("ns2")), NS2);
  }

  @AfterAll
  static void stop() {
    if (secondary != null) {
      secondary.close();
    }
    if (primary != null) {
      primary.close();
    }
  }

  static PublishedRecordsLookup lookup(Source source) {
    return new PublishedRecordsLookup(new CheckSettings(Optional.of(NS1), Optional.empty(), Duration.ofSeconds(2),
        25, Duration.ofDays(14)), source);
  }

  @Test
  void everyAuthoritativeServerOfTheZoneIsAskedAndAnswersForItself() {
    DomainAnswer answer = lookup(Source.AUTHORITATIVE).lookup("example.test");

    assertThat(answer.failure()).isEmpty();
    assertThat(answer.servers()).containsExactly(
        new ServerAnswer("ns1.example.test (127.0.4.53)", java.util.List.of("v=STSv1; id=20261201000002"),
            java.util.List.of("v=TLSRPTv1; rua=mailto:tlsrpt@example.test"), Optional.empty()),
        new ServerAnswer("ns2.example.test (127.0.4.54)", java.util.List.of("v=STSv1; id=20261201000001"),
            java.util.List.of("v=TLSRPTv1; rua=mailto:tlsrpt@example.test"), Optional.empty()));
  }

  @Test
  void aDomainBelowTheApexIsLookedUpAtItsZonesServers() {
    DomainAnswer answer = lookup(Source.AUTHORITATIVE).lookup("mail.example.test");

    assertThat(answer.servers()).extracting(ServerAnswer::server)
        .containsExactly("ns1.example.test (127.0.4.53)", "ns2.example.test (127.0.4.54)");
    assertThat(answer.servers().get(0).stsRecords()).containsExactly("v=STSv1; id=20261201000002");
    assertThat(answer.servers().get(0).tlsRptRecords()).isEmpty();
  }

  @Test
  void theResolverAloneIsAskedForSplitHorizonDns() {
    DomainAnswer answer = lookup(Source.RESOLVER).lookup("example.test");

    assertThat(answer.servers()).singleElement().satisfies(s -> {
      assertThat(s.server()).isEqualTo("127.0.4.53:53");
      assertThat(s.stsRecords()).containsExactly("v=STSv1; id=20261201000002");
    });
  }

  @Test
  void aDomainNoZoneServesSaysSo() {
    DomainAnswer answer = lookup(Source.AUTHORITATIVE).lookup("example.invalid");

    assertThat(answer.servers()).isEmpty();
    assertThat(answer.failure()).get().asString().contains("example.invalid");
  }
}
