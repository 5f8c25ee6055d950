package dev.mtasts.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.rfc.Finding;
import dev.mtasts.testing.LocalDns;
import dev.mtasts.testing.LocalMta;
import dev.mtasts.testing.LocalPolicyHosts;
import dev.mtasts.testing.MtaStsQuery;
import dev.mtasts.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code check}'s audit against real servers on loopback: Knot DNS serving one zone per case, nginx serving each
 * policy host over HTTPS and postfix serving the MX hosts with STARTTLS, all with certificates from a test CA.
 */
class CheckCommandIT {

  static final String GOOD_POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx1.%1$s\r\nmx: *.mail.%1$s\r\n"
      + "max_age: 604800\r\n";

  /** One case: its DNS records (relative names), how its policy host answers, and its certificate names. */
  record Case(String domain, String records, String location, String certName, boolean expired) {}

  static final List<Case> CASES = new ArrayList<>();
  static final Map<String, Integer> LOOPBACK = new LinkedHashMap<>();

  static Path dir;
  static LocalDns dns;
  static LocalPolicyHosts hosts;
  static LocalMta mta;
  static DomainAudit audit;

  static Case add(String domain, String records, String location, String certName, boolean expired) {
    Case c = new Case(domain, records, location, certName, expired);
    CASES.add(c);
    LOOPBACK.put(domain, 10 + CASES.size());
    return c;
  }

  static final String STS = "_mta-sts IN TXT \"v=STSv1; id=20260101000000\"\n";
  static final String TLSRPT = "_smtp._tls IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@example.net\"\n";
  static final String MX = "@ IN MX 10 mx1\nmx1 IN A 127.0.1.1\n";
  static final String BACKUP_MX = "@ IN MX 20 backup\nbackup IN A 127.0.1.2\n";
  // Written as ISO-8859-1, so the "é" is the one byte 0xE9: not UTF-8.
  static final String NOT_UTF8_POLICY = GOOD_POLICY + "comment: caf\u00e9\r\n";

  @BeforeAll
  static void startServers(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    add("clean.test", STS + TLSRPT + MX, serve(dir, "clean.test", GOOD_POLICY.formatted("clean.test")), null, false);
    add("no-txt.test", TLSRPT + MX, serve(dir, "no-txt.test", GOOD_POLICY.formatted("no-txt.test")), null, false);
    add("two-txt.test", STS + "_mta-sts IN TXT \"v=STSv1; id=2\"\n" + TLSRPT + MX,
        serve(dir, "two-txt.test", GOOD_POLICY.formatted("two-txt.test")), null, false);
    add("bad-id.test", "_mta-sts IN TXT \"v=STSv1; id=abc_def\"\n" + TLSRPT + MX,
        serve(dir, "bad-id.test", GOOD_POLICY.formatted("bad-id.test")), null, false);
    add("wrong-name.test", STS + TLSRPT + MX, serve(dir, "wrong-name.test", GOOD_POLICY.formatted("wrong-name.test")),
        "mta-sts.other.test", false);
    add("expired.test", STS + TLSRPT + MX, serve(dir, "expired.test", GOOD_POLICY.formatted("expired.test")), null,
        true);
    add("redirect.test", STS + TLSRPT + MX,
        "return 301 https://www.redirect.test/.well-known/mta-sts.txt;", null, false);
    add("content-type.test", STS + TLSRPT + MX,
        "default_type text/html; " + serve(dir, "content-type.test", GOOD_POLICY.formatted("content-type.test")),
        null, false);
    add("oversized.test", STS + TLSRPT + MX, serve(dir, "oversized.test",
        GOOD_POLICY.formatted("oversized.test") + ("x-pad: " + "a".repeat(100) + "\r\n").repeat(700)), null, false);
    add("syntax.test", STS + TLSRPT + MX,
        serve(dir, "syntax.test", "version: STSv1\r\nmode: strict\r\nmx: mx1.syntax.test\r\nmax_age: 86400\r\n"),
        null, false);
    add("uncovered.test", STS + TLSRPT + MX + "@ IN MX 20 backup\nbackup IN A 127.0.1.2\n",
        serve(dir, "uncovered.test", GOOD_POLICY.formatted("uncovered.test")), null, false);
    add("two-labels.test", STS + TLSRPT + "@ IN MX 10 a.b.mail\na.b.mail IN A 127.0.1.3\n",
        serve(dir, "two-labels.test", GOOD_POLICY.formatted("two-labels.test")), null, false);
    add("no-starttls.test", STS + TLSRPT + "@ IN MX 10 mx1\nmx1 IN A 127.0.1.4\n",
        serve(dir, "no-starttls.test", GOOD_POLICY.formatted("no-starttls.test")), null, false);
    add("mx-wrong-name.test", STS + TLSRPT + "@ IN MX 10 mx1\nmx1 IN A 127.0.1.5\n",
        serve(dir, "mx-wrong-name.test", GOOD_POLICY.formatted("mx-wrong-name.test")), null, false);
    add("mx-expiring.test", STS + TLSRPT + "@ IN MX 10 mx1\nmx1 IN A 127.0.1.6\n",
        serve(dir, "mx-expiring.test", GOOD_POLICY.formatted("mx-expiring.test")), null, false);
    add("not-utf8.test", STS + TLSRPT + MX, serve(dir, "not-utf8.test", NOT_UTF8_POLICY.formatted("not-utf8.test")
        .getBytes(StandardCharsets.ISO_8859_1)), null, false);
    add("mode-none.test", STS + TLSRPT + MX + BACKUP_MX,
        serve(dir, "mode-none.test", "version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n"), null, false);
    add("testing-uncovered.test", STS + TLSRPT + MX + BACKUP_MX, serve(dir, "testing-uncovered.test",
        GOOD_POLICY.formatted("testing-uncovered.test").replace("mode: enforce", "mode: testing")), null, false);
    add("broad-wildcard.test", STS + TLSRPT + MX,
        serve(dir, "broad-wildcard.test", GOOD_POLICY.formatted("broad-wildcard.test") + "mx: *.test\r\n"), null,
        false);

    TestCertificates ca = new TestCertificates();
    Path caFile = ca.writeCa(dir.resolve("ca.pem"));
    Map<String, String> zones = new LinkedHashMap<>();
    List<LocalPolicyHosts.Host> policyHosts = new ArrayList<>();
    for (Case c : CASES) {
      int loopback = LOOPBACK.get(c.domain());
      zones.put(c.domain(), "$ORIGIN " + c.domain() + ".\n$TTL 60\n"
          + "@ IN SOA ns hostmaster 1 3600 600 86400 60\n@ IN NS ns\nns IN A 127.0.0.1\n"
          + "mta-sts IN A 127.0.0." + loopback + "\n" + c.records());
      Instant issued = Instant.now();
      Path[] files = ca.issue(dir, c.domain(), c.expired() ? issued.minus(Duration.ofDays(30)) : issued.minusSeconds(60),
          c.expired() ? issued.minus(Duration.ofDays(1)) : issued.plus(Duration.ofDays(30)),
          c.certName() != null ? c.certName() : "mta-sts." + c.domain());
      policyHosts.add(new LocalPolicyHosts.Host(loopback, "mta-sts." + c.domain(), files[0], files[1], c.location()));
    }
    // The MX hosts: 127.0.1.1 names every case's mx1 host; .4 has no STARTTLS; .5 names another host; .6 expires
    // in three days. 127.0.1.2 and .3 run nothing, so those probes cannot connect.
    Instant now = Instant.now();
    Path mtaDir = Files.createDirectories(dir.resolve("mta"));
    Files.setPosixFilePermissions(mtaDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    mta = LocalMta.serve(List.of(
        new LocalMta.Listener(1, Optional.of(ca.issue(mtaDir, "mx-all", now.minusSeconds(60), now.plus(Duration.ofDays(90)),
            CASES.stream().map(c -> "mx1." + c.domain()).toArray(String[]::new)))),
        new LocalMta.Listener(4, Optional.empty()),
        new LocalMta.Listener(5, Optional.of(ca.issue(mtaDir, "mx-other", now.minusSeconds(60),
            now.plus(Duration.ofDays(90)), "mx.other.test"))),
        new LocalMta.Listener(6, Optional.of(ca.issue(mtaDir, "mx-expiring", now.minusSeconds(60),
            now.plus(Duration.ofDays(3)), "mx1.mx-expiring.test")))), dir);
    // Port 53, so that the independent client, which only reads resolv.conf, can use the same server.
    dns = LocalDns.serve(zones, Files.createDirectories(dir.resolve("dns")),
        new java.net.InetSocketAddress("127.0.0.53", 53));
    hosts = LocalPolicyHosts.serve(policyHosts, dir);
    audit = new DomainAudit(new CheckSettings(Optional.of(dns.address()), Optional.of(caFile),
        Duration.ofSeconds(3), 25, Duration.ofDays(14)), Clock.systemUTC());
  }

  /** Writes the policy file a host serves and returns the nginx location body serving it. */
  static String serve(Path dir, String domain, String body) throws Exception {
    return serve(dir, domain, body.getBytes(StandardCharsets.UTF_8));
  }

  /** As {@link #serve(Path, String, String)}, byte for byte. */
  static String serve(Path dir, String domain, byte[] body) throws Exception {
    Path file = dir.resolve(domain + ".policy.txt");
    Files.write(file, body);
    return "alias " + file + ";";
  }

  @AfterAll
  static void stop() {
    if (hosts != null) {
      hosts.close();
    }
    if (dns != null) {
      dns.close();
    }
    if (mta != null) {
      mta.close();
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("clean.test", List.of()),
        Arguments.of("no-txt.test", List.of("_mta-sts.no-txt.test: no TXT record")),
        Arguments.of("two-txt.test", List.of("_mta-sts.two-txt.test: records: 2 TXT records begin with")),
        Arguments.of("bad-id.test", List.of("id \"abc_def\" may only contain letters and digits")),
        Arguments.of("wrong-name.test", List.of("the HTTPS certificate is not valid for mta-sts.wrong-name.test")),
        Arguments.of("expired.test", List.of("the HTTPS certificate is not valid for mta-sts.expired.test")),
        Arguments.of("redirect.test", List.of("HTTP 301 redirect to https://www.redirect.test/.well-known/mta-sts.txt;"
            + " senders do not follow redirects")),
        Arguments.of("content-type.test", List.of("Content-Type is text/html, not text/plain")),
        Arguments.of("oversized.test", List.of("the policy is larger than 64 KiB")),
        Arguments.of("syntax.test", List.of("policy: line 2")),
        Arguments.of("uncovered.test", List.of("backup.uncovered.test is not covered by the policy's mx patterns")),
        Arguments.of("two-labels.test", List.of("a.b.mail.two-labels.test is not covered by the policy's mx patterns")),
        Arguments.of("no-starttls.test", List.of("MX mx1.no-starttls.test: mx1.no-starttls.test does not offer STARTTLS")),
        Arguments.of("mx-wrong-name.test", List.of("the STARTTLS certificate names [mx.other.test], not"
            + " mx1.mx-wrong-name.test")),
        Arguments.of("mx-expiring.test", List.of()),
        Arguments.of("not-utf8.test", List.of("policy: line 6: byte 0xE9 at offset "
            + (GOOD_POLICY.formatted("not-utf8.test").length() + "comment: caf".length())
            + " is not valid UTF-8 (RFC 8461 §3.2)")),
        Arguments.of("mode-none.test", List.of()),
        Arguments.of("testing-uncovered.test", List.of()),
        Arguments.of("broad-wildcard.test", List.of()));
  }

  static Stream<Arguments> warnings() {
    return Stream.of(
        Arguments.of("testing-uncovered.test", "MX backup.testing-uncovered.test: backup.testing-uncovered.test is"
            + " not covered by the policy's mx patterns [mx1.testing-uncovered.test, *.mail.testing-uncovered.test];"
            + " senders report it (RFC 8461 §4.1)"),
        Arguments.of("broad-wildcard.test", "policy: line 6: mx: \"*.test\": a wildcard over a single label covers"
            + " every host of a top-level domain, anyone's MX host (RFC 8461 §10.4)"));
  }

  /** Legal but risky: a warning, and no error (reportsExactlyTheExpectedErrors proves the second half). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("warnings")
  void warnsWithoutFailing(String domain, String warning) {
    assertThat(audit.check(domain).findings())
        .filteredOn(f -> f.finding().severity() == Finding.Severity.WARNING)
        .extracting(f -> f.finding().toString())
        .contains(warning);
  }

  @org.junit.jupiter.api.Test
  void modeNoneLeavesEveryMxHostUncheckedForCoverage() {
    assertThat(audit.check("mode-none.test").findings()).extracting(f -> f.finding().message())
        .noneMatch(m -> m.contains("not covered"));
  }

  /**
   * Where postfix-mta-sts-resolver reaches a verdict, ours agrees: VALID exactly when we find no error in the
   * _mta-sts record or the policy fetch. It does not look at MX records (RFC 8461 §4.1 applies them per delivery,
   * after the fetch), so uncovered.test and two-labels.test are VALID for it and errors for us, by design.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void anIndependentClientAgrees(String domain, List<String> expectedErrors) {
    Path caFile = dir.resolve("ca.pem");
    MtaStsQuery.Verdict theirs = MtaStsQuery.query(domain, "127.0.0.53", caFile, dir);
    boolean oursValid = audit.check(domain).findings().stream()
        .filter(CheckFinding::isError)
        .noneMatch(f -> f.finding().location().startsWith("_mta-sts.") || f.finding().location().startsWith("policy")
            || f.finding().location().startsWith("https://") || f.finding().location().startsWith("mta-sts."));

    assertThat(theirs.result()).as(theirs.output()).isIn("VALID", "NONE", "FETCH_ERROR");
    if (KNOWN_DIFFERENCES.containsKey(domain)) {
      assertThat(theirs.result().equals("VALID")).as(KNOWN_DIFFERENCES.get(domain)).isNotEqualTo(oursValid);
    } else {
      assertThat(theirs.result().equals("VALID")).as("mta-sts-query said %s", theirs.output()).isEqualTo(oursValid);
    }
  }

  /** Where the two clients differ on purpose, and the RFC rule behind our verdict. */
  static final Map<String, String> KNOWN_DIFFERENCES = Map.of(
      "bad-id.test", "RFC 8461 §3.1: sts-id is 1*32(ALPHA / DIGIT); mta-sts-query accepts \"abc_def\", we refuse it");

  @org.junit.jupiter.api.Test
  void theCommandPrintsATableWithFixesAndExitsOneOnAnError(@TempDir Path out) throws Exception {
    java.io.StringWriter text = new java.io.StringWriter();
    var cli = dev.mtasts.cli.MtaStsCommand.commandLine(Clock.systemUTC(), java.io.InputStream.nullInputStream());
    cli.setOut(new java.io.PrintWriter(text));
    Path caFile = Files.list(dir).filter(p -> p.getFileName().toString().equals("ca.pem")).findFirst().orElseThrow();

    int clean = cli.execute("check", "--resolver", "127.0.0.53:" + dns.address().getPort(), "--ca-file",
        caFile.toString(), "--timeout", "3", "clean.test");
    String cleanOutput = text.toString();
    int failing = cli.execute("check", "--resolver", "127.0.0.53:" + dns.address().getPort(), "--ca-file",
        caFile.toString(), "--timeout", "3", "clean.test", "redirect.test");

    assertThat(clean).as(cleanOutput).isZero();
    assertThat(cleanOutput).startsWith("clean.test: ok (0 errors, ");
    assertThat(failing).isEqualTo(1);
    assertThat(text.toString()).contains("redirect.test: FAIL (1 errors")
        .contains("fix: serve the policy itself at https://mta-sts.redirect.test/.well-known/mta-sts.txt");
    assertThat(cli.execute("check", "--resolver", "no:port:x", "clean.test")).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsExactlyTheExpectedErrors(String domain, List<String> expectedErrors) {
    DomainAudit.Report report = audit.check(domain);

    List<String> errors = report.findings().stream().filter(CheckFinding::isError)
        .map(f -> f.finding().toString()).toList();
    assertThat(errors).as("errors for %s: %s", domain, report.findings()).hasSameSizeAs(expectedErrors);
    for (int i = 0; i < expectedErrors.size(); i++) {
      assertThat(errors.get(i)).contains(expectedErrors.get(i));
    }
    assertThat(report.findings()).filteredOn(f -> !f.isError())
        .allSatisfy(f -> assertThat(f.finding().severity()).isIn(Finding.Severity.WARNING, Finding.Severity.INFO));
    assertThat(report.findings()).filteredOn(CheckFinding::isError).allSatisfy(f -> assertThat(f.fix()).isNotBlank());
    assertThat(report.hasErrors()).isEqualTo(!expectedErrors.isEmpty());
  }
}
