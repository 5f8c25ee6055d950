package dev.mtasts.rfc;

import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Policy bodies holding bytes that are not UTF-8: every kind of bad sequence at every place a sender reads, so each
 * entry point (parser, lint, check) is proved on the whole class, not one input. Rows: (case in words, body, the
 * finding for the first bad byte).
 */
public final class NotUtf8Policies {

  /** One kind of byte sequence that RFC 3629 (and so RFC 8461 §3.2's UTF-8) rules out. */
  record Bad(String words, int... bytes) {}

  /** Where in the file the bad bytes go: the lines around them, and which line they are on. */
  record Place(String words, String before, String after, int line) {}

  static final List<Bad> KINDS = List.of(
      new Bad("a truncated two-byte sequence", 0xC3),
      new Bad("a truncated three-byte sequence", 0xE2, 0x82),
      new Bad("a truncated four-byte sequence", 0xF0, 0x9F, 0x98),
      new Bad("an overlong two-byte \"/\"", 0xC0, 0xAF),
      new Bad("an overlong three-byte \"/\"", 0xE0, 0x80, 0xAF),
      new Bad("an overlong four-byte \"/\"", 0xF0, 0x80, 0x80, 0xAF),
      new Bad("an encoded high surrogate", 0xED, 0xA0, 0x80),
      new Bad("an encoded low surrogate", 0xED, 0xBF, 0xBF),
      new Bad("a surrogate pair encoded as CESU-8", 0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80),
      new Bad("a code point above U+10FFFF", 0xF4, 0x90, 0x80, 0x80),
      new Bad("a Latin-1 \"é\"", 0xE9),
      new Bad("a Windows-1252 curly quote", 0x93),
      new Bad("a lone continuation byte", 0x80),
      new Bad("a byte never used in UTF-8", 0xFF));

  private static final String VERSION = "version: STSv1\r\n";
  private static final String MODE = "mode: enforce\r\n";
  private static final String MX = "mx: mail.example.com\r\n";
  private static final String MAX_AGE = "max_age: 604800\r\n";

  static final List<Place> PLACES = List.of(
      new Place("in an extension value", VERSION + MODE + MX + MAX_AGE + "comment: caf", "\r\n", 5),
      new Place("in an extension name", VERSION + MODE + MX + MAX_AGE + "x-caf", ": note\r\n", 5),
      new Place("at the start of an extension name", VERSION + MODE + MX + MAX_AGE, "comment: note\r\n", 5),
      new Place("in the version value, on the first line", "version: STSv1", "\r\n" + MODE + MX + MAX_AGE, 1),
      new Place("in the mode value", VERSION + "mode: enforce", "\r\n" + MX + MAX_AGE, 2),
      new Place("in an mx value", VERSION + MODE + "mx: mail", ".example.com\r\n" + MAX_AGE, 3),
      new Place("in the max_age value", VERSION + MODE + MX + "max_age: 604800", "\r\n", 4),
      new Place("in an extension on the first line", "comment: caf", "\r\n" + VERSION + MODE + MX + MAX_AGE, 1),
      new Place("at the end of a last line without a line ending", VERSION + MODE + MX + MAX_AGE + "comment: caf",
          "", 5),
      new Place("in an LF-only file", "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n"
          + "comment: caf", "\n", 5));

  private NotUtf8Policies() {
  }

  /** Every kind at every place, with the ERROR the first bad byte must produce. */
  public static Stream<Arguments> cases() {
    return PLACES.stream().flatMap(place -> KINDS.stream().map(bad -> {
      byte[] before = place.before().getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.writeBytes(before);
      for (int b : bad.bytes()) {
        body.write(b);
      }
      body.writeBytes(place.after().getBytes(StandardCharsets.UTF_8));
      String finding = String.format("ERROR line %d: byte 0x%02X at offset %d is not valid UTF-8 (RFC 8461 §3.2)",
          place.line(), bad.bytes()[0], before.length);
      return arguments(bad.words() + " " + place.words(), body.toByteArray(), finding);
    }));
  }
}
