package dev.mtasts.rfc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

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
