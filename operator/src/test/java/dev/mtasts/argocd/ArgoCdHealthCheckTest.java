package dev.mtasts.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.MtaStsPolicyStatus;
import dev.mtasts.api.v1alpha1.Reasons;
import dev.mtasts.publication.PolicyExposure;
import dev.mtasts.testing.GatewayStatuses;
import dev.mtasts.desired.PolicyServerDeployment;
import dev.mtasts.operator.status.ConditionList;
import dev.mtasts.operator.status.PolicyStatusCalculator;
import dev.mtasts.operator.status.ServedPolicy;
import dev.mtasts.publication.DomainConflict;
import dev.mtasts.publication.MxObservation;
import dev.mtasts.publication.MxRecords;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PublishedPolicy;
import dev.mtasts.testing.GoldenFile;
import dev.mtasts.testing.TestObservations;
import dev.mtasts.testing.TestPolicies;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Argo CD health check of examples/argocd/argocd-cm-health.yaml, run in Lua 5.1 on MtaStsPolicy objects whose
 * status the operator's own {@link PolicyStatusCalculator} computed for each state, serialized as the API server
 * returns them: Healthy when Ready, Degraded where a person has to act, Progressing while the operator works.
 */
class ArgoCdHealthCheckTest {

  static final Instant NOW = Instant.parse("2026-11-23T07:00:00Z");
  static final long GENERATION = 3;
  static final String POLICY_ID = "2026112307000000";
  static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** The Ready reasons that are written on other conditions only. */
  static final Set<String> NEVER_ON_READY = Set.of(Reasons.POLICY_SERVED, Reasons.CERTIFICATE_ISSUED,
      Reasons.ACCEPTED_BY_EXTERNAL_DNS, Reasons.DNS_ANSWERS, Reasons.MX_COVERED, Reasons.MX_LOOKUP_FAILED, Reasons.MX_CHECK_DISABLED,
      Reasons.PENDING,
      // ReportsClean and RolloutGate, never on Ready: the health check reads them beside it (rolloutAndReports)
      Reasons.NO_REPORTS, Reasons.NO_FAILURES_REPORTED, Reasons.FAILURES_REPORTED, Reasons.GATE_MET,
      Reasons.GATE_NOT_MET,
      // GatewayAccepted True: a step of the chain, never the reason of Ready
      Reasons.ROUTES_ACCEPTED);

  static LuaHealthCheck healthCheck;

  @BeforeAll
  static void loadTheHealthCheck() {
    healthCheck = LuaHealthCheck.load();
  }

  /** What the operator sees for one policy; by default everything done. Tables change one thing each. */
  static TestObservations seen(Consumer<TestObservations> change) {
    TestObservations seen = TestObservations.allDone();
    seen.generation = GENERATION;
    seen.now = NOW;
    change.accept(seen);
    return seen;
  }

  /** The policy exposed through a Gateway whose controller reports these states on our objects. */
  static void throughGateway(TestObservations s, List<io.fabric8.kubernetes.api.model.Condition> listenerSet,
      List<io.fabric8.kubernetes.api.model.Condition> listeners, io.fabric8.kubernetes.api.model.Condition... route) {
    s.policy = TestPolicies.throughGateway("example.com");
    var settings = OperatorSettings.defaults();
    s.gateway = PolicyExposure.of(s.policy, settings).gateway();
    s.listenerSet = GatewayStatuses.listenerSet(s.policy, settings, s.published(), listenerSet, listeners);
    s.routes = GatewayStatuses.routes(s.policy, settings, s.published(), route);
  }

  static Certificate certificate(String ready, String reason, String message) {
    return new CertificateBuilder().withNewMetadata().withName("example-com-policy-tls").endMetadata()
        .withNewStatus().addNewCondition().withType("Ready").withStatus(ready).withReason(reason)
        .withMessage(message).endCondition().endStatus().build();
  }

  /** The policy server Deployment the operator applies, as the Deployment controller reports it: all rolled out. */
  static Deployment deployment(PublishedPolicy published, Consumer<DeploymentStatusBuilder> status) {
    Deployment deployment = PolicyServerDeployment.desired(TestPolicies.enforce("example.com"),
        OperatorSettings.defaults(), published);
    deployment.getMetadata().setGeneration(2L);
    int replicas = deployment.getSpec().getReplicas();
    DeploymentStatusBuilder builder = new DeploymentStatusBuilder().withObservedGeneration(2L)
        .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(replicas)
        .withAvailableReplicas(replicas);
    status.accept(builder);
    deployment.setStatus(builder.build());
    return deployment;
  }

  static Stream<Arguments> readyStates() {
    return Stream.of(
        Arguments.of("everything done", seen(s -> { }), Reasons.PUBLISHED, "Healthy"),
        Arguments.of("an uncovered MX host in testing mode only warns", seen(s -> {
          s.policy = TestPolicies.testing("example.com");
          s.mx = mxHosts("mx1.example.com", "backup.example.net");
        }), Reasons.PUBLISHED, "Healthy"),
        Arguments.of("a failed MX lookup leaves Ready alone", seen(s -> s.mx = MxObservation.of(
            new MxRecords(Map.of(), Map.of("example.com", "SERVFAIL")))), Reasons.PUBLISHED, "Healthy"),
        Arguments.of("new pods rolling out", seen(s -> s.deployment = deployment(s.published(),
            d -> d.withUpdatedReplicas(1))), Reasons.ROLLOUT_IN_PROGRESS, "Progressing"),
        Arguments.of("the policy server missed its progress deadline", seen(s -> s.deployment = deployment(
            s.published(), d -> d.withUpdatedReplicas(1).withConditions(new DeploymentConditionBuilder()
                .withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded").build()))),
            Reasons.ROLLOUT_STALLED, "Degraded"),
        Arguments.of("the Service still serves the old policy", seen(s -> s.served = Optional.of(
            new ServedPolicy(ServedPolicy.Outcome.WRONG_POLICY,
                "the policy server returns an older policy"))), Reasons.POLICY_NOT_SERVED, "Progressing"),
        Arguments.of("cert-manager still issuing", seen(s -> s.certificate = Optional.of(certificate("False",
            "DoesNotExist", "Issuing certificate as Secret does not exist"))), Reasons.CERTIFICATE_NOT_READY,
            "Progressing"),
        Arguments.of("records not written yet", seen(s -> s.recordsWritten = false), Reasons.WAITING_FOR_POLICY,
            "Progressing"),
        Arguments.of("the Gateway has not reported on the routes yet", seen(s -> throughGateway(s,
            GatewayStatuses.listenerSetAccepted(), GatewayStatuses.listenerProgrammed())),
            Reasons.WAITING_FOR_GATEWAY, "Progressing"),
        Arguments.of("the Gateway does not allow our ListenerSet", seen(s -> throughGateway(s,
            GatewayStatuses.listenerSetNotAllowed(), List.of(), GatewayStatuses.routeAccepted())),
            Reasons.LISTENER_NOT_READY, "Degraded"),
        Arguments.of("the Gateway cannot resolve a route's backend", seen(s -> throughGateway(s,
            GatewayStatuses.listenerSetAccepted(), GatewayStatuses.listenerProgrammed(),
            GatewayStatuses.condition("Accepted", "True", "Accepted", "", 1),
            GatewayStatuses.condition("ResolvedRefs", "False", "BackendNotFound", "service not found", 1))),
            Reasons.ROUTE_NOT_ACCEPTED, "Degraded"),
        Arguments.of("records not read by external-dns yet", seen(s -> {
          s.recordsReadByExternalDns = Optional.empty();
          s.dns = p -> TestObservations.answering(p, null, null);
        }), Reasons.WAITING_FOR_EXTERNAL_DNS, "Progressing"),
        Arguments.of("DNS does not answer the new id yet", seen(s -> s.dns = p ->
            TestObservations.answering(p, "v=STSv1; id=2026010100000000", null)), Reasons.WAITING_FOR_DNS,
            "Progressing"),
        Arguments.of("DNS answers without the id long after the records were handed over", seen(s -> {
          s.dns = p -> TestObservations.answering(p, "v=STSv1", null);
          s.handedOverAgo(Duration.ofMinutes(11));
        }), Reasons.DNS_NOT_ANSWERING, "Degraded"),
        Arguments.of("a domain claimed by an older policy", seen(s -> s.conflicts = List.of(
            new DomainConflict("example.com", "mail/example-com-old"))), Reasons.DOMAIN_CONFLICT,
            "Degraded"),
        Arguments.of("an owned object refused by the API server", seen(s -> s.applyErrors = List.of(
            "cannot apply the Ingress: admission webhook denied the request")), Reasons.APPLY_FAILED, "Degraded"),
        Arguments.of("a spec the schema could not refuse", seen(s -> s.errors = List.of(
            "spec.mx[1]: \"*.*.example.com\": a wildcard may only replace the leftmost label")), Reasons.INVALID_SPEC,
            "Degraded"),
        Arguments.of("an uncovered MX host in enforce mode", seen(s -> s.mx = mxHosts("mx1.example.com",
            "backup.example.net")), Reasons.MX_NOT_COVERED, "Degraded"));
  }

  static MxObservation mxHosts(String... hosts) {
    return MxObservation.of(new MxRecords(Map.of("example.com", List.of(hosts)),
        Map.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readyStates")
  void healthFollowsTheReadyCondition(String description, TestObservations seen, String reason, String health) {
    MtaStsPolicy policy = seen.withStatus();
    Condition ready = ready(policy.getStatus());
    assertThat(ready.getReason()).as("the operator's Ready reason for: %s", description).isEqualTo(reason);

    LuaHealthCheck.Health shown = healthCheck.evaluate(JSON.asJson(policy));

    assertThat(shown).isEqualTo(new LuaHealthCheck.Health(health, ready.getMessage()));
  }

  @Test
  void healthyShowsThePolicyId() {
    MtaStsPolicy policy = seen(s -> { }).withStatus();

    assertThat(healthCheck.evaluate(JSON.asJson(policy)).message())
        .isEqualTo("policy id " + POLICY_ID + " is served and published for example.com");
  }

  @Test
  void aStagedRolloutStillServingTestingIsHealthyAndSaysWhatTheGateWaitsFor() {
    MtaStsPolicy policy = seen(s -> s.rolloutVerdict = Optional.of(new dev.mtasts.publication.RolloutGate.Verdict(
        false, "3 of 14 clean days; 1 of 2 organizations; MX TLS: every MX host passes"))).withStatus();

    assertThat(healthCheck.evaluate(JSON.asJson(policy))).isEqualTo(new LuaHealthCheck.Health("Healthy",
        "serving testing until the rollout gate is met (GateNotMet): testing is served until the gate is met: 3 of"
            + " 14 clean days; 1 of 2 organizations; MX TLS: every MX host passes"));
  }

  @Test
  void reportedFailuresWhileEnforceIsServedAreDegradedAndInTestingHealthy() {
    Consumer<TestObservations> failing = s -> {
      s.policy = TestPolicies.with(s.policy,
          spec -> spec.setTlsRpt(TestPolicies.tlsRpt("mailto:tlsrpt@example.com")));
      s.reports = List.of(TestObservations.report("google.com", TestObservations.NOW, 90, 10));
    };
    MtaStsPolicy enforcing = seen(failing).withStatus();
    MtaStsPolicy testing = seen(failing.andThen(s -> s.policy.getSpec().setMode(
        dev.mtasts.api.v1alpha1.PolicyMode.TESTING))).withStatus();

    LuaHealthCheck.Health degraded = healthCheck.evaluate(JSON.asJson(enforcing));
    assertThat(degraded.status()).isEqualTo("Degraded");
    assertThat(degraded.message()).startsWith("enforce mode is served and senders report TLS failures"
        + " (FailuresReported): 1 report from google.com in the last 14 days: 10 of 100 sessions failed");
    assertThat(healthCheck.evaluate(JSON.asJson(testing)).status()).isEqualTo("Healthy");
  }

  static Stream<Arguments> beforeTheOperatorCaughtUp() {
    return Stream.of(
        Arguments.of("a policy the operator has not seen yet", edited(p -> p.setStatus(null)),
            "waiting for the operator to report on this policy"),
        Arguments.of("a Ready status of the previous generation", edited(p -> p.getMetadata().setGeneration(4L)),
            "waiting for the operator to observe generation 4 (status is of generation 3)"),
        Arguments.of("a Ready condition older than the status", edited(p -> {
          p.getMetadata().setGeneration(4L);
          p.getStatus().setObservedGeneration(4L);
          ready(p.getStatus()).setObservedGeneration(3L);
        }), "waiting for the operator to observe generation 4 (status is of generation 3)"),
        Arguments.of("a status without a Ready condition", edited(p -> p.getStatus().setConditions(List.of())),
            "waiting for the operator to set the Ready condition"));
  }

  static MtaStsPolicy edited(Consumer<MtaStsPolicy> change) {
    MtaStsPolicy policy = seen(s -> { }).withStatus();
    change.accept(policy);
    return policy;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("beforeTheOperatorCaughtUp")
  void progressingUntilTheOperatorReportsOnThisGeneration(String description, MtaStsPolicy policy, String message) {
    assertThat(healthCheck.evaluate(JSON.asJson(policy)))
        .isEqualTo(new LuaHealthCheck.Health("Progressing", message));
  }

  @Test
  void everyReasonReadyCanCarryIsClassified() throws IllegalAccessException {
    Set<String> classified = readyStates().map(a -> (String) a.get()[2]).collect(Collectors.toSet());
    Set<String> onReady = new java.util.TreeSet<>();
    for (Field field : Reasons.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        onReady.add((String) field.get(null));
      }
    }
    onReady.removeAll(NEVER_ON_READY);

    assertThat(classified)
        .as("a new reason: add a state to readyStates() and, if a person has to act, to the Lua's needsAPerson")
        .containsExactlyInAnyOrderElementsOf(onReady);
  }

  @Test
  void chartReadmeShowsTheHealthCheckAsInstalled() {
    String readme = GoldenFile.read(GoldenFile.repoRoot().resolve("charts/mta-sts-operator/README.md"));

    assertThat(readme).as("charts/mta-sts-operator/README.md must embed %s verbatim", LuaHealthCheck.CONFIG_MAP)
        .contains("```yaml\n" + GoldenFile.read(LuaHealthCheck.CONFIG_MAP) + "```\n");
  }

  static Condition ready(MtaStsPolicyStatus status) {
    return ConditionList.find(status.getConditions(), "Ready").orElseThrow();
  }
}
