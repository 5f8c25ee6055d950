package dev.mtasts.dnsupdate;

import static dev.mtasts.dnsupdate.TxtUpdateMessage.text;

import dev.mtasts.dnsupdate.DnsUpdateException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/**
 * Reads what a DNS server answered to {@link TxtRecordWriter}: the zone, the TXT values, or a
 * {@link DnsUpdateException} saying what to check. No I/O, so every answer a server can give is testable.
 */
final class ServerAnswer {

  /** RFC 8945 §5.2.3: the time signed may differ from the server's clock by the fudge, 300 s as dnsjava sends. */
  private static final long FUDGE_SECONDS = 300;

  private ServerAnswer() {
  }

  /**
   * Why an update failed, or empty when the server applied it: NOERROR with an answer signed by our key.
   *
   * @param tsigError the error field of the answer's TSIG record (RFC 8945 §4.2), {@link Rcode#NOERROR} if none
   * @param verified whether the answer carries a valid signature of our key
   */
  static Optional<DnsUpdateException> ofUpdate(String server, Name zone, TsigKey key, int rcode, int tsigError,
      boolean verified) {
    String update = "the update of zone " + text(zone) + " signed with TSIG key " + key.describe();
    String answered = "answering " + Rcode.string(rcode)
        + (tsigError == Rcode.NOERROR ? "" : " with TSIG error " + Rcode.TSIGstring(tsigError));
    String at = "DNS server " + server;
    if (rcode == Rcode.NOERROR) {
      if (verified) {
        return Optional.empty();
      }
      return Optional.of(new DnsUpdateException(Kind.KEY_NOT_ACCEPTED, at + " answered NOERROR to " + update
          + " without a valid signature of that key, so the answer cannot be trusted and the records may or may"
          + " not have changed: check that the server has the same secret for " + key.name()));
    }
    if (tsigError == Rcode.BADSIG) {
      return Optional.of(new DnsUpdateException(Kind.KEY_NOT_ACCEPTED, at + " rejected the signature on " + update
          + ", " + answered + ": check that the key's secret is the one the server has for " + key.name()));
    }
    if (tsigError == Rcode.BADKEY) {
      // Knot answers BADKEY both for a key it does not have and for a key its ACL does not allow.
      return Optional.of(new DnsUpdateException(Kind.KEY_NOT_ACCEPTED, at + " did not accept the key of " + update
          + ", " + answered + ": check that the server has a key named " + key.name() + " with algorithm "
          + key.algorithm() + " and that its update ACL for zone " + text(zone) + " allows that key"));
    }
    if (tsigError == Rcode.BADTIME) {
      return Optional.of(new DnsUpdateException(Kind.KEY_NOT_ACCEPTED, at + " rejected the signing time of " + update
          + ", " + answered + ": check that this host's clock and the server's agree within " + FUDGE_SECONDS
          + " seconds (RFC 8945 §5.2.3)"));
    }
    if (tsigError != Rcode.NOERROR) {
      return Optional.of(new DnsUpdateException(Kind.KEY_NOT_ACCEPTED, at + " rejected the signature on " + update
          + ", " + answered + ": check the key's name, algorithm and secret at the server"));
    }
    return Optional.of(switch (rcode) {
      case Rcode.REFUSED -> new DnsUpdateException(Kind.REFUSED, at + " refused " + update + ", " + answered
          + ": check that its update ACL for zone " + text(zone) + " allows key " + key.name() + " from this host;"
          + " PowerDNS also answers REFUSED when it has no key " + key.name() + " with algorithm "
          + key.algorithm() + " and this secret");
      case Rcode.NOTAUTH -> new DnsUpdateException(Kind.NOT_AUTHORITATIVE, at + " is not authoritative for "
          + update + ", " + answered + ": check that it is the primary server of zone " + text(zone)
          + ", the one that takes its updates");
      case Rcode.NOTZONE -> new DnsUpdateException(Kind.NOT_AUTHORITATIVE, at + " found a name outside the zone in "
          + update + ", " + answered + ": check that " + text(zone) + " is the apex of a zone the server serves");
      case Rcode.NOTIMP -> new DnsUpdateException(Kind.SERVER_FAILURE, at + " does not take dynamic updates (RFC"
          + " 2136) for " + update + ", " + answered + ": enable them for zone " + text(zone)
          + " (PowerDNS: dnsupdate=yes)");
      case Rcode.SERVFAIL -> new DnsUpdateException(Kind.SERVER_FAILURE, at + " failed to apply " + update + ", "
          + answered + ": check the server's log");
      default -> new DnsUpdateException(Kind.SERVER_FAILURE, at + " did not apply " + update + ", " + answered
          + ": check the server's log");
    });
  }

  /**
   * The zone name belongs to, from the answer to an SOA query for it: the SOA itself at a zone's apex, else the
   * SOA an authoritative server puts in the authority section of a negative answer (RFC 2308 §3).
   */
  static Name zone(String server, Name name, Message answer) {
    String query = "the SOA query for " + text(name);
    String at = "DNS server " + server;
    int rcode = answer.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      throw new DnsUpdateException(rcode == Rcode.REFUSED ? Kind.REFUSED : Kind.NOT_AUTHORITATIVE, at
          + " answered " + Rcode.string(rcode) + " to " + query + ": it serves no zone containing " + text(name)
          + "; check that it is the primary server of that zone");
    }
    for (Record record : answer.getSection(Section.ANSWER)) {
      if (record instanceof CNAMERecord cname && record.getName().equals(name)) {
        // RFC 2136 §3.4.2.2: an add of other data at a CNAME is silently ignored, so the update would "succeed".
        throw new DnsUpdateException(Kind.NOT_AUTHORITATIVE, text(name) + " is an alias (CNAME to "
            + text(cname.getTarget()) + ") at " + at + ": a TXT record cannot sit beside a CNAME, and a server"
            + " drops such an update without an error (RFC 2136 §3.4.2.2); remove the CNAME or publish at "
            + text(cname.getTarget()));
      }
    }
    if (!answer.getHeader().getFlag(Flags.AA)) {
      throw new DnsUpdateException(Kind.NOT_AUTHORITATIVE, at + " answered " + query + " without authority (no AA"
          + " flag): it is not a server of that zone, perhaps a resolver; point the writer at the zone's primary"
          + " server");
    }
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
      for (Record record : answer.getSection(section)) {
        if (record instanceof SOARecord && name.subdomain(record.getName())) {
          return record.getName();
        }
      }
    }
    Optional<Name> cut = answer.getSection(Section.AUTHORITY).stream()
        .filter(r -> r instanceof NSRecord).map(Record::getName).findFirst();
    if (cut.isPresent()) {
      throw new DnsUpdateException(Kind.NOT_AUTHORITATIVE, at + " delegates " + text(cut.get())
          + " to other servers (NS records in its answer to " + query + "): send the update to the primary server"
          + " of zone " + text(cut.get()));
    }
    throw new DnsUpdateException(Kind.NOT_AUTHORITATIVE, at + " answered " + query + " with no SOA record ("
        + Rcode.string(rcode) + "): check that it is the primary server of the zone containing " + text(name));
  }

  /** The TXT values at name in the answer to a TXT query, each record's strings joined; none for NXDOMAIN. */
  static List<String> txt(String server, Name name, Message answer) {
    String at = "DNS server " + server;
    int rcode = answer.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      throw new DnsUpdateException(rcode == Rcode.REFUSED ? Kind.REFUSED : Kind.SERVER_FAILURE, at + " answered "
          + Rcode.string(rcode) + " to the TXT query for " + text(name) + ": check that it serves the zone of "
          + text(name));
    }
    if (!answer.getHeader().getFlag(Flags.AA)) {
      // A resolver's answer may come from its cache: it proves nothing about what the primary holds now.
      throw new DnsUpdateException(Kind.NOT_AUTHORITATIVE, at + " answered the TXT query for " + text(name)
          + " without authority (no AA flag): read the records from the zone's primary server");
    }
    return answer.getSection(Section.ANSWER).stream()
        .filter(r -> r instanceof TXTRecord && r.getName().equals(name))
        .map(r -> TxtUpdateMessage.value((TXTRecord) r))
        .toList();
  }

  /** The server did not answer: a timeout, a refused connection, or another I/O error. */
  static DnsUpdateException noAnswer(String server, String exchange, Duration timeout, IOException e) {
    String at = "DNS server " + server;
    if (e instanceof ConnectException) {
      return new DnsUpdateException(Kind.NO_ANSWER, "could not connect to " + at + " for " + exchange + " ("
          + e.getMessage() + "): check the server's address and port, and that it takes DNS over TCP", e);
    }
    boolean timedOut = e instanceof SocketTimeoutException
        || (e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("timed out"));
    if (timedOut) {
      return new DnsUpdateException(Kind.NO_ANSWER, at + " did not answer " + exchange + " within "
          + seconds(timeout) + ": check that it is reachable from this host over TCP and running", e);
    }
    return new DnsUpdateException(Kind.NO_ANSWER, at + " gave no answer to " + exchange + " (" + e + "): check"
        + " that it is reachable from this host over TCP and running", e);
  }

  private static String seconds(Duration timeout) {
    return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
  }
}
