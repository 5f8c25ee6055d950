package dev.mtasts.dnsupdate;

import static dev.mtasts.dnsupdate.TxtUpdateMessage.text;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Publishes TXT records ({@code _mta-sts.<domain>}, {@code _smtp._tls.<domain>}) on a zone's primary DNS server
 * with RFC 2136 dynamic updates signed with a TSIG key (RFC 8945), and reads them back from that server.
 *
 * <p>Every exchange goes over TCP: an update with long values outgrows a 512-byte UDP message, and TCP needs no
 * truncation retry. Queries are not signed (servers answer them to anyone); updates and their answers are. Each
 * method throws {@link DnsUpdateException} when the server refuses or does not answer, and
 * IllegalArgumentException for a name or value no TXT record can hold. Safe for concurrent use.
 */
public final class TxtRecordWriter {

  private final InetSocketAddress server;
  private final TsigKey key;
  private final Duration timeout;
  private final SimpleResolver updates;
  private final SimpleResolver queries;

  /**
   * @param server the zone's primary server, the one that takes updates (often not the one senders ask)
   * @param key the TSIG key the server's update ACL allows for the zone
   * @param timeout for each exchange with the server (one query or one update, connection included)
   */
  public TxtRecordWriter(InetSocketAddress server, TsigKey key, Duration timeout) {
    if (server == null || key == null || timeout == null) {
      throw new IllegalArgumentException((server == null ? "server" : key == null ? "key" : "timeout")
          + ": is missing");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " is not positive");
    }
    this.server = server;
    this.key = key;
    this.timeout = timeout;
    this.updates = resolver(server, timeout);
    this.updates.setTSIGKey(new TSIG(TSIG.algorithmToName(key.algorithm()), absolute(key.name()), key.secret()));
    this.queries = resolver(server, timeout);
  }

  /** The apex of the zone name is in at this server, e.g. "example.com" for "_mta-sts.mail.example.com". */
  public String zoneOf(String name) {
    return text(zone(absolute(name)));
  }

  /**
   * Makes values the TXT records at name, with this TTL, in one update of name's zone: any other TXT value there
   * is gone at the same moment. A value over 255 bytes becomes several strings of one record.
   */
  public void replace(String name, List<String> values, Duration ttl) {
    Name owner = absolute(name);
    Name zone = zone(owner);
    send(zone, TxtUpdateMessage.replace(zone, owner, values, ttl));
  }

  /** Removes every TXT record at name; nothing to remove is no error. */
  public void delete(String name) {
    Name owner = absolute(name);
    Name zone = zone(owner);
    send(zone, TxtUpdateMessage.delete(zone, owner));
  }

  /** The TXT values at name as this server answers now, each record's strings joined; empty if none. */
  public List<String> read(String name) {
    Name owner = absolute(name);
    Message answer = query(owner, Type.TXT, "the TXT query for " + text(owner));
    return ServerAnswer.txt(serverText(), owner, answer);
  }

  @Override
  public String toString() {
    return "TxtRecordWriter[" + serverText() + ", key " + key.describe() + ", timeout " + timeout + "]";
  }

  private Name zone(Name name) {
    Message answer = query(name, Type.SOA, "the SOA query for " + text(name));
    return ServerAnswer.zone(serverText(), name, answer);
  }

  private Message query(Name name, int type, String exchange) {
    try {
      return queries.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
    } catch (IOException e) {
      throw ServerAnswer.noAnswer(serverText(), exchange, timeout, e);
    }
  }

  private void send(Name zone, Update update) {
    Message answer;
    try {
      answer = updates.send(update);
    } catch (IOException e) {
      throw ServerAnswer.noAnswer(serverText(), "the update of zone " + text(zone) + " signed with TSIG key "
          + key.describe(), timeout, e);
    }
    TSIGRecord signature = answer.getTSIG();
    int tsigError = signature == null ? Rcode.NOERROR : signature.getError();
    ServerAnswer.ofUpdate(serverText(), zone, key, answer.getRcode(), tsigError, answer.isVerified())
        .ifPresent(e -> {
          throw e;
        });
  }

  /** The server, as messages name it: host:port, an IPv6 host in brackets. */
  public String server() {
    return serverText();
  }

  private String serverText() {
    String host = server.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + server.getPort();
  }

  private static SimpleResolver resolver(InetSocketAddress server, Duration timeout) {
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTCP(true);
    resolver.setTimeout(timeout);
    return resolver;
  }

  private static Name absolute(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name: is missing");
    }
    try {
      return Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("name: \"" + name + "\" is not a DNS name: " + e.getMessage(), e);
    }
  }
}
