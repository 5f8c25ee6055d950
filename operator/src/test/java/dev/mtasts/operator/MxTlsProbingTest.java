package dev.mtasts.operator;

import static dev.mtasts.testing.TestPolicies.enforce;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.check.MxTlsCheck;
import dev.mtasts.publication.MxRecords;
import dev.mtasts.publication.MxTlsProbe.Verdict;
import dev.mtasts.publication.MxTlsProbes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * When a host is probed again, on a clock the test moves; the probe itself is a stand-in that records each call
 * and answers a set verdict (MxTlsProbingIT probes real postfix).
 */
class MxTlsProbingTest {

  static final Duration INTERVAL = Duration.ofHours(1);
  static final MtaStsPolicy POLICY = enforce("example.com");

  Instant now = Instant.parse("2026-05-01T12:00:00Z");
  final Clock clock = new Clock() {
    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  };
  final List<String> probed = new ArrayList<>();
  Verdict verdict = Verdict.PASSED;
  final Function<String, MxTlsCheck.Result> check = host -> {
    probed.add(host);
    return new MxTlsCheck.Result(host, verdict == Verdict.PASSED ? MxTlsCheck.Verdict.VALID
        : MxTlsCheck.Verdict.valueOf(verdict.name()), host + ": " + verdict);
  };
  final MxTlsProbing probing = new MxTlsProbing(check, INTERVAL, clock);

  static Function<MtaStsPolicy, Optional<MxRecords>> mx(String... hosts) {
    return policy -> Optional.of(new MxRecords(Map.of("example.com", List.of(hosts)), Map.of()));
  }

  MxTlsProbes poll(Function<MtaStsPolicy, Optional<MxRecords>> mx) {
    return probing.poll(p -> true, mx, POLICY).iterator().next();
  }

  @Test
  void aPassedHostIsProbedAgainAfterTheInterval() {
    poll(mx("mx1.example.com"));
    now = now.plus(INTERVAL).minusSeconds(1);
    poll(mx("mx1.example.com"));
    now = now.plusSeconds(1);
    MxTlsProbes probes = poll(mx("mx1.example.com"));

    assertThat(probed).containsExactly("mx1.example.com", "mx1.example.com");
    assertThat(probes.probeOf("mx1.example.com").orElseThrow().probedAt()).isEqualTo(now);
  }

  @Test
  void aFailedHostIsProbedAgainAfterAMinute() {
    verdict = Verdict.NO_STARTTLS;
    poll(mx("mx1.example.com"));
    verdict = Verdict.PASSED;
    now = now.plus(MxTlsProbing.RETRY_FAILED);

    assertThat(poll(mx("mx1.example.com")).allPassed(List.of("mx1.example.com"), now)).isTrue();
    assertThat(probed).hasSize(2);
  }

  @Test
  void aNewMxHostIsProbedAtTheNextLookWithoutProbingTheOthersAgain() {
    poll(mx("mx1.example.com"));
    now = now.plus(MxTlsProbing.RECHECK);
    MxTlsProbes probes = poll(mx("mx1.example.com", "mx2.example.com"));

    assertThat(probed).containsExactly("mx1.example.com", "mx2.example.com");
    assertThat(probes.byHost()).containsOnlyKeys("mx1.example.com", "mx2.example.com");
  }

  @Test
  void aHostSharedByTwoPoliciesIsProbedOnce() {
    probing.poll(p -> true, mx("mx.shared.example"), enforce("example.com"));
    probing.poll(p -> true, mx("mx.shared.example"), enforce("example.net"));

    assertThat(probed).containsExactly("mx.shared.example");
  }

  @Test
  void aHostNoLongerAnMxIsLeftOut() {
    poll(mx("mx1.example.com", "old.example.com"));

    assertThat(poll(mx("mx1.example.com")).byHost()).containsOnlyKeys("mx1.example.com");
  }

  @Test
  void aPolicyWithoutAGateOrWithoutMxRecordsYetHasNoProbes() {
    assertThat(probing.poll(p -> false, mx("mx1.example.com"), POLICY)).isEmpty();
    assertThat(probing.poll(p -> true, p -> Optional.empty(), POLICY)).isEqualTo(Set.of());
    assertThat(probed).isEmpty();
  }

  @Test
  void aProbeCountsForTwoIntervals() {
    assertThat(poll(mx("mx1.example.com")).maxAge()).isEqualTo(INTERVAL.multipliedBy(2));
  }

  @Test
  void theLookIsEveryFewSecondsOrAtTheIntervalIfShorter() {
    assertThat(MxTlsProbing.recheck(INTERVAL)).isEqualTo(MxTlsProbing.RECHECK);
    assertThat(MxTlsProbing.recheck(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
  }
}
