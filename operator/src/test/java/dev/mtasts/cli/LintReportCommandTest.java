package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LintReportCommandTest {

  @TempDir Path dir;

  static Path fixture(String name) {
    try {
      return Path.of(LintReportCommandTest.class.getResource("/tlsrpt/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aGzipReportIsSummedUpByDomainResultTypeAndMx() {
    String file = fixture("good/several-failures.json.gz").toString();

    CommandRun run = CommandRun.of("lint", "report", file);

    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.out()).isEqualTo(String.join("\n",
        file + ": Mail Sender Example Ltd, report-id 5f0c2a9e-0b41-4b7e-9a53-5e1f2c7d8a10@sender.example,"
            + " 2026-11-21T00:00:00Z to 2026-11-22T00:00:00Z",
        file + ":   example.com (sts): 950 successful, 61 failed",
        file + ":     certificate-expired: 45 failed (mx1.example.com 45)",
        file + ":     starttls-not-supported: 12 failed (mx2.example.com 12)",
        file + ":     sts-policy-fetch-error: 4 failed",
        file + ":   example.org (sts): 77 successful, 1 failed",
        file + ":     sts-webpki-invalid: 1 failed",
        file + ": valid", ""));
  }

  @Test
  void aMailIsOpenedAndItsGzipPartRead() {
    String file = fixture("good/google-like.eml").toString();
    String part = file + ": google.com!example.com!1795132800!1795219199.json.gz";

    CommandRun run = CommandRun.of("lint", "report", file);

    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.out()).contains(part + ": Google Inc., report-id 2026-11-20T00:00:00Z_example.com,"
            + " 2026-11-20T00:00:00Z to 2026-11-20T23:59:59Z\n")
        .contains(part + ":   example.com (sts): 1520 successful, 3 failed\n")
        .contains(part + ":     certificate-expired: 3 failed (mx2.example.com 3)\n")
        .endsWith(part + ": valid\n");
  }

  @Test
  void warningsAreShownButDoNotFail() {
    String file = fixture("good/microsoft-like.json").toString();

    CommandRun run = CommandRun.of("lint", "report", file);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains(file + ":   example.com (sts): 842 successful, 2 failed")
        .contains(file + ": warning: date-range.start-datetime: \"2026-11-20T00:00:00\" has no UTC offset")
        .endsWith(file + ": valid\n");
  }

  @Test
  void failuresWithAndWithoutAnMxAreBothCounted() throws IOException {
    Path file = dir.resolve("mixed.json");
    Files.writeString(file, Files.readString(fixture("good/no-policy-found.json")).replace(
        "\"failure-details\": [",
        "\"failure-details\": [{\"result-type\": \"starttls-not-supported\", \"failed-session-count\": 1}, "));

    CommandRun run = CommandRun.of("lint", "report", file.toString());

    assertThat(run.out()).contains(file + ":   example.net (no-policy-found): 31 successful, 2 failed\n")
        .contains(file + ":     starttls-not-supported: 3 failed (mail.example.net 2, no MX named 1)\n")
        .contains("warning: policies[0].failure-details: count 3 failed sessions, more than"
            + " total-failure-session-count 2");
  }

  @Test
  void anInvalidReportNamesTheFieldAndExitsOne() {
    String file = fixture("bad/missing-required.json").toString();

    CommandRun run = CommandRun.of("lint", "report", file);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains(file + ": error: policies[0].summary.total-failure-session-count: is missing"
        + " (RFC 8460 §4.4)").endsWith(file + ": INVALID\n").doesNotContain("successful");
  }

  @Test
  void aGzipNameOnPlainTextIsNotGzip() {
    String file = fixture("bad/not-gzip.json.gz").toString();

    CommandRun run = CommandRun.of("lint", "report", file);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains(file + ": error: body: is not gzip");
  }

  @Test
  void gzipIsToldByItsFirstBytesWhateverItsName() throws IOException {
    Path renamed = dir.resolve("report.json");
    Files.copy(fixture("good/google-like.json.gz"), renamed);

    CommandRun run = CommandRun.of("lint", "report", renamed.toString());

    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.out()).contains("example.com (sts): 1520 successful, 3 failed");
  }

  @Test
  void aMailWithoutTheEmlNameIsToldFromItsHeaders() throws IOException {
    Path mail = dir.resolve("message");
    Files.copy(fixture("good/google-like.eml"), mail);
    Path json = dir.resolve("report");
    Files.copy(fixture("good/tlsa.json"), json);

    CommandRun run = CommandRun.of("lint", "report", mail.toString(), json.toString());

    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.out()).contains(mail + ": google.com!example.com!1795132800!1795219199.json.gz: valid")
        .contains(json + ":   mx1.example.com (tlsa): 210 successful, 9 failed");
  }

  @Test
  void aMailThatIsNotATlsReportIsRefused() throws IOException {
    Path mail = dir.resolve("dmarc.eml");
    Files.writeString(mail, "From: a@example.com\r\nContent-Type: multipart/report; report-type=feedback-report;"
        + " boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--\r\n");

    CommandRun run = CommandRun.of("lint", "report", mail.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains(mail + ": error: Content-Type: the message is \"multipart/report;"
        + " report-type=feedback-report\", not multipart/report; report-type=tlsrpt (RFC 8460 §5.3)")
        .endsWith(mail + ": INVALID\n");
  }

  @Test
  void reportsFromStandardInput() throws IOException {
    byte[] gzip = Files.readAllBytes(fixture("good/google-like.json.gz"));
    String json = Files.readString(fixture("good/tlsa.json"));
    String whitespaceFirst = "\n  " + json;

    CommandRun fromGzip = CommandRun.withStdin(gzip, "lint", "report", "-");
    CommandRun fromJson = CommandRun.withStdin(whitespaceFirst, "lint", "report", "-");
    CommandRun empty = CommandRun.withStdin("", "lint", "report", "-");

    assertThat(fromGzip.exitCode()).isZero();
    assertThat(fromGzip.out()).startsWith("-: Google Inc., report-id").endsWith("-: valid\n");
    assertThat(fromJson.exitCode()).isZero();
    assertThat(fromJson.out()).startsWith("-: DANE Sender Example, report-id").endsWith("-: valid\n");
    assertThat(empty.exitCode()).isEqualTo(1);
    assertThat(empty.out()).isEqualTo("-: error: body: is empty (RFC 8460 §4.4)\n-: INVALID\n");
  }

  @Test
  void anUnreadableFileIsAnErrorAndTheOthersAreStillRead() {
    String missing = dir.resolve("missing.json").toString();

    CommandRun run = CommandRun.of("lint", "report", missing, fixture("good/minimal.json").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains(missing + ": error: file: cannot read " + missing + " (input)")
        .contains("minimal.json: valid");
  }

  @Test
  void jsonForMachines() throws IOException {
    CommandRun run = CommandRun.of("lint", "report", "--json", fixture("good/several-failures.json").toString(),
        fixture("bad/end-before-start.json").toString());

    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode good = json.get(0);
    assertThat(good.get("valid").asBoolean()).isTrue();
    JsonNode report = good.get("report");
    assertThat(report.get("organizationName").asText()).isEqualTo("Mail Sender Example Ltd");
    assertThat(report.get("reportId").asText()).isEqualTo("5f0c2a9e-0b41-4b7e-9a53-5e1f2c7d8a10@sender.example");
    assertThat(report.get("startDatetime").asText()).isEqualTo("2026-11-21T00:00:00Z");
    assertThat(report.get("endDatetime").asText()).isEqualTo("2026-11-22T00:00:00Z");
    assertThat(report.get("contactInfo").asText()).isEqualTo("tlsrpt@sender.example");
    assertThat(report.get("successfulSessions").asLong()).isEqualTo(1027);
    assertThat(report.get("failedSessions").asLong()).isEqualTo(62);
    JsonNode policy = report.get("policies").get(0);
    assertThat(policy.get("policyType").asText()).isEqualTo("sts");
    assertThat(policy.get("policyDomain").asText()).isEqualTo("example.com");
    assertThat(policy.get("mxHosts").toString()).isEqualTo("[\"mx1.example.com\",\"mx2.example.com\"]");
    assertThat(policy.get("successfulSessions").asLong()).isEqualTo(950);
    assertThat(policy.get("failedSessions").asLong()).isEqualTo(61);
    assertThat(policy.get("failuresByResultType").toString()).isEqualTo("{\"certificate-expired\":"
        + "{\"mx1.example.com\":45},\"starttls-not-supported\":{\"mx2.example.com\":12},"
        + "\"sts-policy-fetch-error\":{\"\":4}}");
    assertThat(good.get("findings")).isEmpty();
    JsonNode bad = json.get(1);
    assertThat(bad.get("valid").asBoolean()).isFalse();
    assertThat(bad.has("report")).isFalse();
    JsonNode finding = bad.get("findings").get(0);
    assertThat(finding.get("severity").asText()).isEqualTo("ERROR");
    assertThat(finding.get("location").asText()).isEqualTo("date-range");
    assertThat(finding.get("rule").asText()).isEqualTo("RFC 8460 §4.1");
    assertThat(finding.get("message").asText()).contains("is not before end-datetime");
  }

  @Test
  void usageErrorsExitTwoAndHelpHasExamples() {
    assertThat(CommandRun.of("lint", "report").exitCode()).isEqualTo(2);
    assertThat(CommandRun.of("lint", "report", "--nonsense", "x.json").exitCode()).isEqualTo(2);
    CommandRun help = CommandRun.of("lint", "report", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Examples:").contains("mta-sts-operator lint report ")
        .contains("application/tlsrpt+gzip");
    assertThat(CommandRun.of("lint", "--help").out()).contains("report");
  }
}
