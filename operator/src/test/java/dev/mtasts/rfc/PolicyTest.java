package dev.mtasts.rfc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyTest {

  @Test
  void modeTokensAreExactAndCaseSensitive() {
    assertThat(Mode.ENFORCE.token()).isEqualTo("enforce");
    assertThat(Mode.TESTING.token()).isEqualTo("testing");
    assertThat(Mode.NONE.token()).isEqualTo("none");
    assertThat(Mode.fromToken("testing")).contains(Mode.TESTING);
    assertThat(Mode.fromToken("Enforce")).isEmpty();
    assertThat(Mode.fromToken("report")).isEmpty();
  }

  @Test
  void refusesMaxAgeOutsideZeroToOneYear() {
    assertThat(Policy.MAX_AGE_LIMIT).isEqualTo(31_557_600);
    assertThat(Policy.of(Mode.ENFORCE, 0, List.of("mx.example.com")).maxAgeSeconds()).isZero();
    assertThat(Policy.of(Mode.ENFORCE, 31_557_600, List.of("mx.example.com")).maxAgeSeconds()).isEqualTo(31_557_600);
    assertThatThrownBy(() -> Policy.of(Mode.ENFORCE, 31_557_601, List.of("mx.example.com")))
        .hasMessage("max_age 31557601 is outside 0..31557600 (RFC 8461 §3.2)");
    assertThatThrownBy(() -> Policy.of(Mode.ENFORCE, -1, List.of("mx.example.com")))
        .hasMessage("max_age -1 is outside 0..31557600 (RFC 8461 §3.2)");
  }

  static Stream<Arguments> coverage() {
    List<String> mx = List.of("mx1.example.com", "*.mail.example.net");
    return Stream.of(
        arguments("every host named or matched by a wildcard", Mode.ENFORCE, mx,
            List.of("mx1.example.com", "a.mail.example.net"), List.of()),
        arguments("hosts compare case-insensitively, one trailing dot ignored", Mode.ENFORCE, mx,
            List.of("MX1.Example.COM.", "B.MAIL.example.net."), List.of()),
        arguments("a host no pattern names", Mode.ENFORCE, mx,
            List.of("mx1.example.com", "backup.example.com"), List.of("backup.example.com")),
        arguments("a wildcard covers one label, not two", Mode.TESTING, mx,
            List.of("a.b.mail.example.net", "mail.example.net"), List.of("a.b.mail.example.net", "mail.example.net")),
        arguments("uncovered hosts keep their order and repeats", Mode.TESTING, mx,
            List.of("z.example.org", "mx1.example.com", "a.example.org", "z.example.org"),
            List.of("z.example.org", "a.example.org", "z.example.org")),
        arguments("no MX hosts, nothing uncovered", Mode.ENFORCE, mx, List.of(), List.of()),
        arguments("mode none applies no patterns, so nothing is uncovered", Mode.NONE, mx,
            List.of("backup.example.com"), List.of()),
        arguments("mode none without mx patterns", Mode.NONE, List.of(), List.of("mx1.example.com"), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("coverage")
  void uncoveredHostsAreThoseNoMxPatternMatches(String caseInWords, Mode mode, List<String> mx, List<String> hosts,
      List<String> uncovered) {
    assertThat(Policy.of(mode, 86_400, mx).uncoveredHosts(hosts)).containsExactlyElementsOf(uncovered);
  }

  @Test
  void requiresMxUnlessModeIsNone() {
    assertThat(Policy.of(Mode.NONE, 86_400, List.of()).mx()).isEmpty();
    assertThatThrownBy(() -> Policy.of(Mode.TESTING, 86_400, List.of()))
        .hasMessage("mode \"testing\" needs at least one mx pattern (RFC 8461 §3.2)");
  }

  @Test
  void refusesExtensionsThatWouldRepeatARegisteredFieldOrBreakTheGrammar() {
    List<MxPattern> mx = List.of(MxPattern.parse("mx.example.com"));

    assertThatThrownBy(() -> new Policy(Mode.ENFORCE, mx, 1, List.of(new Extension("mode", "none"))))
        .hasMessage("extension \"mode\" would repeat a registered field (RFC 8461 §3.2)");
    assertThatThrownBy(() -> new Policy(Mode.ENFORCE, mx, 1, List.of(new Extension("x", " padded"))))
        .hasMessage("extension field \"x\" has leading or trailing spaces in its value (RFC 8461 §3.2)");
    assertThatThrownBy(() -> new Extension("_x", "1"))
        .hasMessage("field name \"_x\" must start with a letter or digit");
  }

  static Stream<Arguments> extensionValues() {
    String field = "extension field \"x\" ";
    return Stream.of(
        arguments("an empty value", "", field + "has no value (RFC 8461 §3.2)"),
        arguments("a tab between words", "a\tb", field + "has a tab inside its value; only spaces may separate words"
            + " (RFC 8461 §3.2)"),
        arguments("a control character", "a\u0001b", field + "has control character U+0001 in its value"
            + " (RFC 8461 §3.2)"),
        arguments("DEL", "a\u007Fb", field + "has control character U+007F in its value (RFC 8461 §3.2)"),
        arguments("the first unpaired surrogate", "a\uD800", field + "has an unpaired surrogate U+D800, which is not"
            + " valid UTF-8 (RFC 8461 §3.2)"),
        arguments("the last unpaired surrogate", "\uDFFFa", field + "has an unpaired surrogate U+DFFF, which is not"
            + " valid UTF-8 (RFC 8461 §3.2)"),
        arguments("words with inner spaces", "managed by hand", null),
        arguments("UTF-8 around the surrogates and beyond", "\uD7FF \uE000 Zürich \uD83D\uDE00", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("extensionValues")
  void acceptsOnlyExtensionValuesItCanServe(String caseInWords, String value, String refusal) {
    List<MxPattern> mx = List.of(MxPattern.parse("mx.example.com"));
    List<Extension> extensions = List.of(new Extension("x", value));

    if (refusal == null) {
      assertThat(new Policy(Mode.ENFORCE, mx, 1, extensions).extensions()).isEqualTo(extensions);
    } else {
      assertThatThrownBy(() -> new Policy(Mode.ENFORCE, mx, 1, extensions)).hasMessage(refusal);
    }
  }

  @Test
  void isImmutable() {
    List<MxPattern> mx = new java.util.ArrayList<>(List.of(MxPattern.parse("mx.example.com")));
    Policy policy = new Policy(Mode.ENFORCE, mx, 1, List.of());
    mx.clear();

    assertThat(policy.mx()).hasSize(1);
    assertThatThrownBy(() -> policy.mx().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void canonicalSortsAndDeduplicatesMxAndKeepsEverythingElse() {
    Policy policy = new Policy(Mode.TESTING,
        List.of(MxPattern.parse("b.example.com"), MxPattern.parse("*.example.net"), MxPattern.parse("B.EXAMPLE.COM"),
            MxPattern.parse("a.example.com")),
        604_800, List.of(new Extension("zz", "1"), new Extension("aa", "2")));

    Policy canonical = policy.canonical();

    assertThat(canonical.mx()).extracting(MxPattern::value)
        .containsExactly("*.example.net", "a.example.com", "b.example.com");
    assertThat(canonical.mode()).isEqualTo(Mode.TESTING);
    assertThat(canonical.maxAgeSeconds()).isEqualTo(604_800);
    assertThat(canonical.extensions()).isEqualTo(policy.extensions());
    assertThat(canonical.canonical()).isEqualTo(canonical);
  }

  @Test
  void rendersTheExactBodyWeServe() {
    Policy policy = new Policy(Mode.ENFORCE,
        List.of(MxPattern.parse("mail.example.com"), MxPattern.parse("*.example.net")),
        604_800, List.of(new Extension("x-note", "hello world")));

    assertThat(PolicyRenderer.render(policy)).isEqualTo(
        "version: STSv1\r\n"
            + "mode: enforce\r\n"
            + "mx: mail.example.com\r\n"
            + "mx: *.example.net\r\n"
            + "max_age: 604800\r\n"
            + "x-note: hello world\r\n");
    assertThat(PolicyRenderer.render(Policy.of(Mode.NONE, 0, List.of())))
        .isEqualTo("version: STSv1\r\nmode: none\r\nmax_age: 0\r\n");
  }
}
