package dev.mtasts.dnsupdate;

import static dev.mtasts.dnsupdate.TxtUpdateMessageTest.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.dnsupdate.DnsUpdateException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class ServerAnswerTest {

  static final String SERVER = "192.0.2.53:53";
  static final Name ZONE = name("example.com.");
  static final Name STS = name("_mta-sts.example.com.");
  static final TsigKey KEY = new TsigKey("mtasts-operator", "hmac-sha256", TsigKeyTest.SECRET);
  static final String UPDATE = "the update of zone example.com signed with TSIG key mtasts-operator (hmac-sha256)";

  @Test
  void aSignedNoerrorIsSuccess() {
    assertThat(ServerAnswer.ofUpdate(SERVER, ZONE, KEY, Rcode.NOERROR, Rcode.NOERROR, true)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "NOERROR without our signature: may or may not be applied | NOERROR  | NOERROR | KEY_NOT_ACCEPTED | DNS server 192.0.2.53:53 answered NOERROR to " + UPDATE + " without a valid signature of that key, so the answer cannot be trusted and the records may or may not have changed: check that the server has the same secret for mtasts-operator",
      "Knot, a wrong secret                   | NOTAUTH  | BADSIG  | KEY_NOT_ACCEPTED | DNS server 192.0.2.53:53 rejected the signature on " + UPDATE + ", answering NOTAUTH with TSIG error BADSIG: check that the key's secret is the one the server has for mtasts-operator",
      "Knot, an unknown key or one its ACL does not allow | NOTAUTH | BADKEY | KEY_NOT_ACCEPTED | DNS server 192.0.2.53:53 did not accept the key of " + UPDATE + ", answering NOTAUTH with TSIG error BADKEY: check that the server has a key named mtasts-operator with algorithm hmac-sha256 and that its update ACL for zone example.com allows that key",
      "clocks apart                           | NOTAUTH  | BADTIME | KEY_NOT_ACCEPTED | DNS server 192.0.2.53:53 rejected the signing time of " + UPDATE + ", answering NOTAUTH with TSIG error BADTIME: check that this host's clock and the server's agree within 300 seconds (RFC 8945 §5.2.3)",
      "another TSIG error                     | NOTAUTH  | BADTRUNC | KEY_NOT_ACCEPTED | DNS server 192.0.2.53:53 rejected the signature on " + UPDATE + ", answering NOTAUTH with TSIG error BADTRUNC: check the key's name, algorithm and secret at the server",
      "PowerDNS, an ACL or key mismatch       | REFUSED  | NOERROR | REFUSED | DNS server 192.0.2.53:53 refused " + UPDATE + ", answering REFUSED: check that its update ACL for zone example.com allows key mtasts-operator from this host; PowerDNS also answers REFUSED when it has no key mtasts-operator with algorithm hmac-sha256 and this secret",
      "a zone the server does not serve       | NOTAUTH  | NOERROR | NOT_AUTHORITATIVE | DNS server 192.0.2.53:53 is not authoritative for " + UPDATE + ", answering NOTAUTH: check that it is the primary server of zone example.com, the one that takes its updates",
      "a name outside the zone                | NOTZONE  | NOERROR | NOT_AUTHORITATIVE | DNS server 192.0.2.53:53 found a name outside the zone in " + UPDATE + ", answering NOTZONE: check that example.com is the apex of a zone the server serves",
      "updates not enabled                    | NOTIMP   | NOERROR | SERVER_FAILURE | DNS server 192.0.2.53:53 does not take dynamic updates (RFC 2136) for " + UPDATE + ", answering NOTIMP: enable them for zone example.com (PowerDNS: dnsupdate=yes)",
      "a server failure                       | SERVFAIL | NOERROR | SERVER_FAILURE | DNS server 192.0.2.53:53 failed to apply " + UPDATE + ", answering SERVFAIL: check the server's log",
      "an answer to prerequisites we never send | NXRRSET | NOERROR | SERVER_FAILURE | DNS server 192.0.2.53:53 did not apply " + UPDATE + ", answering NXRRSET: check the server's log",
  })
  void aFailedUpdateSaysWhatToCheck(String description, String rcode, String tsigError, Kind kind, String message) {
    int tsig = tsigError.equals("NOERROR") ? Rcode.NOERROR : tsigCode(tsigError);

    DnsUpdateException e = ServerAnswer.ofUpdate(SERVER, ZONE, KEY, Rcode.value(rcode), tsig, false).orElseThrow();

    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e).hasMessage(message).hasMessageNotContaining(KEY.secret());
  }

  @Test
  void theZoneIsTheSoaAtAnApex() {
    Message answer = answer(Rcode.NOERROR, true);
    answer.addRecord(soa(ZONE), Section.ANSWER);

    assertThat(ServerAnswer.zone(SERVER, ZONE, answer)).isEqualTo(ZONE);
  }

  @Test
  void theZoneIsTheSoaOfANegativeAnswerBelowTheApex() {
    Name deep = name("_mta-sts.mail.example.com.");
    Message answer = answer(Rcode.NXDOMAIN, true);
    answer.addRecord(soa(ZONE), Section.AUTHORITY);

    assertThat(ServerAnswer.zone(SERVER, deep, answer)).isEqualTo(ZONE);
  }

  @Test
  void anSoaOfAnotherBranchIsNoZoneOfTheName() {
    Message answer = answer(Rcode.NXDOMAIN, true);
    answer.addRecord(soa(name("example.net.")), Section.AUTHORITY);

    assertThatThrownBy(() -> ServerAnswer.zone(SERVER, STS, answer))
        .hasMessage("DNS server 192.0.2.53:53 answered the SOA query for _mta-sts.example.com with no SOA record"
            + " (NXDOMAIN): check that it is the primary server of the zone containing _mta-sts.example.com");
  }

  @Test
  void aRefusedSoaQueryMeansNoZoneThere() {
    DnsUpdateException e = catchDns(() -> ServerAnswer.zone(SERVER, STS, answer(Rcode.REFUSED, false)));

    assertThat(e.kind()).isEqualTo(Kind.REFUSED);
    assertThat(e).hasMessage("DNS server 192.0.2.53:53 answered REFUSED to the SOA query for _mta-sts.example.com:"
        + " it serves no zone containing _mta-sts.example.com; check that it is the primary server of that zone");
  }

  @Test
  void aResolversAnswerIsNotTheZonesPrimary() {
    Message answer = answer(Rcode.NXDOMAIN, false);
    answer.addRecord(soa(ZONE), Section.AUTHORITY);

    assertThatThrownBy(() -> ServerAnswer.zone(SERVER, STS, answer))
        .hasMessage("DNS server 192.0.2.53:53 answered the SOA query for _mta-sts.example.com without authority (no"
            + " AA flag): it is not a server of that zone, perhaps a resolver; point the writer at the zone's primary"
            + " server");
  }

  @Test
  void aDelegationNamesTheChildZone() {
    Message answer = answer(Rcode.NOERROR, true);
    answer.addRecord(new NSRecord(name("mail.example.com."), DClass.IN, 60, name("ns.elsewhere.net.")),
        Section.AUTHORITY);

    assertThatThrownBy(() -> ServerAnswer.zone(SERVER, name("_mta-sts.mail.example.com."), answer))
        .hasMessage("DNS server 192.0.2.53:53 delegates mail.example.com to other servers (NS records in its answer"
            + " to the SOA query for _mta-sts.mail.example.com): send the update to the primary server of zone"
            + " mail.example.com");
  }

  @Test
  void aCnameAtTheNameCannotTakeATxtRecord() {
    Message answer = answer(Rcode.NOERROR, true);
    answer.addRecord(new CNAMERecord(STS, DClass.IN, 60, name("sts.provider.net.")), Section.ANSWER);

    DnsUpdateException e = catchDns(() -> ServerAnswer.zone(SERVER, STS, answer));

    assertThat(e.kind()).isEqualTo(Kind.NOT_AUTHORITATIVE);
    assertThat(e).hasMessage("_mta-sts.example.com is an alias (CNAME to sts.provider.net) at DNS server"
        + " 192.0.2.53:53: a TXT record cannot sit beside a CNAME, and a server drops such an update without an"
        + " error (RFC 2136 §3.4.2.2); remove the CNAME or publish at sts.provider.net");
  }

  @Test
  void txtValuesAreTheRecordsAtTheNameJoined() {
    Message answer = answer(Rcode.NOERROR, true);
    answer.addRecord(new TXTRecord(STS, DClass.IN, 60, List.of("v=STSv1; ", "id=1")), Section.ANSWER);
    answer.addRecord(new TXTRecord(name("other.example.com."), DClass.IN, 60, "not this"), Section.ANSWER);

    assertThat(ServerAnswer.txt(SERVER, STS, answer)).containsExactly("v=STSv1; id=1");
    assertThat(ServerAnswer.txt(SERVER, STS, answer(Rcode.NXDOMAIN, true))).isEmpty();
  }

  @Test
  void aTxtAnswerWithoutAuthorityIsRefused() {
    assertThatThrownBy(() -> ServerAnswer.txt(SERVER, STS, answer(Rcode.NOERROR, false)))
        .hasMessage("DNS server 192.0.2.53:53 answered the TXT query for _mta-sts.example.com without authority"
            + " (no AA flag): read the records from the zone's primary server");
  }

  @Test
  void noAnswerSaysWhetherItTimedOutOrCouldNotConnect() {
    DnsUpdateException timeout = ServerAnswer.noAnswer(SERVER, UPDATE, Duration.ofMillis(1500),
        new SocketTimeoutException("Query timed out"));
    DnsUpdateException refused = ServerAnswer.noAnswer(SERVER, UPDATE, Duration.ofSeconds(2),
        new ConnectException("Connection refused"));
    DnsUpdateException dnsjavaTimeout = ServerAnswer.noAnswer(SERVER, UPDATE, Duration.ofSeconds(2),
        new IOException("Timed out while trying to resolve example.com./SOA, id=1"));

    assertThat(timeout.kind()).isEqualTo(Kind.NO_ANSWER);
    assertThat(timeout).hasMessage("DNS server 192.0.2.53:53 did not answer " + UPDATE + " within 1500 ms: check"
        + " that it is reachable from this host over TCP and running");
    assertThat(dnsjavaTimeout).hasMessageStartingWith("DNS server 192.0.2.53:53 did not answer " + UPDATE
        + " within 2 s");
    assertThat(refused).hasMessage("could not connect to DNS server 192.0.2.53:53 for " + UPDATE
        + " (Connection refused): check the server's address and port, and that it takes DNS over TCP");
  }

  static Message answer(int rcode, boolean authoritative) {
    Message answer = new Message();
    answer.getHeader().setFlag(Flags.QR);
    if (authoritative) {
      answer.getHeader().setFlag(Flags.AA);
    }
    answer.getHeader().setRcode(rcode);
    answer.addRecord(Record.newRecord(STS, Type.SOA, DClass.IN), Section.QUESTION);
    return answer;
  }

  static SOARecord soa(Name zone) {
    return new SOARecord(zone, DClass.IN, 60, name("ns." + zone), name("hostmaster." + zone), 1, 3600, 600, 86400,
        60);
  }

  static int tsigCode(String name) {
    for (int code = 16; code < 24; code++) {
      if (Rcode.TSIGstring(code).equals(name)) {
        return code;
      }
    }
    throw new IllegalArgumentException(name);
  }

  static DnsUpdateException catchDns(Runnable call) {
    try {
      call.run();
    } catch (DnsUpdateException e) {
      return e;
    }
    throw new AssertionError("no DnsUpdateException");
  }
}
