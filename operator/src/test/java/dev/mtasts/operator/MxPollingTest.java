package dev.mtasts.operator;

import static dev.mtasts.testing.TestPolicies.enforce;
import static dev.mtasts.testing.TestPolicies.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.check.MxLookup;
import dev.mtasts.publication.MxRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MxPollingTest {

  static final Map<String, MxLookup.Result> DNS = Map.of(
      "example.com", new MxLookup.Result(List.of("mx1.example.com", "mx2.example.com"), Optional.empty()),
      "example.org", new MxLookup.Result(List.of(), Optional.of("SERVFAIL from 192.0.2.53")));

  @Test
  void eachDomainIsLookedUpOnceAndFailuresAreKeptApart() {
    List<String> asked = new ArrayList<>();

    MxRecords records = MxPolling.poll(domain -> {
      asked.add(domain);
      return DNS.get(domain);
    }, enforce("example.com", "example.org"));

    assertThat(asked).containsExactly("example.com", "example.org");
    assertThat(records.hostsByDomain()).containsExactly(Map.entry("example.com",
        List.of("mx1.example.com", "mx2.example.com")));
    assertThat(records.failures()).containsExactly(Map.entry("example.org", "SERVFAIL from 192.0.2.53"));
  }

  @Test
  void domainsAreLookedUpAndKeyedInLowerCase() {
    MxRecords records = MxPolling.poll(DNS::get, with(enforce("example.com"), s -> s.setDomains(List.of("Example.COM"))));

    assertThat(records.hostsByDomain()).containsOnlyKeys("example.com");
  }

  @Test
  void theSameAnswerIsTheSameValueSoNoReconciliationIsTriggered() {
    assertThat(MxPolling.poll(DNS::get, enforce("example.com")))
        .isEqualTo(MxPolling.poll(DNS::get, enforce("example.com")));
  }

  @Test
  void aResourceWithoutSpecLooksNothingUp() {
    var policy = enforce("example.com");
    policy.setSpec(null);

    assertThat(MxPolling.poll(domain -> {
      throw new AssertionError("looked up " + domain);
    }, policy)).isEqualTo(new MxRecords(Map.of(), Map.of()));
  }
}
