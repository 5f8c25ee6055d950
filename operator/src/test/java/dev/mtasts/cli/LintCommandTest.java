package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
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
  void aWildcardOverATopLevelDomainIsLegalSoItWarnsButPasses() throws IOException {
    Path file = policyFile("version: STSv1\nmode: enforce\nmx: *.com\nmax_age: 604800\n");

    CommandRun run = CommandRun.of("lint", "policy", file.toString());

    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.out()).contains(file + ": warning: line 3: mx: \"*.com\": a wildcard over a single label covers"
        + " every host of a top-level domain, anyone's MX host (RFC 8461 §10.4)").endsWith(file + ": valid\n");
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

  static Stream<Arguments> recordKinds() {
    String sts = "v=STSv1; id=20260101000000";
    String tlsRpt = "v=TLSRPTv1; rua=mailto:tlsrpt@example.com";
    String spf = "v=spf1 -all";
    return Stream.of(
        arguments("an MTA-STS record alone", List.of(sts), 0, "_mta-sts: valid"),
        arguments("an SPF record listed before the MTA-STS record", List.of(spf, sts), 0, "_mta-sts: valid"),
        arguments("an SPF record listed after the MTA-STS record", List.of(sts, spf), 0, "_mta-sts: valid"),
        arguments("an SPF record listed before the TLSRPT record", List.of(spf, tlsRpt), 0, "_smtp._tls: valid"),
        arguments("a miscased MTA-STS record after an SPF record", List.of(spf, "V=STSv1; id=1"), 1,
            "_mta-sts: warning: record 2: does not begin with \"v=STSv1;\", so senders discard it"),
        arguments("two TLSRPT records after an SPF record", List.of(spf, tlsRpt, tlsRpt), 1,
            "_smtp._tls: error: records: 2 TXT records begin with \"v=TLSRPTv1;\" (records 2, 3)"),
        arguments("both kinds with --type sts", List.of("--type", "sts", tlsRpt, sts), 0, "_mta-sts: valid"),
        arguments("both kinds with --type tlsrpt", List.of("--type", "tlsrpt", sts, tlsRpt), 0, "_smtp._tls: valid"),
        arguments("neither kind with --type tlsrpt", List.of("--type", "tlsrpt", spf), 1,
            "_smtp._tls: error: records: no TXT record begins with \"v=TLSRPTv1;\""),
        arguments("both kinds without --type", List.of(spf, sts, tlsRpt), 2,
            "cannot tell which record these are: record 2 starts with v=STSv1 (_mta-sts) and record 3 starts"
                + " with v=TLSRPTv1 (_smtp._tls), which live at different names; give --type sts or --type tlsrpt"),
        arguments("neither kind without --type", List.of(spf, "v=DMARC1; p=none"), 2,
            "cannot tell which record these are: no record starts with v=STSv1 or v=TLSRPTv1;"
                + " give --type sts or --type tlsrpt"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordKinds")
  void allRecordsDecideWhichKindTheyAre(String caseInWords, List<String> args, int exitCode, String expected) {
    List<String> command = new ArrayList<>(List.of("lint", "record"));
    command.addAll(args);

    CommandRun run = CommandRun.of(command.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(exitCode);
    assertThat(exitCode == 2 ? run.err() : run.out()).contains(expected);
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
