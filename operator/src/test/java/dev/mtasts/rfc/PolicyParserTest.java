package dev.mtasts.rfc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyParserTest {

  private static final String INVALID = "/rfc/invalid-policies/";
  private static final String VALID = "/rfc/valid-policies/";

  // Each invalid file with every finding it must produce, in order; the files are byte-exact (see .gitattributes).
  static Stream<Arguments> invalidPolicies() {
    return Stream.of(
        row("an empty body",
            "empty.txt",
            "ERROR body: the policy body is empty (RFC 8461 §3.2)"),
        row("a UTF-8 byte order mark before the first field",
            "byte-order-mark.txt",
            "ERROR line 1: starts with a byte order mark (U+FEFF), which senders read as part of the first field name (RFC 8461 §3.2)"),
        row("no version field",
            "missing-version.txt",
            "ERROR version: required field \"version\" is missing (RFC 8461 §3.2)"),
        row("version STSv2",
            "unsupported-version.txt",
            "ERROR line 1: unsupported version \"STSv2\"; only \"STSv1\" is defined (RFC 8461 §3.2)"),
        row("version in the wrong case",
            "version-wrong-case.txt",
            "ERROR line 1: version \"stsv1\" must be exactly \"STSv1\" (values are case-sensitive) (RFC 8461 §3.2)"),
        row("version without a value",
            "version-without-value.txt",
            "ERROR line 1: version has no value (RFC 8461 §3.2)"),
        row("no mode field",
            "missing-mode.txt",
            "ERROR mode: required field \"mode\" is missing (RFC 8461 §3.2)"),
        row("an unknown mode",
            "unknown-mode.txt",
            "ERROR line 2: mode \"strict\" is not one of \"enforce\", \"testing\", \"none\" (RFC 8461 §3.2)"),
        row("mode in the wrong case",
            "mode-wrong-case.txt",
            "ERROR line 2: mode \"Enforce\" must be lower case: \"enforce\" (RFC 8461 §3.2)"),
        row("mode without a value",
            "mode-without-value.txt",
            "ERROR line 2: mode has no value (RFC 8461 §3.2)"),
        row("a comment after the mode",
            "mode-with-comment.txt",
            "ERROR line 2: mode \"enforce # go live on Monday\" is not one of \"enforce\", \"testing\", \"none\" (RFC 8461 §3.2)"),
        row("no max_age field",
            "missing-max-age.txt",
            "ERROR max_age: required field \"max_age\" is missing (RFC 8461 §3.2)"),
        row("max_age with a unit",
            "max-age-with-unit.txt",
            "ERROR line 4: max_age \"1d\" is not a whole number of seconds (digits only) (RFC 8461 §3.2)"),
        row("a negative max_age",
            "max-age-negative.txt",
            "ERROR line 4: max_age \"-1\" is not a whole number of seconds (digits only) (RFC 8461 §3.2)"),
        row("a decimal max_age",
            "max-age-decimal.txt",
            "ERROR line 4: max_age \"86400.5\" is not a whole number of seconds (digits only) (RFC 8461 §3.2)"),
        row("max_age longer than 10 digits",
            "max-age-eleven-digits.txt",
            "ERROR line 4: max_age \"31557600000\" has 11 digits; at most 10 (RFC 8461 §3.2)"),
        row("max_age one second over the limit",
            "max-age-over-one-year.txt",
            "ERROR line 4: max_age 31557601 is above the maximum 31557600 (RFC 8461 §3.2)"),
        row("max_age without a value",
            "max-age-without-value.txt",
            "ERROR line 4: max_age has no value (RFC 8461 §3.2)"),
        row("enforce mode without mx",
            "enforce-without-mx.txt",
            "ERROR mx: mode \"enforce\" requires at least one \"mx\" field (RFC 8461 §3.2)"),
        row("testing mode without mx",
            "testing-without-mx.txt",
            "ERROR mx: mode \"testing\" requires at least one \"mx\" field (RFC 8461 §3.2)"),
        row("mx with two wildcards",
            "mx-double-wildcard.txt",
            "ERROR line 3: mx: \"*.*.example.com\": a wildcard may only replace the leftmost label (RFC 8461 §3.2)"),
        row("mx with a wildcard in an inner label",
            "mx-inner-wildcard.txt",
            "ERROR line 3: mx: \"mail.*.example.com\": a wildcard may only replace the leftmost label (RFC 8461 §3.2)"),
        row("mx with a wildcard inside a label",
            "mx-partial-wildcard.txt",
            "ERROR line 3: mx: \"mx*.example.com\": a wildcard must replace a whole label (\"*.\"), not part of one (RFC 8461 §3.2)"),
        row("mx that is only a wildcard",
            "mx-bare-wildcard.txt",
            "ERROR line 3: mx: \"*\": a wildcard must be followed by a domain, as in \"*.example.com\" (RFC 8461 §3.2)"),
        row("mx with a trailing dot",
            "mx-trailing-dot.txt",
            "ERROR line 3: mx: \"mail.example.com.\": ends with a dot; write the name without the trailing dot (RFC 8461 §3.2)"),
        row("mx with an underscore",
            "mx-underscore.txt",
            "ERROR line 3: mx: \"mail_1.example.com\": label \"mail_1\" contains \"_\"; host names allow only letters, digits and hyphens (RFC 8461 §3.2)"),
        row("mx that is an IPv6 literal",
            "mx-ipv6-literal.txt",
            "ERROR line 3: mx: \"[2001:db8::25]\": is an IP address; mx patterns must be host names (RFC 8461 §3.2)"),
        row("mx with an empty label",
            "mx-empty-label.txt",
            "ERROR line 3: mx: \"mail..example.com\": has an empty label (\"..\") (RFC 8461 §3.2)"),
        row("mx with a 64-character label",
            "mx-label-too-long.txt",
            "ERROR line 3: mx: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com\": label \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" is 64 characters long; labels are at most 63 (RFC 8461 §3.2)"),
        row("mx longer than 253 characters",
            "mx-name-too-long.txt",
            "ERROR line 3: mx: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaa...\": is 256 characters long; names are at most 253 (RFC 8461 §3.2)"),
        row("mx label starting with a hyphen",
            "mx-leading-hyphen.txt",
            "ERROR line 3: mx: \"-mx.example.com\": label \"-mx\" starts with a hyphen (RFC 8461 §3.2)"),
        row("mx given as a URL",
            "mx-url.txt",
            "ERROR line 3: mx: \"https://mail.example.com\": is a URL; give the host name only (RFC 8461 §3.2)"),
        row("mx with a port",
            "mx-with-port.txt",
            "ERROR line 3: mx: \"mail.example.com:25\": contains \":\"; give the host name without a port (RFC 8461 §3.2)"),
        row("two mx hosts on one line",
            "mx-two-hosts-on-one-line.txt",
            "ERROR line 3: mx: \"mx1.example.com, mx2.example.com\": contains whitespace; write one host per \"mx:\" line (RFC 8461 §3.2)"),
        row("mx as a U-label",
            "mx-u-label.txt",
            "ERROR line 3: mx: \"mail.bücher.example\": is an internationalized name; use its A-label \"mail.xn--bcher-kva.example\" (RFC 8461 §3.2)"),
        row("mx without a value",
            "mx-without-value.txt",
            "ERROR line 3: mx has no value (RFC 8461 §3.2)"),
        row("mx given as an e-mail address",
            "mx-email-address.txt",
            "ERROR line 3: mx: \"postmaster@example.com\": contains \"@\"; give the MX host name, not an e-mail address (RFC 8461 §3.2)"),
        row("a field without a colon",
            "no-colon.txt",
            "ERROR line 1: \"version STSv1\" is not a \"name: value\" field (no \":\") (RFC 8461 §3.2)",
            "ERROR version: required field \"version\" is missing (RFC 8461 §3.2)"),
        row("whitespace before the colon",
            "space-before-colon.txt",
            "ERROR line 2: whitespace between the field name \"mode\" and \":\" (RFC 8461 §3.2)"),
        row("whitespace before a field name",
            "leading-whitespace.txt",
            "ERROR line 3: whitespace before the field name \"mx\" (RFC 8461 §3.2)"),
        row("a blank line between fields",
            "blank-line-between-fields.txt",
            "ERROR line 3: empty line; fields follow one another without blank lines (RFC 8461 §3.2)"),
        row("a blank line at the end",
            "trailing-blank-line.txt",
            "ERROR line 5: empty line; fields follow one another without blank lines (RFC 8461 §3.2)"),
        row("a line of only whitespace",
            "whitespace-only-line.txt",
            "ERROR line 4: line contains only whitespace (RFC 8461 §3.2)"),
        row("a comment line",
            "comment-line.txt",
            "ERROR line 1: \"# MTA-STS policy for example.com\" is not a \"name: value\" field (no \":\") (RFC 8461 §3.2)"),
        row("bare CR line endings",
            "bare-cr-line-endings.txt",
            "ERROR line 1: carriage return (CR) at column 15 is not followed by a line feed; lines end with LF or CRLF (and 3 more) (RFC 8461 §3.2)"),
        row("a NUL character",
            "nul-character.txt",
            "ERROR line 2: control character U+0000 at column 14 (RFC 8461 §3.2)"),
        row("bytes that are not UTF-8",
            "invalid-utf8.txt",
            "ERROR line 5: byte 0xE9 at offset 82 is not valid UTF-8 (RFC 8461 §3.2)",
            "INFO line 5: unknown field \"comment\" is an extension; senders ignore it (RFC 8461 §3.2)"),
        row("an extension name starting with an underscore",
            "extension-name-starts-with-underscore.txt",
            "ERROR line 5: field name \"_comment\" must start with a letter or digit (RFC 8461 §3.2)"),
        row("an extension name of 33 characters",
            "extension-name-too-long.txt",
            "ERROR line 5: field name \"x-nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\" is 33 characters long; at most 32 (RFC 8461 §3.2)"),
        row("an extension without a value",
            "extension-without-value.txt",
            "INFO line 5: unknown field \"comment\" is an extension; senders ignore it (RFC 8461 §3.2)",
            "ERROR line 5: extension field \"comment\" has no value (RFC 8461 §3.2)"),
        row("a tab inside an extension value",
            "extension-tab-in-value.txt",
            "INFO line 5: unknown field \"comment\" is an extension; senders ignore it (RFC 8461 §3.2)",
            "ERROR line 5: extension field \"comment\" has a tab inside its value; only spaces may separate words (RFC 8461 §3.2)"),
        row("a registered field name in the wrong case",
            "field-name-wrong-case.txt",
            "WARNING line 2: field \"Mode\" is not \"mode\" (field names are case-sensitive); senders ignore it as an unknown extension (RFC 8461 §3.2)",
            "ERROR mode: required field \"mode\" is missing (RFC 8461 §3.2)"),
        row("max-age spelled with a hyphen",
            "max-age-spelled-with-hyphen.txt",
            "WARNING line 4: field \"max-age\" is not \"max_age\"; senders ignore it as an unknown extension (RFC 8461 §3.2)",
            "ERROR max_age: required field \"max_age\" is missing (RFC 8461 §3.2)"),
        row("an HTML error page",
            "html-error-page.txt",
            "ERROR line 1: \"<html>\" is not a \"name: value\" field (no \":\") (RFC 8461 §3.2)",
            "ERROR line 2: \"<head><title>404 Not Found</title></head>\" is not a \"name: value\" field (no \":\") (RFC 8461 §3.2)",
            "ERROR line 3: \"<body>\" is not a \"name: value\" field (no \":\") (RFC 8461 §3.2)",
            "ERROR line 4: \"<center><h1>404 Not Found</h1></center>\" is not a \"name: value\" field (no \":\") (RFC 8461 §3.2)",
            "ERROR line 5: \"<hr><center>nginx</center>\" is not a \"name: value\" field (no \":\") (RFC 8461 §3.2)",
            "ERROR line 6: \"</body>\" is not a \"name: value\" field (no \":\") (RFC 8461 §3.2)",
            "ERROR line 7: \"</html>\" is not a \"name: value\" field (no \":\") (RFC 8461 §3.2)",
            "ERROR version: required field \"version\" is missing (RFC 8461 §3.2)",
            "ERROR mode: required field \"mode\" is missing (RFC 8461 §3.2)",
            "ERROR max_age: required field \"max_age\" is missing (RFC 8461 §3.2)"),
        row("JSON instead of fields",
            "json-instead-of-fields.txt",
            "ERROR line 1: field name \"{\\\"version\\\"\" must start with a letter or digit (RFC 8461 §3.2)",
            "ERROR version: required field \"version\" is missing (RFC 8461 §3.2)",
            "ERROR mode: required field \"mode\" is missing (RFC 8461 §3.2)",
            "ERROR max_age: required field \"max_age\" is missing (RFC 8461 §3.2)"),
        row("several problems reported together",
            "several-problems.txt",
            "ERROR line 2: mode \"enforcing\" is not one of \"enforce\", \"testing\", \"none\" (RFC 8461 §3.2)",
            "ERROR line 3: mx: \"*.*.example.com\": a wildcard may only replace the leftmost label (RFC 8461 §3.2)",
            "ERROR line 4: max_age \"1w\" is not a whole number of seconds (digits only) (RFC 8461 §3.2)"),
        row("a duplicate mode with an invalid value",
            "duplicate-mode-with-invalid-value.txt",
            "WARNING line 3: duplicate \"mode\" field; senders use the first one (line 2) and ignore this one (RFC 8461 §3.2)",
            "ERROR line 3: mode \"enforced\" is not one of \"enforce\", \"testing\", \"none\" (RFC 8461 §3.2)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPolicies")
  void refusesInvalidPolicyWithEveryPreciseFinding(String caseInWords, String file, List<String> expected) {
    ParseResult<Policy> result = PolicyParser.parse(read(INVALID + file));

    assertThat(result.value()).as(file).isEmpty();
    assertThat(lines(result.findings())).as(file).containsExactlyElementsOf(expected);
  }

  @Test
  void everyInvalidPolicyFileHasExactlyOneRowAndEveryRowItsOwnMessages() throws Exception {
    Set<String> files;
    try (Stream<Path> list = Files.list(folder(INVALID))) {
      files = list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
    List<Arguments> rows = invalidPolicies().toList();
    Set<String> rowFiles = rows.stream().map(r -> (String) r.get()[1]).collect(Collectors.toSet());
    @SuppressWarnings("unchecked")
    Set<List<String>> messages = rows.stream().map(r -> (List<String>) r.get()[2]).collect(Collectors.toSet());

    assertThat(rowFiles).isEqualTo(files).hasSize(rows.size());
    assertThat(messages).as("no two invalid cases share their findings").hasSize(rows.size());
    assertThat(rows).hasSizeGreaterThanOrEqualTo(40);
  }

  static Stream<Arguments> validPolicies() {
    Policy standard = Policy.of(Mode.ENFORCE, 604_800, List.of("mail.example.com"));
    return Stream.of(
        valid("max_age 0", "max-age-zero.txt", Policy.of(Mode.ENFORCE, 0, List.of("mail.example.com"))),
        valid("max_age at the one-year limit", "max-age-one-year.txt",
            Policy.of(Mode.ENFORCE, 31_557_600, List.of("mail.example.com"))),
        valid("mode none without mx", "mode-none-without-mx.txt", Policy.of(Mode.NONE, 86_400, List.of())),
        valid("mode none with mx", "mode-none-with-mx.txt",
            Policy.of(Mode.NONE, 86_400, List.of("mail.example.com"))),
        valid("LF-only line endings", "lf-line-endings.txt",
            Policy.of(Mode.TESTING, 604_800, List.of("mail.example.com", "*.backup.example.net"))),
        valid("no line ending after the last field", "no-final-line-ending.txt", standard),
        valid("extension fields, kept in order", "extensions.txt",
            new Policy(Mode.ENFORCE, standard.mx(), 604_800, List.of(
                new Extension("comment", "managed by hand; see https://example.com/mta-sts?a=1"),
                new Extension("x-owner", "postmaster@example.com"))),
            "INFO line 5: unknown field \"comment\" is an extension; senders ignore it (RFC 8461 §3.2)",
            "INFO line 6: unknown field \"x-owner\" is an extension; senders ignore it (RFC 8461 §3.2)"),
        valid("UTF-8 in an extension value", "utf8-extension-value.txt",
            new Policy(Mode.ENFORCE, standard.mx(), 604_800, List.of(new Extension("comment", "Zürich ✓"))),
            "INFO line 5: unknown field \"comment\" is an extension; senders ignore it (RFC 8461 §3.2)"),
        valid("trailing spaces and tabs after values", "trailing-whitespace.txt", standard),
        valid("no space, or a tab, after the colon", "no-space-or-tab-after-colon.txt", standard),
        valid("version not on the first line", "version-not-first.txt", standard,
            "INFO line 3: \"version\" is not the first field; the ABNF allows any order, but it conventionally "
                + "comes first (RFC 8461 §3.2)"),
        valid("a duplicate mode: the first one counts", "duplicate-mode.txt", standard,
            "WARNING line 3: duplicate \"mode\" field; senders use the first one (line 2) and ignore this one "
                + "(RFC 8461 §3.2)"),
        valid("max_age with leading zeros", "max-age-leading-zeros.txt", standard,
            "WARNING line 4: max_age \"0604800\" has leading zeros; write 604800 (RFC 8461 §3.2)"),
        valid("mixed CRLF and LF line endings", "mixed-line-endings.txt", standard,
            "INFO body: mixed line endings: 2 lines end with CRLF and 2 with LF (RFC 8461 §3.2)"),
        valid("a case variant of a field name is an extension", "case-variant-extension.txt",
            new Policy(Mode.ENFORCE, standard.mx(), 604_800, List.of(new Extension("Mode", "testing"))),
            "WARNING line 5: field \"Mode\" is not \"mode\" (field names are case-sensitive); senders ignore it "
                + "as an unknown extension (RFC 8461 §3.2)"),
        valid("wildcard and upper-case mx are normalised to lower case", "wildcard-and-upper-case-mx.txt",
            Policy.of(Mode.ENFORCE, 604_800, List.of("*.mail.example.com", "mx1.example.net"))),
        valid("mx wildcard over a top-level domain: legal, but it covers anyone's host", "mx-wildcard-over-tld.txt",
            Policy.of(Mode.ENFORCE, 604_800, List.of("*.com")),
            "WARNING line 3: mx: \"*.com\": a wildcard over a single label covers every host of a top-level domain,"
                + " anyone's MX host (RFC 8461 §10.4)"),
        valid("mx with a single label: legal Domain syntax", "mx-single-label.txt",
            Policy.of(Mode.ENFORCE, 604_800, List.of("localhost")),
            "WARNING line 3: mx: \"localhost\": is a single-label name; MX hosts have fully qualified names, so this"
                + " is likely missing its domain (RFC 8461 §3.2)"),
        valid("mx with an all-digit top-level label: legal Domain syntax", "mx-numeric-tld.txt",
            Policy.of(Mode.ENFORCE, 604_800, List.of("mail.example.123")),
            "WARNING line 3: mx: \"mail.example.123\": top-level label \"123\" is all digits; no top-level domain is"
                + " (RFC 3696 §2), so it matches no MX host (RFC 8461 §3.2)"),
        valid("mx that is an IPv4 address: legal Domain syntax", "mx-ipv4-address.txt",
            Policy.of(Mode.ENFORCE, 604_800, List.of("192.0.2.25")),
            "WARNING line 3: mx: \"192.0.2.25\": is an IPv4 address; MX records name hosts, never addresses, so it"
                + " matches no MX host (RFC 8461 §3.2)"),
        valid("a policy as we render it", "rendered-by-us.txt",
            Policy.of(Mode.ENFORCE, 1_209_600, List.of("*.example.net", "mail.example.com"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validPolicies")
  void acceptsValidEdgeCase(String caseInWords, String file, Policy expected, List<String> findings) {
    ParseResult<Policy> result = PolicyParser.parse(read(VALID + file));

    assertThat(lines(result.findings())).as(file).containsExactlyElementsOf(findings);
    assertThat(result.value()).as(file).contains(expected);
  }

  private static final String RFC = " (RFC 8461 §3.2)";

  // Bodies whose point is a byte a file would hide (a lone CR, a bad byte at a line's start), written inline.
  static Stream<Arguments> inlineBodies() {
    return Stream.of(
        inline("a body starting with an empty line", utf8("\nversion: STSv1\nmode: none\nmax_age: 86400\n"),
            "ERROR line 1: empty line; fields follow one another without blank lines" + RFC),
        inline("more CRLF than LF line endings",
            utf8("version: STSv1\r\nmode: none\r\nmax_age: 86400\r\ncomment: x\n"),
            "INFO line 4: unknown field \"comment\" is an extension; senders ignore it" + RFC,
            "INFO body: mixed line endings: 3 lines end with CRLF and 1 with LF" + RFC),
        inline("a field without a name before the colon", utf8("version: STSv1\nmode: none\nmax_age: 86400\n: x\n"),
            "ERROR line 4: no field name before \":\"" + RFC),
        inline("a field after a bare CR is still read and checked",
            utf8("version: STSv1\rmode: Enforce\nmx: mail.example.com\nmax_age: 86400\n"),
            "ERROR line 1: carriage return (CR) at column 15 is not followed by a line feed; lines end with LF or CRLF"
                + RFC,
            "ERROR line 1: mode \"Enforce\" must be lower case: \"enforce\"" + RFC),
        inline("a field after a bare CR holding a control character is reported once",
            utf8("version: STSv1\rmode: enf\u0001orce\nmx: mail.example.com\nmax_age: 86400\n"),
            "ERROR line 1: carriage return (CR) at column 15 is not followed by a line feed; lines end with LF or CRLF"
                + " (and 1 more)" + RFC),
        inline("a bare CR followed by spaces", utf8("version: STSv1\r  \nmode: none\nmax_age: 86400\n"),
            "ERROR line 1: carriage return (CR) at column 15 is not followed by a line feed; lines end with LF or CRLF"
                + RFC,
            "ERROR line 1: \"  \" is not a \"name: value\" field (no \":\")" + RFC),
        inline("a line starting with a bare CR", utf8("version: STSv1\n\rmode: none\nmax_age: 86400\n"),
            "ERROR line 2: carriage return (CR) at column 1 is not followed by a line feed; lines end with LF or CRLF"
                + RFC),
        inline("findings in line order, bytes that are not UTF-8 among them",
            latin1("version: STSv2\nmode: none\nmax_age: 86400\nx: \u00ff\n"),
            "ERROR line 1: unsupported version \"STSv2\"; only \"STSv1\" is defined" + RFC,
            "ERROR line 4: byte 0xFF at offset 44 is not valid UTF-8" + RFC,
            "INFO line 4: unknown field \"x\" is an extension; senders ignore it" + RFC),
        inline("max_age of ten digits with leading zeros", utf8("version: STSv1\nmode: none\nmax_age: 0000604800\n"),
            "WARNING line 3: max_age \"0000604800\" has leading zeros; write 604800" + RFC),
        inline("an extension name of 32 characters", utf8("version: STSv1\nmode: none\nmax_age: 86400\n"
                + "x".repeat(32) + ": note\n"),
            "INFO line 4: unknown field \"" + "x".repeat(32) + "\" is an extension; senders ignore it" + RFC),
        inline("an extension name with a character no name may hold",
            utf8("version: STSv1\nmode: none\nmax_age: 86400\nx!y: note\n"),
            "ERROR line 4: field name \"x!y\" contains \"!\"; only letters, digits, \"_\", \"-\" and \".\" are"
                + " allowed" + RFC),
        inline("an extension name with a tilde", utf8("version: STSv1\nmode: none\nmax_age: 86400\nx~y: note\n"),
            "ERROR line 4: field name \"x~y\" contains \"~\"; only letters, digits, \"_\", \"-\" and \".\" are"
                + " allowed" + RFC),
        inline("an extension name with a letter outside ASCII",
            utf8("version: STSv1\nmode: none\nmax_age: 86400\nnoté: x\n"),
            "ERROR line 4: field name \"noté\" contains U+00E9; only letters, digits, \"_\", \"-\" and \".\" are"
                + " allowed" + RFC));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inlineBodies")
  void reportsEveryFindingOfABodyInLineOrder(String caseInWords, byte[] body, List<String> expected) {
    assertThat(lines(PolicyParser.parse(body).findings())).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"\uD800", "\uDBFF", "\uDC00", "\uDFFF"})
  void refusesEveryUnpairedSurrogateInAString(String surrogate) {
    ParseResult<Policy> result = PolicyParser.parse(
        "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\ncomment: a" + surrogate
            + "b\r\n");

    assertThat(result.value()).isEmpty();
    assertThat(lines(result.errors())).containsExactly("ERROR line 5: unpaired surrogate "
        + Finding.codePoint(surrogate.charAt(0)) + " at column 11 is not valid UTF-8" + RFC);
  }

  @Test
  void parsesBytesAndStringsAlike() {
    byte[] bytes = read(VALID + "extensions.txt");

    assertThat(PolicyParser.parse(new String(bytes, StandardCharsets.UTF_8))).isEqualTo(PolicyParser.parse(bytes));
  }

  @Test
  void reportsEveryUndecodableByteWithItsLine() {
    byte[] body = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\nx: \u00ff\u00fe\n"
        .getBytes(StandardCharsets.ISO_8859_1);

    assertThat(lines(PolicyParser.parse(body).findings())).containsExactly(
        "ERROR line 5: byte 0xFF at offset 68 is not valid UTF-8 (RFC 8461 §3.2)",
        "ERROR line 5: byte 0xFE at offset 69 is not valid UTF-8 (RFC 8461 §3.2)",
        "INFO line 5: unknown field \"x\" is an extension; senders ignore it (RFC 8461 §3.2)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtasts.rfc.NotUtf8Policies#cases")
  void refusesBytesThatAreNotUtf8WhereverTheyAre(String caseInWords, byte[] body, String firstError) {
    ParseResult<Policy> result = PolicyParser.parse(body);

    String line = firstError.substring("ERROR ".length(), firstError.indexOf(':'));
    assertThat(result.value()).isEmpty();
    assertThat(lines(result.errors())).first().isEqualTo(firstError);
    assertThat(lines(result.errors())).as("only the bytes are errors, nothing read from the U+FFFD standing in")
        .allSatisfy(e -> assertThat(e).startsWith("ERROR " + line + ": byte 0x")
            .endsWith(" is not valid UTF-8 (RFC 8461 §3.2)"));
    assertThat(lines(result.findings())).noneMatch(f -> f.contains("\uFFFD") || f.contains("U+FFFD"));
  }

  @Test
  void keepsMxInFileOrderWithDuplicates() {
    ParseResult<Policy> result = PolicyParser.parse(
        "version: STSv1\nmode: enforce\nmx: b.example.com\nmx: A.example.com\nmx: b.example.com\nmax_age: 86400\n");

    assertThat(result.value().orElseThrow().mx()).extracting(MxPattern::value)
        .containsExactly("b.example.com", "a.example.com", "b.example.com");
  }

  static List<String> lines(List<Finding> findings) {
    return findings.stream().map(f -> f.severity() + " " + f).toList();
  }

  private static Arguments row(String caseInWords, String file, String... expected) {
    return arguments(caseInWords, file, List.of(expected));
  }

  private static Arguments inline(String caseInWords, byte[] body, String... findings) {
    return arguments(caseInWords, body, List.of(findings));
  }

  private static byte[] utf8(String body) {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  /** For a body with bytes that are not UTF-8: each char below U+0100 is that byte. */
  private static byte[] latin1(String body) {
    return body.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static Arguments valid(String caseInWords, String file, Policy policy, String... findings) {
    return arguments(caseInWords, file, policy, List.of(findings));
  }

  private static byte[] read(String resource) {
    try (InputStream in = PolicyParserTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path folder(String resource) throws URISyntaxException {
    return Path.of(PolicyParserTest.class.getResource(resource).toURI());
  }
}
