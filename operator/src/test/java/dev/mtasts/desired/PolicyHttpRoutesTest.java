package dev.mtasts.desired;

import static dev.mtasts.testing.TestPolicies.enforce;
import static dev.mtasts.testing.TestPolicies.gateway;
import static dev.mtasts.testing.TestPolicies.throughGateway;
import static dev.mtasts.testing.TestPolicies.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.gatewayapi.ListenerSet;
import dev.mtasts.api.v1alpha1.IngressSettings;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyHttpRoutesTest {

  private static List<HTTPRoute> routes(MtaStsPolicy policy, OperatorSettings settings) {
    return PolicyHttpRoutes.desired(policy, settings, PolicyBuildersTest.published(policy));
  }

  @Test
  void oneRoutePerPolicyHostForTheExactPolicyPathToTheService() {
    List<HTTPRoute> routes = routes(throughGateway("example.com", "example.org"), OperatorSettings.defaults());

    assertThat(routes).extracting(r -> r.getMetadata().getName())
        .containsExactly("example-com-example.com", "example-com-example.org");
    assertThat(routes).extracting(r -> r.getSpec().getHostnames())
        .containsExactly(List.of("mta-sts.example.com"), List.of("mta-sts.example.org"));
    assertThat(routes).allSatisfy(route -> assertThat(route.getSpec().getRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getMatches()).singleElement().satisfies(m -> {
        assertThat(m.getPath().getType()).isEqualTo("Exact");
        assertThat(m.getPath().getValue()).isEqualTo("/.well-known/mta-sts.txt");
      });
      assertThat(rule.getFilters()).as("no redirect: RFC 8461 §3.3").isNullOrEmpty();
      assertThat(rule.getBackendRefs()).singleElement().satisfies(b -> {
        assertThat(b.getName()).isEqualTo("example-com-policy-server");
        assertThat(b.getPort()).isEqualTo(80);
      });
    }));
  }

  @Test
  void withOurListenerSetEachRouteAttachesToItsHostsListener() {
    List<HTTPRoute> routes = routes(throughGateway("example.com", "example.org"), OperatorSettings.defaults());

    assertThat(routes).extracting(r -> r.getSpec().getParentRefs()).allSatisfy(parents ->
        assertThat(parents).singleElement().satisfies(p -> {
          assertThat(p.getGroup()).isEqualTo("gateway.networking.k8s.io");
          assertThat(p.getKind()).isEqualTo("ListenerSet");
          assertThat(p.getName()).isEqualTo("example-com-policy");
          assertThat(p.getNamespace()).as("the ListenerSet is ours, in the policy's namespace").isNull();
        }));
    assertThat(routes).extracting(r -> r.getSpec().getParentRefs().get(0).getSectionName())
        .containsExactly("mta-sts.example.com", "mta-sts.example.org");
  }

  @Test
  void withTheGatewaysListenersTheRoutesAttachToTheGatewayAndItsSection() {
    MtaStsPolicy policy = with(enforce("example.com"), s -> s.setGateway(gateway("infra", "shared", "https", false)));

    assertThat(routes(policy, OperatorSettings.defaults())).singleElement()
        .satisfies(r -> assertThat(r.getSpec().getParentRefs()).singleElement().satisfies(p -> {
          assertThat(p.getKind()).isEqualTo("Gateway");
          assertThat(p.getName()).isEqualTo("shared");
          assertThat(p.getNamespace()).isEqualTo("infra");
          assertThat(p.getSectionName()).isEqualTo("https");
        }));
    assertThat(PolicyListenerSet.desired(policy, OperatorSettings.defaults(), PolicyBuildersTest.published(policy)))
        .as("the Gateway's own listener serves: no ListenerSet").isEmpty();
  }

  @Test
  void aReceivingPolicyAlsoRoutesTheReportPath() {
    MtaStsPolicy policy = with(TestPolicies.receiving("example.com"),
        s -> s.setGateway(gateway("infra", "shared", null, true)));
    OperatorSettings settings = OperatorSettings.defaults()
        .withReportReceiver(URI.create("http://10.0.0.9:8090"));

    assertThat(routes(policy, settings)).singleElement().satisfies(r -> assertThat(r.getSpec().getRules())
        .extracting(rule -> rule.getMatches().get(0).getPath().getValue())
        .containsExactly("/.well-known/mta-sts.txt", "/tlsrpt"));
  }

  @Test
  void theListenerSetHasOneHttpsListenerPerHostWithThePolicysCertificate() {
    MtaStsPolicy policy = throughGateway("example.com", "example.org");

    ListenerSet set = PolicyListenerSet.desired(policy, OperatorSettings.defaults(),
        PolicyBuildersTest.published(policy)).orElseThrow();

    assertThat(set.getSpec().getParentRef().getName()).isEqualTo("shared");
    assertThat(set.getSpec().getParentRef().getNamespace()).isEqualTo("infra");
    assertThat(set.getSpec().getParentRef().getKind()).isEqualTo("Gateway");
    assertThat(set.getSpec().getListeners()).extracting(l -> l.getName(), l -> l.getHostname(), l -> l.getPort(),
            l -> l.getProtocol())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("mta-sts.example.com", "mta-sts.example.com", 443, "HTTPS"),
            org.assertj.core.groups.Tuple.tuple("mta-sts.example.org", "mta-sts.example.org", 443, "HTTPS"));
    assertThat(set.getSpec().getListeners()).allSatisfy(l -> {
      assertThat(l.getTls().getMode()).isEqualTo("Terminate");
      assertThat(l.getTls().getCertificateRefs()).singleElement()
          .satisfies(c -> assertThat(c.getName()).isEqualTo("example-com-policy-tls"));
      assertThat(l.getAllowedRoutes().getNamespaces().getFrom()).isEqualTo("Same");
    });
  }

  @Test
  void exactlyOneExposureIsRendered() {
    OperatorSettings throughShared = OperatorSettings.defaults()
        .withDefaultGateway(gateway("infra", "shared", null, true));
    MtaStsPolicy ingressByDefault = enforce("example.com");
    MtaStsPolicy ingressChosen = with(enforce("example.com"), s -> s.setIngress(new IngressSettings()));

    assertThat(kinds(ingressByDefault, OperatorSettings.defaults())).contains("Ingress")
        .doesNotContain("HTTPRoute", "ListenerSet");
    assertThat(kinds(ingressByDefault, throughShared)).contains("HTTPRoute", "ListenerSet")
        .doesNotContain("Ingress");
    assertThat(kinds(ingressChosen, throughShared)).as("spec.ingress overrides --default-gateway")
        .contains("Ingress").doesNotContain("HTTPRoute", "ListenerSet");
  }

  private static List<String> kinds(MtaStsPolicy policy, OperatorSettings settings) {
    return DesiredObjects.of(policy, settings, PolicyBuildersTest.published(policy)).stream()
        .map(HasMetadata::getKind).toList();
  }
}
