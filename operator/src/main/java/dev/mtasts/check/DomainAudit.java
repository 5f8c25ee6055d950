package dev.mtasts.check;

import static dev.mtasts.rfc.RfcSection.RFC8460_3;
import static dev.mtasts.rfc.RfcSection.RFC8461_3_1;
import static dev.mtasts.rfc.RfcSection.RFC8461_4_1;
import static dev.mtasts.rfc.RfcSection.RFC8461_4_2;

import dev.mtasts.rfc.Finding;
import dev.mtasts.rfc.Mode;
import dev.mtasts.rfc.MxPattern;
import dev.mtasts.rfc.Policy;
import dev.mtasts.rfc.StsRecord;
import dev.mtasts.rfc.TlsRptRecord;
import java.net.InetAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Audits one live domain the way a sending MTA applies RFC 8461 sections 3 to 5: the {@code _mta-sts} record, the
 * policy fetched over HTTPS, the MX hosts and their STARTTLS certificates, and the {@code _smtp._tls} record.
 */
public final class DomainAudit {

  /** Everything found about one domain. */
  public record Report(String domain, Optional<Policy> policy, List<String> mxHosts, List<CheckFinding> findings) {
    public boolean hasErrors() {
      return findings.stream().anyMatch(CheckFinding::isError);
    }
  }

  private final CheckSettings settings;
  private final DnsLookup dns;
  private final SSLContext tls;
  private final PolicyUrlFetch policyUrl;
  private final Clock clock;

  public DomainAudit(CheckSettings settings, Clock clock) {
    this.settings = settings;
    this.dns = new DnsLookup(settings);
    this.tls = TrustedTls.context(settings);
    this.policyUrl = new PolicyUrlFetch(settings, dns, tls);
    this.clock = clock;
  }

  public Report check(String domain) {
    List<CheckFinding> findings = new ArrayList<>();
    checkStsRecord(domain, findings);
    Optional<Policy> policy = fetchPolicy(domain, findings);
    List<String> mxHosts = checkMx(domain, policy, findings);
    checkTlsRpt(domain, policy, findings);
    return new Report(domain, policy, mxHosts, List.copyOf(findings));
  }

  private void checkStsRecord(String domain, List<CheckFinding> findings) {
    String name = "_mta-sts." + domain;
    DnsLookup.Answer<String> txt = dns.txt(name);
    if (txt.failed()) {
      findings.add(CheckFinding.error(name, RFC8461_3_1, "the TXT lookup failed: " + txt.failure().get(),
          "make the domain's name servers answer for " + name));
      return;
    }
    if (txt.records().isEmpty()) {
      findings.add(CheckFinding.error(name, RFC8461_3_1, "no TXT record: senders see no MTA-STS policy",
          "publish a TXT record \"v=STSv1; id=<1-32 letters or digits>\" at " + name));
      return;
    }
    for (Finding f : StsRecord.parseAll(txt.records()).findings()) {
      findings.add(CheckFinding.of(within(name, f),
          "publish exactly one TXT record \"v=STSv1; id=<1-32 letters or digits>\" at " + name));
    }
  }

  private Optional<Policy> fetchPolicy(String domain, List<CheckFinding> findings) {
    PolicyUrlFetch.Result result = policyUrl.fetch(domain);
    findings.addAll(result.findings());
    return result.policy();
  }

  private List<String> checkMx(String domain, Optional<Policy> policy, List<CheckFinding> findings) {
    DnsLookup.Answer<DnsLookup.Mx> mx = dns.mx(domain);
    if (mx.failed()) {
      findings.add(CheckFinding.error(domain + " MX", RFC8461_4_1, "the MX lookup failed: " + mx.failure().get(),
          "make the domain's name servers answer MX queries"));
      return List.of();
    }
    List<String> hosts = mx.records().stream().map(DnsLookup.Mx::host).toList();
    if (hosts.isEmpty()) {
      findings.add(CheckFinding.warning(domain + " MX", RFC8461_4_1, "no MX record: mail goes to the domain's own"
          + " address, which a policy cannot name", "publish MX records for " + domain));
    }
    boolean enforcing = policy.map(p -> p.mode() == Mode.ENFORCE).orElse(false);
    List<String> uncovered = policy.map(p -> p.uncoveredHosts(hosts)).orElse(List.of());
    for (String host : hosts) {
      String where = "MX " + host;
      if (uncovered.contains(host)) {
        String message = host + " is not covered by the policy's mx patterns " + patterns(policy.get().mx())
            + (enforcing ? "; senders refuse to deliver to it" : "; senders report it");
        String fix = "add \"mx: " + host + "\" (or a one-label wildcard) to the policy, or remove the MX record";
        findings.add(enforcing ? CheckFinding.error(where, RFC8461_4_1, message, fix)
            : CheckFinding.warning(where, RFC8461_4_1, message, fix));
      }
      probe(host, findings);
    }
    return hosts;
  }

  private void probe(String host, List<CheckFinding> findings) {
    String where = "MX " + host;
    DnsLookup.Answer<InetAddress> addresses = dns.addresses(host);
    if (addresses.records().isEmpty()) {
      findings.add(CheckFinding.error(where, RFC8461_4_1, "the MX host has no address", "publish an A record for "
          + host));
      return;
    }
    StartTlsProbe.Result result = StartTlsProbe.probe(host, addresses.records().get(0), settings.smtpPort(), tls,
        millis(settings.timeout()));
    switch (result.outcome()) {
      case NO_CONNECTION -> findings.add(CheckFinding.warning(where, RFC8461_4_2, "could not connect to port "
          + settings.smtpPort() + ": " + result.detail(), "check that " + host + " accepts SMTP connections"));
      case NO_STARTTLS -> findings.add(CheckFinding.error(where, RFC8461_4_2, result.detail()
          + "; senders applying the policy cannot deliver to it", "enable STARTTLS on " + host));
      case EXPIRED -> findings.add(CheckFinding.error(where, RFC8461_4_2, result.detail(),
          "renew the certificate of " + host));
      case UNTRUSTED -> findings.add(CheckFinding.error(where, RFC8461_4_2, result.detail(),
          "give " + host + " a certificate from a publicly trusted CA, with its full chain"));
      case TLS -> checkCertificate(host, result.certificate().orElseThrow(), findings);
    }
  }

  private void checkCertificate(String host, X509Certificate certificate, List<CheckFinding> findings) {
    String where = "MX " + host;
    List<String> names = dnsNames(certificate);
    if (names.stream().noneMatch(name -> nameMatches(name, host))) {
      findings.add(CheckFinding.error(where, RFC8461_4_1, "the STARTTLS certificate names " + names + ", not "
          + host, "give " + host + " a certificate whose subjectAltName includes " + host));
    }
    Instant notAfter = certificate.getNotAfter().toInstant();
    Duration left = Duration.between(clock.instant(), notAfter);
    if (left.compareTo(settings.certificateWarning()) < 0) {
      findings.add(CheckFinding.warning(where, RFC8461_4_2, "the STARTTLS certificate expires on " + notAfter
          + " (in " + left.toDays() + " days)", "renew the certificate of " + host));
    }
  }

  private void checkTlsRpt(String domain, Optional<Policy> policy, List<CheckFinding> findings) {
    String name = "_smtp._tls." + domain;
    DnsLookup.Answer<String> txt = dns.txt(name);
    if (txt.records().isEmpty()) {
      boolean testing = policy.map(p -> p.mode() == Mode.TESTING).orElse(false);
      findings.add(CheckFinding.warning(name, RFC8460_3, "no TLS-RPT record" + (testing
          ? ": in testing mode nobody learns of failures" : ": nobody learns of TLS failures"),
          "publish \"v=TLSRPTv1; rua=mailto:tlsrpt@" + domain + "\" at " + name));
      return;
    }
    for (Finding f : TlsRptRecord.parseAll(txt.records()).findings()) {
      findings.add(CheckFinding.of(within(name, f), "publish exactly one \"v=TLSRPTv1; rua=...\" record at " + name));
    }
  }

  /** A certificate name matches a host as RFC 6125 wildcards do: "*" stands for the whole leftmost label. */
  static boolean nameMatches(String certificateName, String host) {
    String name = certificateName.toLowerCase(Locale.ROOT);
    String target = host.toLowerCase(Locale.ROOT);
    if (name.startsWith("*.")) {
      int dot = target.indexOf('.');
      return dot > 0 && target.substring(dot + 1).equals(name.substring(2));
    }
    return name.equals(target);
  }

  static List<String> dnsNames(X509Certificate certificate) {
    try {
      Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
      if (sans == null) {
        return List.of();
      }
      return sans.stream().filter(s -> Integer.valueOf(2).equals(s.get(0))).map(s -> (String) s.get(1)).toList();
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }

  private static Finding within(String where, Finding f) {
    return new Finding(f.severity(), where + ": " + f.location(), f.rule(), f.message());
  }

  private static String patterns(List<MxPattern> mx) {
    return mx.stream().map(MxPattern::value).toList().toString();
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
  }
}
