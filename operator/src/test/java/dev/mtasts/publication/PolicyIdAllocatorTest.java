package dev.mtasts.publication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyIdAllocatorTest {

  static final Instant NOW = Instant.parse("2026-11-23T07:00:00Z");

  @Test
  void firstPublicationGetsAnIdFromTheTime() {
    var allocation = PolicyIdAllocator.allocate(Optional.empty(), Optional.empty(), "h1", NOW);

    assertThat(allocation.policyId()).isEqualTo("2026112307000000");
    assertThat(allocation.reason()).contains("first publication");
  }

  @Test
  void sameHashKeepsTheIdWhateverTheTime() {
    var allocation = PolicyIdAllocator.allocate(Optional.of("2025010100000000"), Optional.of("h1"), "h1", NOW);

    assertThat(allocation.policyId()).isEqualTo("2025010100000000");
    assertThat(allocation.changed()).isFalse();
  }

  @Test
  void newHashGetsAGreaterIdEvenWithinTheSameSecond() {
    var first = PolicyIdAllocator.allocate(Optional.of("2026112307000000"), Optional.of("h1"), "h2", NOW);

    assertThat(first.policyId()).isEqualTo("2026112307000001");
    assertThat(first.reason()).contains("the policy changed");
  }

  @Test
  void anInvalidIdInStatusIsReplacedNotPublished() {
    var allocation = PolicyIdAllocator.allocate(Optional.of("not valid!"), Optional.of("h1"), "h1", NOW);

    assertThat(allocation.policyId()).isEqualTo("2026112307000000");
    assertThat(allocation.changed()).isTrue();
  }
}
