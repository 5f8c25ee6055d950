package dev.mtasts.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.TestDaemon;
import dev.mtasts.testing.stack.RealStack;
import dev.mtasts.testing.stack.RealStackExtension;
import dev.mtasts.testing.stack.SenderView;
import dev.mtasts.testing.stack.StackPolicies;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deleting a policy: the garbage collector removes every object the operator owns, through their owner
 * references, and external-dns (policy sync) then removes the records it had written: the TXT record and the
 * policy host's address are gone from DNS. The certificate's Secret stays, as cert-manager leaves it (it owns a
 * Secret only with --enable-certificate-owner-ref).
 */
@ExtendWith(RealStackExtension.class)
class DeletionIT {

  static final String DOMAIN = "deleted.example.com";

  @Test
  void theGarbageCollectorRemovesTheObjectsAndExternalDnsTheRecords(RealStack stack) {
    StackPolicies policies = new StackPolicies(stack, "deleted");
    var client = stack.client();
    try (RunningOperator operator = policies.startOperator()) {
      MtaStsPolicy ready = policies.awaitReady(policies.apply("""
          apiVersion: mtasts.dev/v1alpha1
          kind: MtaStsPolicy
          metadata:
            name: deleted
          spec:
            domains: [deleted.example.com]
            mode: testing
            mx: [mx1.deleted.example.com]
            maxAge: 86400
          """), Duration.ofMinutes(3));
      policies.awaitSenderSees(DOMAIN, ready.getStatus().getPolicyId(), ready.getStatus().getPolicyHash(),
          Duration.ofMinutes(1));

      client.resource(ready).delete();

      Map<Class<? extends HasMetadata>, String> owned = Map.of(
          ConfigMap.class, ObjectNames.configMap(ready),
          Deployment.class, ObjectNames.policyServer(ready),
          Service.class, ObjectNames.policyServer(ready),
          Ingress.class, ObjectNames.ingress(ready),
          Certificate.class, ObjectNames.certificate(ready),
          DNSEndpoint.class, ObjectNames.dnsEndpoint(ready));
      TestDaemon.waitUntil(Duration.ofMinutes(1), () -> owned.entrySet().stream()
          .allMatch(e -> client.resources(e.getKey()).inNamespace("deleted").withName(e.getValue()).get() == null),
          () -> "the garbage collector left some of " + owned.values());
      TestDaemon.waitUntil(Duration.ofMinutes(1), () -> client.pods().inNamespace("deleted").list().getItems()
          .isEmpty(), () -> "policy server pods remain");

      SenderView view = stack.senderView(DOMAIN);
      TestDaemon.waitUntil(Duration.ofMinutes(1), () -> view.sample().stsRecords().isEmpty(),
          () -> "DNS still answers " + view.sample().stsRecords());
      SenderView.Sample after = view.sample();
      assertThat(after.stsRecords()).isEmpty();
      assertThat(after.fetchError()).as("the policy host has no address any more").contains("no A record");
      assertThat(client.secrets().inNamespace("deleted").withName(ObjectNames.tlsSecret(ready)).get())
          .as("cert-manager keeps the certificate's Secret").isNotNull();
    }
  }
}
