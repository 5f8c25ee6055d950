package dev.mtasts.rfc;

/** Writes a policy as the exact body we serve at /.well-known/mta-sts.txt. */
public final class PolicyRenderer {

  // RFC 8461 §3.2 prose says "CRLF-separated" while its ABNF accepts LF or CRLF; CRLF satisfies both readings.
  static final String CRLF = "\r\n";

  private PolicyRenderer() {
  }

  /** version, mode, one mx line per pattern in the policy's order, max_age, then extensions; every line ends in CRLF. */
  public static String render(Policy policy) {
    StringBuilder body = new StringBuilder();
    line(body, "version", "STSv1");
    line(body, "mode", policy.mode().token());
    policy.mx().forEach(mx -> line(body, "mx", mx.value()));
    line(body, "max_age", Long.toString(policy.maxAgeSeconds()));
    policy.extensions().forEach(e -> line(body, e.name(), e.value()));
    return body.toString();
  }

  private static void line(StringBuilder body, String name, String value) {
    // The final line is terminated too: the ABNF allows it, and line-oriented readers expect it.
    body.append(name).append(": ").append(value).append(CRLF);
  }
}
