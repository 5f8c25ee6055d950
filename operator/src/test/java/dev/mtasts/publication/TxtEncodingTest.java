package dev.mtasts.publication;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TXT targets as the providers want them, and back to the value they stand for. */
class TxtEncodingTest {

  @Test
  void plainIsTheValueItself() {
    assertThat(TxtEncoding.PLAIN.encode("v=STSv1; id=20261201000000")).isEqualTo("v=STSv1; id=20261201000000");
  }

  @Test
  void quotedIsOneCharacterStringWithQuotesAndBackslashesEscaped() {
    assertThat(TxtEncoding.QUOTED.encode("v=STSv1; id=20261201000000")).isEqualTo("\"v=STSv1; id=20261201000000\"");
    assertThat(TxtEncoding.QUOTED.encode("a \"b\" \\c")).isEqualTo("\"a \\\"b\\\" \\\\c\"");
  }

  @Test
  void aValueOver255BytesBecomesSeveralStringsOfAtMost255Bytes() {
    String rua = "v=TLSRPTv1; rua=" + "mailto:tlsrpt@example.com,".repeat(11) + "https://r.example.com/";
    String encoded = TxtEncoding.QUOTED.encode(rua);

    assertThat(encoded).startsWith("\"v=TLSRPTv1; rua=").contains("\" \"");
    assertThat(encoded.split("\" \"")[0].length() - 1).isEqualTo(255);
    assertThat(TxtEncoding.decode(encoded)).isEqualTo(rua);
  }

  @ParameterizedTest
  @ValueSource(strings = {"v=STSv1; id=1", "v=TLSRPTv1; rua=mailto:a@example.com", "a \"quoted\" word", "é ü 😀"})
  void decodingTheEncodedTargetGivesTheValueBack(String value) {
    assertThat(TxtEncoding.decode(TxtEncoding.QUOTED.encode(value))).isEqualTo(value);
    assertThat(TxtEncoding.decode(TxtEncoding.PLAIN.encode(value))).isEqualTo(value);
  }

  @Test
  void theSettingsWithAnotherEncodingKeepEverythingElse() {
    OperatorSettings quoted = OperatorSettings.defaults().withTxtEncoding(TxtEncoding.QUOTED);

    assertThat(quoted.txtEncoding()).isEqualTo(TxtEncoding.QUOTED);
    // IssuerReference has no equals of its own: compared field by field.
    assertThat(quoted.withTxtEncoding(TxtEncoding.PLAIN)).usingRecursiveComparison()
        .isEqualTo(OperatorSettings.defaults());
  }

  @Test
  void anEmptyStringIsAnEmptyValue() {
    assertThat(TxtEncoding.decode("\"\"")).isEmpty();
    assertThat(TxtEncoding.QUOTED.encode("")).isEqualTo("\"\"");
  }

  @Test
  void aTargetThatIsNotAListOfStringsIsTakenAsItIs() {
    assertThat(TxtEncoding.decode("\"a\" b \"c\"")).isEqualTo("\"a\" b \"c\"");
    assertThat(TxtEncoding.decode("\"unterminated")).isEqualTo("\"unterminated");
    assertThat(TxtEncoding.decode("\"")).isEqualTo("\"");
  }
}
