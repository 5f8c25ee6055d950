package dev.mtasts.rfc;

import static dev.mtasts.rfc.PolicyParserTest.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.net.URI;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TlsRptRecordTest {

  private static final String R = " (RFC 8460 §3)";
  private static final String V = "v=TLSRPTv1; ";

  static Stream<Arguments> invalidRecords() {
    return Stream.of(
        row("an empty record", "",
            "ERROR record: the TXT record is empty"),
        row("no rua", "v=TLSRPTv1",
            "ERROR record: required field \"rua\" is missing"),
        row("an empty rua", V + "rua=",
            "ERROR field 2: rua has no URI"),
        row("a trailing comma in rua", V + "rua=mailto:a@example.com,",
            "ERROR field 2: rua ends with \",\"; there is no URI after it"),
        row("a leading comma in rua", V + "rua=,mailto:a@example.com",
            "ERROR field 2: rua starts with \",\"; there is no URI before it"),
        row("two commas in a row", V + "rua=mailto:a@example.com,,https://r.example.com/",
            "ERROR field 2: empty URI between two commas (\",,\") in rua"),
        row("an address without mailto:", V + "rua=tlsrpt@example.com",
            "ERROR field 2: URI \"tlsrpt@example.com\" has no scheme; write \"mailto:tlsrpt@example.com\""),
        row("a URL without a scheme", V + "rua=reports.example.com/tlsrpt",
            "ERROR field 2: URI \"reports.example.com/tlsrpt\" has no scheme; rua takes mailto: and https: URIs"),
        row("an unencoded exclamation point", V + "rua=mailto:tls!rpt@example.com",
            "ERROR field 2: URI \"mailto:tls!rpt@example.com\" contains \"!\", which must be percent-encoded as %21"),
        row("a DMARC-style size limit", V + "rua=mailto:tlsrpt@example.com!10m",
            "ERROR field 2: URI \"mailto:tlsrpt@example.com!10m\" contains \"!\", which must be percent-encoded as "
                + "%21"),
        row("an unencoded comma inside a mailto URI", V + "rua=mailto:a,b@example.com",
            "ERROR field 2: mailto URI \"mailto:a\" has no address of the form local@domain",
            "ERROR field 2: URI \"b@example.com\" has no scheme; write \"mailto:b@example.com\""),
        row("only an http URI", V + "rua=http://r.example.com/tlsrpt",
            "WARNING field 2: URI \"http://r.example.com/tlsrpt\" uses scheme \"http\"; only mailto: and https: are "
                + "defined, so senders ignore it",
            "ERROR field 2: rua has no mailto: or https: URI"),
        row("mailto without anything", V + "rua=mailto:",
            "ERROR field 2: URI \"mailto:\" is not valid: expected scheme-specific part at index 7"),
        row("mailto without a domain", V + "rua=mailto:tlsrpt",
            "ERROR field 2: mailto URI \"mailto:tlsrpt\" has no address of the form local@domain"),
        row("https without a host", V + "rua=https:///tlsrpt",
            "ERROR field 2: https URI \"https:///tlsrpt\" has no host"),
        row("a space inside a URI", V + "rua=https://r.example.com/a b",
            "ERROR field 2: URI \"https://r.example.com/a b\" is not valid: illegal character in path at index 23"),
        row("spaces around the equals sign", V + "rua = mailto:a@example.com",
            "ERROR field 2: whitespace around \"=\" in \"rua = mailto:a@example.com\""),
        row("version TLSRPTv2", "v=TLSRPTv2; rua=mailto:a@example.com",
            "ERROR record: unsupported version \"v=TLSRPTv2\"; only \"v=TLSRPTv1\" is defined"),
        row("the version not first", "rua=mailto:a@example.com; v=TLSRPTv1",
            "ERROR record: must begin with \"v=TLSRPTv1\"; found \"rua=mailto:a@example.com\""),
        row("a space instead of the separator", "v=TLSRPTv1 rua=mailto:a@example.com",
            "ERROR record: expected \";\" after \"v=TLSRPTv1\", found \" \""),
        row("rua in upper case", V + "RUA=mailto:a@example.com",
            "WARNING field 2: field \"RUA\" is not \"rua\" (field names are case-sensitive); senders ignore it as an "
                + "unknown extension",
            "ERROR record: required field \"rua\" is missing"),
        row("a space in an extension value", V + "rua=mailto:a@example.com; ext=x y",
            "INFO field 3: unknown field \"ext\" is an extension; senders ignore it",
            "ERROR field 3: value of extension \"ext\" contains a space"),
        row("an exclamation point before the scheme", V + "rua=!mailto:a@example.com",
            "ERROR field 2: URI \"!mailto:a@example.com\" contains \"!\", which must be percent-encoded as %21"),
        row("a domain without a local part or scheme", V + "rua=@example.com",
            "ERROR field 2: URI \"@example.com\" has no scheme; rua takes mailto: and https: URIs"),
        row("mailto without a local part", V + "rua=mailto:@example.com",
            "ERROR field 2: mailto URI \"mailto:@example.com\" has no address of the form local@domain"),
        row("mailto without a domain after the @", V + "rua=mailto:tlsrpt@",
            "ERROR field 2: mailto URI \"mailto:tlsrpt@\" has no address of the form local@domain"),
        row("a character that is not US-ASCII", V + "rua=mailto:ä@example.com",
            "ERROR record: character U+00E4 at position 24 is not US-ASCII"));
  }

  @Test
  void everyInvalidRecordHasItsOwnFindings() {
    List<Arguments> rows = invalidRecords().toList();

    assertThat(rows.stream().map(r -> r.get()[2]).distinct()).hasSize(rows.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRecords")
  void refusesInvalidRecordWithEveryPreciseFinding(String caseInWords, String txt, List<String> expected) {
    ParseResult<TlsRptRecord> result = TlsRptRecord.parse(txt);

    assertThat(result.isValid()).isFalse();
    assertThat(result.value()).isEmpty();
    assertThat(lines(result.findings())).containsExactlyElementsOf(expected);
  }

  static Stream<Arguments> validRecords() {
    return Stream.of(
        valid("the RFC mailto example", "v=TLSRPTv1;rua=mailto:reports@example.com",
            List.of("mailto:reports@example.com")),
        valid("an https endpoint", "v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt",
            List.of("https://reporting.example.com/v1/tlsrpt")),
        valid("two URIs with spaces around the comma and a trailing separator",
            V + "rua=mailto:a@example.com , https://r.example.com/x;",
            List.of("mailto:a@example.com", "https://r.example.com/x")),
        valid("a percent-encoded comma", V + "rua=mailto:a%2Cb@example.com", List.of("mailto:a%2Cb@example.com")),
        valid("an upper-case scheme and an extension", V + "rua=MAILTO:a@example.com; x=1",
            List.of("MAILTO:a@example.com"),
            "INFO field 3: unknown field \"x\" is an extension; senders ignore it"),
        valid("an unsupported scheme beside a supported one", V + "rua=mailto:a@example.com,ftp://x.example.com/",
            List.of("mailto:a@example.com"),
            "WARNING field 2: URI \"ftp://x.example.com/\" uses scheme \"ftp\"; only mailto: and https: are defined, "
                + "so senders ignore it"),
        valid("a duplicate rua: the first one counts", V + "rua=mailto:a@example.com; rua=mailto:b@example.com",
            List.of("mailto:a@example.com"),
            "WARNING field 3: duplicate \"rua\" field; senders use the first one (field 2) and ignore this one"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validRecords")
  void acceptsValidRecord(String caseInWords, String txt, List<String> rua, List<String> findings) {
    ParseResult<TlsRptRecord> result = TlsRptRecord.parse(txt);

    assertThat(lines(result.findings())).containsExactlyElementsOf(findings);
    assertThat(result.isValid()).isTrue();
    assertThat(result.value()).get().extracting(TlsRptRecord::rua)
        .isEqualTo(rua.stream().map(URI::create).toList());
  }

  @Test
  void rendersVersionAndCommaSeparatedUris() {
    TlsRptRecord record = TlsRptRecord.of(List.of("mailto:tlsrpt@example.com", "https://r.example.com/v1"));

    assertThat(record.render()).isEqualTo("v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://r.example.com/v1");
    assertThat(TlsRptRecord.parse(record.render()).value()).contains(record);
  }

  @Test
  void parseOfRenderIsIdentityWithExtensions() {
    TlsRptRecord record = new TlsRptRecord(List.of(URI.create("mailto:a%21b@example.com")),
        List.of(new Extension("x.ext_1", "value-1")));

    assertThat(record.render()).isEqualTo("v=TLSRPTv1; rua=mailto:a%21b@example.com; x.ext_1=value-1");
    assertThat(TlsRptRecord.parse(record.render()).value()).contains(record);
  }

  @Test
  void appliesTheMultipleRecordRules() {
    assertThat(lines(TlsRptRecord.parseAll(List.of()).findings())).containsExactly(
        "ERROR records: no TXT record begins with \"v=TLSRPTv1;\"; senders assume the domain does not implement "
            + "TLSRPT" + R);
    assertThat(lines(TlsRptRecord.parseAll(
        List.of("v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com")).findings()))
        .containsExactly("ERROR records: 2 TXT records begin with \"v=TLSRPTv1;\" (records 1, 2); senders assume "
            + "the domain does not implement TLSRPT" + R);

    ParseResult<TlsRptRecord> one =
        TlsRptRecord.parseAll(List.of("v=spf1 -all", "v=TLSRPTv1;rua=mailto:reports@example.com"));
    assertThat(lines(one.findings())).containsExactly("INFO record 1: not a TLSRPT record; senders ignore it" + R);
    assertThat(one.value()).contains(TlsRptRecord.of(List.of("mailto:reports@example.com")));

    ParseResult<TlsRptRecord> spaced = TlsRptRecord.parseAll(List.of("v=TLSRPTv1 ; rua=mailto:a@example.com"));
    assertThat(spaced.value()).isPresent();
    assertThat(lines(spaced.findings())).containsExactly("WARNING record 1: whitespace before the \";\" after "
        + "\"v=TLSRPTv1\"; some senders discard records that do not begin with exactly \"v=TLSRPTv1;\"" + R);
  }

  @Test
  void refusesToBuildWhatSendersCouldNotUse() {
    assertThatThrownBy(() -> TlsRptRecord.of(List.of()))
        .hasMessage("rua needs at least one URI" + R);
    assertThatThrownBy(() -> TlsRptRecord.of(List.of("http://r.example.com/")))
        .hasMessage("URI \"http://r.example.com/\" is neither mailto: nor https:" + R);
    assertThatThrownBy(() -> TlsRptRecord.of(List.of("mailto:a!b@example.com")))
        .hasMessage("URI \"mailto:a!b@example.com\" contains \"!\", which must be percent-encoded as %21" + R);
    assertThatThrownBy(() -> new TlsRptRecord(List.of(URI.create("mailto:a@example.com")),
        List.of(new Extension("rua", "x"))))
        .hasMessage("extension \"rua\" would repeat a registered field" + R);
    assertThatThrownBy(() -> new TlsRptRecord(List.of(URI.create("mailto:a@example.com")),
        List.of(new Extension("x", "a b"))))
        .hasMessage("value of extension \"x\" contains a space" + R);
  }

  private static Arguments row(String caseInWords, String txt, String... expected) {
    return arguments(caseInWords, txt, Stream.of(expected).map(e -> e + R).toList());
  }

  private static Arguments valid(String caseInWords, String txt, List<String> rua, String... findings) {
    return arguments(caseInWords, txt, rua, Stream.of(findings).map(e -> e + R).toList());
  }
}
