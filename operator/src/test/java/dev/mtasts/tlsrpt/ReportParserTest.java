package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.mtasts.rfc.Finding;
import dev.mtasts.rfc.ParseResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReportParserTest {

  private static final ReportParser PARSER = new ReportParser();

  /** What a domain owner reads off a good report: who sent it, which one, the totals, the failures by type. */
  record Expected(String organization, String reportId, String start, String end, long successful, long failed,
      Map<String, Long> failuresByType, List<String> findings) {
  }

  static Stream<Arguments> goodReports() {
    return Stream.of(
        arguments("a Google-like report: zoned datetimes, mx-host array, policy-string", "good/google-like.json",
            new Expected("Google Inc.", "2026-11-20T00:00:00Z_example.com", "2026-11-20T00:00:00Z",
                "2026-11-20T23:59:59Z", 1520, 3, Map.of("certificate-expired", 3L), List.of())),
        arguments("the same report gzip-compressed", "good/google-like.json.gz",
            new Expected("Google Inc.", "2026-11-20T00:00:00Z_example.com", "2026-11-20T00:00:00Z",
                "2026-11-20T23:59:59Z", 1520, 3, Map.of("certificate-expired", 3L), List.of())),
        arguments("a Microsoft-like report: datetimes without a zone, 7 fraction digits, mx-host string",
            "good/microsoft-like.json",
            new Expected("Microsoft Corporation", "134079264000000000+example.com", "2026-11-20T00:00:00Z",
                "2026-11-20T23:59:59.999999900Z", 842, 2, Map.of("certificate-host-mismatch", 2L), List.of(
                    "WARNING date-range.start-datetime: \"2026-11-20T00:00:00\" has no UTC offset (RFC 3339"
                        + " requires one, e.g. \"Z\"); read as UTC (RFC 8460 §4.4)",
                    "WARNING date-range.end-datetime: \"2026-11-20T23:59:59.9999999\" has no UTC offset (RFC 3339"
                        + " requires one, e.g. \"Z\"); read as UTC (RFC 8460 §4.4)"))),
        arguments("failures of several result types over two domains", "good/several-failures.json",
            new Expected("Mail Sender Example Ltd", "5f0c2a9e-0b41-4b7e-9a53-5e1f2c7d8a10@sender.example",
                "2026-11-21T00:00:00Z", "2026-11-22T00:00:00Z", 1027, 62,
                Map.of("certificate-expired", 45L, "starttls-not-supported", 12L, "sts-policy-fetch-error", 4L,
                    "sts-webpki-invalid", 1L), List.of())),
        arguments("the same report gzip-compressed", "good/several-failures.json.gz",
            new Expected("Mail Sender Example Ltd", "5f0c2a9e-0b41-4b7e-9a53-5e1f2c7d8a10@sender.example",
                "2026-11-21T00:00:00Z", "2026-11-22T00:00:00Z", 1027, 62,
                Map.of("certificate-expired", 45L, "starttls-not-supported", 12L, "sts-policy-fetch-error", 4L,
                    "sts-webpki-invalid", 1L), List.of())),
        arguments("no policy found, no sending-mta-ip", "good/no-policy-found.json",
            new Expected("Small Mail Host", "smallhost-20261120-example.net", "2026-11-20T00:00:00Z",
                "2026-11-20T23:59:59Z", 31, 2, Map.of("starttls-not-supported", 2L), List.of())),
        arguments("a DANE (tlsa) policy", "good/tlsa.json",
            new Expected("DANE Sender Example", "dane-sender.example/2026-11-20/example.com/1",
                "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z", 210, 9,
                Map.of("tlsa-invalid", 6L, "dnssec-invalid", 3L), List.of())),
        arguments("only what the RFC requires: no contact-info, policy-string or failure-details",
            "good/minimal.json",
            new Expected("Minimal Reporter", "minimal-1", "2026-11-20T00:00:00Z", "2026-11-20T23:59:59Z", 5, 0,
                Map.of(), List.of("INFO contact-info: is missing (RFC 8460 §4.4)"))),
        arguments("vendor fields, an unknown result type, offsets and fractions", "good/vendor-extensions.json",
            new Expected("Vendor Extensions Example", "vendor-20261120", "2026-11-20T00:00:00.125Z",
                "2026-11-20T23:59:59.875Z", 12, 4,
                Map.of("certificate-revoked", 3L, "certificate-not-trusted", 1L), List.of(
                    "INFO x-report-schema: unknown field, ignored (RFC 8460 §4.4)",
                    "INFO policies[0].policy.x-policy-age: unknown field, ignored (RFC 8460 §4.4)",
                    "INFO policies[0].failure-details[0].x-ocsp: unknown field, ignored (RFC 8460 §4.4)",
                    "WARNING policies[0].failure-details[0].result-type: \"certificate-revoked\" is not a result"
                        + " type of RFC 8460 §4.3; kept as it is (RFC 8460 §4.3)"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodReports")
  void goodReportsGiveTheirTotals(String caseInWords, String fixture, Expected expected) {
    ParseResult<TlsReport> result = parseFixture(fixture);

    assertThat(lines(result.findings())).containsExactlyInAnyOrderElementsOf(expected.findings());
    TlsReport report = result.value().orElseThrow();
    assertThat(report.organizationName()).isEqualTo(expected.organization());
    assertThat(report.reportId()).isEqualTo(expected.reportId());
    assertThat(report.startDatetime()).isEqualTo(Instant.parse(expected.start()));
    assertThat(report.endDatetime()).isEqualTo(Instant.parse(expected.end()));
    assertThat(report.successfulSessions()).isEqualTo(expected.successful());
    assertThat(report.failedSessions()).isEqualTo(expected.failed());
    assertThat(failuresByType(report)).isEqualTo(new TreeMap<>(expected.failuresByType()));
  }

  static Stream<Arguments> badReports() {
    return Stream.of(
        arguments("gzip by name only", "bad/not-gzip.json.gz", ReportMediaType.GZIP, List.of(
            "ERROR body: is not gzip (it does not start with the gzip magic bytes 1f 8b), though its media type"
                + " is application/tlsrpt+gzip (RFC 8460 §5.2)")),
        arguments("gzip cut short", "bad/truncated.json.gz", ReportMediaType.GZIP, List.of(
            "ERROR body: the gzip data is truncated (RFC 8460 §5.2)")),
        arguments("a JSON array around the report", "bad/not-an-object.json", ReportMediaType.JSON, List.of(
            "ERROR body: the report must be a JSON object, not an array (RFC 8460 §4.4)")),
        arguments("a second report after the first", "bad/trailing-garbage.json", ReportMediaType.JSON,
            List.of("ERROR line 2, column 1: there is more after the end of the report (one report per body)"
                + " (RFC 8460 §4.4)")),
        arguments("every required field left out", "bad/missing-required.json", ReportMediaType.JSON, List.of(
            "ERROR organization-name: is missing (RFC 8460 §4.4)",
            "ERROR report-id: is missing (RFC 8460 §4.4)",
            "ERROR date-range.end-datetime: is missing (RFC 8460 §4.4)",
            "ERROR policies[0].policy.policy-type: is missing (RFC 8460 §4.4)",
            "ERROR policies[0].summary.total-failure-session-count: is missing (RFC 8460 §4.4)",
            "ERROR policies[0].failure-details[0].result-type: is missing (RFC 8460 §4.4)",
            "ERROR policies[0].failure-details[0].failed-session-count: is missing (RFC 8460 §4.4)")),
        arguments("counts as a string, negative, fractional", "bad/bad-counts.json", ReportMediaType.JSON, List.of(
            "ERROR policies[0].summary.total-successful-session-count: must be a non-negative integer, not a"
                + " string (RFC 8460 §4.2)",
            "ERROR policies[0].summary.total-failure-session-count: must be a non-negative integer, not -3"
                + " (RFC 8460 §4.2)",
            "ERROR policies[0].failure-details[0].failed-session-count: must be a non-negative integer, not 2.5"
                + " (RFC 8460 §4.2)")),
        arguments("the period ends before it starts", "bad/end-before-start.json", ReportMediaType.JSON, List.of(
            "ERROR date-range: start-datetime 2026-11-21T00:00:00Z is not before end-datetime"
                + " 2026-11-20T00:00:00Z (RFC 8460 §4.1)")),
        arguments("a policy type RFC 8460 does not define, a date without time", "bad/unknown-policy-type.json",
            ReportMediaType.JSON, List.of(
                "ERROR date-range.start-datetime: \"2026-11-20\" is not an RFC 3339 date-time such as"
                    + " \"2026-01-01T00:00:00Z\" (RFC 8460 §4.4)",
                "ERROR policies[0].policy.policy-type: \"dane\" is not one of \"sts\", \"tlsa\","
                    + " \"no-policy-found\" (RFC 8460 §4.4)")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badReports")
  void badReportsAreRefusedNamingTheFieldAndTheRule(String caseInWords, String fixture, ReportMediaType type,
      List<String> errors) {
    ParseResult<TlsReport> result = PARSER.parse(fixture(fixture), type);

    assertThat(result.value()).isEmpty();
    assertThat(lines(result.errors())).containsExactlyInAnyOrderElementsOf(errors);
  }

  static Stream<Arguments> quirks() {
    return Stream.of(
        row("an empty body", "", "ERROR body: is empty (RFC 8460 §4.4)"),
        row("JSON null", "null", "ERROR body: the report must be a JSON object, not null (RFC 8460 §4.4)"),
        row("a JSON string", "\"report\"", "ERROR body: the report must be a JSON object, not a string"
            + " (RFC 8460 §4.4)"),
        row("not JSON at all", "organization-name: x",
            "ERROR line 1, column 14: is not valid JSON: Unrecognized token 'organization': was expecting (JSON"
                + " String, Number, Array, Object or token 'null', 'true' or 'false') (RFC 8460 §4.4)"),
        row("a field given twice", report().replace("\"report-id\": \"r-1\"",
                "\"report-id\": \"r-1\", \"report-id\": \"r-2\""),
            "ERROR line 1, column 211: is not valid JSON: Duplicate field 'report-id' (RFC 8460 §4.4)"),
        row("organization-name a number", report().replace("\"Example Sender\"", "7"),
            "ERROR organization-name: must be a string, not a number (RFC 8460 §4.4)"),
        row("report-id blank", report().replace("\"r-1\"", "\" \""), "ERROR report-id: is empty (RFC 8460 §4.4)"),
        row("date-range a string", report().replace(DATE_RANGE, "\"yesterday\""),
            "ERROR date-range: must be an object, not a string (RFC 8460 §4.4)"),
        row("date-range missing", report().replace("\"date-range\": " + DATE_RANGE + ", ", ""),
            "ERROR date-range: is missing (RFC 8460 §4.4)"),
        row("a start equal to the end", report().replace("2026-11-20T23:59:59Z", "2026-11-20T00:00:00Z"),
            "ERROR date-range: start-datetime 2026-11-20T00:00:00Z is not before end-datetime"
                + " 2026-11-20T00:00:00Z (RFC 8460 §4.1)"),
        row("policies an object", report().replace(POLICIES, "{}"),
            "ERROR policies: must be an array, not an object (RFC 8460 §4.4)"),
        row("a policy entry that is a string", report().replace(POLICIES, "[\"sts\"]"),
            "ERROR policies[0]: must be an object, not a string (RFC 8460 §4.4)"),
        row("policy missing", report().replace(POLICY + ", ", ""),
            "ERROR policies[0].policy: is missing (RFC 8460 §4.4)"),
        row("summary an array", report().replace(SUMMARY, "[]"),
            "ERROR policies[0].summary: must be an object, not an array (RFC 8460 §4.4)"),
        row("policy-domain missing", report().replace(", \"policy-domain\": \"Example.COM\"", ""),
            "ERROR policies[0].policy.policy-domain: is missing (RFC 8460 §4.4)"),
        row("failure-details an object", report().replace(DETAILS, "{}"),
            "ERROR policies[0].failure-details: must be an array, not an object (RFC 8460 §4.4)"),
        row("a failure-details entry that is a number", report().replace(DETAILS, "[1]"),
            "ERROR policies[0].failure-details[0]: must be an object, not a number (RFC 8460 §4.4)"),
        row("a count too big for 64 bits", report().replace("\"failed-session-count\": 2",
                "\"failed-session-count\": 99999999999999999999"),
            "ERROR policies[0].failure-details[0].failed-session-count: must be a non-negative integer, not"
                + " 99999999999999999999 (RFC 8460 §4.2)"),
        row("a count that is true", report().replace("\"total-successful-session-count\": 10",
                "\"total-successful-session-count\": true"),
            "ERROR policies[0].summary.total-successful-session-count: must be a non-negative integer, not a"
                + " boolean (RFC 8460 §4.2)"),
        row("more failure details than failures", report().replace("\"failed-session-count\": 2",
                "\"failed-session-count\": 5"),
            "WARNING policies[0].failure-details: count 5 failed sessions, more than total-failure-session-count"
                + " 2 (RFC 8460 §4.2)"),
        row("an empty policies array", report().replace(POLICIES, "[]"),
            "WARNING policies: is empty: the report is about no policy domain (RFC 8460 §4.4)"),
        row("mx-host a number", report().replace("\"mx-host\": \"mx.example.com\"", "\"mx-host\": 25"),
            "WARNING policies[0].policy.mx-host: must be an array of strings or a string, not a number; ignored"
                + " (RFC 8460 §4.4)"),
        row("policy-string a string", report().replace("\"policy-type\": \"sts\"",
                "\"policy-type\": \"sts\", \"policy-string\": \"version: STSv1\""),
            "WARNING policies[0].policy.policy-string: must be an array of strings, not a string; ignored"
                + " (RFC 8460 §4.4)"),
        row("a number among the mx-host strings", report().replace("\"mx-host\": \"mx.example.com\"",
                "\"mx-host\": [\"mx.example.com\", 25]"),
            "WARNING policies[0].policy.mx-host[1]: must be a string, not a number; ignored (RFC 8460 §4.4)"),
        row("additional-information an object", report().replace("\"https://sender.example/info\"", "{\"uri\": \"x\"}"),
            "WARNING policies[0].failure-details[0].additional-information: must be a string, not an object;"
                + " ignored (RFC 8460 §4.4)"),
        row("a date-time with a space for T", report().replace("2026-11-20T00:00:00Z", "2026-11-20 00:00:00Z"),
            "ERROR date-range.start-datetime: \"2026-11-20 00:00:00Z\" is not an RFC 3339 date-time such as"
                + " \"2026-01-01T00:00:00Z\" (RFC 8460 §4.4)"),
        row("an unknown field in date-range and summary", report()
                .replace("\"end-datetime\"", "\"zone\": \"UTC\", \"end-datetime\"")
                .replace("\"total-successful-session-count\"", "\"total-tls\": 1, \"total-successful-session-count\""),
            "INFO date-range.zone: unknown field, ignored (RFC 8460 §4.4)",
            "INFO policies[0].summary.total-tls: unknown field, ignored (RFC 8460 §4.4)"),
        row("an unknown field in a policies entry", report().replace(SUMMARY + ",", SUMMARY + ", \"notes\": [],"),
            "INFO policies[0].notes: unknown field, ignored (RFC 8460 §4.4)"),
        row("null for optional fields, as if they were left out", report()
            .replace("\"192.0.2.1\"", "null").replace("\"mx-host\": \"mx.example.com\"", "\"mx-host\": null")),
        row("the policy type in capitals",
            report().replace("\"policy-type\": \"sts\"", "\"policy-type\": \"STS\"")),
        row("contact-info a number", report().replace("\"tlsrpt@sender.example\"", "1"),
            "WARNING contact-info: must be a string, not a number; ignored (RFC 8460 §4.4)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("quirks")
  void eachRuleNamesItsField(String caseInWords, String json, List<String> findings) {
    ParseResult<TlsReport> result = PARSER.parse(json.getBytes(StandardCharsets.UTF_8), ReportMediaType.JSON);

    assertThat(lines(result.findings())).containsExactlyElementsOf(findings);
    assertThat(result.isValid()).isEqualTo(findings.stream().noneMatch(f -> f.startsWith("ERROR")));
  }

  @Test
  void theReferenceReportIsReadWhole() {
    ParseResult<TlsReport> result = PARSER.parse(report().getBytes(StandardCharsets.UTF_8), ReportMediaType.JSON);

    assertThat(result.findings()).isEmpty();
    TlsReport report = result.value().orElseThrow();
    assertThat(report.contactInfo()).contains("tlsrpt@sender.example");
    PolicyResult policy = report.policies().get(0);
    assertThat(policy.policyType()).isEqualTo(PolicyType.STS);
    assertThat(policy.policyDomain()).as("lower-cased").isEqualTo("example.com");
    assertThat(policy.mxHosts()).as("a single mx-host string").containsExactly("mx.example.com");
    assertThat(policy.policyString()).isEmpty();
    assertThat(policy.totalSuccessfulSessions()).isEqualTo(10);
    assertThat(policy.totalFailureSessions()).isEqualTo(2);
    assertThat(policy.failureDetails()).containsExactly(new FailureDetail("certificate-expired",
        Optional.of("192.0.2.1"), Optional.of("mx.example.com"), Optional.of("mx.example.com"),
        Optional.of("192.0.2.25"), 2, Optional.of("https://sender.example/info"), Optional.of("EXPIRED")));
  }

  @Test
  void theDomainsOfAReportAreListedOnceInReportOrder() {
    TlsReport report = parseFixture("good/several-failures.json").value().orElseThrow();
    String entry = POLICIES.substring(1, POLICIES.length() - 1);
    TlsReport twice = PARSER.parse(utf8(report().replace(POLICIES, "[" + entry + ", " + entry + "]")),
        ReportMediaType.JSON).value().orElseThrow();

    assertThat(report.policyDomains()).containsExactly("example.com", "example.org");
    assertThat(twice.policyDomains()).containsExactly("example.com");
    assertThat(twice.successfulSessions()).isEqualTo(20);
  }

  @Test
  void policyTypesAndMediaTypesAreSpelledAsInReports() {
    assertThat(PolicyType.NO_POLICY_FOUND.value()).isEqualTo("no-policy-found");
    assertThat(PolicyType.of("tlsa")).contains(PolicyType.TLSA);
    assertThat(PolicyType.of("dane")).isEmpty();
    assertThat(ReportMediaType.ofContentType("Application/TLSRPT+gzip; name=\"r.json.gz\""))
        .contains(ReportMediaType.GZIP);
    assertThat(ReportMediaType.ofContentType("application/tlsrpt+json")).contains(ReportMediaType.JSON);
    assertThat(ReportMediaType.ofContentType("application/json")).isEmpty();
    assertThat(ReportMediaType.ofContentType(null)).isEmpty();
  }

  @Test
  void mxHostsAsAnArrayAndPolicyStringsAreKept() {
    ParseResult<TlsReport> result = parseFixture("good/google-like.json");

    PolicyResult policy = result.value().orElseThrow().policies().get(0);
    assertThat(policy.mxHosts()).containsExactly("mx1.example.com", "mx2.example.com");
    assertThat(policy.policyString()).containsExactly("version: STSv1", "mode: enforce", "mx: mx1.example.com",
        "mx: mx2.example.com", "max_age: 604800");
    FailureDetail detail = policy.failureDetails().get(0);
    assertThat(detail.sendingMtaIp()).contains("2001:db8:4860::1b");
    assertThat(detail.receivingMxHelo()).isEmpty();
  }

  @Test
  void theMediaTypeMustMatchTheBody() throws IOException {
    byte[] json = report().getBytes(StandardCharsets.UTF_8);

    assertThat(lines(PARSER.parse(gzip(json), ReportMediaType.JSON).findings())).containsExactly(
        "ERROR body: is gzip-compressed, though its media type is application/tlsrpt+json; send it as"
            + " application/tlsrpt+gzip (RFC 8460 §5.2)");
    assertThat(PARSER.parse(gzip(json), ReportMediaType.GZIP).isValid()).isTrue();
    assertThat(PARSER.parse(new byte[] {0x1f}, ReportMediaType.GZIP).errors()).hasSize(1);
  }

  @Test
  void gzipWithABrokenHeaderIsNotGzip() {
    byte[] body = {0x1f, (byte) 0x8b, 7, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3};

    assertThat(lines(PARSER.parse(body, ReportMediaType.GZIP).findings()))
        .containsExactly("ERROR body: is not valid gzip: Unsupported compression method (RFC 8460 §5.2)");
  }

  @Test
  void aGzipBombIsRefusedAfterReadingJustPastTheLimit() throws IOException {
    ReportParser small = new ReportParser(new ReportParser.Limits(64 << 10, 16, 1024, 10, 10));
    byte[] bomb = gzip(new byte[8 << 20]);
    CountingStream compressed = new CountingStream(new ByteArrayInputStream(bomb));

    ParseResult<TlsReport> result = small.parse(bomb, ReportMediaType.GZIP);
    assertThatThrownBy(() -> small.gunzip(compressed)).isInstanceOf(IOException.class);

    assertThat(lines(result.findings())).containsExactly(
        "ERROR body: decompresses to more than 65536 bytes (report size limits)");
    assertThat(compressed.read).as("compressed bytes read of %s", bomb.length).isLessThan(bomb.length / 4);
  }

  @Test
  void aReportJustAtTheLimitIsRead() throws IOException {
    byte[] json = report().getBytes(StandardCharsets.UTF_8);
    ReportParser exact = new ReportParser(new ReportParser.Limits(json.length, 16, 1024, 10, 10));
    ReportParser oneShort = new ReportParser(new ReportParser.Limits(json.length - 1, 16, 1024, 10, 10));

    assertThat(exact.parse(json, ReportMediaType.JSON).isValid()).isTrue();
    assertThat(exact.parse(gzip(json), ReportMediaType.GZIP).isValid()).isTrue();
    assertThat(lines(oneShort.parse(json, ReportMediaType.JSON).findings())).containsExactly(
        "ERROR body: is " + json.length + " bytes, more than " + (json.length - 1) + " (report size limits)");
    assertThat(oneShort.parse(gzip(json), ReportMediaType.GZIP).errors()).hasSize(1);
  }

  @Test
  void deepNestingLongStringsAndTooManyEntriesAreRefused() {
    ReportParser small = new ReportParser(new ReportParser.Limits(1 << 20, 6, 40, 1, 1));
    String deep = report().replace("\"mx.example.com\"}", "\"mx.example.com\", \"x\": [[[1]]]}");
    String longString = report().replace("Example Sender", "E".repeat(41));
    String twoPolicies = report().replace(POLICIES, "[" + POLICIES.substring(1, POLICIES.length() - 1) + ", "
        + POLICIES.substring(1, POLICIES.length() - 1) + "]");

    assertThat(lines(small.parse(utf8(deep), ReportMediaType.JSON).findings())).containsExactly(
        "ERROR line 1, column 316: exceeds a limit: Document nesting depth (7) exceeds the maximum allowed (6)"
            + " (report size limits)");
    assertThat(lines(small.parse(utf8(longString), ReportMediaType.JSON).findings())).singleElement()
        .asString().startsWith("ERROR line 1, column ").contains("String value length (41) exceeds the maximum"
            + " allowed (40)");
    assertThat(lines(small.parse(utf8(twoPolicies), ReportMediaType.JSON).errors())).containsExactly(
        "ERROR policies: lists 2 policies, more than the limit of 1 (report size limits)");
    String twoDetails = report().replace(DETAILS, "[" + DETAILS.substring(1, DETAILS.length() - 1) + ", "
        + DETAILS.substring(1, DETAILS.length() - 1) + "]");
    assertThat(lines(small.parse(utf8(twoDetails), ReportMediaType.JSON).errors())).containsExactly(
        "ERROR policies[0].failure-details: brings the report to 2 failure-details, more than the limit of 1"
            + " (report size limits)");
  }

  @Test
  void failureDetailsAreCountedOverAllPolicies() {
    ReportParser small = new ReportParser(new ReportParser.Limits(1 << 20, 16, 1024, 10, 1));
    String entry = POLICIES.substring(1, POLICIES.length() - 1);
    String twoPolicies = report().replace(POLICIES, "[" + entry + ", " + entry + "]");

    assertThat(lines(small.parse(utf8(twoPolicies), ReportMediaType.JSON).errors())).containsExactly(
        "ERROR policies[1].failure-details: brings the report to 2 failure-details, more than the limit of 1"
            + " (report size limits)");
  }

  @Test
  void limitsMustBePositive() {
    assertThat(ReportParser.Limits.DEFAULT.maxReportBytes()).isEqualTo(16 << 20);
    assertThat(new ReportParser().limits()).isEqualTo(ReportParser.Limits.DEFAULT);
    assertThatThrownBy(() -> new ReportParser.Limits(0, 1, 1, 1, 1)).hasMessage("maxReportBytes must be positive,"
        + " got 0");
    assertThatThrownBy(() -> new ReportParser.Limits(1, 0, 1, 1, 1)).hasMessageContaining("maxNestingDepth");
    assertThatThrownBy(() -> new ReportParser.Limits(1, 1, 0, 1, 1)).hasMessageContaining("maxStringLength");
    assertThatThrownBy(() -> new ReportParser.Limits(1, 1, 1, 0, 1)).hasMessageContaining("maxPolicies");
    assertThatThrownBy(() -> new ReportParser.Limits(1, 1, 1, 1, 0)).hasMessageContaining("maxFailureDetails");
    assertThatThrownBy(() -> new ReportParser.Limits(Integer.MAX_VALUE, 1, 1, 1, 1))
        .hasMessageContaining("below");
    assertThat(new ReportParser.Limits(1, 1, 1, 1, 1).maxFailureDetails()).isEqualTo(1);
  }

  @Test
  void gzipMagicIsSniffedFromTheFirstTwoBytes() {
    assertThat(ReportParser.startsWithGzipMagic(new byte[] {0x1f, (byte) 0x8b})).isTrue();
    assertThat(ReportParser.startsWithGzipMagic(new byte[] {0x1f})).isFalse();
    assertThat(ReportParser.startsWithGzipMagic(new byte[] {0x1f, 0x0b})).isFalse();
    assertThat(ReportParser.startsWithGzipMagic(new byte[] {0x0f, (byte) 0x8b})).isFalse();
    assertThat(ReportParser.startsWithGzipMagic("{}".getBytes(StandardCharsets.UTF_8))).isFalse();
  }

  // The reference report of the inline cases; each case changes one thing in it.
  private static final String DATE_RANGE =
      "{\"start-datetime\": \"2026-11-20T00:00:00Z\", \"end-datetime\": \"2026-11-20T23:59:59Z\"}";
  private static final String POLICY =
      "\"policy\": {\"policy-type\": \"sts\", \"policy-domain\": \"Example.COM\", \"mx-host\": \"mx.example.com\"}";
  private static final String SUMMARY =
      "{\"total-successful-session-count\": 10, \"total-failure-session-count\": 2}";
  private static final String DETAILS = "[{\"result-type\": \"certificate-expired\", \"sending-mta-ip\": \"192.0.2.1\","
      + " \"receiving-mx-hostname\": \"mx.example.com\", \"receiving-mx-helo\": \"mx.example.com\","
      + " \"receiving-ip\": \"192.0.2.25\", \"failed-session-count\": 2,"
      + " \"additional-information\": \"https://sender.example/info\", \"failure-reason-code\": \"EXPIRED\"}]";
  private static final String POLICIES =
      "[{" + POLICY + ", \"summary\": " + SUMMARY + ", \"failure-details\": " + DETAILS + "}]";

  private static String report() {
    return "{\"organization-name\": \"Example Sender\", \"date-range\": " + DATE_RANGE + ", "
        + "\"contact-info\": \"tlsrpt@sender.example\", \"report-id\": \"r-1\", \"policies\": " + POLICIES + "}";
  }

  private static Arguments row(String caseInWords, String json, String... findings) {
    return arguments(caseInWords, json, List.of(findings));
  }

  static ParseResult<TlsReport> parseFixture(String fixture) {
    byte[] body = fixture(fixture);
    return PARSER.parse(body, fixture.endsWith(".gz") ? ReportMediaType.GZIP : ReportMediaType.JSON);
  }

  static byte[] fixture(String name) {
    try (InputStream in = ReportParserTest.class.getResourceAsStream("/tlsrpt/" + name)) {
      assertThat(in).as("fixture %s", name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Failed sessions per result type over every policy of a report, as a domain owner tallies them. */
  static Map<String, Long> failuresByType(TlsReport report) {
    return report.policies().stream().flatMap(p -> p.failureDetails().stream())
        .collect(Collectors.groupingBy(FailureDetail::resultType, TreeMap::new,
            Collectors.summingLong(FailureDetail::failedSessionCount)));
  }

  static List<String> lines(List<Finding> findings) {
    return findings.stream().map(f -> f.severity() + " " + f).toList();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  /** Counts what the parser takes from the compressed stream. */
  private static final class CountingStream extends FilterInputStream {
    long read;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      read += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      read += Math.max(n, 0);
      return n;
    }
  }
}
