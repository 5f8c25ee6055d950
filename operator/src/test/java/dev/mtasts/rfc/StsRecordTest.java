package dev.mtasts.rfc;

import static dev.mtasts.rfc.PolicyParserTest.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StsRecordTest {

  private static final String R = " (RFC 8461 §3.1)";

  static Stream<Arguments> invalidRecords() {
    return Stream.of(
        row("an empty record", "",
            "ERROR record: the TXT record is empty"),
        row("only the version", "v=STSv1",
            "ERROR record: required field \"id\" is missing"),
        row("an empty id", "v=STSv1; id=",
            "ERROR field 2: id has no value"),
        row("an id with hyphens", "v=STSv1; id=2024-01-01",
            "ERROR field 2: id \"2024-01-01\" may only contain letters and digits"),
        row("an id of 33 characters", "v=STSv1; id=" + "a".repeat(33),
            "ERROR field 2: id \"" + "a".repeat(33) + "\" is 33 characters long; at most 32"),
        row("a space instead of the separator", "v=STSv1 id=20240101",
            "ERROR record: expected \";\" after \"v=STSv1\", found \" \""),
        row("a comma instead of the separator", "v=STSv1, id=1",
            "ERROR record: expected \";\" after \"v=STSv1\", found \",\""),
        row("the version in the wrong case", "V=STSv1; id=1",
            "ERROR record: must begin with \"v=STSv1\" (case-sensitive); found \"V=STSv1\""),
        row("version STSv2", "v=STSv2; id=1",
            "ERROR record: unsupported version \"v=STSv2\"; only \"v=STSv1\" is defined"),
        row("version STSv10", "v=STSv10; id=1",
            "ERROR record: unsupported version \"v=STSv10\"; only \"v=STSv1\" is defined"),
        row("the version not first", "id=1; v=STSv1",
            "ERROR record: must begin with \"v=STSv1\"; found \"id=1\""),
        row("whitespace before the version", " v=STSv1; id=1",
            "ERROR record: whitespace before \"v=STSv1\""),
        row("whitespace after the last field", "v=STSv1; id=1 ",
            "ERROR record: whitespace after the last field; only \";\" may follow it"),
        row("two separators in a row", "v=STSv1;; id=1",
            "ERROR field 2: empty field between \";\" separators"),
        row("spaces around the equals sign", "v=STSv1; id = 1",
            "ERROR field 2: whitespace around \"=\" in \"id = 1\""),
        row("a field without an equals sign", "v=STSv1; id=1; ext",
            "ERROR field 3: \"ext\" is not a name=value field"),
        row("an extension name starting with an underscore", "v=STSv1; id=1; _ext=1",
            "ERROR field 3: field name \"_ext\" must start with a letter or digit"),
        row("an equals sign in an extension value", "v=STSv1; id=1; ext=a=b",
            "INFO field 3: unknown field \"ext\" is an extension; senders ignore it",
            "ERROR field 3: value of extension \"ext\" contains \"=\""),
        row("an empty extension value", "v=STSv1; id=1; ext=",
            "INFO field 3: unknown field \"ext\" is an extension; senders ignore it",
            "ERROR field 3: extension \"ext\" has no value"),
        row("the id in upper case", "v=STSv1; ID=1",
            "WARNING field 2: field \"ID\" is not \"id\" (field names are case-sensitive); senders ignore it as an "
                + "unknown extension",
            "ERROR record: required field \"id\" is missing"),
        row("a character that is not US-ASCII", "v=STSv1; id=1; comment=café",
            "ERROR record: character U+00E9 at position 27 is not US-ASCII",
            "INFO field 3: unknown field \"comment\" is an extension; senders ignore it"),
        row("a NUL character", "v=STSv1; id=12\u0000",
            "ERROR record: control character U+0000 at position 15"),
        row("a space inside the id", "v=STSv1; id=1 2",
            "ERROR field 2: id \"1 2\" may only contain letters and digits"),
        row("only the version, then whitespace", "v=STSv1 ",
            "ERROR record: whitespace after the last field; only \";\" may follow it",
            "ERROR record: required field \"id\" is missing"),
        row("a field without a name", "v=STSv1; id=1; =x",
            "ERROR field 3: empty field name"),
        row("two characters that are not US-ASCII", "v=STSv1; id=1; comment=crème brûlée",
            "ERROR record: character U+00E8 at position 26 is not US-ASCII (and 2 more)",
            "INFO field 3: unknown field \"comment\" is an extension; senders ignore it"),
        row("an invalid duplicate id", "v=STSv1; id=1; id=bad-id",
            "WARNING field 3: duplicate \"id\" field; senders use the first one (field 2) and ignore this one",
            "ERROR field 3: id \"bad-id\" may only contain letters and digits"));
  }

  @Test
  void everyInvalidRecordHasItsOwnFindings() {
    List<Arguments> rows = invalidRecords().toList();

    assertThat(rows.stream().map(r -> r.get()[2]).distinct()).hasSize(rows.size());
  }

  @Test
  void aTrailingSeparatorIsNoField() {
    assertThat(lines(StsRecord.parse("v=STSv1;").findings()))
        .containsExactly("ERROR record: required field \"id\" is missing" + R);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRecords")
  void refusesInvalidRecordWithEveryPreciseFinding(String caseInWords, String txt, List<String> expected) {
    ParseResult<StsRecord> result = StsRecord.parse(txt);

    assertThat(result.value()).isEmpty();
    assertThat(lines(result.findings())).containsExactlyElementsOf(expected);
  }

  static Stream<Arguments> validRecords() {
    return Stream.of(
        valid("the RFC example with a trailing separator", "v=STSv1; id=20160831085700Z;", "20160831085700Z"),
        valid("no space after the separator", "v=STSv1;id=1", "1"),
        valid("tabs around separators", "v=STSv1;\tid=1;\t", "1"),
        valid("an extension", "v=STSv1; id=abc; ext=1", "abc",
            "INFO field 3: unknown field \"ext\" is an extension; senders ignore it"),
        valid("whitespace before the first separator", "v=STSv1 ; id=1", "1",
            "WARNING record: whitespace before the \";\" after \"v=STSv1\"; some senders discard records that do not "
                + "begin with exactly \"v=STSv1;\""),
        valid("a duplicate id: the first one counts", "v=STSv1; id=1; id=2", "1",
            "WARNING field 3: duplicate \"id\" field; senders use the first one (field 2) and ignore this one"),
        valid("a second version field", "v=STSv1; id=1; v=STSv1", "1",
            "WARNING field 3: a second \"v\" field; senders ignore it as an unknown extension"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validRecords")
  void acceptsValidRecord(String caseInWords, String txt, String id, List<String> findings) {
    ParseResult<StsRecord> result = StsRecord.parse(txt);

    assertThat(lines(result.findings())).containsExactlyElementsOf(findings);
    assertThat(result.value()).get().extracting(StsRecord::id).isEqualTo(id);
  }

  static Stream<Arguments> recordSets() {
    return Stream.of(
        set("no TXT record at all", List.of(), null,
            "ERROR records: no TXT record begins with \"v=STSv1;\"; senders assume the domain has no MTA-STS policy"),
        set("only an unrelated record", List.of("v=spf1 -all"), null,
            "INFO record 1: not an MTA-STS record; senders ignore it",
            "ERROR records: no TXT record begins with \"v=STSv1;\"; senders assume the domain has no MTA-STS policy"),
        set("two MTA-STS records", List.of("v=STSv1; id=1", "v=STSv1; id=2"), null,
            "ERROR records: 2 TXT records begin with \"v=STSv1;\" (records 1, 2); senders assume the domain has no "
                + "MTA-STS policy"),
        set("two MTA-STS records, one also invalid", List.of("v=STSv1; id=1", "v=STSv1; id=bad-id"), null,
            "ERROR record 2, field 2: id \"bad-id\" may only contain letters and digits",
            "ERROR records: 2 TXT records begin with \"v=STSv1;\" (records 1, 2); senders assume the domain has no "
                + "MTA-STS policy"),
        set("one MTA-STS record and an unrelated one", List.of("v=STSv1; id=1", "v=spf1 -all"), "1",
            "INFO record 2: not an MTA-STS record; senders ignore it"),
        set("a look-alike is discarded, leaving one record", List.of("v=STSv1 id=1", "v=STSv1; id=2"), "2",
            "WARNING record 1: does not begin with \"v=STSv1;\", so senders discard it"),
        set("only a wrong-case look-alike", List.of("V=STSv1; id=1"), null,
            "WARNING record 1: does not begin with \"v=STSv1;\", so senders discard it",
            "ERROR records: no TXT record begins with \"v=STSv1;\"; senders assume the domain has no MTA-STS policy"),
        set("the version alone, without a separator", List.of("v=STSv1"), null,
            "WARNING record 1: does not begin with \"v=STSv1;\", so senders discard it",
            "ERROR records: no TXT record begins with \"v=STSv1;\"; senders assume the domain has no MTA-STS policy"),
        set("one syntactically invalid record", List.of("v=STSv1; id=bad-id"), null,
            "ERROR record 1, field 2: id \"bad-id\" may only contain letters and digits"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordSets")
  void appliesTheMultipleRecordRules(String caseInWords, List<String> txts, String id, List<String> findings) {
    ParseResult<StsRecord> result = StsRecord.parseAll(txts);

    assertThat(lines(result.findings())).containsExactlyElementsOf(findings);
    assertThat(result.value().map(StsRecord::id)).isEqualTo(java.util.Optional.ofNullable(id));
  }

  static Stream<Arguments> versionTags() {
    return Stream.of(
        arguments("a valid MTA-STS record", "v=STSv1; id=1", true, false),
        arguments("an MTA-STS record in the wrong case", "V=STSV1; id=1", true, false),
        arguments("an MTA-STS record without its separator", "v=STSv1 id=1", true, false),
        arguments("an MTA-STS record after leading spaces", "  v=STSv1; id=1", true, false),
        arguments("a valid TLSRPT record", "v=TLSRPTv1; rua=mailto:a@example.com", false, true),
        arguments("a TLSRPT record in the wrong case", "v=tlsrptv1; rua=mailto:a@example.com", false, true),
        arguments("an SPF record", "v=spf1 -all", false, false),
        arguments("a DMARC record", "v=DMARC1; p=none", false, false),
        arguments("a site verification token", "google-site-verification=abc", false, false),
        arguments("an empty value", "", false, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("versionTags")
  void theVersionTagTellsWhichRecordAValueIsMeantAs(String caseInWords, String txt, boolean sts, boolean tlsRpt) {
    assertThat(StsRecord.hasVersionTag(txt)).isEqualTo(sts);
    assertThat(TlsRptRecord.hasVersionTag(txt)).isEqualTo(tlsRpt);
  }

  @Test
  void rendersVersionIdAndExtensions() {
    assertThat(StsRecord.of("2025030112000000").render()).isEqualTo("v=STSv1; id=2025030112000000");
    assertThat(new StsRecord("a1", List.of(new Extension("x-ext", "1"))).render())
        .isEqualTo("v=STSv1; id=a1; x-ext=1");
  }

  @Test
  void parseOfRenderIsIdentity() {
    long seed = Long.getLong("rfc.seed", System.nanoTime());
    Random random = new Random(seed);
    String alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int i = 0; i < 1_000; i++) {
      StringBuilder id = new StringBuilder();
      for (int n = 1 + random.nextInt(32); n > 0; n--) {
        id.append(alnum.charAt(random.nextInt(alnum.length())));
      }
      StsRecord record = random.nextBoolean()
          ? StsRecord.of(id.toString())
          : new StsRecord(id.toString(), List.of(new Extension("ext" + i, "!\"#$%&'()*+,-./0-9:<>?@[\\]^_`{|}~")));

      assertThat(StsRecord.parse(record.render()).value()).as("seed %d", seed).contains(record);
    }
  }

  @Test
  void refusesToBuildWhatItCouldNotRender() {
    assertThatThrownBy(() -> StsRecord.of("2025-03-01"))
        .hasMessage("id \"2025-03-01\" may only contain letters and digits" + R);
    assertThatThrownBy(() -> new StsRecord("1", List.of(new Extension("id", "2"))))
        .hasMessage("extension \"id\" would repeat a registered field" + R);
    assertThatThrownBy(() -> new StsRecord("1", List.of(new Extension("x", "a;b"))))
        .hasMessage("value of extension \"x\" contains \";\"" + R);
    assertThatThrownBy(() -> new StsRecord("1", List.of(new Extension("x", "café"))))
        .hasMessage("value of extension \"x\" contains U+00E9, which is not printable US-ASCII" + R);
  }

  private static Arguments row(String caseInWords, String txt, String... expected) {
    return arguments(caseInWords, txt, Stream.of(expected).map(e -> e + R).toList());
  }

  private static Arguments valid(String caseInWords, String txt, String id, String... findings) {
    return arguments(caseInWords, txt, id, Stream.of(findings).map(e -> e + R).toList());
  }

  private static Arguments set(String caseInWords, List<String> txts, String id, String... findings) {
    return arguments(caseInWords, txts, id, Stream.of(findings).map(e -> e + R).toList());
  }
}
