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

  /** Lowercase hex SHA-256 of a served body's UTF-8 bytes. */
  public static String ofBody(String body) {
    return ofBytes(body.getBytes(StandardCharsets.UTF_8));
  }

  /** Lowercase hex SHA-256 of the bytes a web server answered, as they came: not decoded, so nothing is lost. */
  public static String ofBytes(byte[] body) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(body));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (java.security.MessageDigest javadoc).
      throw new IllegalStateException(e);
    }
  }
}
