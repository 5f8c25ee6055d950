package dev.mtasts.operator.status;

import dev.mtasts.api.v1alpha1.ConditionStatus;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateCondition;
import java.util.Optional;

/** Whether cert-manager reports a Certificate Ready: its condition of type Ready with status True. */
public final class CertificateReadiness {

  private CertificateReadiness() {}

  public static Optional<CertificateCondition> readyCondition(Optional<Certificate> certificate) {
    return certificate
        .filter(c -> c.getStatus() != null && c.getStatus().getConditions() != null)
        .flatMap(c -> c.getStatus().getConditions().stream().filter(x -> "Ready".equals(x.getType())).findFirst());
  }

  public static boolean isReady(Optional<Certificate> certificate) {
    return readyCondition(certificate).map(c -> ConditionStatus.isTrue(c.getStatus())).orElse(false);
  }
}
