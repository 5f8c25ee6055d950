package dev.mtasts.rfc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FindingTest {

  @Test
  void readsAsOneLineWithLocationMessageAndRule() {
    Finding finding = Finding.error("line 3", "RFC 8461 §3.2",
        "mx: \"*.*.example.com\": a wildcard may only replace the leftmost label");

    assertThat(finding).hasToString(
        "line 3: mx: \"*.*.example.com\": a wildcard may only replace the leftmost label (RFC 8461 §3.2)");
    assertThat(finding.isError()).isTrue();
    assertThat(Finding.warning("max_age", "r", "m").isError()).isFalse();
  }

  @Test
  void nestsInsideAnOuterLocation() {
    assertThat(Finding.info("record", "r", "m").within("record 2").location()).isEqualTo("record 2");
    assertThat(Finding.info("field 3", "r", "m").within("record 2").location()).isEqualTo("record 2, field 3");
  }

  @Test
  void quotesValuesOnOneVisibleLine() {
    assertThat(Finding.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    assertThat(Finding.quote("a\tb\r\n\u0000\uFEFF")).isEqualTo("\"a\\tb\\r\\n\\u0000\\uFEFF\"");
    assertThat(Finding.quote("Zürich ✓")).isEqualTo("\"Zürich ✓\"");
    assertThat(Finding.quote("x".repeat(200))).isEqualTo("\"" + "x".repeat(77) + "...\"");
    assertThat(Finding.quote("x".repeat(80))).isEqualTo("\"" + "x".repeat(80) + "\"");
    assertThat(Finding.quote("a b\u007F")).isEqualTo("\"a b\\u007F\"");
    assertThat(Finding.quote("\uD800 \uDFFF \uD7FF \uE000")).isEqualTo("\"\\uD800 \\uDFFF \uD7FF \uE000\"");
  }
}
