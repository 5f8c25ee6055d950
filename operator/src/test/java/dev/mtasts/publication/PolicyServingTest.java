package dev.mtasts.publication;

import static dev.mtasts.api.v1alpha1.ServerMode.DEDICATED;
import static dev.mtasts.api.v1alpha1.ServerMode.SHARED;
import static dev.mtasts.testing.TestPolicies.enforce;
import static dev.mtasts.testing.TestPolicies.served;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.ServerMode;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PolicyServingTest {

  static Stream<Arguments> switches() {
    return Stream.of(
        // wanted, routed now, wanted serves -> routed to, keeps its own server, in the shared one
        Arguments.of(DEDICATED, null, false, DEDICATED, true, false),
        Arguments.of(SHARED, null, false, SHARED, false, true),
        Arguments.of(SHARED, DEDICATED, false, DEDICATED, true, true),
        Arguments.of(SHARED, DEDICATED, true, SHARED, true, true),
        Arguments.of(SHARED, SHARED, true, SHARED, false, true),
        Arguments.of(SHARED, SHARED, false, SHARED, false, true),
        Arguments.of(DEDICATED, SHARED, false, SHARED, true, true),
        Arguments.of(DEDICATED, SHARED, true, DEDICATED, true, true),
        Arguments.of(DEDICATED, DEDICATED, true, DEDICATED, true, false));
  }

  @ParameterizedTest(name = "wants {0}, routed to {1}, wanted serves {2}")
  @MethodSource("switches")
  void theHostsMoveOnlyOnceTheWantedServerServesAndTheOldOneStaysUntilThenRouted(ServerMode wanted,
      ServerMode routed, boolean serves, ServerMode routedTo, boolean keepsDedicated, boolean inShared) {
    PolicyServing serving = PolicyServing.decide(wanted, Optional.ofNullable(routed), serves);

    assertThat(serving).isEqualTo(new PolicyServing(wanted, routedTo, keepsDedicated, inShared));
  }

  @Test
  void theSpecsModeOverridesTheOperatorsDefault() {
    OperatorSettings shared = OperatorSettings.defaults().withServerMode(SHARED);

    assertThat(PolicyServing.wanted(enforce("example.com"), OperatorSettings.defaults())).isEqualTo(DEDICATED);
    assertThat(PolicyServing.wanted(enforce("example.com"), shared)).isEqualTo(SHARED);
    assertThat(PolicyServing.wanted(served(enforce("example.com"), DEDICATED), shared)).isEqualTo(DEDICATED);
  }

  @Test
  void aPolicyStillRoutedToTheSharedServerStaysInIt() {
    assertThat(PolicyServing.servedByShared(DEDICATED, Optional.of(SHARED))).isTrue();
    assertThat(PolicyServing.servedByShared(DEDICATED, Optional.of(DEDICATED))).isFalse();
    assertThat(PolicyServing.servedByShared(SHARED, Optional.empty())).isTrue();
  }
}
