package dev.mtasts.reports;

import dev.mtasts.tlsrpt.ReportMediaType;

/**
 * Where the receivers hand a report body: parses it, refuses what is not ours, and returns only once the report is
 * durably stored, so that a receiver acknowledges (HTTP 2xx, IMAP message marked) exactly what was stored.
 */
public interface ReportIntake {

  /**
   * @param body the request body or the MIME part, as received (gzip still compressed)
   * @param source where it came from, for logs and the stored object: "https 10.0.0.7" or "imap INBOX uid 42"
   */
  IntakeOutcome accept(byte[] body, ReportMediaType mediaType, Channel channel, String source);

  /** How the report arrived (RFC 8460 §3: an https: or a mailto: rua). */
  enum Channel { HTTPS, MAIL }
}
