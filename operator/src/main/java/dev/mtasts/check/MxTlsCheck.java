package dev.mtasts.check;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/**
 * Probes one MX host as a sender enforcing MTA-STS does (RFC 8461 §4.1, §4.2): each of its addresses from DNS,
 * STARTTLS on the SMTP port, a chain to a trusted root, a certificate valid now and naming the host. The operator's
 * rollout gate reuses it; the verdicts are the ones the gate reports.
 */
public final class MxTlsCheck {

  /** How the probe of a host ended: VALID, or the first problem a sender would refuse the host for. */
  public enum Verdict { VALID, NO_STARTTLS, WRONG_NAME, EXPIRED, UNTRUSTED, UNREACHABLE }

  /** The verdict and a sentence that names the host and what was found. */
  public record Result(String host, Verdict verdict, String detail) {}

  private final CheckSettings settings;
  private final DnsLookup dns;
  private final SSLContext tls;

  /** Resolver, trusted CAs, timeout (for each query, connection and read) and SMTP port from the settings. */
  public MxTlsCheck(CheckSettings settings) {
    this.settings = settings;
    this.dns = new DnsLookup(settings);
    this.tls = TrustedTls.context(settings);
  }

  public Result probe(String mxHost) {
    String host = mxHost.toLowerCase(Locale.ROOT);
    DnsLookup.Answer<InetAddress> addresses = dns.addresses(host);
    if (addresses.records().isEmpty()) {
      return new Result(host, Verdict.UNREACHABLE, host + " has no address"
          + addresses.failure().map(f -> " (the A lookup failed: " + f + ")").orElse(""));
    }
    // A sender may pick any address, so every one must pass; the first that fails is reported.
    Result last = null;
    for (InetAddress address : addresses.records()) {
      last = probe(host, address);
      if (last.verdict() != Verdict.VALID) {
        return last;
      }
    }
    return last;
  }

  private Result probe(String host, InetAddress address) {
    StartTlsProbe.Result result = StartTlsProbe.probe(host, address, settings.smtpPort(), tls,
        millis(settings.timeout()));
    return switch (result.outcome()) {
      case NO_CONNECTION -> new Result(host, Verdict.UNREACHABLE, "cannot reach " + result.detail());
      case NO_STARTTLS -> new Result(host, Verdict.NO_STARTTLS, result.detail());
      case EXPIRED -> new Result(host, Verdict.EXPIRED, result.detail());
      case UNTRUSTED -> new Result(host, Verdict.UNTRUSTED, result.detail());
      case TLS -> {
        List<String> names = DomainAudit.dnsNames(result.certificate().orElseThrow());
        yield names.stream().anyMatch(name -> DomainAudit.nameMatches(name, host))
            ? new Result(host, Verdict.VALID, result.detail() + " with a valid certificate for " + host)
            : new Result(host, Verdict.WRONG_NAME, host + ": the STARTTLS certificate names " + names + ", not "
                + host);
      }
    };
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
  }
}
