package dev.mtasts.rfc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyHashTest {

  private static final Policy BASE =
      Policy.of(Mode.ENFORCE, 604_800, List.of("mail.example.com", "*.example.net"));

  @Test
  void isLowercaseHexSha256OfTheServedBody() {
    // sha256 of the empty string, a fixed point that needs no policy.
    assertThat(PolicyHash.ofBody(""))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(PolicyHash.of(BASE)).matches("[0-9a-f]{64}");
  }

  @Test
  void ignoresOrderDuplicatesAndCaseOfMx() {
    Policy shuffled = Policy.of(Mode.ENFORCE, 604_800,
        List.of("*.EXAMPLE.net", "Mail.Example.Com", "mail.example.com", "*.example.net"));

    assertThat(PolicyHash.of(shuffled)).isEqualTo(PolicyHash.of(BASE));
  }

  @Test
  void changesWithModeMaxAgeOrTheMxSet() {
    String base = PolicyHash.of(BASE);

    assertThat(PolicyHash.of(Policy.of(Mode.TESTING, 604_800, List.of("mail.example.com", "*.example.net"))))
        .isNotEqualTo(base);
    assertThat(PolicyHash.of(Policy.of(Mode.ENFORCE, 604_801, List.of("mail.example.com", "*.example.net"))))
        .isNotEqualTo(base);
    assertThat(PolicyHash.of(Policy.of(Mode.ENFORCE, 604_800, List.of("mail.example.com"))))
        .isNotEqualTo(base);
    assertThat(PolicyHash.of(Policy.of(Mode.ENFORCE, 604_800,
        List.of("mail.example.com", "*.example.net", "backup.example.org"))))
        .isNotEqualTo(base);
  }

  @Test
  void equalsTheHashOfTheCanonicalBodyAsFetched() {
    String served = PolicyRenderer.render(BASE.canonical());

    assertThat(PolicyHash.ofBody(served)).isEqualTo(PolicyHash.of(BASE));
    assertThat(PolicyHash.ofBody(PolicyRenderer.render(BASE))).isNotEqualTo(PolicyHash.of(BASE));
  }

  @Test
  void bytesThatAreNotUtf8HashAsTheyCameNotAsTheirReplacement() {
    byte[] latin1 = "version: STSv1\r\nmode: testing\r\nmx: mx.example.com\r\nmax_age: 86400\r\nx: caf\u00e9\r\n"
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    String decoded = new String(latin1, java.nio.charset.StandardCharsets.UTF_8);

    assertThat(PolicyHash.ofBytes(latin1)).isNotEqualTo(PolicyHash.ofBody(decoded));
    assertThat(PolicyHash.ofBytes("ok".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo(PolicyHash.ofBody("ok"));
  }
}
