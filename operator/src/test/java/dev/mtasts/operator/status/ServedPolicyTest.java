package dev.mtasts.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.operator.status.ServedPolicy.Outcome;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The fetch through the Service and those at the policy URLs, as the one gate before the records. */
class ServedPolicyTest {

  static ServedPolicy served(String where) {
    return new ServedPolicy(Outcome.SERVED, where + " serves it");
  }

  static ServedPolicy wrong(String where) {
    return new ServedPolicy(Outcome.WRONG_POLICY, where + " serves another");
  }

  static ServedPolicy unreachable(String where) {
    return new ServedPolicy(Outcome.UNREACHABLE, where + " cannot be reached");
  }

  static Stream<Arguments> gates() {
    return Stream.of(
        Arguments.of("served everywhere", served("svc"), List.of(served("url")), Outcome.SERVED),
        Arguments.of("a URL serving another policy holds the records", served("svc"), List.of(wrong("url")),
            Outcome.WRONG_POLICY),
        Arguments.of("the Service serving another policy holds them too", wrong("svc"), List.of(served("url")),
            Outcome.WRONG_POLICY),
        Arguments.of("one of two URLs wrong", served("svc"), List.of(served("a"), wrong("b")), Outcome.WRONG_POLICY),
        Arguments.of("a URL the operator cannot reach leaves it to the Service", served("svc"),
            List.of(unreachable("url")), Outcome.SERVED),
        Arguments.of("a Service it cannot reach, a URL that serves", unreachable("svc"), List.of(served("url")),
            Outcome.SERVED),
        Arguments.of("nothing reachable: the rollout decides", unreachable("svc"), List.of(unreachable("url")),
            Outcome.UNREACHABLE),
        Arguments.of("no URL fetched", served("svc"), List.of(), Outcome.SERVED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gates")
  void anyWrongAnswerHoldsTheRecordsAndOneThatGotThroughServes(String description, ServedPolicy inCluster,
      List<ServedPolicy> atUrls, Outcome outcome) {
    ServedPolicy gate = ServedPolicy.all(inCluster, atUrls);

    assertThat(gate.outcome()).isEqualTo(outcome);
    assertThat(gate.allowsPublication()).isEqualTo(outcome != Outcome.WRONG_POLICY);
    assertThat(gate.message()).startsWith(inCluster.message());
    atUrls.forEach(url -> assertThat(gate.message()).contains("; " + url.message()));
  }
}
