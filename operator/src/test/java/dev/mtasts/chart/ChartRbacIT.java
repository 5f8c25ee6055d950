package dev.mtasts.chart;

import static dev.mtasts.testing.TestPolicies.enforce;
import static dev.mtasts.testing.TestPolicies.receiving;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mtasts.api.gatewayapi.ListenerSet;
import dev.mtasts.testing.GatewayStatuses;
import dev.mtasts.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatusBuilder;
import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.v1alpha1.DomainStatus;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.ServerMode;
import dev.mtasts.api.v1alpha1.TlsRptReport;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.desired.SharedPolicyServer;
import dev.mtasts.dnsupdate.TxtRecordWriter;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.operator.MtaStsOperator;
import dev.mtasts.operator.PolicyEvents;
import dev.mtasts.operator.status.PolicyEvent;
import dev.mtasts.operator.status.ConditionList;
import dev.mtasts.operator.reports.ClusterReportStore;
import dev.mtasts.operator.reports.ReportMetrics;
import dev.mtasts.reports.ReportIntake;
import dev.mtasts.tlsrpt.PolicyResult;
import dev.mtasts.tlsrpt.PolicyType;
import dev.mtasts.tlsrpt.TlsReport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.mtasts.testing.ClusterStandIns;
import dev.mtasts.testing.Helm;
import dev.mtasts.testing.KnotPrimary;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.LocalNginx;
import dev.mtasts.testing.RawHttp;
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
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's RBAC is sufficient and minimal, for each DNS publisher. The chart is rendered for one watched
 * namespace (or for all, with its ClusterRole), its ServiceAccount, Roles and bindings are applied for real, and the
 * operator runs as that ServiceAccount (impersonation) through its main scenario: a policy gets every owned object,
 * its TXT records and Ready=True, a PolicyIdChanged Event, and the operator holds and renews the leader election
 * Lease. With external-dns the records are a DNSEndpoint; with rfc2136 they are written to a real Knot primary, the
 * policy carries the operator's finalizer, and deleting it removes the records from Knot and then the policy. With
 * TLS reports (the chart's default) the operator also stores a report as a TlsRptReport owned by the policy, reads
 * it into the policy's status through its informer, and deletes one whose period ended before the retention. The
 * policy then switches to the namespace's shared policy server (spec.server.mode: Shared) and back: the shared
 * server's objects are applied, its hosts routed there once every ready endpoint serves it, the dedicated Deployment
 * and Service deleted, and on the way back the shared server deleted, the id the same throughout. Then
 * each rule, and each verb, is dropped in turn, and the scenario stops at a named step. The API server runs the
 * OwnerReferencesPermissionEnforcement admission plugin, as OpenShift does, so owner references are checked too.
 *
 * <p>No kubelet, cert-manager or external-dns runs here: {@link ClusterStandIns} writes the status they would, and
 * runs the shared server's one pod as a local nginx with an EndpointSlice naming it. The
 * reports are handed to the operator's report store as its HTTPS receiver and mailbox poller hand them over (the
 * receiver's HTTP side has nothing to do with RBAC and is tested in ReportsThroughPolicyServerIT).
 */
@ExtendWith(RealKubernetes.class)
class ChartRbacIT {

  static final Duration SCENARIO = Duration.ofSeconds(30);
  /**
   * Long enough for the full scenario, which takes 5 to 6 seconds here with the switch to the shared server and
   * back (each main scenario run prints its time), to have completed if it could.
   */
  static final Duration BROKEN_WITHIN = Duration.ofSeconds(16);
  static final Duration SWITCH_GRACE = Duration.ofMillis(500);
  private static final Duration POLL = Duration.ofMillis(200);
  static final AtomicInteger RUNS = new AtomicInteger();
  /** The operator's --report-retention here (the chart's default). */
  static final Duration RETENTION = Duration.ofDays(31);

  @TempDir
  static Path work;

  /** How the records reach DNS (the chart's dnsPublisher.type): each publisher has rules of its own. */
  enum Publisher {
    EXTERNAL_DNS,
    RFC2136;

    /**
     * The chart's values for this publisher. The primary, the key name and its Secret reach only the Deployment,
     * which is not applied here; the operator in the test is given the run's Knot instead.
     */
    List<String> chartValues() {
      return this == EXTERNAL_DNS ? List.of() : List.of("--set", "dnsPublisher.type=rfc2136",
          "--set", "dnsPublisher.rfc2136.primary=127.0.6.1", "--set", "dnsPublisher.rfc2136.tsigKeyName=mtasts-test",
          "--set", "dnsPublisher.rfc2136.tsigSecret.name=mtasts-tsig");
    }

    @Override
    public String toString() {
      return this == EXTERNAL_DNS ? "external-dns" : "rfc2136";
    }
  }

  /**
   * One run: where it installs the operator (release namespace), where its policy lives (watched namespace), the
   * policy's domain and, with rfc2136, the address of the domain's primary; all unique per run, so that a
   * cluster-wide operator sees no conflict with other runs' policies.
   */
  record Install(int run, Publisher publisher, boolean clusterWide, boolean reports, String serviceAccount,
      boolean gateway) {
    String releaseNamespace() {
      return "rbac-op-" + run;
    }

    String watchedNamespace() {
      return "rbac-" + run;
    }

    String domain() {
      return watchedNamespace() + ".example";
    }

    String policyName() {
      return domain().replace('.', '-');
    }

    /** Where the policy servers would pass the reports on: the chart's receiver Service. */
    URI reportReceiver() {
      return URI.create("http://mta-sts-operator-reports." + releaseNamespace() + ".svc.cluster.local:8090");
    }

    /** The operator's identity in the Lease. */
    String identity() {
      return "rbac-test-" + releaseNamespace();
    }

    /**
     * 10.42.250.run, port 8080: the shared policy server's one pod, a fresh address per run (in the range
     * test-infra/setup.sh routes to this host, and apart from the addresses other tests use there).
     */
    InetSocketAddress sharedServerPod() {
      try {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 42, (byte) 250, (byte) run}),
            dev.mtasts.desired.PolicyServerDeployment.HTTP_PORT);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }

    /** 127.0.6.run, port 53: a fresh primary per run, so that no run sees another's records. */
    InetSocketAddress primary() {
      try {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 6, (byte) run}), 53);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The policy's domain as its own zone: SOA, NS and the name server's glue. */
    String zone() {
      return """
          $ORIGIN %s.
          @ 300 IN SOA ns1 hostmaster 1 3600 600 86400 60
          @ 300 IN NS ns1
          ns1 300 IN A %s
          """.formatted(domain(), primary().getAddress().getHostAddress());
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Publisher.class)
  void theChartsServiceAccountRunsTheMainScenario(Publisher publisher, KubernetesCluster cluster) {
    Install install = install(cluster, publisher, Drop.NOTHING, false, true);

    assertThat(mainScenario(cluster, install, SCENARIO)).as("the step the scenario stopped at").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Publisher.class)
  void theChartsClusterRoleRunsTheMainScenarioInAnyNamespace(Publisher publisher, KubernetesCluster cluster) {
    Install install = install(cluster, publisher, Drop.NOTHING, true, true);

    assertThat(mainScenario(cluster, install, SCENARIO)).as("the step the scenario stopped at").isEmpty();
  }

  @Test
  void withoutReportsTheOperatorRunsWithNoRightOnTlsRptReports(KubernetesCluster cluster) {
    assertThat(rolesOf(render(Publisher.EXTERNAL_DNS, "rbac-probe", Optional.of("rbac-probe-watched"), false).out()))
        .flatMap(Role::getRules).noneMatch(rule -> rule.getResources().contains("tlsrptreports"));
    Install install = install(cluster, Publisher.EXTERNAL_DNS, Drop.NOTHING, false, false);

    assertThat(mainScenario(cluster, install, SCENARIO)).as("the step the scenario stopped at").isEmpty();
    try (KubernetesClient asOperator = impersonating(cluster, install)) {
      assertThat(catchForbidden(() -> asOperator.resources(TlsRptReport.class)
          .inNamespace(install.watchedNamespace()).list())).as("list on tlsrptreports is forbidden").isTrue();
    }
  }

  @Test
  void withGatewayApiTheChartsServiceAccountSwitchesAPolicyToAGatewayAndBack(KubernetesCluster cluster) {
    Install install = install(cluster, Publisher.EXTERNAL_DNS, Drop.NOTHING, false, false, true);

    assertThat(mainScenario(cluster, install, SCENARIO)).as("the step the scenario stopped at").isEmpty();
  }

  /**
   * The rules gatewayApi.enabled adds (its rule on httproutes and listenersets, delete on ingresses): each, and each
   * of their verbs but watch (see {@link #everyRuleAndVerb}), dropped alone, stops the switch to a Gateway and back.
   */
  static Stream<Drop> everyGatewayRuleAndVerb() {
    List<PolicyRule> without = rolesOf(render(Publisher.EXTERNAL_DNS, "rbac-probe", Optional.of("rbac-probe-watched"),
        false).out()).stream().flatMap(r -> r.getRules().stream()).toList();
    List<Drop> drops = new ArrayList<>();
    int index = 0;
    for (Role role : rolesOf(render(Publisher.EXTERNAL_DNS, "rbac-probe", Optional.of("rbac-probe-watched"), false,
        true).out())) {
      for (PolicyRule rule : role.getRules()) {
        int position = index++;
        if (without.contains(rule)) {
          continue;
        }
        drops.add(new Drop("without " + rule.getVerbs() + " on " + rule.getResources(), position, null, false));
        if (rule.getVerbs().size() > 1) {
          rule.getVerbs().stream().filter(v -> !v.equals("watch")).forEach(verb -> drops.add(new Drop(
              "without " + verb + " on " + rule.getResources(), position, verb, false)));
        }
      }
    }
    assertThat(drops).as("the rules gatewayApi.enabled adds").isNotEmpty();
    return drops.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyGatewayRuleAndVerb")
  void droppingAnyGatewayRuleOrVerbBreaksTheSwitch(Drop drop, KubernetesCluster cluster) {
    Install install = install(cluster, Publisher.EXTERNAL_DNS, drop, false, false, true);

    Optional<String> stopped = mainScenario(cluster, install, BROKEN_WITHIN);

    assertThat(stopped).as("%s, the scenario still completed", drop).isPresent();
    System.out.printf("ChartRbacIT: gateway: %s -> %s%n", drop, stopped.get());
  }

  @Test
  void rbacIsEnforcedByThisApiServer(KubernetesCluster cluster) {
    Install install = install(cluster, Publisher.EXTERNAL_DNS, Drop.NOTHING, false, true);
    try (KubernetesClient asOperator = impersonating(cluster, install)) {
      // Otherwise "sufficient" would prove nothing: the operator has no business with Secrets.
      assertThat(catchForbidden(() -> asOperator.secrets().inNamespace(install.watchedNamespace()).list()))
          .isTrue();
    }
  }

  /** Why {@link #everyRuleAndVerb} drops the leader election rules with external-dns only. */
  @Test
  void theLeaderElectionRoleIsTheSameWithEitherPublisher() {
    assertThat(leaderElectionRules(Publisher.RFC2136)).isNotEmpty()
        .isEqualTo(leaderElectionRules(Publisher.EXTERNAL_DNS));
  }

  /**
   * What one run takes away from the rendered Roles: one rule (by position), or one verb from every rule of either
   * the Role on the policy's objects or the leader election Role, so that each drop shows on its own.
   */
  record Drop(String description, int rule, String verb, boolean onLeaderElection, String resource) {
    static final Drop NOTHING = new Drop("nothing", -1, null, false);

    Drop(String description, int rule, String verb, boolean onLeaderElection) {
      this(description, rule, verb, onLeaderElection, null);
    }

    List<PolicyRule> apply(int firstIndex, Role role) {
      List<PolicyRule> rules = role.getRules();
      boolean leaderElection = isLeaderElection(role);
      List<PolicyRule> kept = new ArrayList<>();
      for (int i = 0; i < rules.size(); i++) {
        PolicyRule rule = rules.get(i);
        boolean thisRule = firstIndex + i == this.rule;
        if (thisRule && resource != null) {
          List<String> resources = rule.getResources().stream().filter(r -> !r.equals(resource)).toList();
          if (!resources.isEmpty()) {
            kept.add(new io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder(rule).withResources(resources)
                .build());
          }
          continue;
        }
        if (thisRule && verb == null) {
          continue;
        }
        if (verb != null && leaderElection == onLeaderElection && (this.rule < 0 || thisRule)) {
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

  /**
   * The shared policy server's rules whose verbs are also dropped one at a time: a verb dropped from every rule
   * stops the scenario at whichever other rule needs it first (create on ConfigMaps, delete on TlsRptReports), so it
   * would not show that these rules need each of theirs.
   */
  static final Set<String> EACH_VERB_ALONE = Set.of("poddisruptionbudgets", "endpointslices");

  /**
   * Every rule and verb of each publisher's rendering. The leader election Role is the same with either publisher
   * ({@link #theLeaderElectionRoleIsTheSameWithEitherPublisher}), so its drops run once, with external-dns.
   */
  static Stream<Arguments> everyRuleAndVerb() {
    List<Arguments> drops = new ArrayList<>();
    for (Publisher publisher : Publisher.values()) {
      boolean withLeaderElection = publisher == Publisher.EXTERNAL_DNS;
      java.util.Set<String> verbs = new java.util.TreeSet<>();
      java.util.Set<String> leaseVerbs = new java.util.TreeSet<>();
      int index = 0;
      for (Role role : rolesOf(render(publisher, "rbac-probe", Optional.of("rbac-probe-watched"), true).out())) {
        boolean leaderElection = isLeaderElection(role);
        for (PolicyRule rule : role.getRules()) {
          int position = index++;
          if (leaderElection && !withLeaderElection) {
            continue;
          }
          boolean named = rule.getResourceNames() != null && !rule.getResourceNames().isEmpty();
          drops.add(Arguments.of(publisher, new Drop("without " + rule.getVerbs() + " on " + rule.getResources()
              + (named ? " named " + rule.getResourceNames() : ""), position, null, false)));
          (leaderElection ? leaseVerbs : verbs).addAll(rule.getVerbs());
          if (rule.getResources().stream().anyMatch(EACH_VERB_ALONE::contains)) {
            rule.getVerbs().stream().filter(v -> !v.equals("watch")).forEach(verb -> drops.add(Arguments.of(
                publisher, new Drop("without " + verb + " on " + rule.getResources(), position, verb, false))));
          }
        }
      }
      // Without watch the informers start (list works) and stop at their first watch; JOSDK then exits the process
      // (its default InformerStoppedHandler), which in a pod is a crash loop and here would end the test JVM.
      verbs.remove("watch");
      verbs.forEach(verb -> drops.add(Arguments.of(publisher,
          new Drop("without " + verb + " on the policy's objects", -1, verb, false))));
      leaseVerbs.forEach(verb -> drops.add(Arguments.of(publisher,
          new Drop("without " + verb + " on the Lease", -1, verb, true))));
    }
    return drops.stream();
  }

  /**
   * The delete rules on several kinds, one kind at a time: dropping the whole rule stops the scenario at the first
   * kind deleted (the dedicated Service), which would not show that the others (the shared server's ConfigMap) need
   * it too.
   */
  static Stream<Arguments> everyKindOfADeleteRule() {
    List<Arguments> drops = new ArrayList<>();
    for (Publisher publisher : Publisher.values()) {
      int index = 0;
      for (Role role : rolesOf(render(publisher, "rbac-probe", Optional.of("rbac-probe-watched"), true).out())) {
        for (PolicyRule rule : role.getRules()) {
          int position = index++;
          if (rule.getVerbs().equals(List.of("delete")) && rule.getResources().size() > 1) {
            rule.getResources().forEach(resource -> drops.add(Arguments.of(publisher, new Drop(
                "without delete on " + resource, position, null, false, resource))));
          }
        }
      }
    }
    assertThat(drops).as("the delete rules on several kinds").isNotEmpty();
    return drops.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("everyKindOfADeleteRule")
  void droppingDeleteOnAnyOneKindBreaksTheMainScenario(Publisher publisher, Drop drop, KubernetesCluster cluster) {
    Install install = install(cluster, publisher, drop, false, true);

    Optional<String> stopped = mainScenario(cluster, install, BROKEN_WITHIN);

    assertThat(stopped).as("%s: %s, the scenario still completed", publisher, drop).isPresent();
    System.out.printf("ChartRbacIT: %s: %s -> %s%n", publisher, drop, stopped.get());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("everyRuleAndVerb")
  void droppingAnyRuleOrVerbBreaksTheMainScenario(Publisher publisher, Drop drop, KubernetesCluster cluster) {
    Install install = install(cluster, publisher, drop, false, true);

    Optional<String> stopped = mainScenario(cluster, install, BROKEN_WITHIN);

    assertThat(stopped).as("%s: %s, the scenario still completed", publisher, drop).isPresent();
    System.out.printf("ChartRbacIT: %s: %s -> %s%n", publisher, drop, stopped.get());
  }

  /**
   * The chart for the release namespace, watching only {@code watched} (a Role there) or else every namespace; with
   * {@code reports} as the chart's default (the receiver on), or with neither a receiver nor a mailbox.
   */
  private static Helm.Result render(Publisher publisher, String release, Optional<String> watched, boolean reports) {
    return render(publisher, release, watched, reports, false);
  }

  private static Helm.Result render(Publisher publisher, String release, Optional<String> watched, boolean reports,
      boolean gateway) {
    List<String> args = new ArrayList<>(publisher.chartValues());
    if (gateway) {
      args.addAll(List.of("--set", "gatewayApi.enabled=true"));
    }
    if (!reports) {
      args.addAll(List.of("--set", "reports.receiver.enabled=false"));
    }
    watched.ifPresent(namespace -> args.addAll(List.of("--set", "watchNamespaces={" + namespace + "}")));
    Helm.Result rendered = Helm.template(release, args.toArray(String[]::new));
    assertThat(rendered.exitCode()).as(rendered.err()).isZero();
    return rendered;
  }

  /**
   * Renders the chart for fresh namespaces, watching every namespace or only the fresh one, and applies its
   * ServiceAccount and RBAC for real, minus what {@code drop} says of the Roles.
   */
  private static Install install(KubernetesCluster cluster, Publisher publisher, Drop drop, boolean clusterWide,
      boolean reports) {
    return install(cluster, publisher, drop, clusterWide, reports, false);
  }

  /** As above; with {@code gateway}, the chart's gatewayApi.enabled and the operator's --gateway-api. */
  private static Install install(KubernetesCluster cluster, Publisher publisher, Drop drop, boolean clusterWide,
      boolean reports, boolean gateway) {
    int run = RUNS.incrementAndGet();
    assertThat(run).as("runs, one address of 127.0.6.0/24 each").isLessThan(255);
    Install names = new Install(run, publisher, clusterWide, reports, null, gateway);
    KubernetesClient admin = cluster.client();
    for (String namespace : List.of(names.releaseNamespace(), names.watchedNamespace())) {
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .serverSideApply();
    }
    Helm.Result rendered = render(publisher, names.releaseNamespace(),
        clusterWide ? Optional.empty() : Optional.of(names.watchedNamespace()), reports, gateway);
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
      assertThat(ServerSideApply.apply(admin, document, names.releaseNamespace())).as(document).isEmpty();
    }
    roles.forEach(role -> admin.resource(role).forceConflicts().serverSideApply());
    return new Install(run, publisher, clusterWide, reports, serviceAccount, gateway);
  }

  private static List<Role> rolesOf(String manifests) {
    var serialization = new KubernetesClientBuilder().build().getKubernetesSerialization();
    return Helm.documents(manifests).stream()
        .map(document -> (HasMetadata) serialization.unmarshal(document))
        .filter(Role.class::isInstance)
        .map(Role.class::cast)
        .toList();
  }

  private static boolean isLeaderElection(Role role) {
    return role.getMetadata().getName().endsWith("-leader-election");
  }

  private static List<PolicyRule> leaderElectionRules(Publisher publisher) {
    return rolesOf(render(publisher, "rbac-probe", Optional.of("rbac-probe-watched"), true).out()).stream()
        .filter(ChartRbacIT::isLeaderElection).flatMap(role -> role.getRules().stream()).toList();
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
   * One step of the scenario: what the test does first, as kubelet, cert-manager, external-dns or the user would
   * (often nothing), then what must follow by the deadline.
   */
  record Step(String name, Runnable first, Callable<Boolean> done) {
    static Step awaiting(String name, Callable<Boolean> done) {
      return new Step(name, () -> { }, done);
    }
  }

  /**
   * Runs the operator as the chart's ServiceAccount (with rfc2136, against a Knot primary of its own) and plays
   * kubelet, cert-manager and external-dns as the reconciler tests do. Empty when every step completed within
   * {@code within}; otherwise the step it stopped at.
   */
  private static Optional<String> mainScenario(KubernetesCluster cluster, Install install, Duration within) {
    KubernetesClient admin = cluster.client();
    String namespace = install.watchedNamespace();
    String name = install.policyName();
    Instant deadline = Instant.now().plus(within);
    boolean rfc2136 = install.publisher() == Publisher.RFC2136;
    try (KubernetesClient asOperator = impersonating(cluster, install);
        KnotPrimary primary = rfc2136 ? KnotPrimary.serve(Map.of(install.domain(), install.zone()),
            work.resolve("knot-" + install.run()), install.primary()) : null) {
      Optional<MtaStsOperator.DnsUpdate> dnsUpdate = Optional.ofNullable(primary)
          .map(p -> new MtaStsOperator.DnsUpdate(p.address(), p.updateKey(), Duration.ofSeconds(3)));
      // As the chart runs it (gatewayApi.enabled sets MTASTS_GATEWAY_API): the cluster serves the Gateway API CRDs,
      // and by default the chart grants nothing on them.
      OperatorSettings base = OperatorSettings.defaults().withGatewayApi(install.gateway());
      OperatorSettings settings = install.reports()
          ? base.withReportReceiver(install.reportReceiver()).withReportResolvers(List.of("10.96.0.10"))
          : base;
      Set<String> namespaces = install.clusterWide() ? Set.of() : Set.of(namespace);
      MtaStsOperator operator = new MtaStsOperator(asOperator, new MtaStsOperator.Options(
          settings, namespaces,
          Optional.of(new MtaStsOperator.LeaderElection("mta-sts-operator", install.releaseNamespace(),
              install.identity(), false)),
          -1, -1, Optional.empty(), Optional.empty(), dnsUpdate, Optional.empty(),
          install.reports() ? Optional.of(new MtaStsOperator.Reports(RETENTION)) : Optional.empty())
          // No ingress controller reads the Ingress here: the server a switch leaves need not wait for one.
          .withServerSwitchGrace(SWITCH_GRACE),
          RunningOperator.unreachableService(), java.time.Clock.systemUTC());
      ClusterReportStore reportStore = null;
      try {
        operator.start();
        if (install.reports()) {
          // What the operator's receivers store the reports through, with its own informer of the policies.
          reportStore = ClusterReportStore.start(asOperator, namespaces, java.time.Clock.systemUTC(),
              new ReportMetrics(new SimpleMeterRegistry()));
        }
      } catch (Exception e) {
        operator.close();
        Throwable cause = e;
        while (cause.getCause() != null) {
          cause = cause.getCause();
        }
        return Optional.of("the operator did not start: " + cause.getMessage());
      }
      List<LocalNginx> sharedServers = new ArrayList<>();
      try {
        MtaStsPolicy policy = served(install, Optional.empty());
        admin.resource(policy).forceConflicts().serverSideApply();
        Optional<TxtRecordWriter> onThePrimary = Optional.ofNullable(primary)
            .map(p -> new TxtRecordWriter(p.address(), p.updateKey(), Duration.ofSeconds(3)));
        Instant start = Instant.now();
        Optional<String> stopped = run(steps(admin, asOperator, install, policy, onThePrimary,
            Optional.ofNullable(reportStore), sharedServers), deadline);
        if (stopped.isEmpty()) {
          Duration took = Duration.between(start, Instant.now());
          System.out.printf("ChartRbacIT: %s: the scenario completed in %s%n", install.publisher(), took);
          // A drop proves a rule is needed only if the scenario with every rule ends well before BROKEN_WITHIN:
          // otherwise a drop would "stop" the scenario by running out of time.
          assertThat(took).as("the whole scenario, against BROKEN_WITHIN %s", BROKEN_WITHIN)
              .isLessThan(BROKEN_WITHIN.multipliedBy(2).dividedBy(3));
        }
        return stopped;
      } finally {
        sharedServers.forEach(LocalNginx::close);
        if (reportStore != null) {
          reportStore.close();
        }
        operator.close();
        removePolicy(admin, namespace, name);
      }
    }
  }

  /**
   * The scenario, step by step, for the policy just applied: its objects, its records (a DNSEndpoint, or
   * {@code onThePrimary} with rfc2136), the Events, the Lease; with rfc2136 also the finalizer and the deletion.
   */
  private static List<Step> steps(KubernetesClient admin, KubernetesClient asOperator, Install install,
      MtaStsPolicy policy, Optional<TxtRecordWriter> onThePrimary, Optional<ClusterReportStore> reportStore,
      List<LocalNginx> sharedServers) {
    String namespace = install.watchedNamespace();
    String name = install.policyName();
    String identity = install.identity();
    boolean rfc2136 = install.publisher() == Publisher.RFC2136;
    ClusterStandIns standIns = new ClusterStandIns(admin, namespace);
    List<Step> steps = new ArrayList<>();
    steps.add(Step.awaiting("the Lease is held", () -> identity.equals(lease(admin, install).getSpec()
        .getHolderIdentity())));
    if (rfc2136) {
      // JOSDK adds it before the first reconciliation: nothing is published for a policy without it.
      steps.add(Step.awaiting("the policy carries the operator's finalizer",
          () -> !get(admin, MtaStsPolicy.class, namespace, name).getMetadata().getFinalizers().isEmpty()));
    }
    steps.add(Step.awaiting("the policy server Deployment is applied",
        () -> get(admin, Deployment.class, namespace, name + "-policy-server") != null));
    steps.add(new Step("the Certificate is applied", () -> standIns.finishRollout(name + "-policy-server"),
        () -> get(admin, Certificate.class, namespace, name + "-policy-tls") != null));
    Runnable issueCertificate = () -> standIns.issueCertificate(name + "-policy-tls");
    if (rfc2136) {
      steps.add(new Step("the TXT record is on the primary, as status names it", issueCertificate, () -> {
        DomainStatus published = get(admin, MtaStsPolicy.class, namespace, name).getStatus().getDomains().get(0);
        return published.getStsRecord() != null && onThePrimary.orElseThrow().read("_mta-sts." + install.domain())
            .equals(List.of(published.getStsRecord()));
      }));
      steps.add(Step.awaiting("Ready=True in status, with the ConfigMap, Service and Ingress",
          () -> readyWithEveryObject(admin, namespace, name)));
    } else {
      steps.add(new Step("the DNSEndpoint is applied", issueCertificate,
          () -> get(admin, DNSEndpoint.class, namespace, name + "-txt") != null));
      steps.add(new Step("Ready=True in status, with the ConfigMap, Service and Ingress",
          () -> standIns.readDnsEndpoint(name + "-txt"), () -> readyWithEveryObject(admin, namespace, name)));
    }
    steps.add(Step.awaiting("a PolicyIdChanged Event is recorded",
        () -> !policyIdChanged(admin, namespace).isEmpty()));
    // The same event again, as the operator records a repeat: it reads the Event and patches its count.
    steps.add(new Step("a repeated Event is counted",
        () -> new PolicyEvents(asOperator, java.time.Clock.systemUTC()).emit(
            get(admin, MtaStsPolicy.class, namespace, name),
            new PolicyEvent(PolicyEvent.Reason.PolicyIdChanged, policyIdChanged(admin, namespace).get(0)
                .getMessage())),
        () -> policyIdChanged(admin, namespace).stream().anyMatch(e -> Integer.valueOf(2).equals(e.getCount()))));
    reportStore.ifPresent(store -> steps.addAll(reportSteps(admin, install, store)));
    steps.addAll(sharedServerSteps(admin, install, standIns, sharedServers));
    if (install.gateway()) {
      steps.addAll(gatewaySteps(admin, install, policy));
    }
    // A leader that cannot renew loses the Lease and exits in production, so renewal is part of the scenario.
    steps.add(Step.awaiting("the Lease is renewed", () -> {
      Lease lease = lease(admin, install);
      return identity.equals(lease.getSpec().getHolderIdentity())
          && lease.getSpec().getRenewTime().isAfter(lease.getSpec().getAcquireTime());
    }));
    if (rfc2136) {
      steps.add(new Step("the records are removed from the primary", () -> admin.resource(policy).delete(),
          () -> onThePrimary.orElseThrow().read("_mta-sts." + install.domain()).isEmpty()));
      steps.add(Step.awaiting("the policy is gone, its finalizer removed",
          () -> get(admin, MtaStsPolicy.class, namespace, name) == null));
    }
    return steps;
  }

  /**
   * The policy moved to a Gateway (the routes and the ListenerSet created, the Ingress deleted once the Gateway
   * reports them accepted) and back (the Ingress created, the routes and ListenerSet deleted once it has an
   * address). The test writes what the Gateway's and the ingress controller would.
   */
  private static List<Step> gatewaySteps(KubernetesClient admin, Install install, MtaStsPolicy policy) {
    String namespace = install.watchedNamespace();
    String name = install.policyName();
    MtaStsPolicy throughGateway = TestPolicies.with(TestPolicies.enforce(install.domain()),
        s -> s.setGateway(TestPolicies.gateway("infra", "shared", null, true)));
    throughGateway.getMetadata().setNamespace(namespace);
    List<Step> steps = new ArrayList<>();
    steps.add(new Step("the HTTPRoute and ListenerSet are applied",
        () -> admin.resource(throughGateway).forceConflicts().serverSideApply(),
        () -> !routes(admin, namespace).isEmpty() && get(admin, ListenerSet.class, namespace, name + "-policy") != null));
    steps.add(new Step("the Ingress is deleted once the Gateway accepted the route", () -> {
      GatewayStatuses.reportListenerSet(admin, get(admin, ListenerSet.class, namespace, name + "-policy"),
          GatewayStatuses.listenerSetAccepted(), GatewayStatuses.listenerProgrammed());
      routes(admin, namespace).forEach(r -> GatewayStatuses.reportRoute(admin, r, GatewayStatuses.routeAccepted()));
    }, () -> get(admin, Ingress.class, namespace, name + "-policy") == null));
    steps.add(new Step("the Ingress is applied again", () -> {
      MtaStsPolicy back = TestPolicies.enforce(install.domain());
      back.getMetadata().setNamespace(namespace);
      admin.resource(back).forceConflicts().serverSideApply();
    }, () -> get(admin, Ingress.class, namespace, name + "-policy") != null));
    steps.add(new Step("the HTTPRoute and ListenerSet are deleted once the Ingress serves", () -> {
      Ingress ingress = get(admin, Ingress.class, namespace, name + "-policy");
      ingress.setStatus(new IngressStatusBuilder().withNewLoadBalancer().addNewIngress().withIp("192.0.2.10")
          .endIngress().endLoadBalancer().build());
      admin.resource(ingress).updateStatus();
    }, () -> routes(admin, namespace).isEmpty() && get(admin, ListenerSet.class, namespace, name + "-policy") == null));
    return steps;
  }

  /**
   * The policy switched to the namespace's shared server (its objects applied, its pod serving, the hosts routed
   * there, the dedicated Deployment and Service deleted, the id kept) and back (the dedicated server applied and
   * rolled out, the hosts routed to it, the shared server deleted as its last member left).
   */
  private static List<Step> sharedServerSteps(KubernetesClient admin, Install install, ClusterStandIns standIns,
      List<LocalNginx> sharedServers) {
    String namespace = install.watchedNamespace();
    String name = install.policyName();
    String dedicated = name + "-policy-server";
    String policyHost = ObjectNames.policyHost(install.domain());
    AtomicReference<String> policyId = new AtomicReference<>();
    Callable<String> currentId = () -> get(admin, MtaStsPolicy.class, namespace, name).getStatus().getPolicyId();
    List<Step> steps = new ArrayList<>();
    steps.add(new Step("the shared server's Deployment, Service, ConfigMap and PodDisruptionBudget are applied",
        () -> {
          try {
            policyId.set(currentId.call());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          admin.resource(served(install, Optional.of(ServerMode.SHARED))).forceConflicts().serverSideApply();
        }, () -> sharedServerObjects(admin, namespace).size() == 4));
    steps.add(new Step("(stand-in) the shared server's pod serves the policy for " + policyHost,
        () -> sharedServers.add(standIns.runSharedServer(install.sharedServerPod(), sharedServerPodDir(install))),
        () -> {
          try (RawHttp connection = RawHttp.connect(install.sharedServerPod())) {
            RawHttp.Response answer = connection.head("GET", ObjectNames.POLICY_PATH, policyHost, Map.of()).read();
            return answer.status() == 200 && answer.body().startsWith("version: STSv1");
          }
        }));
    steps.add(Step.awaiting("the Ingress routes to " + SharedPolicyServer.NAME,
        () -> backends(admin, namespace, name).equals(Set.of(SharedPolicyServer.NAME))));
    steps.add(Step.awaiting("the dedicated Deployment and Service are deleted",
        () -> get(admin, Deployment.class, namespace, dedicated) == null
            && get(admin, Service.class, namespace, dedicated) == null));
    steps.add(Step.awaiting("Ready=True on the shared server, the policy id unchanged",
        () -> ready(admin, namespace, name) && policyId.get().equals(currentId.call())));
    steps.add(new Step("the dedicated Deployment is applied again",
        () -> admin.resource(served(install, Optional.of(ServerMode.DEDICATED))).forceConflicts().serverSideApply(),
        () -> get(admin, Deployment.class, namespace, dedicated) != null));
    steps.add(new Step("the Ingress routes to " + dedicated + " again", () -> standIns.finishRollout(dedicated),
        () -> backends(admin, namespace, name).equals(Set.of(dedicated))
            && get(admin, Service.class, namespace, dedicated) != null));
    steps.add(Step.awaiting("the shared server's objects are deleted",
        () -> sharedServerObjects(admin, namespace).isEmpty()));
    steps.add(Step.awaiting("Ready=True on the dedicated server again, the policy id unchanged",
        () -> ready(admin, namespace, name) && policyId.get().equals(currentId.call())));
    return steps;
  }

  /**
   * Where the shared server's nginx runs: its unprivileged workers must get through the folders above it, and
   * JUnit makes the temporary folder its owner's alone.
   */
  private static Path sharedServerPodDir(Install install) {
    try {
      Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
      return Files.createDirectories(work.resolve("shared-server-" + install.run()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The run's policy, as the scenario first applies it, with {@code mode} as its spec.server.mode if given. */
  private static MtaStsPolicy served(Install install, Optional<ServerMode> mode) {
    MtaStsPolicy policy = install.reports() ? receiving(install.domain()) : enforce(install.domain());
    mode.ifPresent(m -> TestPolicies.served(policy, m));
    policy.getMetadata().setNamespace(install.watchedNamespace());
    return policy;
  }

  /** Which of the shared server's Deployment, Service, ConfigMap and PodDisruptionBudget exist. */
  private static List<HasMetadata> sharedServerObjects(KubernetesClient admin, String namespace) {
    return Stream.of(Deployment.class, Service.class, ConfigMap.class, PodDisruptionBudget.class)
        .<HasMetadata>map(kind -> get(admin, kind, namespace, SharedPolicyServer.NAME))
        .filter(java.util.Objects::nonNull).toList();
  }

  /** The Services the policy's Ingress sends its hosts to. */
  private static Set<String> backends(KubernetesClient admin, String namespace, String name) {
    return get(admin, Ingress.class, namespace, name + "-policy").getSpec().getRules().stream()
        .flatMap(rule -> rule.getHttp().getPaths().stream())
        .map(path -> path.getBackend().getService().getName())
        .collect(java.util.stream.Collectors.toSet());
  }

  private static List<HTTPRoute> routes(KubernetesClient admin, String namespace) {
    return admin.resources(HTTPRoute.class).inNamespace(namespace).list().getItems();
  }

  /**
   * A report received today is stored (create, with an owner reference that blocks the policy's deletion) and read
   * into the policy's status (the reconciler's informer: list, watch); one whose period ended before the retention
   * is stored and then deleted by the operator (delete).
   */
  private static List<Step> reportSteps(KubernetesClient admin, Install install, ClusterReportStore store) {
    String namespace = install.watchedNamespace();
    String name = install.policyName();
    Instant now = Instant.now();
    TlsReport today = report(install.domain(), "today", now.minus(Duration.ofDays(1)), now);
    TlsReport expired = report(install.domain(), "expired", now.minus(RETENTION).minus(Duration.ofDays(2)),
        now.minus(RETENTION).minus(Duration.ofDays(1)));
    MtaStsPolicy named = new MtaStsPolicy();
    named.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
    String todaysObject = ObjectNames.report(named, today.organizationName(), today.reportId());
    String expiredObject = ObjectNames.report(named, expired.organizationName(), expired.reportId());
    List<Step> steps = new ArrayList<>();
    steps.add(Step.awaiting("a report is stored as a TlsRptReport owned by the policy", () ->
        store.store(today, ReportIntake.Channel.HTTPS, Optional.of(install.domain())).delivered()
            && get(admin, TlsRptReport.class, namespace, todaysObject).getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> Boolean.TRUE.equals(o.getBlockOwnerDeletion()) && name.equals(o.getName()))));
    steps.add(Step.awaiting("the report is read into the policy's status", () -> {
      var reports = get(admin, MtaStsPolicy.class, namespace, name).getStatus().getReports();
      return reports != null && Integer.valueOf(1).equals(reports.getReports());
    }));
    steps.add(Step.awaiting("a report past the retention is stored", () ->
        store.store(expired, ReportIntake.Channel.MAIL, Optional.empty()).delivered()));
    steps.add(Step.awaiting("the report past the retention is deleted, today's kept", () ->
        get(admin, TlsRptReport.class, namespace, expiredObject) == null
            && get(admin, TlsRptReport.class, namespace, todaysObject) != null));
    return steps;
  }

  /** One sender's report about {@code domain}, all sessions successful. */
  private static TlsReport report(String domain, String id, Instant start, Instant end) {
    return new TlsReport("Example Sender", start, end, Optional.of("tlsrpt@sender.example"), id + "_" + domain,
        List.of(new PolicyResult(PolicyType.STS, List.of("version: STSv1"), domain, List.of("mx1." + domain),
            100, 0, List.of())));
  }

  /** The first step that did not complete by the deadline, if any. */
  private static Optional<String> run(List<Step> steps, Instant deadline) {
    Instant previous = Instant.now();
    for (Step step : steps) {
      if (Boolean.getBoolean("chartRbac.stepTimes")) {
        System.out.printf("ChartRbacIT: step took %s before: %s%n", Duration.between(previous, Instant.now()),
            step.name());
        previous = Instant.now();
      }
      step.first().run();
      Duration left = Duration.between(Instant.now(), deadline);
      if (left.compareTo(POLL.multipliedBy(2)) <= 0) {
        // Awaitility refuses a timeout under its poll delay: this close to the deadline, look once.
        if (!doneNow(step)) {
          return Optional.of("stopped before: " + step.name());
        }
        continue;
      }
      try {
        await().atMost(left).pollDelay(Duration.ZERO).pollInterval(POLL).ignoreExceptions().until(step.done());
      } catch (ConditionTimeoutException e) {
        return Optional.of("stopped before: " + step.name());
      }
    }
    return Optional.empty();
  }

  private static boolean doneNow(Step step) {
    try {
      return step.done().call();
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean ready(KubernetesClient admin, String namespace, String name) {
    MtaStsPolicy current = get(admin, MtaStsPolicy.class, namespace, name);
    return current.getStatus() != null
        && ConditionList.find(current.getStatus().getConditions(), "Ready")
            .filter(c -> "True".equals(c.getStatus())).isPresent();
  }

  private static boolean readyWithEveryObject(KubernetesClient admin, String namespace, String name) {
    return ready(admin, namespace, name)
        && get(admin, ConfigMap.class, namespace, name + "-policy") != null
        && get(admin, Service.class, namespace, name + "-policy-server") != null
        && get(admin, Ingress.class, namespace, name + "-policy") != null;
  }

  private static List<Event> policyIdChanged(KubernetesClient admin, String namespace) {
    return admin.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> "PolicyIdChanged".equals(e.getReason())).toList();
  }

  /**
   * A broken run leaves its policy behind, with rfc2136 held by the finalizer of an operator that is gone: a
   * cluster-wide operator of a later run would take it up. The finalizer is taken off as an administrator would.
   */
  private static void removePolicy(KubernetesClient admin, String namespace, String name) {
    var policy = admin.resources(MtaStsPolicy.class).inNamespace(namespace).withName(name);
    if (policy.get() != null) {
      policy.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
      policy.delete();
    }
  }

  private static Lease lease(KubernetesClient admin, Install install) {
    return admin.leases().inNamespace(install.releaseNamespace()).withName("mta-sts-operator").get();
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
