package dev.mtasts.publication;

import static dev.mtasts.testing.TestPolicies.enforce;
import static dev.mtasts.testing.TestPolicies.tlsRpt;
import static dev.mtasts.testing.TestPolicies.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.DnsSettings;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.PolicyMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicySpecValidatorTest {

  static Stream<Arguments> invalidResources() {
    return Stream.of(
        Arguments.of("a domain listed twice in different case",
            with(enforce("example.com"), s -> s.setDomains(List.of("example.com", "EXAMPLE.com"))),
            "spec.domains[1]: \"EXAMPLE.com\": names the same domain as spec.domains[0] (DNS names ignore case)"),
        Arguments.of("single-label domain",
            with(enforce("example.com"), s -> s.setDomains(List.of("localhost"))),
            "spec.domains[0]: \"localhost\": must be a DNS name of at least two labels,"
                + " such as \"example.com\""),
        Arguments.of("duplicate domain",
            with(enforce("example.com"), s -> s.setDomains(List.of("example.com", "example.com"))),
            "spec.domains[1]: \"example.com\": listed more than once"),
        Arguments.of("no domains",
            with(enforce("example.com"), s -> s.setDomains(List.of())),
            "spec.domains: at least one domain is required"),
        Arguments.of("101 domains",
            with(enforce("example.com"), s -> s.setDomains(
                IntStream.range(0, 101).mapToObj(i -> "d" + i + ".example.com").toList())),
            "spec.domains: 101 domains is more than 100"),
        Arguments.of("no mx in enforce",
            with(enforce("example.com"), s -> s.setMx(List.of())),
            "spec.mx: at least one MX pattern is required unless mode is none or discoverMx is true"
                + " (RFC 8461 §3.2)"),
        Arguments.of("max_age above a year",
            with(enforce("example.com"), s -> s.setMaxAge(31_557_601L)),
            "spec.maxAge: 31557601 is above 31557600 (RFC 8461 §3.2)"),
        Arguments.of("negative max_age",
            with(enforce("example.com"), s -> s.setMaxAge(-1L)),
            "spec.maxAge: -1 is below 0"),
        Arguments.of("rua that is neither mailto nor https",
            with(enforce("example.com"), s -> s.setTlsRpt(tlsRpt("http://reports.example.com"))),
            "spec.tlsRpt.rua[0]: \"http://reports.example.com\": must be a mailto: address or an https:// URI of"
                + " at most 256 characters, with ',', ';', '!' and spaces percent-encoded (RFC 8460 §3)"),
        Arguments.of("empty rua",
            with(enforce("example.com"), s -> s.setTlsRpt(tlsRpt())),
            "spec.tlsRpt.rua: at least one report URI is required (RFC 8460 §3)"),
        Arguments.of("ttl too short",
            with(enforce("example.com"), s -> {
              DnsSettings dns = new DnsSettings();
              dns.setTtl(5L);
              s.setDns(dns);
            }),
            "spec.dns.ttl: 5 is outside 30 to 86400 seconds"),
        Arguments.of("name too long for the owned Service",
            named(enforce("example.com"), "a".repeat(49)),
            "metadata.name: \"" + "a".repeat(49) + "\": must start with a letter, hold only lower-case letters,"
                + " digits and '-', and be at most 48 characters long"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidResources")
  void refusesNamingTheFieldAndTheRule(String description, MtaStsPolicy resource, String expected) {
    assertThat(PolicySpecValidator.validate(resource)).containsExactly(expected);
  }

  @Test
  void wildcardInTheMiddleIsRefusedAtItsIndex() {
    var resource = with(enforce("example.com"), s -> s.setMx(List.of("mx1.example.com", "mail.*.example.com")));

    assertThat(PolicySpecValidator.validate(resource))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("spec.mx[1]: ")
        .contains("mail.*.example.com");
  }

  @Test
  void listsEveryProblemNotJustTheFirst() {
    var resource = with(enforce("example.com"), s -> {
      s.setDomains(List.of("example_com.test", "ok.example.com", "ok.example.com"));
      s.setMaxAge(40_000_000L);
      s.setTlsRpt(tlsRpt("ftp://x"));
    });

    assertThat(PolicySpecValidator.validate(resource)).hasSize(4);
  }

  @Test
  void acceptsTheEdgesOfTheRules() {
    assertThat(PolicySpecValidator.validate(with(enforce("example.com"), s -> s.setMaxAge(0L)))).isEmpty();
    assertThat(PolicySpecValidator.validate(with(enforce("example.com"), s -> s.setMaxAge(31_557_600L)))).isEmpty();
    assertThat(PolicySpecValidator.validate(with(enforce("example.com"), s -> {
      s.setMode(PolicyMode.NONE);
      s.setMx(null);
    }))).isEmpty();
    List<String> hundred = new ArrayList<>(IntStream.range(0, 100).mapToObj(i -> "d" + i + ".example.com").toList());
    Collections.shuffle(hundred, new java.util.Random(1));
    assertThat(PolicySpecValidator.validate(with(enforce("example.com"), s -> s.setDomains(hundred)))).isEmpty();
  }

  private static MtaStsPolicy named(MtaStsPolicy policy, String name) {
    policy.getMetadata().setName(name);
    return policy;
  }
}
