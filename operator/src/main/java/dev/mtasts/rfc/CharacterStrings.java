package dev.mtasts.rfc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A TXT value as the character-strings of one record (RFC 1035 §3.3: at most 255 octets each). Readers join the
 * strings (RFC 8461 §3.1, RFC 8460 §3), so the split carries no meaning; it never cuts a UTF-8 character in two.
 * Shared by the RFC 2136 publisher (the strings on the wire) and the quoted DNSEndpoint targets.
 */
public final class CharacterStrings {

  /** RFC 1035 §3.3: a character-string is at most 255 octets. */
  public static final int LIMIT = 255;

  private CharacterStrings() {}

  /** The value in pieces of at most 255 UTF-8 bytes; one empty piece for the empty value. */
  public static List<String> split(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    List<String> strings = new ArrayList<>();
    int start = 0;
    do {
      int end = Math.min(start + LIMIT, bytes.length);
      // A UTF-8 continuation byte (10xxxxxx) belongs to the character before it: cut before its lead byte.
      while (end < bytes.length && (bytes[end] & 0xC0) == 0x80) {
        end--;
      }
      strings.add(new String(bytes, start, end - start, StandardCharsets.UTF_8));
      start = end;
    } while (start < bytes.length);
    return strings;
  }
}
