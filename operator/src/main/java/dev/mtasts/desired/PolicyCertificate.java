package dev.mtasts.desired;

import dev.mtasts.api.v1alpha1.CertificateSettings;
import dev.mtasts.api.v1alpha1.IssuerReference;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PublishedPolicy;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateBuilder;
import java.util.Optional;

/**
 * The cert-manager Certificate covering every policy host. RFC 8461 §3.3: senders fetch the policy only over HTTPS
 * with a certificate valid for mta-sts.<domain>, so the issuer must be publicly trusted.
 */
public final class PolicyCertificate {

  private PolicyCertificate() {}

  public static Certificate desired(MtaStsPolicy policy, OperatorSettings settings, PublishedPolicy published) {
    IssuerReference issuer = Optional.ofNullable(policy.getSpec().getCertificate())
        .map(CertificateSettings::getIssuerRef)
        .orElse(settings.issuer());
    return new CertificateBuilder()
        .withMetadata(StandardLabels.metadata(policy, ObjectNames.certificate(policy), StandardLabels.CERTIFICATE))
        .withNewSpec()
          .withSecretName(ObjectNames.tlsSecret(policy))
          .withDnsNames(published.domains().stream().map(ObjectNames::policyHost).toList())
          .withNewIssuerRef()
            .withName(issuer.getName())
            .withKind(issuer.getKind() == null ? "ClusterIssuer" : issuer.getKind())
            .withGroup(issuer.getGroup() == null ? "cert-manager.io" : issuer.getGroup())
          .endIssuerRef()
          .withNewPrivateKey().withRotationPolicy("Always").endPrivateKey()
        .endSpec()
        .build();
  }
}
