package dev.mtasts.publication;

import java.time.Instant;
import java.util.Locale;

/**
 * What the operator's own STARTTLS probe of one MX host found, and when. TLS reports can be forged, so a rollout
 * gate to enforce needs this evidence too: a sender enforcing the policy delivers only over STARTTLS with a
 * certificate valid for the MX name and chained to a trusted root (RFC 8461 §4.1, §4.2).
 *
 * @param host the MX host name, in lower case (RFC 4343)
 * @param verdict passed, or the first problem found
 * @param detail a sentence naming the host and what was found, for a condition message
 * @param probedAt when the probe ended
 */
public record MxTlsProbe(String host, Verdict verdict, String detail, Instant probedAt) {

  /** How a probe ended: PASSED, or the first thing a sender enforcing the policy would refuse. */
  public enum Verdict {
    /** STARTTLS offered, a chain to a trusted root, valid now and for the host's name. */
    PASSED,
    /** The host answers SMTP but does not offer STARTTLS. */
    NO_STARTTLS,
    /** The certificate is trusted but names neither the host nor a wildcard covering it (RFC 6125). */
    WRONG_NAME,
    /** The certificate's validity period has ended. */
    EXPIRED,
    /** The chain does not lead to a trusted root, or the TLS handshake failed otherwise. */
    UNTRUSTED,
    /** No address, no connection, or no SMTP dialogue: from the operator; senders elsewhere may still connect. */
    UNREACHABLE
  }

  public MxTlsProbe {
    host = host.toLowerCase(Locale.ROOT);
  }

  public boolean passed() {
    return verdict == Verdict.PASSED;
  }
}
