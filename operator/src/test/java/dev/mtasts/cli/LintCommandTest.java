package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LintCommandTest {

  @TempDir Path dir;

  private Path policyFile(String body) throws IOException {
    Path file = dir.resolve("mta-sts.txt");
    Files.writeString(file, body);
    return file;
  }

  @Test
  void validPolicyExitsZero() throws IOException {
    Path file = policyFile("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n");

    CommandRun run = CommandRun.of("lint", "policy", file.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(file + ": valid\n");
  }

  @Test
  void invalidPolicyNamesTheLineAndTheRuleAndExitsOne() throws IOException {
    Path file = policyFile("version: STSv1\nmode: enforce\nmx: *.*.example.com\nmax_age: 604800\n");

    CommandRun run = CommandRun.of("lint", "policy", file.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains(file + ": error: line 3: mx: \"*.*.example.com\": a wildcard may only replace"
        + " the leftmost label (RFC 8461 §3.2)").endsWith(file + ": INVALID\n");
  }

  @Test
  void warningsAreShownButDoNotFail() throws IOException {
    Path file = policyFile("version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 3600\n");

    CommandRun run = CommandRun.of("lint", "policy", file.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("warning: max_age: ").contains("under one day");
  }

  @Test
  void testingModeWithoutTlsRptIsWarnedAboutUnlessTheRecordIsGiven() throws IOException {
    Path file = policyFile("version: STSv1\nmode: testing\nmx: mail.example.com\nmax_age: 604800\n");

    CommandRun without = CommandRun.of("lint", "policy", file.toString());
    CommandRun with = CommandRun.of(
        "lint", "policy", "--tls-rpt", "v=TLSRPTv1; rua=mailto:tls@example.com", file.toString());

    assertThat(without.exitCode()).isZero();
    assertThat(without.out()).contains("warning:").containsIgnoringCase("TLS");
    assertThat(with.exitCode()).isZero();
    assertThat(with.out()).doesNotContain("warning:");
  }

  @Test
  void policyFromStandardInput() {
    CommandRun run = CommandRun.withStdin("version: STSv1\nmode: none\nmax_age: 86400\n", "lint", "policy", "-");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("-: valid\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtasts.rfc.NotUtf8Policies#cases")
  void bytesThatAreNotUtf8FailFromAFileAndFromStandardInput(String caseInWords, byte[] body, String firstError)
      throws IOException {
    Path file = dir.resolve("mta-sts.txt");
    Files.write(file, body);
    String finding = firstError.substring("ERROR ".length());

    CommandRun fromFile = CommandRun.of("lint", "policy", file.toString());
    CommandRun fromStdin = CommandRun.withStdin(body, "lint", "policy", "-");

    assertThat(fromFile.exitCode()).as(fromFile.out()).isEqualTo(1);
    assertThat(fromFile.out()).contains(file + ": error: " + finding).endsWith(file + ": INVALID\n");
    assertThat(fromStdin.exitCode()).as(fromStdin.out()).isEqualTo(1);
    assertThat(fromStdin.out()).contains("-: error: " + finding).endsWith("-: INVALID\n");
  }

  @Test
  void unreadableFileIsAnError() {
    CommandRun run = CommandRun.of("lint", "policy", dir.resolve("missing.txt").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("cannot read");
  }

  @Test
  void twoStsRecordsAtOneNameMeanNoPolicy() {
    CommandRun run = CommandRun.of("lint", "record", "v=STSv1; id=2026", "v=STSv1; id=2027");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("2 TXT records").contains("(RFC 8461 §3.1)");
  }

  @Test
  void validRecordsExitZero() {
    assertThat(CommandRun.of("lint", "record", "v=STSv1; id=20260101000000").exitCode()).isZero();
    assertThat(CommandRun.of("lint", "record", "v=TLSRPTv1; rua=mailto:tls@example.com").exitCode()).isZero();
    assertThat(CommandRun.of("lint", "record", "v=STSv1; id=1", "v=spf1 -all").exitCode())
        .as("records that do not start with v=STSv1 are ignored").isZero();
  }

  @Test
  void jsonForMachines() throws IOException {
    CommandRun run = CommandRun.of("lint", "record", "--json", "v=STSv1; id=abc_def");

    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(json.get(0).get("valid").asBoolean()).isFalse();
    JsonNode finding = json.get(0).get("findings").get(0);
    assertThat(finding.get("severity").asText()).isEqualTo("ERROR");
    assertThat(finding.get("rule").asText()).isEqualTo("RFC 8461 §3.1");
    assertThat(finding.get("message").asText()).contains("abc_def");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(CommandRun.of("lint", "policy").exitCode()).isEqualTo(2);
    assertThat(CommandRun.of("lint", "record", "--type", "spf", "v=spf1").exitCode()).isEqualTo(2);
    assertThat(CommandRun.of("lint", "nonsense").exitCode()).isEqualTo(2);
  }

  @Test
  void everyCommandHasHelpWithAnExample() {
    for (String[] command : new String[][] {{"render"}, {"lint", "policy"}, {"lint", "record"}}) {
      String[] args = java.util.Arrays.copyOf(command, command.length + 1);
      args[command.length] = "--help";
      CommandRun run = CommandRun.of(args);
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).contains("Examples:").contains("mta-sts-operator " + String.join(" ", command));
    }
  }
}
