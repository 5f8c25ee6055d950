package dev.mtasts.dnsupdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtasts.testing.DnsPrimary;
import dev.mtasts.testing.KnotPrimary;
import dev.mtasts.testing.Ports;
import dev.mtasts.testing.PowerDns;
import java.io.ByteArrayOutputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The writer against the two primaries a user is likely to run, Knot and PowerDNS, each serving example.test and
 * its child zone mail.example.test. What a test asserts is read back with a plain UDP query, as a sender's resolver
 * asks, not through the writer. Each test works at names of its own, so they share the two servers.
 */
class TxtRecordWriterIT {

  static final Duration TIMEOUT = Duration.ofSeconds(3);
  static final Duration TTL = Duration.ofSeconds(300);

  static KnotPrimary knot;
  static PowerDns powerDns;

  @BeforeAll
  static void startServers(@TempDir Path dir) {
    Map<String, String> zones = Map.of(
        "example.test", zone("example.test", "mail IN NS ns\nalias IN CNAME sts.provider.test.\n"),
        "mail.example.test", zone("mail.example.test", ""));
    knot = KnotPrimary.serve(zones, dir.resolve("knot"), new InetSocketAddress("127.0.1.10", Ports.free()));
    powerDns = PowerDns.serve(zones, dir.resolve("pdns"), new InetSocketAddress("127.0.1.11", Ports.free()));
  }

  @AfterAll
  static void stopServers() {
    for (AutoCloseable server : new AutoCloseable[] {knot, powerDns}) {
      if (server != null) {
        try {
          server.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /**
   * Runs a test on Knot and on PowerDNS. The servers outlive the invocation: JUnit would otherwise close each
   * AutoCloseable argument after it, stopping the server for the tests that follow.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @ParameterizedTest(name = "{0}", autoCloseArguments = false)
  @MethodSource("servers")
  @interface EachServer {
  }

  static Stream<Named<DnsPrimary>> servers() {
    return Stream.of(Named.of("Knot", knot), Named.of("PowerDNS", powerDns));
  }

  static String zone(String origin, String records) {
    return "$ORIGIN " + origin + ".\n$TTL 60\n@ IN SOA ns hostmaster 1 3600 600 86400 60\n@ IN NS ns\n"
        + "ns IN A 127.0.0.1\n" + records;
  }

  static TxtRecordWriter writer(DnsPrimary server) {
    return new TxtRecordWriter(server.address(), server.updateKey(), TIMEOUT);
  }

  @EachServer
  void createsTheRecordWithItsTtl(DnsPrimary server) {
    writer(server).replace("_mta-sts.create.example.test", List.of("v=STSv1; id=20260101T000000"), TTL);

    List<TXTRecord> records = txt(server, "_mta-sts.create.example.test");
    assertThat(records).map(TxtRecordWriterIT::joined).containsExactly("v=STSv1; id=20260101T000000");
    assertThat(records.get(0).getTTL()).isEqualTo(300);
  }

  @EachServer
  void eachReplacementLeavesOnlyTheNewValueAndRaisesTheSerial(DnsPrimary server) {
    TxtRecordWriter writer = writer(server);
    String name = "_mta-sts.replace.example.test";
    writer.replace(name, List.of("v=STSv1; id=1"), TTL);

    for (String id : List.of("2", "3", "4")) {
      long serialBefore = serial(server, "example.test");

      writer.replace(name, List.of("v=STSv1; id=" + id), TTL);

      // Old + new at once would be two records, and senders discard both (RFC 8461 §3.1).
      assertThat(txt(server, name)).as("after the replacement with id=%s", id).map(TxtRecordWriterIT::joined)
          .containsExactly("v=STSv1; id=" + id);
      assertThat(writer.read(name)).containsExactly("v=STSv1; id=" + id);
      // Secondaries transfer the zone only when its serial rises.
      assertThat(serial(server, "example.test")).as("SOA serial after id=%s", id).isGreaterThan(serialBefore);
    }
  }

  @EachServer
  void deleteLeavesNoTxtRecord(DnsPrimary server) {
    TxtRecordWriter writer = writer(server);
    String name = "_smtp._tls.delete.example.test";
    writer.replace(name, List.of("v=TLSRPTv1; rua=mailto:tlsrpt@example.test", "second"), TTL);
    assertThat(txt(server, name)).hasSize(2);

    writer.delete(name);

    assertThat(txt(server, name)).isEmpty();
    assertThat(writer.read(name)).isEmpty();
    writer.delete(name);
  }

  @EachServer
  void aWrongSecretIsRefusedNamingServerZoneAndKey(DnsPrimary server) {
    String name = "_mta-sts.wrong-key.example.test";
    writer(server).replace(name, List.of("v=STSv1; id=kept"), TTL);
    TsigKey key = server.updateKey();
    TsigKey wrong = new TsigKey(key.name(), key.algorithm(), DnsPrimary.randomKey("any").secret());

    DnsUpdateException e = catchThrowableOfType(DnsUpdateException.class,
        () -> new TxtRecordWriter(server.address(), wrong, TIMEOUT).replace(name, List.of("v=STSv1; id=new"), TTL));

    String at = "DNS server " + server.address().getHostString() + ":" + server.address().getPort();
    String update = "the update of zone example.test signed with TSIG key mtasts-test (hmac-sha256)";
    if (server instanceof KnotPrimary) {
      assertThat(e.kind()).isEqualTo(DnsUpdateException.Kind.KEY_NOT_ACCEPTED);
      assertThat(e).hasMessage(at + " rejected the signature on " + update + ", answering NOTAUTH with TSIG error"
          + " BADSIG: check that the key's secret is the one the server has for mtasts-test");
    } else {
      // PowerDNS answers a bad signature with a bare REFUSED: the message has to name both causes.
      assertThat(e.kind()).isEqualTo(DnsUpdateException.Kind.REFUSED);
      assertThat(e).hasMessage(at + " refused " + update + ", answering REFUSED: check that its update ACL for zone"
          + " example.test allows key mtasts-test from this host; PowerDNS also answers REFUSED when it has no key"
          + " mtasts-test with algorithm hmac-sha256 and this secret");
    }
    assertThat(e).hasMessageNotContaining(wrong.secret()).hasMessageNotContaining(key.secret());
    assertThat(txt(server, name)).map(TxtRecordWriterIT::joined).containsExactly("v=STSv1; id=kept");
  }

  @EachServer
  void aValueOver255BytesIsOneRecordOfSeveralStringsThatReadsBackWhole(DnsPrimary server) {
    String rua = "v=TLSRPTv1; rua=" + "mailto:reports@example.test,".repeat(9);
    String value = rua + "x".repeat(300 - rua.length());
    assertThat(value).hasSize(300);
    String name = "_smtp._tls.long.example.test";

    writer(server).replace(name, List.of(value), TTL);

    List<TXTRecord> records = txt(server, name);
    assertThat(records).hasSize(1);
    assertThat(records.get(0).getStringsAsByteArrays()).map(s -> s.length).containsExactly(255, 45);
    assertThat(joined(records.get(0))).isEqualTo(value);
    assertThat(writer(server).read(name)).containsExactly(value);
  }

  @EachServer
  void findsTheZoneOfANameTwoLabelsBelowItsApex(DnsPrimary server) {
    TxtRecordWriter writer = writer(server);

    assertThat(writer.zoneOf("_mta-sts.deep.example.test")).isEqualTo("example.test");
    assertThat(writer.zoneOf("example.test")).isEqualTo("example.test");
    // A child zone on the same server is the closer zone, and the update goes there.
    assertThat(writer.zoneOf("_smtp._tls.mail.example.test")).isEqualTo("mail.example.test");
    long parentSerial = serial(server, "example.test");
    writer.replace("_smtp._tls.mail.example.test", List.of("v=TLSRPTv1; rua=mailto:tlsrpt@example.test"), TTL);
    assertThat(txt(server, "_smtp._tls.mail.example.test")).hasSize(1);
    assertThat(serial(server, "example.test")).as("the parent zone's serial").isEqualTo(parentSerial);
  }

  @EachServer
  void valuesWithSemicolonsSpacesQuotesAndBackslashesComeBackByteExact(DnsPrimary server) {
    List<String> values = List.of(
        "v=STSv1; id=20260101T000000;",
        "v=TLSRPTv1;rua=mailto:\"tls rpt\"@example.test; ext=a\\b",
        "  leading and trailing spaces  ",
        ";; a comment in zone-file text",
        "\"quoted\"");
    String name = "_mta-sts.exact.example.test";

    writer(server).replace(name, values, TTL);

    assertThat(txt(server, name)).map(TxtRecordWriterIT::joined).containsExactlyInAnyOrderElementsOf(values);
    assertThat(writer(server).read(name)).containsExactlyInAnyOrderElementsOf(values);
  }

  @EachServer
  void aCnameAtTheNameIsReportedNotSilentlyIgnored(DnsPrimary server) {
    DnsUpdateException e = catchThrowableOfType(DnsUpdateException.class,
        () -> writer(server).replace("alias.example.test", List.of("v=STSv1; id=1"), TTL));

    assertThat(e.kind()).isEqualTo(DnsUpdateException.Kind.NOT_AUTHORITATIVE);
    assertThat(e).hasMessageStartingWith("alias.example.test is an alias (CNAME to sts.provider.test) at DNS server "
        + server.address().getHostString());
  }

  @EachServer
  void aNameInAZoneTheServerDoesNotServeIsRefused(DnsPrimary server) {
    DnsUpdateException e = catchThrowableOfType(DnsUpdateException.class,
        () -> writer(server).replace("_mta-sts.example.org", List.of("v=STSv1; id=1"), TTL));

    assertThat(e.kind()).isEqualTo(DnsUpdateException.Kind.REFUSED);
    assertThat(e).hasMessage("DNS server " + server.address().getHostString() + ":" + server.address().getPort()
        + " answered REFUSED to the SOA query for _mta-sts.example.org: it serves no zone containing"
        + " _mta-sts.example.org; check that it is the primary server of that zone");
  }

  @Test
  void aServerThatDoesNotAnswerTimesOutNamingServerAndExchange() throws IOException {
    // Accepts TCP connections and never answers, as a server behind a stalled firewall or an overloaded one does.
    try (ServerSocket silent = new ServerSocket()) {
      silent.bind(new InetSocketAddress("127.0.1.12", 0));
      List<Socket> accepted = new CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept());
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      InetSocketAddress address = (InetSocketAddress) silent.getLocalSocketAddress();
      TxtRecordWriter writer = new TxtRecordWriter(address, knot.updateKey(), Duration.ofMillis(500));

      long start = System.nanoTime();
      DnsUpdateException e = catchThrowableOfType(DnsUpdateException.class,
          () -> writer.replace("_mta-sts.example.test", List.of("v=STSv1; id=1"), TTL));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(e.kind()).isEqualTo(DnsUpdateException.Kind.NO_ANSWER);
      assertThat(e).hasMessage("DNS server 127.0.1.12:" + address.getPort() + " did not answer the SOA query for"
          + " _mta-sts.example.test within 500 ms: check that it is reachable from this host over TCP and running");
      assertThat(took).isBetween(Duration.ofMillis(400), Duration.ofSeconds(3));
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  @Test
  void powerDnsApiShowsWhatAnUpdateWroteAndWantsItsKey() throws Exception {
    writer(powerDns).replace("_mta-sts.api.example.test", List.of("v=STSv1; id=api"), TTL);
    HttpClient http = HttpClient.newHttpClient();
    URI zone = URI.create(powerDns.api() + "/zones/example.test.");

    HttpResponse<String> withKey = http.send(HttpRequest.newBuilder(zone).header("X-API-Key", powerDns.apiKey())
        .build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> withoutKey = http.send(HttpRequest.newBuilder(zone).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(withKey.statusCode()).as(withKey.body()).isEqualTo(200);
    JsonNode rrset = StreamSupport.stream(new ObjectMapper().readTree(withKey.body()).get("rrsets").spliterator(), false)
        .filter(r -> r.get("name").asText().equals("_mta-sts.api.example.test.") && r.get("type").asText().equals("TXT"))
        .findFirst().orElseThrow(() -> new AssertionError("no TXT RRset in " + withKey.body()));
    // The API shows TXT data as zone-file text, quoted: what external-dns's pdns provider reads and writes.
    assertThat(rrset.get("records")).map(r -> r.get("content").asText()).containsExactly("\"v=STSv1; id=api\"");
    assertThat(rrset.get("ttl").asInt()).isEqualTo(300);
    assertThat(withoutKey.statusCode()).isEqualTo(401);
  }

  /** The TXT records at name as a sender's resolver gets them from the server: over UDP, no writer code. */
  static List<TXTRecord> txt(DnsPrimary server, String name) {
    Message answer = ask(server, name, Type.TXT);
    assertThat(answer.getRcode()).as("rcode of the TXT query for %s", name).isIn(Rcode.NOERROR, Rcode.NXDOMAIN);
    return answer.getSection(Section.ANSWER).stream()
        .filter(r -> r instanceof TXTRecord).map(r -> (TXTRecord) r).toList();
  }

  static long serial(DnsPrimary server, String zone) {
    return answerSoa(ask(server, zone, Type.SOA)).getSerial();
  }

  static SOARecord answerSoa(Message answer) {
    return answer.getSection(Section.ANSWER).stream().filter(r -> r instanceof SOARecord).map(r -> (SOARecord) r)
        .findFirst().orElseThrow(() -> new AssertionError("no SOA in " + answer));
  }

  static Message ask(DnsPrimary server, String name, int type) {
    try {
      SimpleResolver resolver = new SimpleResolver(server.address());
      resolver.setTimeout(TIMEOUT);
      Message answer = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type,
          DClass.IN)));
      assertThat(answer.getHeader().getFlag(Flags.AA)).as("authoritative answer for %s", name).isTrue();
      return answer;
    } catch (IOException e) {
      throw new IllegalStateException(server + " did not answer a query for " + name, e);
    }
  }

  static String joined(TXTRecord record) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    record.getStringsAsByteArrays().forEach(bytes::writeBytes);
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
