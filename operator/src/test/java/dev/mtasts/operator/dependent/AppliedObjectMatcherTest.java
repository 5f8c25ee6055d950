package dev.mtasts.operator.dependent;

import static dev.mtasts.testing.TestPolicies.enforce;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtasts.desired.PolicyIngress;
import dev.mtasts.desired.PolicyServerDeployment;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AppliedObjectMatcherTest {

  static final KubernetesSerialization JSON = new KubernetesSerialization();
  static final AppliedObjectMatcher<Deployment> MATCHER = new AppliedObjectMatcher<>();

  static Deployment desired() {
    var policy = enforce("example.com");
    return AppliedObjectMatcher.stamped(PolicyServerDeployment.desired(policy, OperatorSettings.defaults(),
        TestPolicies.published(policy, "2026120110000000")));
  }

  /** The object as the API server returns it: our fields, plus defaults and status it adds. */
  static Deployment applied() {
    Deployment applied = desired();
    applied.getMetadata().setUid("uid-1");
    applied.getMetadata().setResourceVersion("42");
    applied.getSpec().setRevisionHistoryLimit(10);
    applied.getSpec().getTemplate().getSpec().getContainers().get(0)
        .setTerminationMessagePath("/dev/termination-log");
    applied.getSpec().getTemplate().getSpec().setDnsPolicy("ClusterFirst");
    return applied;
  }

  @Test
  void defaultsTheApiServerAddsNeedNoNewApply() {
    assertThat(MATCHER.matches(applied(), desired(), null)).isTrue();
  }

  @Test
  void aHandEditOfAFieldWeSetIsAppliedAway() {
    Deployment edited = applied();
    edited.getSpec().setReplicas(7);

    assertThat(MATCHER.matches(edited, desired(), null)).isFalse();
  }

  @Test
  void aFieldWeNoLongerSetIsAppliedAwayThroughTheHash() {
    var policy = enforce("example.com");
    var ingress = TestPolicies.published(policy, "2026120110000000");
    var settings = new OperatorSettings(OperatorSettings.defaults().issuer(), "nginx",
        Map.of("nginx.ingress.kubernetes.io/permanent-redirect", "https://elsewhere.example"), 300, 2,
        OperatorSettings.DEFAULT_NGINX_IMAGE, Map.of());
    Ingress before = AppliedObjectMatcher.stamped(PolicyIngress.desired(policy, settings, ingress));
    Ingress after = AppliedObjectMatcher.stamped(PolicyIngress.desired(policy, OperatorSettings.defaults(), ingress));

    assertThat(new AppliedObjectMatcher<Ingress>().matches(before, after, null))
        .as("the old annotation is still on the object and ours hold, but what we apply changed").isFalse();
  }

  @Test
  void theHashDoesNotDependOnMapOrder() {
    Deployment one = desired();
    Deployment two = desired();
    // The same labels inserted in reverse order, as Map.of may iterate them in another JVM.
    java.util.List<String> keys = new java.util.ArrayList<>(one.getMetadata().getLabels().keySet());
    java.util.Collections.reverse(keys);
    Map<String, String> reversed = new java.util.LinkedHashMap<>();
    keys.forEach(k -> reversed.put(k, one.getMetadata().getLabels().get(k)));
    two.getMetadata().setLabels(reversed);

    assertThat(AppliedObjectMatcher.stamped(two).getMetadata().getAnnotations())
        .isEqualTo(one.getMetadata().getAnnotations());
  }

  static Stream<Arguments> fields() {
    return Stream.of(
        Arguments.of("an added field", "{\"a\":1,\"b\":2}", "{\"a\":1}", true),
        Arguments.of("a changed value", "{\"a\":2}", "{\"a\":1}", false),
        Arguments.of("a missing field", "{}", "{\"a\":1}", false),
        Arguments.of("a number written as a string is another value", "{\"port\":\"80\"}", "{\"port\":80}", false),
        Arguments.of("1 and 1.0 are one number", "{\"a\":1.0}", "{\"a\":1}", true),
        Arguments.of("list entries are compared in order", "{\"l\":[{\"x\":2},{\"x\":1}]}",
            "{\"l\":[{\"x\":1},{\"x\":2}]}", false),
        Arguments.of("defaults inside list entries are fine", "{\"l\":[{\"x\":1,\"d\":0}]}", "{\"l\":[{\"x\":1}]}",
            true),
        Arguments.of("an extra list entry is not ours to keep", "{\"l\":[1,2]}", "{\"l\":[1]}", false),
        Arguments.of("an empty map the server drops", "{}", "{\"annotations\":{}}", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fields")
  void anObjectHoldsWhatWeSet(String description, String actual, String desired, boolean holds) {
    assertThat(AppliedObjectMatcher.holds(JSON.unmarshal(actual, JsonNode.class), JSON.unmarshal(desired,
        JsonNode.class))).isEqualTo(holds);
  }
}
