package dev.mtasts.publication;

import dev.mtasts.rfc.CharacterStrings;
import java.util.stream.Collectors;

/**
 * How a TXT value is written as a DNSEndpoint target, which external-dns hands to its provider verbatim. The
 * providers disagree (measured on external-dns v0.23.0, see the README's "DNS providers"): coredns and azure
 * store the target as the value (plain); pdns, Route53 and Google want zone-file character-strings (quoted, each
 * at most 255 bytes) and refuse or split a plain value at its spaces.
 */
public enum TxtEncoding {
  /** The value itself: {@code v=STSv1; id=1}. */
  PLAIN,
  /** As zone-file character-strings: {@code "v=STSv1; id=1"}, a value over 255 bytes as several strings. */
  QUOTED;

  public String encode(String value) {
    if (this == PLAIN) {
      return value;
    }
    return CharacterStrings.split(value).stream()
        .map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
        .collect(Collectors.joining(" "));
  }

  /** The value a target stands for, whichever way it was written: quoted strings joined, else the target as is. */
  public static String decode(String target) {
    String trimmed = target.strip();
    if (!trimmed.startsWith("\"") || !trimmed.endsWith("\"") || trimmed.length() < 2) {
      return target;
    }
    StringBuilder value = new StringBuilder();
    boolean inString = false;
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (c == '"') {
        inString = !inString;
      } else if (inString && c == '\\') {
        // Never the last character: that one is a quote (checked above).
        value.append(trimmed.charAt(++i));
      } else if (inString) {
        value.append(c);
      } else if (c != ' ' && c != '\t') {
        return target; // text between strings: not a list of quoted strings
      }
    }
    return inString ? target : value.toString();
  }
}
