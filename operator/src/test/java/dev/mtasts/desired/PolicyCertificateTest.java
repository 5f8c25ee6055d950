package dev.mtasts.desired;

import static dev.mtasts.testing.TestPolicies.enforce;
import static dev.mtasts.testing.TestPolicies.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.api.v1alpha1.CertificateSettings;
import dev.mtasts.api.v1alpha1.IssuerReference;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import io.fabric8.certmanager.api.model.v1.Certificate;
import org.junit.jupiter.api.Test;

class PolicyCertificateTest {

  private static Certificate certificate(MtaStsPolicy policy) {
    return PolicyCertificate.desired(policy, OperatorSettings.defaults(), PolicyBuildersTest.published(policy));
  }

  @Test
  void coversEveryPolicyHostIntoTheIngressSecret() {
    Certificate certificate = certificate(enforce("example.com", "example.org"));

    assertThat(certificate.getSpec().getDnsNames()).containsExactly("mta-sts.example.com", "mta-sts.example.org");
    assertThat(certificate.getSpec().getSecretName()).isEqualTo("example-com-policy-tls");
  }

  @Test
  void issuerFromTheSpecElseTheOperatorDefault() {
    Certificate defaulted = certificate(enforce("example.com"));
    Certificate chosen = certificate(with(enforce("example.com"), s -> {
      CertificateSettings settings = new CertificateSettings();
      settings.setIssuerRef(new IssuerReference("team-issuer", "Issuer", null));
      s.setCertificate(settings);
    }));

    assertThat(defaulted.getSpec().getIssuerRef().getName()).isEqualTo(OperatorSettings.DEFAULT_ISSUER);
    assertThat(defaulted.getSpec().getIssuerRef().getKind()).isEqualTo("ClusterIssuer");
    assertThat(chosen.getSpec().getIssuerRef().getName()).isEqualTo("team-issuer");
    assertThat(chosen.getSpec().getIssuerRef().getKind()).isEqualTo("Issuer");
    assertThat(chosen.getSpec().getIssuerRef().getGroup()).isEqualTo("cert-manager.io");
  }
}
