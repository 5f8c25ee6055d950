package dev.mtasts.rfc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a policy body as senders see it, so a change in meaning (and only that) changes the hash. */
public final class PolicyHash {

  private PolicyHash() {
  }

  /** Lowercase hex SHA-256 of the served body of the canonical policy: mx order, repeats and case do not count. */
  public static String of(Policy policy) {
    return ofBody(PolicyRenderer.render(policy.canonical()));
  }

  /** Lowercase hex SHA-256 of a served body's UTF-8 bytes, e.g. one fetched back from the web server. */
  public static String ofBody(String body) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (java.security.MessageDigest javadoc).
      throw new IllegalStateException(e);
    }
  }
}
