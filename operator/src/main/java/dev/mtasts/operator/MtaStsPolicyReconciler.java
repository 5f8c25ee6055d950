package dev.mtasts.operator;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.ConditionTypes;
import dev.mtasts.api.v1alpha1.MtaStsPolicyStatus;
import dev.mtasts.api.v1alpha1.Reasons;
import dev.mtasts.desired.OperatorSettings;
import dev.mtasts.desired.InvalidPolicyException;
import dev.mtasts.desired.PolicyContent;
import dev.mtasts.desired.PolicySpecValidator;
import dev.mtasts.desired.PublishedPolicy;
import dev.mtasts.operator.condition.CertificateIssued;
import dev.mtasts.operator.condition.PolicyServed;
import dev.mtasts.operator.condition.RolloutComplete;
import dev.mtasts.operator.dependent.PolicyCertificateDependent;
import dev.mtasts.operator.dependent.PolicyConfigMapDependent;
import dev.mtasts.operator.dependent.PolicyDnsEndpointDependent;
import dev.mtasts.operator.dependent.PolicyIngressDependent;
import dev.mtasts.operator.dependent.PolicyServerDeploymentDependent;
import dev.mtasts.operator.dependent.PolicyServiceDependent;
import dev.mtasts.operator.status.ConditionList;
import dev.mtasts.check.MxLookup;
import dev.mtasts.operator.status.MxRecords;
import dev.mtasts.operator.status.Observations;
import dev.mtasts.operator.status.PolicyStatusCalculator;
import dev.mtasts.operator.status.RolloutProgress;
import dev.mtasts.operator.status.ServedPolicyCheck;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the objects of each MtaStsPolicy applied and reports in status what is true. The order is the point: the
 * TXT records, which tell senders to fetch the policy, wait until the pods serving the current policy have rolled
 * out (and, the first time, until the certificate is issued).
 */
// Not generation-aware: status holds the allocated id, so an edit of status alone must be looked at (and undone).
@ControllerConfiguration(name = MtaStsPolicyReconciler.NAME, generationAwareEventProcessing = false)
@Workflow(
    explicitInvocation = true,
    handleExceptionsInReconciler = true,
    dependents = {
        @Dependent(name = "policy-file", type = PolicyConfigMapDependent.class),
        @Dependent(name = "policy-server", type = PolicyServerDeploymentDependent.class,
            dependsOn = "policy-file", readyPostcondition = RolloutComplete.class),
        @Dependent(name = "policy-service", type = PolicyServiceDependent.class,
            readyPostcondition = PolicyServed.class),
        @Dependent(name = "certificate", type = PolicyCertificateDependent.class,
            readyPostcondition = CertificateIssued.class),
        @Dependent(name = "policy-host", type = PolicyIngressDependent.class),
        // RFC 8461 §3.1: a sender that sees a new id fetches the policy at once, so it must already be served.
        @Dependent(name = "dns-records", type = PolicyDnsEndpointDependent.class,
            dependsOn = {"policy-server", "policy-service", "certificate"})
    })
public class MtaStsPolicyReconciler implements Reconciler<MtaStsPolicy> {

  public static final String NAME = "mtastspolicy";
  /** How often a resource that lost a domain looks again, so it takes over when the older claim goes away. */
  static final Duration CONFLICT_RECHECK = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(MtaStsPolicyReconciler.class);
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final OperatorSettings settings;
  private final ServedPolicyCheck servedPolicyCheck;
  private final Optional<MtaStsOperator.MxCheck> mxCheck;
  private final Clock clock;
  private PolicyEvents events;

  public MtaStsPolicyReconciler(OperatorSettings settings, ServedPolicyCheck servedPolicyCheck,
      Optional<MtaStsOperator.MxCheck> mxCheck, Clock clock) {
    this.settings = settings;
    this.servedPolicyCheck = servedPolicyCheck;
    this.mxCheck = mxCheck;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, MtaStsPolicy>> prepareEventSources(EventSourceContext<MtaStsPolicy> context) {
    return mxCheck.<List<EventSource<?, MtaStsPolicy>>>map(check -> List.of(
        MxPolling.eventSource(context, new MxLookup(check.settings()), check.interval()))).orElse(List.of());
  }

  @Override
  public UpdateControl<MtaStsPolicy> reconcile(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    String who = policy.getMetadata().getNamespace() + "/" + policy.getMetadata().getName();
    Optional<MtaStsPolicyStatus> previous = Optional.ofNullable(policy.getStatus());
    List<String> discovered = discoveredMx(policy, context, previous);
    List<String> invalid = new java.util.ArrayList<>(PolicySpecValidator.validate(policy));
    if (invalid.isEmpty() && policy.getSpec().discoversMx() && mxCheck.isEmpty()) {
      invalid.add("spec.discoverMx: the operator runs without its MX check (--mx-check-interval=PT0S), so it"
          + " cannot discover MX hosts");
    }
    PolicyContent content = null;
    if (invalid.isEmpty()) {
      try {
        content = PolicyContent.of(policy, discovered);
      } catch (InvalidPolicyException e) {
        invalid.addAll(e.errors());
      }
    }

    Observations observations;
    Optional<WorkflowReconcileResult> workflow = Optional.empty();
    DomainClaims.Decision claims = new DomainClaims.Decision(List.of(), List.of());
    if (!invalid.isEmpty()) {
      // Nothing is applied: what is published stays as it is until the spec is fixed.
      log.warn("policy={} step=validate invalid spec: {}", who, invalid);
      observations = observe(context, policy, invalid, Optional.empty(), claims, List.of());
    } else {
      PolicyIdAllocator.Allocation id = PolicyIdAllocator.allocate(
          previous.map(MtaStsPolicyStatus::getPolicyId), previous.map(MtaStsPolicyStatus::getPolicyHash),
          content.hash(), clock.instant());
      claims = DomainClaims.decide(policy, context.getPrimaryCache().list().toList());
      PublishedPolicy published = new PublishedPolicy(content, id.policyId(), claims.claimed());

      new DesiredInputs(settings, published).putInto(context);
      context.managedWorkflowAndDependentResourceContext().put(ServedPolicyCheck.class, servedPolicyCheck);
      workflow = Optional.of(context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow());
      List<String> applyErrors = workflow.get().getErroredDependents().entrySet().stream()
          .map(e -> describe(e.getKey(), e.getValue()))
          .sorted()
          .toList();
      applyErrors.forEach(error -> log.warn("policy={} step=apply {}", who, error));

      if (id.changed()) {
        String message = "policy id " + id.previousId().orElse("(none)") + " -> " + id.policyId() + ": "
            + id.reason().orElseThrow() + " (policy hash " + content.hash().substring(0, 12) + ")";
        log.info("policy={} step=allocate-id {}", who, message);
        events().emit(policy, PolicyEvents.Reason.PolicyIdChanged, message);
      }
      boolean conflictReported = previous
          .flatMap(s -> ConditionList.find(s.getConditions(), ConditionTypes.READY))
          .filter(c -> Reasons.DOMAIN_CONFLICT.equals(c.getReason()))
          .isPresent();
      if (!conflictReported) {
        for (var conflict : claims.conflicts()) {
          events().emit(policy, PolicyEvents.Reason.DomainConflict, conflict.domain()
              + " is claimed by the older MtaStsPolicy " + conflict.winner() + "; nothing is published for it here");
        }
      }
      observations = observe(context, policy, invalid, Optional.of(published), claims, applyErrors);
      reportUncoveredMx(policy, previous, observations);
    }

    MtaStsPolicyStatus status = PolicyStatusCalculator.compute(observations, previous.orElse(null));
    if (policy.getSpec().discoversMx()) {
      status.setDiscoveredMx(discovered.isEmpty() ? null : discovered);
    }
    if (!sameStatus(previous.orElse(null), status)) {
      MtaStsPolicy fresh = new MtaStsPolicy();
      fresh.setMetadata(new ObjectMetaBuilder()
          .withName(policy.getMetadata().getName())
          .withNamespace(policy.getMetadata().getNamespace())
          .build());
      fresh.setStatus(status);
      // The id is an allocated value: the next reconciliation must see it even before the informer catches up.
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(policy, fresh, context);
      log.debug("policy={} step=status {}", who, status.getConditions());
    }
    // Reported in status above; now let JOSDK retry with its backoff.
    workflow.ifPresent(WorkflowReconcileResult::throwAggregateExceptionIfErrorsPresent);
    return claims.conflicts().isEmpty()
        ? UpdateControl.noUpdate()
        : UpdateControl.<MtaStsPolicy>noUpdate().rescheduleAfter(CONFLICT_RECHECK);
  }

  private Observations observe(Context<MtaStsPolicy> context, MtaStsPolicy policy, List<String> invalid,
      Optional<PublishedPolicy> published, DomainClaims.Decision claims, List<String> applyErrors) {
    Optional<Deployment> deployment = context.getSecondaryResource(Deployment.class);
    RolloutProgress.State rollout = RolloutProgress.of(deployment.orElse(null),
        published.map(p -> p.content().hash()).orElse(null));
    return new Observations(
        Optional.ofNullable(policy.getMetadata().getGeneration()).orElse(0L),
        invalid,
        published,
        claims.conflicts(),
        applyErrors,
        rollout,
        context.managedWorkflowAndDependentResourceContext().get(ServedPolicyCheck.Result.class,
            ServedPolicyCheck.Result.class),
        context.getSecondaryResource(Certificate.class),
        context.getSecondaryResource(DNSEndpoint.class),
        mxCheck.isPresent()
            ? new Observations.MxObservation(true, context.getSecondaryResource(MxRecords.class))
            : Observations.MxObservation.OFF,
        clock.instant());
  }

  /**
   * With spec.discoverMx: the MX hosts of all domains when every lookup succeeded and found some, else the last
   * good list from status, so a DNS failure never empties or shrinks the published policy.
   */
  private List<String> discoveredMx(MtaStsPolicy policy, Context<MtaStsPolicy> context,
      Optional<MtaStsPolicyStatus> previous) {
    List<String> lastGood = previous.map(MtaStsPolicyStatus::getDiscoveredMx).orElse(List.of());
    if (!policy.getSpec().discoversMx() || mxCheck.isEmpty()) {
      return lastGood;
    }
    Optional<MxRecords> records = context.getSecondaryResource(MxRecords.class);
    List<String> domains = policy.getSpec().getDomains();
    if (records.isEmpty() || !records.get().failures().isEmpty()
        || !records.get().hostsByDomain().keySet().containsAll(domains)) {
      return lastGood;
    }
    List<String> found = domains.stream()
        .flatMap(d -> records.get().hostsByDomain().get(d).stream())
        .map(h -> h.toLowerCase(java.util.Locale.ROOT))
        .distinct()
        .sorted()
        .toList();
    return found.isEmpty() ? lastGood : found;
  }

  /** A Warning Event when MX coverage turns False, once per change rather than once per reconciliation. */
  private void reportUncoveredMx(MtaStsPolicy policy, Optional<MtaStsPolicyStatus> previous, Observations seen) {
    var now = PolicyStatusCalculator.compute(seen, previous.orElse(null));
    var covered = ConditionList.find(now.getConditions(), ConditionTypes.MX_COVERED).orElseThrow();
    boolean wasUncovered = previous.flatMap(s -> ConditionList.find(s.getConditions(), ConditionTypes.MX_COVERED))
        .filter(c -> "False".equals(c.getStatus()) && java.util.Objects.equals(c.getMessage(), covered.getMessage()))
        .isPresent();
    if ("False".equals(covered.getStatus()) && !wasUncovered) {
      log.warn("policy={}/{} step=mx-check {}", policy.getMetadata().getNamespace(), policy.getMetadata().getName(),
          covered.getMessage());
      events().emit(policy, PolicyEvents.Reason.MxNotCovered, covered.getMessage());
    }
  }

  /** "Service mail/example-com-policy-server: <the API server's message>", for status and logs. */
  static String describe(DependentResource<?, ?> dependent, Exception error) {
    String kind = dependent.resourceType().getSimpleName();
    Throwable cause = error;
    while (cause.getCause() != null && !(cause instanceof KubernetesClientException)) {
      cause = cause.getCause();
    }
    String message = cause instanceof KubernetesClientException k && k.getStatus() != null
        ? k.getStatus().getMessage()
        : String.valueOf(cause.getMessage());
    return "cannot apply the " + kind + ": " + message;
  }

  private PolicyEvents events() {
    return Objects.requireNonNull(events, "events");
  }

  /** Set once the operator has a client; events go through it. */
  public void setEvents(PolicyEvents events) {
    this.events = events;
  }

  static boolean sameStatus(MtaStsPolicyStatus a, MtaStsPolicyStatus b) {
    return a != null && SERIALIZATION.convertValue(a, com.fasterxml.jackson.databind.JsonNode.class)
        .equals(SERIALIZATION.convertValue(b, com.fasterxml.jackson.databind.JsonNode.class));
  }
}
