package dev.mtasts.chart;

import static dev.mtasts.testing.TestPolicies.enforce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.operator.MtaStsOperator;
import dev.mtasts.operator.PolicyEvents;
import dev.mtasts.operator.status.PolicyEvent;
import dev.mtasts.operator.status.ConditionList;
import dev.mtasts.testing.ClusterStandIns;
import dev.mtasts.testing.Helm;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.RealKubernetes;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.ServerSideApply;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's RBAC is sufficient and minimal. The chart is rendered for one watched namespace (or for all, with its
 * ClusterRole), its ServiceAccount, Roles and bindings are applied for real, and the operator runs as that
 * ServiceAccount (impersonation) through its main scenario: a policy gets every owned object, its TXT records and
 * Ready=True, a PolicyIdChanged Event, and the operator holds and renews the leader election Lease. Then each rule,
 * and each verb, is dropped in turn, and the scenario stops at a named step.
 */
@ExtendWith(RealKubernetes.class)
class ChartRbacIT {

  static final Duration SCENARIO = Duration.ofSeconds(30);
  /** Long enough for the full scenario, which takes a few seconds here, to have completed if it could. */
  static final Duration BROKEN_WITHIN = Duration.ofSeconds(12);
  static final AtomicInteger RUNS = new AtomicInteger();

  /**
   * Where one run installs the operator (release namespace), where its policy lives (watched namespace) and the
   * policy's domain, unique per run so that a cluster-wide operator sees no conflict with other runs' policies.
   */
  record Install(String releaseNamespace, String watchedNamespace, boolean clusterWide, String serviceAccount) {
    String domain() {
      return watchedNamespace + ".example";
    }

    String policyName() {
      return domain().replace('.', '-');
    }
  }

  @Test
  void theChartsServiceAccountRunsTheMainScenario(KubernetesCluster cluster) {
    Install install = install(cluster, Drop.NOTHING, false);

    assertThat(mainScenario(cluster, install, SCENARIO)).as("the step the scenario stopped at").isEmpty();
  }

  @Test
  void theChartsClusterRoleRunsTheMainScenarioInAnyNamespace(KubernetesCluster cluster) {
    Install install = install(cluster, Drop.NOTHING, true);

    assertThat(mainScenario(cluster, install, SCENARIO)).as("the step the scenario stopped at").isEmpty();
  }

  @Test
  void rbacIsEnforcedByThisApiServer(KubernetesCluster cluster) {
    Install install = install(cluster, Drop.NOTHING, false);
    try (KubernetesClient asOperator = impersonating(cluster, install)) {
      // Otherwise "sufficient" would prove nothing: the operator has no business with Secrets.
      assertThat(catchForbidden(() -> asOperator.secrets().inNamespace(install.watchedNamespace()).list()))
          .isTrue();
    }
  }

  /**
   * What one run takes away from the rendered Roles: one rule (by position), or one verb from every rule of either
   * the Role on the policy's objects or the leader election Role, so that each drop shows on its own.
   */
  record Drop(String description, int rule, String verb, boolean onLeaderElection) {
    static final Drop NOTHING = new Drop("nothing", -1, null, false);

    List<PolicyRule> apply(int firstIndex, Role role) {
      List<PolicyRule> rules = role.getRules();
      boolean leaderElection = role.getMetadata().getName().endsWith("-leader-election");
      List<PolicyRule> kept = new ArrayList<>();
      for (int i = 0; i < rules.size(); i++) {
        PolicyRule rule = rules.get(i);
        if (firstIndex + i == this.rule) {
          continue;
        }
        if (verb != null && leaderElection == onLeaderElection) {
          List<String> verbs = rule.getVerbs().stream().filter(v -> !v.equals(verb)).toList();
          if (verbs.isEmpty()) {
            continue;
          }
          rule = new io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder(rule).withVerbs(verbs).build();
        }
        kept.add(rule);
      }
      return kept;
    }

    @Override
    public String toString() {
      return description;
    }
  }

  static Stream<Drop> everyRuleAndVerb() {
    List<Role> roles = rolesOf(Helm.template("rbac-probe", "--set", "watchNamespaces={rbac-probe-watched}").out());
    List<Drop> drops = new ArrayList<>();
    java.util.Set<String> verbs = new java.util.TreeSet<>();
    java.util.Set<String> leaseVerbs = new java.util.TreeSet<>();
    int index = 0;
    for (Role role : roles) {
      for (PolicyRule rule : role.getRules()) {
        boolean named = rule.getResourceNames() != null && !rule.getResourceNames().isEmpty();
        drops.add(new Drop("without " + rule.getVerbs() + " on " + rule.getResources()
            + (named ? " named " + rule.getResourceNames() : ""), index++, null, false));
        (role.getMetadata().getName().endsWith("-leader-election") ? leaseVerbs : verbs).addAll(rule.getVerbs());
      }
    }
    // Without watch the informers start (list works) and stop at their first watch; JOSDK then exits the process
    // (its default InformerStoppedHandler), which in a pod is a crash loop and here would end the test JVM.
    verbs.remove("watch");
    verbs.forEach(verb -> drops.add(new Drop("without " + verb + " on the policy's objects", -1, verb, false)));
    leaseVerbs.forEach(verb -> drops.add(new Drop("without " + verb + " on the Lease", -1, verb, true)));
    return drops.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyRuleAndVerb")
  void droppingAnyRuleOrVerbBreaksTheMainScenario(Drop drop, KubernetesCluster cluster) {
    Install install = install(cluster, drop, false);

    Optional<String> stopped = mainScenario(cluster, install, BROKEN_WITHIN);

    assertThat(stopped).as("%s, the scenario still completed", drop).isPresent();
    System.out.printf("ChartRbacIT: %s -> %s%n", drop, stopped.get());
  }

  /**
   * Renders the chart for fresh namespaces, watching every namespace or only the fresh one, and applies its
   * ServiceAccount and RBAC for real, minus what {@code drop} says of the Roles.
   */
  private static Install install(KubernetesCluster cluster, Drop drop, boolean clusterWide) {
    int run = RUNS.incrementAndGet();
    String release = "rbac-op-" + run;
    String watched = "rbac-" + run;
    KubernetesClient admin = cluster.client();
    for (String namespace : List.of(release, watched)) {
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .serverSideApply();
    }
    Helm.Result rendered = clusterWide ? Helm.template(release)
        : Helm.template(release, "--set", "watchNamespaces={" + watched + "}");
    assertThat(rendered.exitCode()).as(rendered.err()).isZero();
    List<Role> roles = rolesOf(rendered.out());
    int index = 0;
    for (Role role : roles) {
      int first = index;
      index += role.getRules().size();
      role.setRules(drop.apply(first, role));
    }
    String serviceAccount = null;
    for (String document : Helm.documents(rendered.out())) {
      HasMetadata object = admin.getKubernetesSerialization().unmarshal(document);
      switch (object.getKind()) {
        case "ServiceAccount" -> serviceAccount = object.getMetadata().getName();
        case "RoleBinding", "ClusterRole", "ClusterRoleBinding" -> { }
        default -> {
          continue;
        }
      }
      assertThat(ServerSideApply.apply(admin, document, release)).as(document).isEmpty();
    }
    roles.forEach(role -> admin.resource(role).forceConflicts().serverSideApply());
    return new Install(release, watched, clusterWide, serviceAccount);
  }

  private static List<Role> rolesOf(String manifests) {
    var serialization = new KubernetesClientBuilder().build().getKubernetesSerialization();
    return Helm.documents(manifests).stream()
        .map(document -> (HasMetadata) serialization.unmarshal(document))
        .filter(Role.class::isInstance)
        .map(Role.class::cast)
        .toList();
  }

  /** A client that is the chart's ServiceAccount, with the groups a token of it would carry. */
  private static KubernetesClient impersonating(KubernetesCluster cluster, Install install) {
    Config config = Config.fromKubeconfig(cluster.kubeconfigYaml());
    config.setImpersonateUsername("system:serviceaccount:" + install.releaseNamespace() + ":" + install.serviceAccount());
    config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + install.releaseNamespace(),
        "system:authenticated");
    config.setRequestRetryBackoffLimit(0);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * Runs the operator as the chart's ServiceAccount and plays kubelet, cert-manager and external-dns as the
   * reconciler tests do. Empty when every step completed within {@code within}; otherwise the step it stopped at.
   */
  private static Optional<String> mainScenario(KubernetesCluster cluster, Install install, Duration within) {
    KubernetesClient admin = cluster.client();
    String namespace = install.watchedNamespace();
    ClusterStandIns standIns = new ClusterStandIns(admin, namespace);
    Instant deadline = Instant.now().plus(within);
    String identity = "rbac-test-" + install.releaseNamespace();
    try (KubernetesClient asOperator = impersonating(cluster, install)) {
      MtaStsOperator operator = new MtaStsOperator(asOperator, new MtaStsOperator.Options(
          OperatorSettings.defaults(), install.clusterWide() ? Set.of() : Set.of(namespace),
          Optional.of(new MtaStsOperator.LeaderElection("mta-sts-operator", install.releaseNamespace(), identity, false)),
          -1, -1, Optional.empty()), RunningOperator.unreachableService(), java.time.Clock.systemUTC());
      try {
        operator.start();
      } catch (Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
          cause = cause.getCause();
        }
        return Optional.of("the operator did not start: " + cause.getMessage());
      }
      try {
        MtaStsPolicy policy = enforce(install.domain());
        String name = install.policyName();
        policy.getMetadata().setNamespace(namespace);
        admin.resource(policy).forceConflicts().serverSideApply();
        return step("the Lease is held", deadline, () -> {
          Lease lease = lease(admin, install);
          return lease != null && identity.equals(lease.getSpec().getHolderIdentity());
        }).or(() -> step("the policy server Deployment is applied", deadline,
            () -> get(admin, Deployment.class, namespace, name + "-policy-server") != null))
            .or(() -> {
              standIns.finishRollout(name + "-policy-server");
              return step("the Certificate is applied", deadline,
                  () -> get(admin, Certificate.class, namespace, name + "-policy-tls") != null);
            })
            .or(() -> {
              standIns.issueCertificate(name + "-policy-tls");
              return step("the DNSEndpoint is applied", deadline,
                  () -> get(admin, DNSEndpoint.class, namespace, name + "-txt") != null);
            })
            .or(() -> {
              standIns.readDnsEndpoint(name + "-txt");
              return step("Ready=True in status, with the ConfigMap, Service and Ingress", deadline, () -> {
                MtaStsPolicy current = get(admin, MtaStsPolicy.class, namespace, name);
                return current.getStatus() != null
                    && ConditionList.find(current.getStatus().getConditions(), "Ready")
                        .filter(c -> "True".equals(c.getStatus())).isPresent()
                    && get(admin, ConfigMap.class, namespace, name + "-policy") != null
                    && get(admin, Service.class, namespace, name + "-policy-server") != null
                    && get(admin, Ingress.class, namespace, name + "-policy") != null;
              });
            })
            .or(() -> step("a PolicyIdChanged Event is recorded", deadline, () ->
                admin.v1().events().inNamespace(namespace).list().getItems().stream()
                    .anyMatch(e -> "PolicyIdChanged".equals(e.getReason()))))
            // The same event again, as the operator records a repeat: it reads the Event and patches its count.
            .or(() -> {
              Event first = admin.v1().events().inNamespace(namespace).list().getItems().stream()
                  .filter(e -> "PolicyIdChanged".equals(e.getReason())).findFirst().orElseThrow();
              new PolicyEvents(asOperator, java.time.Clock.systemUTC()).emit(
                  get(admin, MtaStsPolicy.class, namespace, name),
                  new PolicyEvent(PolicyEvent.Reason.PolicyIdChanged, first.getMessage()));
              return step("a repeated Event is counted", deadline, () -> Integer.valueOf(2).equals(
                  admin.v1().events().inNamespace(namespace).withName(first.getMetadata().getName()).get()
                      .getCount()));
            })
            // A leader that cannot renew loses the Lease and exits in production, so renewal is part of the scenario.
            .or(() -> {
              var acquired = lease(admin, install).getSpec().getRenewTime();
              return step("the Lease is renewed", deadline, () -> {
                Lease lease = lease(admin, install);
                return identity.equals(lease.getSpec().getHolderIdentity())
                    && lease.getSpec().getRenewTime().isAfter(acquired);
              });
            });
      } finally {
        operator.close();
      }
    }
  }

  private static Lease lease(KubernetesClient admin, Install install) {
    return admin.leases().inNamespace(install.releaseNamespace()).withName("mta-sts-operator").get();
  }

  private static Optional<String> step(String name, Instant deadline, Callable<Boolean> done) {
    Duration left = Duration.between(Instant.now(), deadline);
    try {
      await().atMost(left.isNegative() ? Duration.ofMillis(1) : left).pollInterval(Duration.ofMillis(200))
          .ignoreExceptions().until(done);
      return Optional.empty();
    } catch (ConditionTimeoutException e) {
      return Optional.of("stopped before: " + name);
    }
  }

  private static <T extends HasMetadata> T get(KubernetesClient client, Class<T> type, String namespace, String name) {
    return client.resources(type).inNamespace(namespace).withName(name).get();
  }

  private static boolean catchForbidden(Runnable call) {
    try {
      call.run();
      return false;
    } catch (KubernetesClientException e) {
      return e.getCode() == 403;
    }
  }
}
