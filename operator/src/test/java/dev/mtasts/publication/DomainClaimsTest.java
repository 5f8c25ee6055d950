package dev.mtasts.publication;

import static dev.mtasts.testing.TestPolicies.enforce;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DomainClaimsTest {

  static MtaStsPolicy claim(String namespace, String name, String created, String... domains) {
    MtaStsPolicy policy = enforce(domains);
    policy.getMetadata().setNamespace(namespace);
    policy.getMetadata().setName(name);
    policy.getMetadata().setCreationTimestamp(created);
    return policy;
  }

  static final MtaStsPolicy OLD = claim("mail", "old", "2026-01-01T00:00:00Z", "example.com");
  static final MtaStsPolicy SAME_SECOND_A = claim("mail", "a", "2026-03-01T00:00:00Z", "example.com");
  static final MtaStsPolicy SAME_SECOND_B = claim("mail", "b", "2026-03-01T00:00:00Z", "example.com");
  static final MtaStsPolicy FILE_A = claim("mail", "a", null, "example.com");
  static final MtaStsPolicy FILE_Z = claim("mail", "z", null, "example.com");

  static MtaStsPolicy deleted(MtaStsPolicy policy) {
    MtaStsPolicy copy = claim(policy.getMetadata().getNamespace(), policy.getMetadata().getName(),
        policy.getMetadata().getCreationTimestamp(), policy.getSpec().getDomains().toArray(String[]::new));
    copy.getMetadata().setDeletionTimestamp("2026-12-01T00:00:00Z");
    return copy;
  }

  /** How a tie is broken: in the cluster by namespace/name, in files by document order. */
  static final Function<List<MtaStsPolicy>, DomainClaims.Claimants> CLUSTER = DomainClaims.Claimants::inCluster;
  static final Function<List<MtaStsPolicy>, DomainClaims.Claimants> FILES = DomainClaims.Claimants::inDocumentOrder;

  static Stream<Arguments> claims() {
    MtaStsPolicy newcomer = claim("other", "new", "2026-06-01T00:00:00Z", "example.com", "example.org");
    return Stream.of(
        Arguments.of("alone, every domain is claimed", newcomer, List.of(newcomer), CLUSTER,
            List.of("example.com", "example.org"), List.of()),
        Arguments.of("the older resource keeps a shared domain, in any namespace", newcomer,
            List.of(newcomer, OLD), CLUSTER, List.of("example.org"),
            List.of(new DomainConflict("example.com", "mail/old"))),
        Arguments.of("the older resource loses nothing to a newcomer", OLD, List.of(newcomer, OLD), CLUSTER,
            List.of("example.com"), List.of()),
        Arguments.of("a resource being deleted holds no claim", newcomer, List.of(newcomer, deleted(OLD)), CLUSTER,
            List.of("example.com", "example.org"), List.of()),
        Arguments.of("a resource recreated under its name is not held back by its former self",
            claim("mail", "old", "2026-06-01T00:00:00Z", "example.com"), List.of(OLD), CLUSTER,
            List.of("example.com"), List.of()),
        Arguments.of("in the same second the lower namespace/name wins in a cluster", SAME_SECOND_B,
            List.of(SAME_SECOND_B, SAME_SECOND_A), CLUSTER, List.of(),
            List.of(new DomainConflict("example.com", "mail/a"))),
        Arguments.of("the winner of a tie in a cluster keeps its domain", SAME_SECOND_A,
            List.of(SAME_SECOND_B, SAME_SECOND_A), CLUSTER, List.of("example.com"), List.of()),
        Arguments.of("in files without timestamps the earlier document wins", FILE_A, List.of(FILE_Z, FILE_A), FILES,
            List.of(), List.of(new DomainConflict("example.com", "mail/z"))),
        Arguments.of("the earlier document keeps its domain", FILE_Z, List.of(FILE_Z, FILE_A), FILES,
            List.of("example.com"), List.of()),
        Arguments.of("a stored resource is older than a file that was never applied", FILE_A, List.of(FILE_A, OLD),
            FILES, List.of(), List.of(new DomainConflict("example.com", "mail/old"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("claims")
  void theOldestClaimWins(String description, MtaStsPolicy resource, List<MtaStsPolicy> policies,
      Function<List<MtaStsPolicy>, DomainClaims.Claimants> order, List<String> claimed,
      List<DomainConflict> conflicts) {
    DomainClaims.Decision decision = DomainClaims.decide(resource,
        Publication.normalised(resource.getSpec().getDomains()), order.apply(policies));

    assertThat(decision.claimed()).containsExactlyElementsOf(claimed);
    assertThat(decision.conflicts()).containsExactlyElementsOf(conflicts);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("claims")
  void domainsCompareIgnoringCase(String description, MtaStsPolicy resource, List<MtaStsPolicy> policies,
      Function<List<MtaStsPolicy>, DomainClaims.Claimants> order, List<String> claimed,
      List<DomainConflict> conflicts) {
    List<String> shouted = resource.getSpec().getDomains().stream().map(String::toUpperCase).toList();
    MtaStsPolicy loud = claim(resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
        resource.getMetadata().getCreationTimestamp(), shouted.toArray(String[]::new));
    List<MtaStsPolicy> others = policies.stream().map(p -> p == resource ? loud : p).toList();

    DomainClaims.Decision decision = DomainClaims.decide(loud, Publication.normalised(shouted), order.apply(others));

    assertThat(decision.claimed()).containsExactlyElementsOf(claimed);
    assertThat(decision.conflicts()).containsExactlyElementsOf(conflicts);
  }
}
