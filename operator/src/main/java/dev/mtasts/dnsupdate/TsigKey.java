package dev.mtasts.dnsupdate;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A TSIG key (RFC 8945) that signs the dynamic updates, as the DNS server's operator hands it out: the key's name,
 * its HMAC algorithm and the base64 secret. The name is stored without a trailing dot, the algorithm in lower case;
 * the secret never appears in {@link #toString()} or in an error message.
 *
 * @param name the key's name, a DNS name such as {@code mtasts-operator} or {@code mtasts.example.com}
 * @param algorithm one of {@link #ALGORITHMS}
 * @param secret the shared secret, base64 (RFC 4648 §4) as Knot's, BIND's and PowerDNS's key files write it
 */
public record TsigKey(String name, String algorithm, String secret) {

  /**
   * The HMAC algorithms Knot, PowerDNS, BIND and dnsjava all sign with. RFC 8945 §6 deprecates hmac-md5 and
   * leaves the truncated variants (hmac-sha256-128 ...) optional; Knot has none of them.
   */
  public static final List<String> ALGORITHMS =
      List.of("hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512");

  private static final int LABEL_LIMIT = 63;
  private static final int NAME_LIMIT = 253;
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/=]");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?");

  public TsigKey {
    List<String> problems = problems(name, algorithm, secret);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("TSIG key: " + String.join("; ", problems));
    }
    name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    algorithm = algorithm.toLowerCase(Locale.ROOT);
  }

  /**
   * Every problem with these fields, each as {@code <field>: <problem>} (fields {@code name}, {@code algorithm},
   * {@code secret}), or an empty list when they make a key. For callers that report all their settings at once.
   */
  public static List<String> problems(String name, String algorithm, String secret) {
    List<String> problems = new ArrayList<>();
    nameProblem(name).ifPresent(p -> problems.add("name: " + p));
    algorithmProblem(algorithm).ifPresent(p -> problems.add("algorithm: " + p));
    secretProblem(secret).ifPresent(p -> problems.add("secret: " + p));
    return problems;
  }

  /** The key's name as the servers' configuration and messages show it, with its algorithm: never the secret. */
  public String describe() {
    return name + " (" + algorithm + ")";
  }

  @Override
  public String toString() {
    return "TsigKey[name=" + name + ", algorithm=" + algorithm + ", secret=(hidden)]";
  }

  private static Optional<String> nameProblem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("is missing; give the key's name as the DNS server knows it");
    }
    String quoted = "\"" + name + "\"";
    String bare = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (bare.isEmpty()) {
      return Optional.of(quoted + " is the root; give the key's name as the DNS server knows it");
    }
    // RFC 1035 §2.3.4: 63 octets a label, 255 a name on the wire, which is 253 characters written out.
    if (bare.length() > NAME_LIMIT) {
      return Optional.of(quoted + " is " + bare.length() + " characters long, over the " + NAME_LIMIT
          + " a DNS name can have (RFC 1035 §2.3.4)");
    }
    for (String label : bare.split("\\.", -1)) {
      if (label.isEmpty()) {
        return Optional.of(quoted + " has an empty label");
      }
      if (label.length() > LABEL_LIMIT) {
        return Optional.of(quoted + ": label \"" + label + "\" is " + label.length()
            + " characters long, over the " + LABEL_LIMIT + " a DNS label can have (RFC 1035 §2.3.4)");
      }
      // Key names are DNS names (RFC 8945 §4.2); servers' configuration files take them unquoted, so only the
      // letters, digits, "-" and "_" every one of them reads back unchanged.
      if (!LABEL.matcher(label).matches()) {
        return Optional.of(quoted + ": label \"" + label + "\" may hold only letters, digits, \"-\" and"
            + " \"_\", and may not begin or end with \"-\"");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> algorithmProblem(String algorithm) {
    if (algorithm == null || algorithm.isEmpty()) {
      return Optional.of("is missing; one of " + String.join(", ", ALGORITHMS));
    }
    String lower = algorithm.toLowerCase(Locale.ROOT);
    if (ALGORITHMS.contains(lower)) {
      return Optional.empty();
    }
    String quoted = "\"" + algorithm + "\"";
    if (lower.equals("hmac-md5") || lower.equals("hmac-md5.sig-alg.reg.int")) {
      return Optional.of(quoted + " is deprecated (RFC 8945 §6); use one of " + String.join(", ", ALGORITHMS));
    }
    return Optional.of(quoted + " is not one of " + String.join(", ", ALGORITHMS) + " (RFC 8945 §6 names)");
  }

  private static Optional<String> secretProblem(String secret) {
    if (secret == null || secret.isEmpty()) {
      return Optional.of("is missing; give the key's base64 secret");
    }
    // The secret itself is never echoed: a near-miss of the real one is still most of it.
    if (secret.chars().anyMatch(Character::isWhitespace)) {
      return Optional.of("contains whitespace; give the base64 text on one line without spaces");
    }
    for (int i = 0; i < secret.length(); i++) {
      if (!BASE64.matcher(secret.substring(i, i + 1)).matches()) {
        return Optional.of("character " + (i + 1) + " is not base64 (RFC 4648 §4: A-Z, a-z, 0-9, \"+\", \"/\","
            + " and \"=\" padding)");
      }
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(secret);
    } catch (IllegalArgumentException e) {
      return Optional.of("is not base64 (RFC 4648 §4): its length or \"=\" padding is wrong");
    }
    if (decoded.length == 0) {
      return Optional.of("decodes to no bytes; give the key's base64 secret");
    }
    return Optional.empty();
  }
}
