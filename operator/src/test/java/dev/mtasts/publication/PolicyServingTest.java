package dev.mtasts.publication;

import static dev.mtasts.api.v1alpha1.ServerMode.DEDICATED;
import static dev.mtasts.api.v1alpha1.ServerMode.SHARED;
import static dev.mtasts.testing.TestPolicies.enforce;
import static dev.mtasts.testing.TestPolicies.served;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.ServerMode;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PolicyServingTest {

  static final Set<ServerMode> NONE = Set.of();
  static final Set<ServerMode> OWN = Set.of(DEDICATED);
  static final Set<ServerMode> SHARED_ONE = Set.of(SHARED);
  static final Set<ServerMode> BOTH = Set.of(DEDICATED, SHARED);

  static Stream<Arguments> switches() {
    return Stream.of(
        // wanted, routed now, wanted serves, running -> routed to, keeps its own server, in the shared one
        Arguments.of(DEDICATED, null, false, NONE, DEDICATED, true, false),
        Arguments.of(SHARED, null, false, NONE, SHARED, false, true),
        Arguments.of(SHARED, DEDICATED, false, OWN, DEDICATED, true, true),
        Arguments.of(SHARED, DEDICATED, true, BOTH, SHARED, true, true),
        Arguments.of(SHARED, SHARED, true, BOTH, SHARED, false, true),
        Arguments.of(SHARED, SHARED, false, SHARED_ONE, SHARED, false, true),
        Arguments.of(DEDICATED, SHARED, false, SHARED_ONE, SHARED, true, true),
        Arguments.of(DEDICATED, SHARED, true, BOTH, DEDICATED, true, true),
        Arguments.of(DEDICATED, DEDICATED, true, BOTH, DEDICATED, true, false),
        // Routes not seen (a cache behind, say): the server that holds the policy stays, and the hosts with it,
        // until the wanted one serves.
        Arguments.of(SHARED, null, false, OWN, DEDICATED, true, true),
        Arguments.of(SHARED, SHARED, false, BOTH, SHARED, true, true),
        Arguments.of(DEDICATED, null, false, SHARED_ONE, SHARED, true, true),
        Arguments.of(SHARED, null, true, OWN, SHARED, false, true));
  }

  @ParameterizedTest(name = "wants {0}, routed to {1}, wanted serves {2}, running {3}")
  @MethodSource("switches")
  void theHostsMoveOnlyOnceTheWantedServerServesAndNoServingServerGoesBefore(ServerMode wanted,
      ServerMode routed, boolean serves, Set<ServerMode> running, ServerMode routedTo, boolean keepsDedicated,
      boolean inShared) {
    PolicyServing serving = PolicyServing.decide(wanted, Optional.ofNullable(routed), serves, running);

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
