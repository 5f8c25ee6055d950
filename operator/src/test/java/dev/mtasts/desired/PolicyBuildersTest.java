package dev.mtasts.desired;

import static dev.mtasts.testing.TestPolicies.enforce;
import static dev.mtasts.testing.TestPolicies.server;
import static dev.mtasts.testing.TestPolicies.tlsRpt;
import static dev.mtasts.testing.TestPolicies.with;
import static dev.mtasts.testing.TestPolicies.withUid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PublishedPolicy;
import dev.mtasts.testing.TestPolicies;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every owned object has in common: labels, owner reference, namespace, and purity. */
class PolicyBuildersTest {

  static PublishedPolicy published(MtaStsPolicy policy) {
    return TestPolicies.published(policy, "2026112307000000", policy.getSpec().getDomains());
  }

  @Test
  void everyObjectCarriesTheStandardLabelsAndAnOwnerReference() {
    MtaStsPolicy policy = withUid(enforce("example.com"), "1234-uid");

    List<HasMetadata> objects = DesiredObjects.of(policy, OperatorSettings.defaults(), published(policy));

    assertThat(objects).extracting(HasMetadata::getKind)
        .containsExactly("ConfigMap", "Deployment", "Service", "Ingress", "Certificate", "DNSEndpoint");
    assertThat(objects).allSatisfy(object -> {
      assertThat(object.getMetadata().getNamespace()).isEqualTo("mail");
      assertThat(object.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/name", "mta-sts")
          .containsEntry("app.kubernetes.io/instance", "example-com")
          .containsEntry("app.kubernetes.io/part-of", "mta-sts")
          .containsEntry("app.kubernetes.io/managed-by", "mta-sts-operator")
          .containsKey("app.kubernetes.io/component");
      assertThat(object.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
        assertThat(owner.getKind()).isEqualTo("MtaStsPolicy");
        assertThat(owner.getApiVersion()).isEqualTo("mtasts.dev/v1alpha1");
        assertThat(owner.getUid()).isEqualTo("1234-uid");
        assertThat(owner.getController()).isTrue();
      });
    });
  }

  @Test
  void everyObjectIsNamedAfterThePolicy() {
    MtaStsPolicy policy = enforce("example.com");

    assertThat(DesiredObjects.of(policy, OperatorSettings.defaults(), published(policy)))
        .extracting(object -> object.getKind() + " " + object.getMetadata().getName())
        .containsExactly("ConfigMap example-com-policy", "Deployment example-com-policy-server",
            "Service example-com-policy-server", "Ingress example-com-policy", "Certificate example-com-policy-tls",
            "DNSEndpoint example-com-txt");
  }

  @Test
  void aPolicyFromAFileHasNoOwnerReferenceYet() {
    MtaStsPolicy policy = enforce("example.com");

    assertThat(DesiredObjects.of(policy, OperatorSettings.defaults(), published(policy)))
        .allSatisfy(object -> assertThat(object.getMetadata().getOwnerReferences()).isEmpty());
  }

  @Test
  void sameInputGivesEqualObjects() {
    MtaStsPolicy policy = with(enforce("example.com", "example.org"), s -> {
      s.setTlsRpt(tlsRpt("mailto:tls@example.com"));
      s.setServer(server(3, null));
    });

    var serialization = new KubernetesSerialization();
    String first = serialization.asYaml(DesiredObjects.of(policy, OperatorSettings.defaults(), published(policy)));
    String second = serialization.asYaml(DesiredObjects.of(policy, OperatorSettings.defaults(), published(policy)));

    assertThat(second).isEqualTo(first);
  }
}
