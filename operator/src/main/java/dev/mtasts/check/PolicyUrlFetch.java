package dev.mtasts.check;

import static dev.mtasts.rfc.RfcSection.RFC8461_3_3;

import dev.mtasts.rfc.Finding;
import dev.mtasts.rfc.ParseResult;
import dev.mtasts.rfc.Policy;
import dev.mtasts.rfc.PolicyParser;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Fetches a domain's policy at {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} as a sender does (RFC 8461
 * §3.3): the address from DNS, TLS valid for the policy host, no redirect, 200, {@code text/plain}, at most 64 KiB,
 * a policy that parses. Shared by {@code check} and the operator's gate before a new id.
 */
public final class PolicyUrlFetch {

  /** How the fetch ended. */
  public enum Outcome {
    /** A policy that a sender accepts: body holds its bytes. */
    FETCHED,
    /** DNS gives the policy host no address: no sender can fetch it. */
    NO_ADDRESS,
    /** No connection (refused, timed out): from here; senders elsewhere may still connect. */
    UNREACHABLE,
    /** An answer a sender refuses: an invalid certificate, a redirect, another status, type or a broken policy. */
    REFUSED
  }

  /** What the fetch found; findings say why in the terms {@code check} prints. */
  public record Result(String url, Outcome outcome, Optional<byte[]> body, Optional<Policy> policy,
      List<CheckFinding> findings) {
    public Result {
      findings = List.copyOf(findings);
    }

    /** One line for a condition message: the first error, or what was fetched. */
    public String summary() {
      return findings.stream().filter(CheckFinding::isError).findFirst()
          .map(f -> url + ": " + f.finding().message())
          .orElseGet(() -> url + " serves " + body.map(b -> b.length).orElse(0) + " bytes over valid TLS");
    }
  }

  private static final String PATH = "/.well-known/mta-sts.txt";

  private final CheckSettings settings;
  private final DnsLookup dns;
  private final SSLContext tls;

  public PolicyUrlFetch(CheckSettings settings) {
    this(settings, new DnsLookup(settings), TrustedTls.context(settings));
  }

  PolicyUrlFetch(CheckSettings settings, DnsLookup dns, SSLContext tls) {
    this.settings = settings;
    this.dns = dns;
    this.tls = tls;
  }

  public Result fetch(String domain) {
    String host = "mta-sts." + domain;
    String url = "https://" + host + PATH;
    List<CheckFinding> findings = new ArrayList<>();
    DnsLookup.Answer<InetAddress> addresses = dns.addresses(host);
    if (addresses.records().isEmpty()) {
      findings.add(CheckFinding.error(host, RFC8461_3_3, "the policy host has no address"
          + addresses.failure().map(f -> " (" + f + ")").orElse(""), "publish an A record for " + host));
      return new Result(url, Outcome.NO_ADDRESS, Optional.empty(), Optional.empty(), findings);
    }
    PolicyFetch.Response response;
    try {
      response = PolicyFetch.get(host, addresses.records().get(0), 443, PATH, tls,
          (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis()), CheckSettings.MAX_POLICY_BYTES);
    } catch (SSLException e) {
      findings.add(CheckFinding.error(url, RFC8461_3_3, "the HTTPS certificate is not valid for " + host + ": "
          + StartTlsProbe.rootCause(e), "serve " + host + " with a publicly trusted certificate that names it"));
      return new Result(url, Outcome.REFUSED, Optional.empty(), Optional.empty(), findings);
    } catch (IOException | RuntimeException e) {
      findings.add(CheckFinding.error(url, RFC8461_3_3, "the policy could not be fetched: "
          + StartTlsProbe.rootCause(e), "serve the policy over HTTPS at " + url));
      Outcome outcome = e instanceof ConnectException || e instanceof NoRouteToHostException
          || e instanceof SocketTimeoutException ? Outcome.UNREACHABLE : Outcome.REFUSED;
      return new Result(url, outcome, Optional.empty(), Optional.empty(), findings);
    }
    Optional<Policy> policy = judge(url, response, findings);
    boolean accepted = findings.stream().noneMatch(CheckFinding::isError);
    return new Result(url, accepted ? Outcome.FETCHED : Outcome.REFUSED,
        accepted ? Optional.of(response.body()) : Optional.empty(), policy, findings);
  }

  /** What senders make of a fetched policy response (RFC 8461 §3.3 and §3.2); the body stays bytes throughout. */
  static Optional<Policy> judge(String url, PolicyFetch.Response response, List<CheckFinding> findings) {
    if (response.status() >= 300 && response.status() < 400) {
      findings.add(CheckFinding.error(url, RFC8461_3_3, "HTTP " + response.status() + " redirect to "
          + response.headers().getOrDefault("location", "(no Location)") + "; senders do not follow redirects",
          "serve the policy itself at " + url));
      return Optional.empty();
    }
    if (response.status() != 200) {
      findings.add(CheckFinding.error(url, RFC8461_3_3, "HTTP " + response.status() + " instead of 200",
          "serve the policy at " + url));
      return Optional.empty();
    }
    if (response.truncated()) {
      findings.add(CheckFinding.error(url, RFC8461_3_3, "the policy is larger than "
          + CheckSettings.MAX_POLICY_BYTES / 1024 + " KiB, more than senders read", "serve a policy file under 64 KiB"));
      return Optional.empty();
    }
    String type = response.headers().getOrDefault("content-type", "(none)");
    if (!type.toLowerCase(Locale.ROOT).split(";")[0].trim().equals("text/plain")) {
      findings.add(CheckFinding.error(url, RFC8461_3_3, "Content-Type is " + type + ", not text/plain",
          "serve the policy as text/plain"));
    }
    ParseResult<Policy> parsed = PolicyParser.parse(response.body());
    for (Finding f : parsed.findings()) {
      findings.add(CheckFinding.of(new Finding(f.severity(), "policy: " + f.location(), f.rule(), f.message()),
          "fix the policy file served at " + url));
    }
    return parsed.value();
  }
}
