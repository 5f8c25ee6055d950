package dev.mtasts.check;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** DNS as a sender sees it, through dnsjava, so that a test can point it at its own authoritative server. */
final class DnsLookup {

  /** What a lookup found: records, no such name or data, or a failure (timeout, SERVFAIL). */
  record Answer<T>(List<T> records, Optional<String> failure) {
    boolean failed() {
      return failure.isPresent();
    }

    <U> Answer<U> map(java.util.function.Function<T, U> f) {
      return new Answer<>(records.stream().map(f).toList(), failure);
    }
  }

  /** One MX record. */
  record Mx(int preference, String host) {}

  private final Resolver resolver;

  DnsLookup(CheckSettings settings) {
    Resolver base = settings.resolver().isPresent()
        ? new SimpleResolver(settings.resolver().get())
        : new ExtendedResolver();
    base.setTimeout(settings.timeout());
    this.resolver = base;
  }

  /** Asks one server only, such as one of a zone's authoritative servers. */
  DnsLookup(InetSocketAddress server, Duration timeout) {
    Resolver one = new SimpleResolver(server);
    one.setTimeout(timeout);
    this.resolver = one;
  }

  /** TXT records at name, each as its strings joined (RFC 8461 §3.1: "concatenated"). */
  Answer<String> txt(String name) {
    return lookup(name, Type.TXT).map(r -> String.join("", ((TXTRecord) r).getStrings()));
  }

  Answer<Mx> mx(String domain) {
    Answer<Mx> answer = lookup(domain, Type.MX).map(r -> {
      MXRecord mx = (MXRecord) r;
      return new Mx(mx.getPriority(), hostName(mx.getTarget()));
    });
    return new Answer<>(answer.records().stream().sorted(Comparator.comparingInt(Mx::preference)
        .thenComparing(Mx::host)).toList(), answer.failure());
  }

  /** The name servers of a zone apex, or none where the name is not an apex. */
  Answer<String> nameServers(String name) {
    return lookup(name, Type.NS).map(r -> hostName(((NSRecord) r).getTarget()));
  }

  Answer<InetAddress> addresses(String host) {
    return lookup(host, Type.A).map(r -> ((ARecord) r).getAddress());
  }

  private Answer<Record> lookup(String name, int type) {
    try {
      Lookup lookup = new Lookup(Name.fromString(name.endsWith(".") ? name : name + "."), type);
      lookup.setResolver(resolver);
      lookup.setCache(null);
      Record[] records = lookup.run();
      return switch (lookup.getResult()) {
        case Lookup.SUCCESSFUL -> new Answer<>(List.of(records), Optional.empty());
        case Lookup.HOST_NOT_FOUND, Lookup.TYPE_NOT_FOUND -> new Answer<>(List.of(), Optional.empty());
        default -> new Answer<>(List.of(), Optional.of(lookup.getErrorString()));
      };
    } catch (TextParseException e) {
      return new Answer<>(List.of(), Optional.of("\"" + name + "\" is not a DNS name"));
    }
  }

  private static String hostName(Name name) {
    String text = name.toString(true);
    return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
  }
}
