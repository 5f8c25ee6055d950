package dev.mtasts.publication;

import static dev.mtasts.testing.TestPolicies.enforce;
import static dev.mtasts.testing.TestPolicies.server;
import static dev.mtasts.testing.TestPolicies.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.DnsSettings;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.MtaStsPolicyStatus;
import dev.mtasts.api.v1alpha1.PolicyMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one decision of what is published, as {@code run} and {@code render} both make it. */
class PublicationTest {

  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  static final String NEW_ID = "2026120110000000";

  static Publication.Decision decide(MtaStsPolicy policy, MxObservation mx) {
    return Publication.decide(policy, Optional.ofNullable(policy.getStatus()), mx,
        DomainClaims.Claimants.inCluster(List.of(policy)), NOW);
  }

  static Publication.Decision decide(MtaStsPolicy policy) {
    return decide(policy, MxObservation.NOT_YET);
  }

  /** The resource as the operator left it after publishing it: its status holds the id and the hash. */
  static MtaStsPolicy published(MtaStsPolicy policy, String id) {
    MtaStsPolicyStatus status = new MtaStsPolicyStatus();
    status.setPolicyId(id);
    status.setPolicyHash(decide(policy).published().orElseThrow().content().hash());
    policy.setStatus(status);
    return policy;
  }

  static Stream<Arguments> idAllocations() {
    return Stream.of(
        Arguments.of("a first publication gets a new id", enforce("example.com"), Optional.empty(),
            NEW_ID, Optional.of("first publication")),
        Arguments.of("an unchanged policy keeps its id", published(enforce("example.com"), "2026010100000000"),
            Optional.empty(), "2026010100000000", Optional.empty()),
        Arguments.of("replicas, TTL and image keep the id", published(enforce("example.com"), "2026010100000000"),
            Optional.<Consumer<MtaStsPolicy>>of(p -> {
              p.getSpec().setServer(server(5, "nginx:other"));
              DnsSettings dns = new DnsSettings();
              dns.setTtl(60L);
              p.getSpec().setDns(dns);
            }), "2026010100000000", Optional.empty()),
        Arguments.of("a changed mode gets a new id", published(enforce("example.com"), "2026010100000000"),
            Optional.<Consumer<MtaStsPolicy>>of(p -> p.getSpec().setMode(PolicyMode.TESTING)),
            NEW_ID, Optional.of("the policy changed")),
        Arguments.of("an id senders would refuse is replaced", published(enforce("example.com"), "not valid!"),
            Optional.empty(), NEW_ID, Optional.of("first publication")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("idAllocations")
  void theIdChangesWhenAndOnlyWhenWhatSendersSeeChanges(String description, MtaStsPolicy policy,
      Optional<Consumer<MtaStsPolicy>> edit, String id, Optional<String> why) {
    edit.ifPresent(e -> e.accept(policy));

    PublishedPolicy published = decide(policy).published().orElseThrow();

    assertThat(published.policyId()).isEqualTo(id);
    assertThat(published.id().reason()).isEqualTo(why);
    assertThat(published.stsRecord()).isEqualTo("v=STSv1; id=" + id);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("a schema rule is named with its field",
            with(enforce("example.com"), s -> s.setMaxAge(40_000_000L)), MxObservation.NOT_YET,
            List.of("spec.maxAge: 40000000 is above 31557600 (RFC 8461 §3.2)")),
        Arguments.of("every problem is listed, not just the first",
            with(enforce("example.com"), s -> {
              s.setMx(List.of("*.*.example.com"));
              s.setDomains(List.of("example.com", "example.com"));
            }), MxObservation.NOT_YET,
            List.of("spec.domains[1]: \"example.com\": listed more than once",
                "spec.mx[0]: \"*.*.example.com\": a wildcard may only replace the leftmost label")),
        Arguments.of("discoverMx needs the operator's MX check",
            with(enforce("example.com"), s -> s.setDiscoverMx(true)), MxObservation.OFF,
            List.of("spec.discoverMx: the operator runs without its MX check (--mx-check-interval=PT0S), so it"
                + " cannot discover MX hosts")),
        Arguments.of("discoverMx without spec.mx waits for a first answer",
            with(enforce("example.com"), s -> {
              s.setDiscoverMx(true);
              s.setMx(null);
            }), MxObservation.NOT_YET,
            List.of("spec.discoverMx: no MX host has been discovered yet and spec.mx is empty, so there is no"
                + " policy to publish")),
        Arguments.of("discoverMx with an empty spec.mx waits for a first answer",
            with(enforce("example.com"), s -> {
              s.setDiscoverMx(true);
              s.setMx(List.of());
            }), MxObservation.NOT_YET,
            List.of("spec.discoverMx: no MX host has been discovered yet and spec.mx is empty, so there is no"
                + " policy to publish")),
        Arguments.of("a resource without a spec", withoutSpec(enforce("example.com")), MxObservation.NOT_YET,
            List.of("spec: required")));
  }

  static MtaStsPolicy withoutSpec(MtaStsPolicy policy) {
    policy.setSpec(null);
    return policy;
  }

  static Stream<Arguments> discoveryBeforeTheFirstAnswer() {
    return Stream.of(
        Arguments.of("spec.mx alone is published until MX hosts are discovered",
            with(enforce("example.com"), s -> s.setDiscoverMx(true)), List.of("mx1.example.com", "mx2.example.com")),
        Arguments.of("mode none needs no MX host to publish",
            with(enforce("example.com"), s -> {
              s.setMode(PolicyMode.NONE);
              s.setDiscoverMx(true);
              s.setMx(null);
            }), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("discoveryBeforeTheFirstAnswer")
  void discoverMxPublishesWhatItCanBeforeTheFirstAnswer(String description, MtaStsPolicy policy,
      List<String> mx) {
    Publication.Decision decision = decide(policy, MxObservation.NOT_YET);

    assertThat(decision.errors()).isEmpty();
    assertThat(decision.published().orElseThrow().content().policy().mx()).extracting(p -> p.value())
        .containsExactlyElementsOf(mx);
  }

  @Test
  void anInvalidSpecKeepsTheLastDiscoveredMxHostsInStatus() {
    MtaStsPolicy policy = with(enforce("example.com"), s -> {
      s.setDiscoverMx(true);
      s.setMaxAge(-1L);
    });
    MtaStsPolicyStatus status = new MtaStsPolicyStatus();
    status.setDiscoveredMx(List.of("mx9.example.com"));
    policy.setStatus(status);

    Publication.Decision decision = decide(policy, MxObservation.of(
        new MxRecords(Map.of("example.com", List.of("mx3.example.com")), Map.of())));

    assertThat(decision.errors()).containsExactly("spec.maxAge: -1 is below 0");
    assertThat(decision.discoveredMx()).contains(List.of("mx9.example.com"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void anInvalidSpecPublishesNothingAndSaysWhy(String description, MtaStsPolicy policy, MxObservation mx,
      List<String> errors) {
    Publication.Decision decision = decide(policy, mx);

    assertThat(decision.isValid()).isFalse();
    assertThat(decision.published()).isEmpty();
    assertThat(decision.errors()).containsExactlyElementsOf(errors);
  }

  static Stream<Arguments> discoveries() {
    Map<String, List<String>> found = Map.of("example.com", List.of("MX3.example.com", "mx1.example.com"));
    return Stream.of(
        Arguments.of("discovered hosts join spec.mx, in lower case", List.of(), MxObservation.of(
            new MxRecords(found, Map.of())), List.of("mx1.example.com", "mx3.example.com")),
        Arguments.of("a host we would not publish stays out", List.of(), MxObservation.of(new MxRecords(
            Map.of("example.com", List.of("mx1.example.com", "192.0.2.25")), Map.of())), List.of("mx1.example.com")),
        Arguments.of("a failed lookup keeps the last good list", List.of("mx9.example.com"), MxObservation.of(
            new MxRecords(Map.of(), Map.of("example.com", "SERVFAIL"))), List.of("mx9.example.com")),
        Arguments.of("no MX record at all keeps the last good list", List.of("mx9.example.com"),
            MxObservation.of(new MxRecords(Map.of("example.com", List.of()), Map.of())), List.of("mx9.example.com")),
        Arguments.of("before the first answer, the list in status", List.of("mx9.example.com"),
            MxObservation.NOT_YET, List.of("mx9.example.com")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("discoveries")
  void discoveredMxNeverEmptiesOrShrinksOnADnsFailure(String description, List<String> lastGood, MxObservation mx,
      List<String> discovered) {
    MtaStsPolicy policy = with(enforce("example.com"), s -> s.setDiscoverMx(true));
    MtaStsPolicyStatus status = new MtaStsPolicyStatus();
    status.setDiscoveredMx(lastGood);
    policy.setStatus(status);

    Publication.Decision decision = decide(policy, mx);

    assertThat(decision.discoveredMx()).contains(discovered);
    assertThat(decision.published().orElseThrow().content().policy().mx())
        .extracting(p -> p.value()).containsAll(discovered).contains("mx2.example.com");
  }

  @Test
  void withoutDiscoverMxNoListIsKept() {
    assertThat(decide(enforce("example.com")).discoveredMx()).isEmpty();
  }

  @Test
  void anUpperCaseDomainIsPublishedInLowerCase() {
    MtaStsPolicy policy = with(enforce("example.com"), s -> s.setDomains(List.of("Example.COM", "mail.example.org")));

    assertThat(decide(policy).published().orElseThrow().domains()).containsExactly("example.com", "mail.example.org");
  }

  @Test
  void theDomainsLookedUpAndIndexedAreTheLowerCaseOnesAndNoneWithoutASpec() {
    MtaStsPolicy policy = with(enforce("example.com"), s -> s.setDomains(List.of("Example.COM", "example.org")));
    MtaStsPolicy withoutSpec = enforce("example.com");
    withoutSpec.setSpec(null);

    assertThat(Publication.domainsOf(policy)).containsExactly("example.com", "example.org");
    assertThat(Publication.domainsOf(withoutSpec)).isEmpty();
  }

  @Test
  void aDomainAnOlderResourceClaimsIsLeftOutAndNamed() {
    MtaStsPolicy older = enforce("example.com");
    older.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
    MtaStsPolicy newer = with(enforce("example.org"), s -> s.setDomains(List.of("example.org", "EXAMPLE.com")));
    newer.getMetadata().setCreationTimestamp("2026-06-01T00:00:00Z");

    PublishedPolicy published = Publication.decide(newer, Optional.empty(), MxObservation.NOT_YET,
        DomainClaims.Claimants.inCluster(List.of(newer, older)), NOW).published().orElseThrow();

    assertThat(published.domains()).containsExactly("example.org");
    assertThat(published.conflicts()).containsExactly(new DomainConflict("example.com", "mail/example-com"));
  }
}
