package dev.mtasts.publication;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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

  /** RFC 1035 §3.3: a character-string is at most 255 bytes. */
  static final int STRING_LIMIT = 255;

  public String encode(String value) {
    if (this == PLAIN) {
      return value;
    }
    List<String> strings = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < value.length(); ) {
      int codePoint = value.codePointAt(i);
      String character = new String(Character.toChars(codePoint));
      int size = character.getBytes(StandardCharsets.UTF_8).length;
      if (bytes + size > STRING_LIMIT) {
        strings.add(current.toString());
        current.setLength(0);
        bytes = 0;
      }
      current.append(character.equals("\"") || character.equals("\\") ? "\\" + character : character);
      bytes += size;
      i += Character.charCount(codePoint);
    }
    strings.add(current.toString());
    return String.join(" ", strings.stream().map(s -> "\"" + s + "\"").toList());
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
