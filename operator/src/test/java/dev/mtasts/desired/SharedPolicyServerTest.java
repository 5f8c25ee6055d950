package dev.mtasts.desired;

import static dev.mtasts.testing.TestPolicies.enforce;
import static dev.mtasts.testing.TestPolicies.receiving;
import static dev.mtasts.testing.TestPolicies.with;
import static dev.mtasts.testing.TestPolicies.withUid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.PolicyMode;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.ConfigMapProjection;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedPolicyServerTest {

  static final OperatorSettings SETTINGS = OperatorSettings.defaults();

  static SharedPolicyServer.Member member(MtaStsPolicy policy, OperatorSettings settings) {
    return SharedPolicyServer.Member.of(policy, settings, TestPolicies.published(policy, "2026120200000000"));
  }

  static List<SharedPolicyServer.Member> twoMembers() {
    return List.of(member(withUid(enforce("b.example", "b.example.net"), "uid-b"), SETTINGS),
        member(withUid(enforce("a.example"), "uid-a"), SETTINGS));
  }

  static Deployment deployment(List<SharedPolicyServer.Member> members) {
    return (Deployment) SharedPolicyServer.desired("mail", members, SETTINGS).get(1);
  }

  @Test
  void projectsEachMembersOwnConfigMapAsOneFilePerPolicyHost() {
    PodSpec pod = deployment(twoMembers()).getSpec().getTemplate().getSpec();

    List<ConfigMapProjection> sources = pod.getVolumes().stream().filter(v -> v.getProjected() != null)
        .flatMap(v -> v.getProjected().getSources().stream()).map(s -> s.getConfigMap()).toList();
    assertThat(sources).extracting(ConfigMapProjection::getName)
        .as("sorted by policy, so the template does not depend on the order members are read in")
        .containsExactly("a-example-policy", "b-example-policy");
    assertThat(sources.get(1).getItems()).extracting(i -> i.getKey() + " -> " + i.getPath())
        .containsExactly("mta-sts.txt -> mta-sts.b.example", "mta-sts.txt -> mta-sts.b.example.net");
    assertThat(sources).as("the container starts only with every member's policy").allMatch(s -> !s.getOptional());
    assertThat(pod.getContainers().get(0).getVolumeMounts()).extracting(m -> m.getName() + " " + m.getMountPath()
        + (m.getSubPath() == null ? "" : " sub")).contains("policies /etc/mta-sts/policies", "conf /etc/mta-sts/conf");
  }

  @Test
  void aMembersNewContentChangesNothingOfTheServerItsHostsDoNot() {
    MtaStsPolicy before = withUid(enforce("a.example"), "uid-a");
    MtaStsPolicy after = with(withUid(enforce("a.example"), "uid-a"), s -> s.setMode(PolicyMode.TESTING));

    assertThat(SharedPolicyServer.desired("mail", List.of(member(after, SETTINGS)), SETTINGS))
        .as("content reaches the pods by the kubelet's refresh of the member's ConfigMap, no rollout")
        .isEqualTo(SharedPolicyServer.desired("mail", List.of(member(before, SETTINGS)), SETTINGS));
  }

  @Test
  void isOwnedByEveryMemberAndControlledByNone() {
    for (HasMetadata object : SharedPolicyServer.desired("mail", twoMembers(), SETTINGS)) {
      assertThat(object.getMetadata().getName()).isEqualTo("mta-sts-shared-server");
      assertThat(object.getMetadata().getOwnerReferences())
          .as("%s: removed by Kubernetes with its last member", object.getKind())
          .extracting(o -> o.getKind() + "/" + o.getName() + " " + o.getUid() + " " + o.getController())
          .containsExactly("MtaStsPolicy/a-example uid-a null", "MtaStsPolicy/b-example uid-b null");
    }
  }

  @Test
  void runsAtLeastTwoHardenedReplicasSpreadOverNodesWithADisruptionBudget() {
    Deployment deployment = (Deployment) SharedPolicyServer.desired("mail", twoMembers(),
        new OperatorSettings(SETTINGS.issuer(), "", java.util.Map.of(), 300, 1, SETTINGS.nginxImage(),
            java.util.Map.of())).get(1);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    var nginx = pod.getContainers().get(0);
    PodDisruptionBudget budget = (PodDisruptionBudget) SharedPolicyServer.desired("mail", twoMembers(), SETTINGS)
        .get(3);

    assertThat(deployment.getSpec().getReplicas()).as("even with --default-replicas 1").isEqualTo(2);
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    assertThat(pod.getTopologySpreadConstraints()).extracting(c -> c.getTopologyKey() + " "
        + c.getWhenUnsatisfiable()).containsExactly("kubernetes.io/hostname ScheduleAnyway",
            "topology.kubernetes.io/zone ScheduleAnyway");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(nginx.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(nginx.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(nginx.getCommand()).containsExactly("nginx", "-c", "/etc/mta-sts/conf/nginx.conf");
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(budget.getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels())
        .isEqualTo(((io.fabric8.kubernetes.api.model.Service) SharedPolicyServer.desired("mail", twoMembers(),
            SETTINGS).get(2)).getSpec().getSelector());
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void passesOnReportsOnlyForTheHostsOfPoliciesThatReceiveThem() {
    OperatorSettings withReceiver = SETTINGS.withReportReceiver(URI.create("http://10.0.0.9:8090"));
    List<SharedPolicyServer.Member> members = List.of(member(withUid(receiving("r.example"), "u1"), withReceiver),
        member(withUid(enforce("plain.example"), "u2"), withReceiver));

    String nginx = SharedPolicyServer.configMap("mail", members, withReceiver).getData().get("nginx.conf");
    Deployment before = deployment(members.subList(1, 2));

    assertThat(nginx).contains("map $host $tlsrpt_host {\n    default \"\";\n    mta-sts.r.example 1;\n  }")
        .doesNotContain("mta-sts.plain.example 1;")
        .contains("if ($tlsrpt_host = \"\") {\n        return 404;\n      }");
    assertThat(SharedPolicyServer.deployment("mail", members, withReceiver,
        SharedPolicyServer.configMap("mail", members, withReceiver)).getSpec().getTemplate().getMetadata()
        .getAnnotations()).as("nginx reads its configuration once: a new one rolls the pods")
        .isNotEqualTo(before.getSpec().getTemplate().getMetadata().getAnnotations());
  }

  @Test
  void servesByHostAndAnswersAnUnknownHost404() {
    String nginx = SharedPolicyServer.configMap("mail", twoMembers(), SETTINGS).getData().get("nginx.conf");

    assertThat(nginx).contains("root /etc/mta-sts/policies;\n      try_files /$host =404;")
        .doesNotContain("alias").doesNotContain("tlsrpt");
  }
}
