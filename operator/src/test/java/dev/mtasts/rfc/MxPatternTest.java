package dev.mtasts.rfc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class MxPatternTest {

  @ParameterizedTest(name = "{0} is valid, stored as {1}")
  @CsvSource({
      "mail.example.com,           mail.example.com,       false",
      "*.example.com,              *.example.com,          true",
      "MX1.Example.COM,            mx1.example.com,        false",
      "*.MAIL.example.net,         *.mail.example.net,     true",
      "mx-1.example.com,           mx-1.example.com,       false",
      "1mx.example.com,            1mx.example.com,        false",
      "xn--bcher-kva.example,      xn--bcher-kva.example,  false",
      "a.b,                        a.b,                    false",
      "*.example.co.uk,            *.example.co.uk,        true",
      "mail.123.example.com,       mail.123.example.com,   false"
  })
  void acceptsValidPattern(String input, String stored, boolean wildcard) {
    MxPattern pattern = MxPattern.parse(input);

    assertThat(pattern.value()).isEqualTo(stored);
    assertThat(pattern.isWildcard()).isEqualTo(wildcard);
    assertThat(MxPattern.syntaxError(input)).isEmpty();
    assertThat(MxPattern.publishError(input)).isEmpty();
    assertThat(MxPattern.warning("line 3", input)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "''                   | \"\": the pattern is empty",
      "*.*.example.com      | \"*.*.example.com\": a wildcard may only replace the leftmost label",
      "mail.*.example.com   | \"mail.*.example.com\": a wildcard may only replace the leftmost label",
      "mail.example.*       | \"mail.example.*\": a wildcard may only replace the leftmost label",
      "mx*.example.com      | \"mx*.example.com\": a wildcard must replace a whole label (\"*.\"), not part of one",
      "*mx.example.com      | \"*mx.example.com\": a wildcard must replace a whole label (\"*.\"), not part of one",
      "*                    | \"*\": a wildcard must be followed by a domain, as in \"*.example.com\"",
      "*.                   | \"*.\": a wildcard must be followed by a domain, as in \"*.example.com\"",
      "mail..example.com    | \"mail..example.com\": has an empty label (\"..\")",
      ".example.com         | \".example.com\": has an empty label (a leading dot)",
      "mail.example.com.    | \"mail.example.com.\": ends with a dot; write the name without the trailing dot",
      "_mx.example.com      | \"_mx.example.com\": label \"_mx\" contains \"_\"; host names allow only letters, digits and hyphens",
      "mx/1.example.com     | \"mx/1.example.com\": label \"mx/1\" contains \"/\"; host names allow only letters, digits and hyphens",
      "-mx.example.com      | \"-mx.example.com\": label \"-mx\" starts with a hyphen",
      "mx-.example.com      | \"mx-.example.com\": label \"mx-\" ends with a hyphen",
      "[192.0.2.1]          | \"[192.0.2.1]\": is an IP address; mx patterns must be host names",
      "2001:db8::1          | \"2001:db8::1\": is an IP address; mx patterns must be host names",
      "mail example.com     | \"mail example.com\": contains whitespace; write one host per \"mx:\" line",
      "smtp://mail.example.com | \"smtp://mail.example.com\": is a URL; give the host name only",
      "mail.example.com:25  | \"mail.example.com:25\": contains \":\"; give the host name without a port",
      "postmaster@example.com | \"postmaster@example.com\": contains \"@\"; give the MX host name, not an e-mail address",
      "mail.bücher.example  | \"mail.bücher.example\": is an internationalized name; use its A-label \"mail.xn--bcher-kva.example\"",
      "bü_cher.example      | \"bü_cher.example\": contains non-ASCII characters; internationalized names must use their A-label (xn--...)",
      ":mail.example.com    | \":mail.example.com\": contains \":\"; give the host name without a port",
      "@example.com         | \"@example.com\": contains \"@\"; give the MX host name, not an e-mail address",
      ".                    | \".\": has an empty label (a leading dot)",
      "mail\u007F.example.com | \"mail\\u007F.example.com\": label \"mail\\u007F\" contains \"\\u007F\"; host names allow only letters, digits and hyphens"
  })
  void refusesInvalidPatternWithItsReason(String input, String message) {
    assertThat(MxPattern.syntaxError(input)).contains(message);
    assertThat(MxPattern.publishError(input)).contains(message);
    assertThat(MxPattern.warning("line 3", input)).as("an error, not also a warning").isEmpty();
    assertThatThrownBy(() -> MxPattern.parse(input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  // Legal by the ABNF (["*."] Domain with LDH labels), so accepted from others with a WARNING; never published.
  static Stream<Arguments> legalButNotPublished() {
    return Stream.of(
        arguments("a wildcard over a top-level domain", "*.com", "RFC 8461 §10.4",
            "a wildcard over a single label covers every host of a top-level domain, anyone's MX host"),
        arguments("a wildcard over an all-digit label", "*.123", "RFC 8461 §10.4",
            "a wildcard over a single label covers every host of a top-level domain, anyone's MX host"),
        arguments("a single-label name", "localhost", "RFC 8461 §3.2",
            "is a single-label name; MX hosts have fully qualified names, so this is likely missing its domain"),
        arguments("a single-label name in upper case", "MAILHOST", "RFC 8461 §3.2",
            "is a single-label name; MX hosts have fully qualified names, so this is likely missing its domain"),
        arguments("an all-digit top-level label", "mail.example.123", "RFC 8461 §3.2",
            "top-level label \"123\" is all digits; no top-level domain is (RFC 3696 §2), so it matches no MX host"),
        arguments("a wildcard over a name with an all-digit top-level label", "*.example.42", "RFC 8461 §3.2",
            "top-level label \"42\" is all digits; no top-level domain is (RFC 3696 §2), so it matches no MX host"),
        arguments("an IPv4 address", "192.0.2.1", "RFC 8461 §3.2",
            "is an IPv4 address; MX records name hosts, never addresses, so it matches no MX host"),
        arguments("an IPv4 address with leading zeros", "192.000.002.001", "RFC 8461 §3.2",
            "is an IPv4 address; MX records name hosts, never addresses, so it matches no MX host"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("legalButNotPublished")
  void acceptsFromOthersWithAWarningButRefusesToPublish(String caseInWords, String input, String rule,
      String problem) {
    String message = Finding.quote(input) + ": " + problem;

    assertThat(MxPattern.syntaxError(input)).isEmpty();
    assertThat(MxPattern.parse(input).value()).isEqualTo(input.toLowerCase(java.util.Locale.ROOT));
    assertThat(MxPattern.warning("line 3", input))
        .contains(new Finding(Finding.Severity.WARNING, "line 3", rule, "mx: " + message));
    assertThat(MxPattern.publishError(input)).contains(message);
  }

  @org.junit.jupiter.api.Test
  void refusesOverlongLabelAndName() {
    String label64 = "a".repeat(64);
    String name254 = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(58), "com");

    assertThat(MxPattern.syntaxError(label64 + ".example.com")).get().asString()
        .endsWith(": label \"" + label64 + "\" is 64 characters long; labels are at most 63");
    assertThat(MxPattern.syntaxError("a".repeat(63) + ".example.com")).isEmpty();
    assertThat(name254).hasSize(254);
    assertThat(MxPattern.syntaxError(name254)).get().asString()
        .endsWith(": is 254 characters long; names are at most 253");
    assertThat(MxPattern.syntaxError(name254.substring(1))).isEmpty();
    assertThat(MxPattern.syntaxError(null)).contains("the mx pattern is missing");
  }

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
      "mail.example.com,  mail.example.com,       true",
      "mail.example.com,  MAIL.Example.COM,       true",
      "mail.example.com,  mail.example.com.,      true",
      "mail.example.com,  mail.example.com..,     false",
      "mail.example.com,  other.example.com,      false",
      "mail.example.com,  x.mail.example.com,     false",
      "mail.example.com,  example.com,            false",
      "*.example.com,     mx1.example.com,        true",
      "*.example.com,     MX1.EXAMPLE.COM.,       true",
      "*.example.com,     example.com,            false",
      "*.example.com,     a.b.example.com,        false",
      "*.example.com,     .example.com,           false",
      "*.example.com,     ..example.com,          false",
      "*.example.com,     mx1.example.com.evil,   false",
      "*.example.com,     mx1.badexample.com,     false",
      "*.example.com,     mx1example.com,         false",
      "*.Example.COM,     mx.example.com,         true",
      "*.mail.example.com, mx.mail.example.com,   true",
      "*.mail.example.com, mail.example.com,      false",
      "mail.example.com,  '',                     false"
  })
  void matchesExactlyOneLeftmostLabelCaseInsensitively(String pattern, String host, boolean matches) {
    assertThat(MxPattern.parse(pattern).matches(host)).isEqualTo(matches);
  }

  @org.junit.jupiter.api.Test
  void readsAsItsValue() {
    assertThat(MxPattern.parse("*.Mail.Example.COM")).hasToString("*.mail.example.com");
  }

  @org.junit.jupiter.api.Test
  void doesNotMatchNull() {
    assertThat(MxPattern.parse("*.example.com").matches(null)).isFalse();
  }
}
