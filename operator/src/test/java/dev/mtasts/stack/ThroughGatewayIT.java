package dev.mtasts.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.TestDaemon;
import dev.mtasts.testing.stack.RealStack;
import dev.mtasts.testing.stack.RealStackExtension;
import dev.mtasts.testing.stack.SenderView;
import dev.mtasts.testing.stack.StackPolicies;
import dev.mtasts.testing.stack.TraefikGateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy exposed through a Gateway, on the real stack: Traefik serves the platform team's Gateway, whose own
 * HTTPS listener holds a wildcard certificate cert-manager issued, so the policy makes only its HTTPRoute
 * ({@code listeners: Gateway}); external-dns publishes the host from the route (gateway-httproute source) and the
 * TXT record from the DNSEndpoint. Our {@code check} and postfix-mta-sts-resolver's {@code mta-sts-query} fetch
 * the policy through Traefik. Then the policy moves to an Ingress and back, and keeps its id. (Traefik implements no
 * ListenerSet, so the operator's own listeners are tested in GatewayExposureIT, with documented states.)
 */
@ExtendWith(RealStackExtension.class)
class ThroughGatewayIT {

  static final String NAMESPACE = "through-gateway";
  static final String DOMAIN = "gw.example.net";

  @Test
  void sendersFetchThePolicyThroughTraefikAndASwitchToAnIngressKeepsTheId(RealStack stack, @TempDir Path dir)
      throws Exception {
    StackPolicies policies = new StackPolicies(stack, NAMESPACE);
    policies.issueCertificate("wildcard", List.of("\"*." + DOMAIN + "\""), dir);
    stack.client().load(new ByteArrayInputStream("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: shared
          namespace: %s
        spec:
          gatewayClassName: %s
          listeners:
            - name: https
              port: 443
              protocol: HTTPS
              hostname: "*.%s"
              tls:
                certificateRefs: [{name: wildcard-tls}]
              allowedRoutes:
                namespaces: {from: Same}
        """.formatted(NAMESPACE, RealStack.GATEWAY_CLASS, DOMAIN).getBytes(StandardCharsets.UTF_8)))
        .serverSideApply();
    policies.publishMx(DOMAIN, "127.0.1.62");
    String throughGateway = """
        apiVersion: mtasts.dev/v1alpha1
        kind: MtaStsPolicy
        metadata:
          name: gw
          namespace: %s
        spec:
          domains: [%s]
          mode: testing
          mx: [mx1.%s, mx2.%s]
          maxAge: 86400
          gateway:
            parentRef: {name: shared, sectionName: https}
            listeners: Gateway
        """.formatted(NAMESPACE, DOMAIN, DOMAIN, DOMAIN);
    try (RunningOperator operator = policies.startOperator()) {
      MtaStsPolicy ready = policies.awaitReady(policies.apply(throughGateway), Duration.ofMinutes(3));
      String id = ready.getStatus().getPolicyId();
      String hash = ready.getStatus().getPolicyHash();
      assertThat(StackPolicies.condition(ready, "GatewayAccepted").orElseThrow().getReason())
          .isEqualTo("RoutesAccepted");
      HTTPRoute route = stack.client().resources(HTTPRoute.class).inNamespace(NAMESPACE).withName("gw-" + DOMAIN)
          .get();
      assertThat(route.getStatus().getParents()).singleElement()
          .satisfies(p -> assertThat(p.getControllerName()).isEqualTo(TraefikGateway.CONTROLLER_NAME));
      assertThat(stack.client().resources(Ingress.class).inNamespace(NAMESPACE).list().getItems()).isEmpty();
      assertThat(stack.dnsStore("mta-sts." + DOMAIN)).as("the host's address, from the route")
          .contains(RealStack.GATEWAY_ADDRESS.getHostAddress());
      policies.awaitSenderSees(DOMAIN, id, hash, Duration.ofMinutes(1));

      policies.assertBothClientsSayValid(DOMAIN, id, dir);

      // To an Ingress and back: the same policy, so the same id, and the records stay all along the way.
      try (SenderView.Recording samples = stack.senderView(DOMAIN).every(Duration.ofMillis(250))) {
        policies.apply(throughGateway.replace("""
              gateway:
                parentRef: {name: shared, sectionName: https}
                listeners: Gateway
            """, ""));
        TestDaemon.waitUntil(Duration.ofMinutes(2), () -> stack.client().resources(HTTPRoute.class)
            .inNamespace(NAMESPACE).list().getItems().isEmpty() && String.valueOf(stack.dnsStore("mta-sts." + DOMAIN))
            .contains(RealStack.INGRESS_ADDRESS.getHostAddress()), () -> "the route is not gone, or the host not on"
            + " the Ingress: " + stack.dnsStore("mta-sts." + DOMAIN));
        policies.awaitSenderSees(DOMAIN, id, hash, Duration.ofMinutes(1));
        policies.apply(throughGateway);
        MtaStsPolicy back = policies.awaitReason("gw", "GatewayAccepted", "RoutesAccepted", Duration.ofMinutes(2));
        assertThat(back.getStatus().getPolicyId()).isEqualTo(id);
        TestDaemon.waitUntil(Duration.ofMinutes(2), () -> stack.client().resources(Ingress.class)
            .inNamespace(NAMESPACE).list().getItems().isEmpty(),
            () -> "the Ingress is not gone though the Gateway accepted the route");
        policies.awaitSenderSees(DOMAIN, id, hash, Duration.ofMinutes(1));
        samples.close();
        List<SenderView.Sample> seen = samples.samples();
        System.out.printf("ThroughGatewayIT: %d samples during the two switches, %d without the policy%n",
            seen.size(), seen.stream().filter(s -> s.policyHash().isEmpty()).count());
        // The host's address follows through external-dns: for a moment senders still reach the old exposure.
        seen.stream().filter(s -> s.policyHash().isEmpty()).forEach(s ->
            System.out.printf("ThroughGatewayIT: %s no policy: %s%n", s.at(), s.fetchError()));
        assertThat(seen).as("a sender's samples during the switches").isNotEmpty()
            .allSatisfy(s -> assertThat(s.id()).as("the id in DNS at %s", s.at()).contains(id));
      }
    }
  }
}
