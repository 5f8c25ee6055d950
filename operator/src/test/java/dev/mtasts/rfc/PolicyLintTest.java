package dev.mtasts.rfc;

import static dev.mtasts.rfc.PolicyParserTest.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyLintTest {

  private static final List<String> MX = List.of("mail.example.com");

  @Test
  void warnsAboutMaxAgeZeroInEnforce() {
    assertThat(lines(PolicyLint.check(Policy.of(Mode.ENFORCE, 0, MX), true))).containsExactly(
        "WARNING max_age: max_age 0 in enforce mode: senders may drop the policy at once, so it protects almost "
            + "nothing (RFC 8461 §3.2)");
  }

  @Test
  void warnsAboutMaxAgeUnderOneDayInEnforce() {
    assertThat(lines(PolicyLint.check(Policy.of(Mode.ENFORCE, 86_399, MX), true))).containsExactly(
        "WARNING max_age: max_age 86399 is under one day (86400) in enforce mode; senders refetch often and an "
            + "attacker can block the refetch (RFC 8461 §3.2)");
  }

  @Test
  void remarksOnMaxAgeUnderOneWeekInEnforce() {
    assertThat(lines(PolicyLint.check(Policy.of(Mode.ENFORCE, 86_400, MX), true))).containsExactly(
        "INFO max_age: max_age 86400 is under one week (604800); RFC 8461 expects weeks or more in enforce mode "
            + "(RFC 8461 §3.2)");
    assertThat(PolicyLint.check(Policy.of(Mode.ENFORCE, 604_800, MX), true)).isEmpty();
  }

  @Test
  void leavesShortMaxAgeAloneOutsideEnforce() {
    assertThat(PolicyLint.check(Policy.of(Mode.TESTING, 0, MX), true)).isEmpty();
    assertThat(PolicyLint.check(Policy.of(Mode.NONE, 0, List.of()), false)).isEmpty();
  }

  @Test
  void warnsAboutTestingWithoutTlsRpt() {
    assertThat(lines(PolicyLint.check(Policy.of(Mode.TESTING, 604_800, MX), false))).containsExactly(
        "WARNING mode: mode \"testing\" without a TLSRPT record: senders change nothing and report to no one "
            + "(RFC 8461 §5)");
    assertThat(PolicyLint.check(Policy.of(Mode.TESTING, 604_800, MX), true)).isEmpty();
  }

  @Test
  void remarksOnDuplicateMx() {
    Policy policy = Policy.of(Mode.ENFORCE, 604_800,
        List.of("mail.example.com", "*.example.net", "MAIL.example.com"));

    assertThat(lines(PolicyLint.check(policy, true))).containsExactly(
        "INFO mx: mx \"mail.example.com\" is listed more than once (RFC 8461 §3.2)");
  }
}
