package dev.mtasts.rfc;

import java.util.Arrays;
import java.util.Optional;

/** The policy modes of RFC 8461 §5: enforce, testing and none. */
public enum Mode {
  ENFORCE("enforce"),
  TESTING("testing"),
  NONE("none");

  private final String token;

  Mode(String token) {
    this.token = token;
  }

  /** The exact token written after {@code mode:} in a policy file. */
  public String token() {
    return token;
  }

  /** The mode for a token; RFC 8461 §3.2 writes them as %s"..." so the match is case-sensitive. */
  public static Optional<Mode> fromToken(String token) {
    return Arrays.stream(values()).filter(m -> m.token.equals(token)).findFirst();
  }
}
