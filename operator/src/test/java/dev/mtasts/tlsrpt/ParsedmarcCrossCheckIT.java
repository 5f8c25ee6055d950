package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtasts.rfc.ParseResult;
import dev.mtasts.testing.GoldenFile;
import dev.mtasts.testing.Parsedmarc;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture read by ReportParser and by parsedmarc, an independent parser (the pinned version of
 * test-infra/parsedmarc.sh, through its parse_report_file: JSON, gzip and mail). Where both accept a report they
 * must agree on what a domain owner reads off it: sender, report-id, period, per domain the successful and failed
 * sessions, and the failed sessions per result type. Where they differ, the difference is asserted and explained.
 */
class ParsedmarcCrossCheckIT {

  private static final Path FIXTURES = GoldenFile.repoRoot().resolve("operator/src/test/resources/tlsrpt");
  private static final ReportParser PARSER = new ReportParser();

  /** Good reports both parsers accept. */
  static final List<String> AGREED = List.of("good/google-like.json", "good/google-like.json.gz",
      "good/google-like.eml", "good/microsoft-like.json", "good/several-failures.json",
      "good/several-failures.json.gz", "good/no-policy-found.json", "good/tlsa.json", "good/vendor-extensions.json");

  /** Bad reports both refuse. */
  static final List<String> BOTH_REFUSE = List.of("bad/missing-required.json", "bad/not-an-object.json",
      "bad/not-gzip.json.gz", "bad/trailing-garbage.json", "bad/truncated.json.gz", "bad/unknown-policy-type.json");

  static Map<Path, JsonNode> parsedmarc;

  @BeforeAll
  static void parsedmarcReadsEveryFixture() throws IOException {
    List<Path> all;
    try (Stream<Path> files = Stream.of("good", "bad").flatMap(dir -> list(FIXTURES.resolve(dir)))) {
      all = files.toList();
    }
    assertThat(all.stream().map(p -> FIXTURES.relativize(p).toString()))
        .as("every fixture is in one of the lists of this test")
        .containsExactlyInAnyOrderElementsOf(Stream.of(AGREED, BOTH_REFUSE, List.of("good/minimal.json",
            "bad/bad-counts.json", "bad/end-before-start.json")).flatMap(List::stream).toList());
    assertThat(Parsedmarc.version()).as("the venv holds the pinned parsedmarc").matches("\\d+\\.\\d+\\.\\d+");
    parsedmarc = Parsedmarc.parse(all);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("agreed")
  void bothParsersReadTheSameTotals(String fixture) throws IOException {
    TlsReport ours = ours(fixture).value().orElseThrow();
    JsonNode theirs = report(fixture);

    assertThat(theirs.get("organization_name").asText()).isEqualTo(ours.organizationName());
    assertThat(theirs.get("report_id").asText()).isEqualTo(ours.reportId());
    assertThat(instant(theirs.get("begin_date").asText())).isEqualTo(ours.startDatetime());
    assertThat(instant(theirs.get("end_date").asText())).isEqualTo(ours.endDatetime());
    assertThat(sum(theirs, "successful_session_count")).isEqualTo(ours.successfulSessions());
    assertThat(sum(theirs, "failed_session_count")).isEqualTo(ours.failedSessions());
    assertThat(failuresByType(theirs)).isEqualTo(ReportParserTest.failuresByType(ours));
    // parsedmarc keeps the policy-domain as sent ("Example.COM"); ours is lower-cased, as DNS names compare.
    assertThat(theirs.get("policies").findValuesAsText("policy_domain").stream().map(String::toLowerCase))
        .containsExactlyElementsOf(ours.policies().stream().map(PolicyResult::policyDomain).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bothRefuse")
  void bothParsersRefuseTheBrokenReports(String fixture) throws IOException {
    assertThat(ours(fixture).isValid()).isFalse();
    assertThat(parsedmarc.get(FIXTURES.resolve(fixture)).has("error"))
        .as("parsedmarc on %s: %s", fixture, parsedmarc.get(FIXTURES.resolve(fixture))).isTrue();
  }

  /**
   * RFC 8460 §4.4 lists contact-info among the report fields, but nothing a domain owner reads off a report depends
   * on it (organization-name says who sent it), so ours reads the report with an INFO finding. parsedmarc requires
   * it and refuses the whole report, totals and failures included.
   */
  @Test
  void aReportWithoutContactInfoIsReadByOursButRefusedByParsedmarc() throws IOException {
    ParseResult<TlsReport> ours = ours("good/minimal.json");

    assertThat(ours.value().orElseThrow().successfulSessions()).isEqualTo(5);
    assertThat(ReportParserTest.lines(ours.findings())).containsExactly(
        "INFO contact-info: is missing (RFC 8460 §4.4)");
    assertThat(parsedmarc.get(FIXTURES.resolve("good/minimal.json")).get("error").asText())
        .contains("Missing required field: contact-info");
  }

  /**
   * parsedmarc checks that the fields are there, not what they hold: it passes on the string "1200", -3 and 2.5 as
   * session counts, where RFC 8460 §4.4 makes them integers and §4.2 counts of sessions, and a period whose end
   * comes before its start (§4.1). Ours refuses both reports, naming the field.
   */
  @Test
  void parsedmarcPassesOnCountsAndPeriodsOursRefuses() throws IOException {
    JsonNode counts = report("bad/bad-counts.json").get("policies").get(0);
    assertThat(counts.get("successful_session_count").asText()).isEqualTo("1200");
    assertThat(counts.get("successful_session_count").isTextual()).isTrue();
    assertThat(counts.get("failed_session_count").asLong()).isEqualTo(-3);
    assertThat(counts.get("failure_details").get(0).get("failed_session_count").asDouble()).isEqualTo(2.5);
    assertThat(ours("bad/bad-counts.json").errors()).hasSize(3);

    JsonNode reversed = report("bad/end-before-start.json");
    assertThat(instant(reversed.get("begin_date").asText()))
        .isAfter(instant(reversed.get("end_date").asText()));
    assertThat(ReportParserTest.lines(ours("bad/end-before-start.json").errors())).singleElement().asString()
        .startsWith("ERROR date-range: start-datetime");
  }

  static List<String> agreed() {
    return AGREED;
  }

  static List<String> bothRefuse() {
    return BOTH_REFUSE;
  }

  private static JsonNode report(String fixture) {
    JsonNode result = parsedmarc.get(FIXTURES.resolve(fixture));
    assertThat(result.has("error")).as("parsedmarc on %s: %s", fixture, result).isFalse();
    assertThat(result.get("report_type").asText()).isEqualTo("smtp_tls");
    return result.get("report");
  }

  /** Ours, as the receivers read it: a mail through ReportMessage, a file by its name. */
  private static ParseResult<TlsReport> ours(String fixture) throws IOException {
    Path file = FIXTURES.resolve(fixture);
    if (fixture.endsWith(".eml")) {
      try (InputStream in = Files.newInputStream(file)) {
        ReportAttachment part = ReportMessage.attachments(in).value().orElseThrow().get(0);
        return PARSER.parse(part.body(), part.mediaType());
      }
    }
    return PARSER.parse(Files.readAllBytes(file), fixture.endsWith(".gz") ? ReportMediaType.GZIP
        : ReportMediaType.JSON);
  }

  // parsedmarc hands the datetimes on as the report spells them; one without an offset is UTC (RFC 8460 §4.1).
  private static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    }
  }

  private static long sum(JsonNode report, String field) {
    long total = 0;
    for (JsonNode policy : report.get("policies")) {
      total += policy.get(field).asLong();
    }
    return total;
  }

  private static Map<String, Long> failuresByType(JsonNode report) {
    Map<String, Long> byType = new TreeMap<>();
    for (JsonNode policy : report.get("policies")) {
      for (JsonNode detail : policy.path("failure_details")) {
        byType.merge(detail.get("result_type").asText(), detail.get("failed_session_count").asLong(), Long::sum);
      }
    }
    return byType;
  }

  private static Stream<Path> list(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList().stream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
