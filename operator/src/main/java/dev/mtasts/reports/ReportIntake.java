package dev.mtasts.reports;

import dev.mtasts.tlsrpt.ReportMediaType;
import java.util.Optional;

/**
 * Where the receivers hand a report body: parses it, refuses what is not ours, and returns only once the report is
 * durably stored, so that a receiver acknowledges (HTTP 2xx, IMAP message marked) exactly what was stored.
 */
public interface ReportIntake {

  /**
   * @param body the request body or the MIME part, as received (gzip still compressed)
   * @param source where it came from, for logs and the stored object: "https 10.0.0.7" or "imap INBOX uid 42"
   * @param policyHost for a report POSTed over HTTPS, the host it was POSTed to as the policy server forwarded it
   *     ({@code mta-sts.<domain>}, lower case, without a port); empty for mail. The intake refuses (NOT_OURS) a
   *     report whose policy-domain is not that host's domain, so one domain cannot file reports for another.
   */
  IntakeOutcome accept(byte[] body, ReportMediaType mediaType, Channel channel, String source,
      Optional<String> policyHost);

  /** How the report arrived (RFC 8460 §3: an https: or a mailto: rua). */
  enum Channel { HTTPS, MAIL }
}
