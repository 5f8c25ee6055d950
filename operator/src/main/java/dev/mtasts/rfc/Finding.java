package dev.mtasts.rfc;

import java.util.Objects;

/** One problem or remark about a policy or DNS record: how bad, where, which rule, and what exactly. */
public record Finding(Severity severity, String location, String rule, String message) {

  /** How much a finding matters: ERROR makes the input unusable, WARNING is legal but risky, INFO is a remark. */
  public enum Severity { ERROR, WARNING, INFO }

  // Long values (a 254-character name) would drown the message; the location already pins them down.
  private static final int QUOTE_LIMIT = 80;

  public Finding {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
  }

  static Finding error(String location, String rule, String message) {
    return new Finding(Severity.ERROR, location, rule, message);
  }

  static Finding warning(String location, String rule, String message) {
    return new Finding(Severity.WARNING, location, rule, message);
  }

  static Finding info(String location, String rule, String message) {
    return new Finding(Severity.INFO, location, rule, message);
  }

  /** True for ERROR findings, the ones that make the input unusable. */
  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** The same finding placed inside an outer location, e.g. "field 2" inside "record 3". */
  Finding within(String outer) {
    String inner = location.equals("record") ? outer : outer + ", " + location;
    return new Finding(severity, inner, rule, message);
  }

  /** One readable line: {@code line 3: mx: "*.*.example.com": ... (RFC 8461 §3.2)}. */
  @Override
  public String toString() {
    return location + ": " + message + " (" + rule + ")";
  }

  /** A value in double quotes with control characters escaped, so messages stay on one readable line. */
  public static String quote(String value) {
    String shown = value;
    if (value.codePointCount(0, value.length()) > QUOTE_LIMIT) {
      shown = value.substring(0, value.offsetByCodePoints(0, QUOTE_LIMIT - 3)) + "...";
    }
    StringBuilder out = new StringBuilder("\"");
    shown.codePoints().forEach(cp -> {
      switch (cp) {
        case '"', '\\' -> out.append('\\').appendCodePoint(cp);
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        case '\n' -> out.append("\\n");
        default -> {
          if (isInvisible(cp)) {
            out.append(codePoint(cp).replace("U+", "\\u"));
          } else {
            out.appendCodePoint(cp);
          }
        }
      }
    });
    return out.append('"').toString();
  }

  /** A code point as {@code U+00E9}. */
  static String codePoint(int cp) {
    return String.format("U+%04X", cp);
  }

  private static boolean isInvisible(int cp) {
    return cp < 0x20 || cp == 0x7F || cp == 0xFEFF || cp >= 0xD800 && cp <= 0xDFFF;
  }
}
