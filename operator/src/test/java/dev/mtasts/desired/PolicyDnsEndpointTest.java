package dev.mtasts.desired;

import static dev.mtasts.testing.TestPolicies.enforce;
import static dev.mtasts.testing.TestPolicies.tlsRpt;
import static dev.mtasts.testing.TestPolicies.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.externaldns.Endpoint;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyDnsEndpointTest {

  private static DNSEndpoint records(MtaStsPolicy policy, OperatorSettings settings) {
    return PolicyDnsEndpoint.desired(policy, settings, PolicyBuildersTest.published(policy));
  }

  @Test
  void oneStsRecordPerDomainCarryingThePolicyId() {
    DNSEndpoint records = records(enforce("example.com", "example.org"), OperatorSettings.defaults());

    assertThat(records.getSpec().getEndpoints())
        .extracting(Endpoint::getDnsName, Endpoint::getRecordType, Endpoint::getRecordTTL, Endpoint::getTargets)
        .containsExactly(
            tuple("_mta-sts.example.com", "TXT", 300L, java.util.List.of("v=STSv1; id=2026112307000000")),
            tuple("_mta-sts.example.org", "TXT", 300L, java.util.List.of("v=STSv1; id=2026112307000000")));
  }

  @Test
  void quotedEncodingWritesTheTargetsAsZoneFileStringsForProvidersThatWantThem() {
    DNSEndpoint records = records(
        with(enforce("example.com"), s -> s.setTlsRpt(tlsRpt("mailto:tls@example.com"))),
        OperatorSettings.defaults().withTxtEncoding(dev.mtasts.publication.TxtEncoding.QUOTED));

    assertThat(records.getSpec().getEndpoints()).extracting(Endpoint::getTargets).containsExactly(
        java.util.List.of("\"v=STSv1; id=2026112307000000\""),
        java.util.List.of("\"v=TLSRPTv1; rua=mailto:tls@example.com\""));
  }

  @Test
  void tlsReportingAddsOneRecordPerDomain() {
    DNSEndpoint records = records(
        with(enforce("example.com"), s -> s.setTlsRpt(tlsRpt("mailto:tls@example.com", "https://r.example.com/x"))),
        OperatorSettings.defaults());

    assertThat(records.getSpec().getEndpoints())
        .filteredOn(e -> e.getDnsName().equals("_smtp._tls.example.com"))
        .singleElement()
        .satisfies(e -> assertThat(e.getTargets())
            .containsExactly("v=TLSRPTv1; rua=mailto:tls@example.com,https://r.example.com/x"));
  }

  @Test
  void carriesTheLabelsExternalDnsFiltersOn() {
    OperatorSettings defaults = OperatorSettings.defaults();
    OperatorSettings settings = new OperatorSettings(defaults.issuer(), "nginx", Map.of(), 60, 2,
        defaults.nginxImage(), Map.of("dns", "public"));

    DNSEndpoint records = records(enforce("example.com"), settings);

    assertThat(records.getMetadata().getLabels()).containsEntry("dns", "public");
    assertThat(records.getSpec().getEndpoints()).allSatisfy(e -> assertThat(e.getRecordTTL()).isEqualTo(60L));
  }
}
