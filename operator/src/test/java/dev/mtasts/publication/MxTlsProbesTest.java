package dev.mtasts.publication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.publication.MxTlsProbe.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whether the operator's own STARTTLS probes let a rollout gate pass: every live MX host, passed, recently. */
class MxTlsProbesTest {

  static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  static final Duration MAX_AGE = Duration.ofHours(2);

  static MxTlsProbe passed(String host, Instant at) {
    return new MxTlsProbe(host, Verdict.PASSED, host + " negotiated TLSv1.3", at);
  }

  static final MxTlsProbes PROBES = MxTlsProbes.of(List.of(
      passed("mx1.example.com", NOW.minusSeconds(60)),
      passed("mx2.example.com", NOW.minus(Duration.ofMinutes(119))),
      passed("old.example.com", NOW.minus(Duration.ofMinutes(121))),
      new MxTlsProbe("wrong.example.com", Verdict.WRONG_NAME,
          "wrong.example.com: the certificate names [mx.other.test], not wrong.example.com", NOW.minusSeconds(60)),
      new MxTlsProbe("plain.example.com", Verdict.NO_STARTTLS, "plain.example.com does not offer STARTTLS",
          NOW.minusSeconds(60))), MAX_AGE);

  static Stream<Arguments> gates() {
    return Stream.of(
        Arguments.of("every host passed recently", List.of("mx1.example.com", "mx2.example.com"), List.of()),
        Arguments.of("host names compare in any case (RFC 4343)", List.of("MX1.Example.COM"), List.of()),
        Arguments.of("a failed host names the host and the problem", List.of("mx1.example.com", "wrong.example.com"),
            List.of("wrong.example.com: the certificate names [mx.other.test], not wrong.example.com")),
        Arguments.of("a host not probed yet is missing", List.of("mx1.example.com", "new.example.com"),
            List.of("new.example.com: not probed yet")),
        Arguments.of("a pass older than maxAge is stale", List.of("old.example.com"),
            List.of("old.example.com: last probed at 2026-05-01T09:59:00Z, more than PT2H ago")),
        Arguments.of("every problem is listed, in host order",
            List.of("wrong.example.com", "plain.example.com", "new.example.com"),
            List.of("new.example.com: not probed yet", "plain.example.com does not offer STARTTLS",
                "wrong.example.com: the certificate names [mx.other.test], not wrong.example.com")),
        Arguments.of("no host at all is no evidence", List.of(), List.of("no MX host to probe")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gates")
  void theGatePassesOnlyWhenEveryHostPassedRecently(String behaviour, Collection<String> hosts,
      List<String> problems) {
    assertThat(PROBES.problems(hosts, NOW)).containsExactlyElementsOf(problems);
    assertThat(PROBES.allPassed(hosts, NOW)).isEqualTo(problems.isEmpty());
  }

  @Test
  void theHostsProbedAreTheLiveMxHostsOfEveryDomain() {
    MxRecords records = new MxRecords(Map.of(
        "example.com", List.of("mx1.example.com", "MX2.example.com"),
        "example.net", List.of("mx1.example.com")), Map.of());

    assertThat(records.hosts()).containsExactly("mx1.example.com", "mx2.example.com");
    assertThat(PROBES.allPassed(records, NOW)).isTrue();
  }

  @Test
  void aFailedMxLookupHoldsTheGate() {
    MxRecords records = new MxRecords(Map.of("example.com", List.of("mx1.example.com")),
        Map.of("example.net", "SERVFAIL"));

    assertThat(PROBES.problems(records, NOW)).containsExactly("example.net: the MX lookup failed: SERVFAIL");
    assertThat(PROBES.allPassed(records, NOW)).isFalse();
  }

  @Test
  void aNewProbeWithTheSameResultIsAnotherValue() {
    // The probed time is part of the value: each round is an event, which is how staleness can be told.
    MxTlsProbes later = MxTlsProbes.of(List.of(passed("mx1.example.com", NOW)), MAX_AGE);

    assertThat(later).isNotEqualTo(MxTlsProbes.of(List.of(passed("mx1.example.com", NOW.minusSeconds(1))), MAX_AGE));
    assertThat(later.probeOf("MX1.Example.com")).contains(passed("mx1.example.com", NOW));
  }
}
