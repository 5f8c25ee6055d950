package dev.mtasts.operator;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.MtaStsPolicyStatus;
import dev.mtasts.api.v1alpha1.ConditionTypes;
import dev.mtasts.api.v1alpha1.Reasons;
import dev.mtasts.check.MxLookup;
import dev.mtasts.check.PublishedRecordsLookup;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.desired.PolicyDnsEndpoint;
import dev.mtasts.dnsupdate.DnsUpdateException;
import dev.mtasts.desired.PolicyService;
import dev.mtasts.desired.PolicyServerDeployment;
import dev.mtasts.desired.SharedPolicyServer;
import dev.mtasts.api.v1alpha1.ServerMode;
import dev.mtasts.operator.dependent.SharedPolicyServers;
import dev.mtasts.publication.PolicyServing;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import java.util.stream.Collectors;
import dev.mtasts.operator.condition.ExposedThroughGateway;
import dev.mtasts.operator.condition.ExposedThroughIngress;
import dev.mtasts.operator.condition.ExposedThroughListenerSet;
import dev.mtasts.operator.condition.PolicyHostReady;
import dev.mtasts.api.gatewayapi.ListenerSet;
import dev.mtasts.operator.status.GatewayAttachment;
import dev.mtasts.publication.PolicyExposure;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import dev.mtasts.operator.dependent.PolicyHttpRoutesDependent;
import dev.mtasts.operator.dependent.PolicyListenerSetDependent;
import dev.mtasts.operator.condition.GatewayApiServed;
import dev.mtasts.operator.condition.KeepsDedicatedServer;
import dev.mtasts.operator.condition.PolicyServedByItsServer;
import dev.mtasts.operator.dependent.SharedPolicyServerDependent;
import dev.mtasts.operator.dependent.PolicyCertificateDependent;
import dev.mtasts.operator.dependent.PolicyConfigMapDependent;
import dev.mtasts.operator.dependent.DnsUpdatePublisher;
import dev.mtasts.operator.dependent.PolicyDnsEndpointDependent;
import dev.mtasts.operator.dependent.PolicyDnsUpdateDependent;
import dev.mtasts.operator.dependent.PolicyIngressDependent;
import dev.mtasts.operator.dependent.PolicyServerDeploymentDependent;
import dev.mtasts.operator.dependent.PolicyServiceDependent;
import dev.mtasts.operator.dependent.WorkflowInputs;
import dev.mtasts.operator.status.ConditionList;
import dev.mtasts.operator.status.DnsAnswers;
import dev.mtasts.operator.status.Observations;
import dev.mtasts.operator.status.PolicyEvent;
import dev.mtasts.operator.status.PolicyStatusCalculator;
import dev.mtasts.operator.status.RolloutProgress;
import dev.mtasts.operator.status.ServedPolicy;
import dev.mtasts.publication.MxObservation;
import dev.mtasts.publication.MxRecords;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PolicyIdAllocator;
import dev.mtasts.publication.Publication;
import dev.mtasts.publication.PublishedPolicy;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import dev.mtasts.api.v1alpha1.TlsRptReport;
import dev.mtasts.api.v1alpha1.TlsRptReportSpec;
import dev.mtasts.operator.dependent.WithoutManagedFields;
import dev.mtasts.operator.reports.ReportRetention;
import dev.mtasts.publication.RolloutEvidence;
import dev.mtasts.publication.MxTlsProbes;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the objects of each MtaStsPolicy applied and reports in status what is true. The order is the point: the
 * TXT records, which tell senders to fetch the policy, wait until the pods serving the current policy have rolled
 * out (and, the first time, until the certificate is issued). Each reconciliation observes, decides what is
 * published ({@link Publication}), applies the workflow, computes the status once, records the events the change
 * of status implies, and writes the status if it changed.
 */
// Not generation-aware: status holds the allocated id, so an edit of status alone must be looked at (and undone);
// the events of the operator's own status writes are filtered out (OwnStatusWrites).
@ControllerConfiguration(name = MtaStsPolicyReconciler.NAME, generationAwareEventProcessing = false)
@Workflow(
    explicitInvocation = true,
    handleExceptionsInReconciler = true,
    dependents = {
        @Dependent(name = "policy-file", type = PolicyConfigMapDependent.class),
        // The policy's own server, in mode Dedicated and until a switch to Shared has moved its hosts.
        @Dependent(name = "policy-server", type = PolicyServerDeploymentDependent.class,
            dependsOn = "policy-file", reconcilePrecondition = KeepsDedicatedServer.class),
        @Dependent(name = "policy-service", type = PolicyServiceDependent.class,
            reconcilePrecondition = KeepsDedicatedServer.class),
        // The namespace's shared server (the policy in it or left out); ready when the server the policy asks for,
        // either one, serves it.
        @Dependent(name = "policy-servers", type = SharedPolicyServerDependent.class,
            dependsOn = "policy-file", readyPostcondition = PolicyServedByItsServer.class),
        @Dependent(name = "certificate", type = PolicyCertificateDependent.class,
            readyPostcondition = PolicyHostReady.class),
        // The policy hosts are exposed one way, an Ingress or a Gateway's routes; the Gateway API dependents only
        // where the cluster serves their CRDs, so that an Ingress-only cluster needs none.
        @Dependent(name = "policy-host", type = PolicyIngressDependent.class,
            reconcilePrecondition = ExposedThroughIngress.class),
        @Dependent(name = "policy-listeners", type = PolicyListenerSetDependent.class,
            activationCondition = GatewayApiServed.class,
            reconcilePrecondition = ExposedThroughListenerSet.class),
        @Dependent(name = "policy-routes", type = PolicyHttpRoutesDependent.class,
            activationCondition = GatewayApiServed.class,
            reconcilePrecondition = ExposedThroughGateway.class),
        // RFC 8461 §3.1: a sender that sees a new id fetches the policy at once, so it must already be served.
        @Dependent(name = "dns-records", type = PolicyDnsEndpointDependent.class,
            dependsOn = {"policy-servers", "certificate"})
    })
public class MtaStsPolicyReconciler implements Reconciler<MtaStsPolicy> {

  public static final String NAME = dev.mtasts.operator.dependent.OwnedObjects.FIELD_MANAGER;
  static final String SHARED_ENDPOINTS = "shared-policy-server-endpoints";
  /** How often a resource that lost a domain looks again, so it takes over when the older claim goes away. */
  static final Duration CONFLICT_RECHECK = Duration.ofSeconds(10);
  /**
   * How soon a policy whose pods rolled out but whose Service does not serve it yet looks again: no event of ours
   * follows a lagging endpoint (an old pod still terminating), so without this the id would wait for the next
   * unrelated event.
   */
  static final Duration SERVED_RECHECK = Duration.ofSeconds(2);
  /**
   * How often a policy whose records DNS does not answer yet looks again with no event: answers arrive as events
   * of the DNS poll, but the publish timeout passing is no event.
   */
  static final Duration DNS_RECHECK = Duration.ofSeconds(10);
  /**
   * How often a policy that keeps reports looks again with no event: reports leave the window, expire, and the
   * rollout gate's clean days grow with time alone.
   */
  static final Duration REPORTS_RECHECK = Duration.ofHours(1);

  private static final Logger log = LoggerFactory.getLogger(MtaStsPolicyReconciler.class);

  private final OperatorSettings settings;
  private final ServedPolicyCheck servedPolicyCheck;
  private final Optional<MtaStsOperator.MxCheck> mxCheck;
  private final Optional<MtaStsOperator.DnsCheck> dnsCheck;
  private final Optional<PolicyUrlCheck> policyUrlCheck;
  private final Optional<DnsUpdatePublisher> dnsUpdates;
  private final Clock clock;
  private final OwnStatusWrites ownStatusWrites = new OwnStatusWrites();
  private final SharedPolicyServers sharedServers;
  /** Since when each switching policy's routes point at the wanted server, while the other server still runs. */
  private final Map<ResourceID, Instant> routesMoved = new java.util.concurrent.ConcurrentHashMap<>();
  private InformerEventSource<EndpointSlice, MtaStsPolicy> sharedEndpoints;
  private PolicyEvents events;
  private Optional<Duration> reportRetention = Optional.empty();
  /** How long the server a switch leaves keeps serving after the routes moved away from it. */
  private Duration switchGrace = MtaStsOperator.Options.DEFAULT_SERVER_SWITCH_GRACE;
  private Optional<MtaStsOperator.MxTlsSettings> mxTls = Optional.empty();

  public MtaStsPolicyReconciler(OperatorSettings settings, ServedPolicyCheck servedPolicyCheck,
      Optional<MtaStsOperator.MxCheck> mxCheck, Optional<MtaStsOperator.DnsCheck> dnsCheck, Clock clock) {
    this(settings, servedPolicyCheck, mxCheck, dnsCheck, clock, Optional.empty());
  }

  /** With a publisher, the records are written by RFC 2136 update: see {@link DnsUpdateReconciler}. */
  MtaStsPolicyReconciler(OperatorSettings settings, ServedPolicyCheck servedPolicyCheck,
      Optional<MtaStsOperator.MxCheck> mxCheck, Optional<MtaStsOperator.DnsCheck> dnsCheck, Clock clock,
      Optional<DnsUpdatePublisher> dnsUpdates) {
    this.settings = settings;
    this.sharedServers = new SharedPolicyServers(settings);
    this.dnsUpdates = dnsUpdates;
    this.servedPolicyCheck = servedPolicyCheck;
    this.mxCheck = mxCheck;
    this.dnsCheck = dnsCheck;
    this.policyUrlCheck = dnsCheck.filter(MtaStsOperator.DnsCheck::policyUrl)
        .map(c -> PolicyUrlCheck.asSenders(c.settings()));
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, MtaStsPolicy>> prepareEventSources(EventSourceContext<MtaStsPolicy> context) {
    DomainIndex.addTo(context.getPrimaryCache());
    List<EventSource<?, MtaStsPolicy>> sources = new ArrayList<>();
    mxCheck.ifPresent(check -> {
      var mx = MxPolling.eventSource(context, new MxLookup(check.settings()), check.interval());
      sources.add(mx);
      // The rollout gate's own STARTTLS probe of the hosts MxPolling found, so both see the same MX hosts.
      mxTls.ifPresent(tls -> sources.add(MxTlsProbing.eventSource(context, tls,
          policy -> policy.getSpec() != null && policy.getSpec().getRollout() != null,
          policy -> mx.getSecondaryResource(ResourceID.fromResource(policy)), clock)));
    });
    dnsCheck.ifPresent(check -> sources.add(new DnsAnswerPolling(context,
        new PublishedRecordsLookup(check.settings(), check.source())::lookup, check.interval())));
    // A shared server's pod ready or gone: each policy that asks for it probes again.
    var policies = context.getPrimaryCache();
    sharedEndpoints = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(EndpointSlice.class, MtaStsPolicy.class)
            .withName(SHARED_ENDPOINTS)
            .withLabelSelector("kubernetes.io/service-name=" + SharedPolicyServer.NAME)
            .withSecondaryToPrimaryMapper(slice -> policies.list(slice.getMetadata().getNamespace())
                .filter(p -> PolicyServing.wanted(p, settings) == ServerMode.SHARED)
                .map(ResourceID::fromResource).collect(Collectors.toSet()))
            .withNamespacesInheritedFromController()
            .withItemStore(new WithoutManagedFields<>())
            .build(), context);
    sources.add(sharedEndpoints);
    reportRetention.ifPresent(r -> sources.add(new InformerEventSource<>(
        InformerEventSourceConfiguration.from(TlsRptReport.class, MtaStsPolicy.class)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(MtaStsPolicy.class))
            .withNamespacesInheritedFromController()
            .withItemStore(new WithoutManagedFields<>())
            .build(), context)));
    return sources;
  }

  /** How soon to look again while a switch keeps both servers: often enough not to keep the left one much past
   * the grace. */
  private Duration switchRecheck() {
    Duration floor = Duration.ofMillis(100);
    return switchGrace.compareTo(SERVED_RECHECK) >= 0 ? SERVED_RECHECK
        : switchGrace.compareTo(floor) <= 0 ? floor : switchGrace;
  }

  /** Keeps the server a switch of mode leaves serving for {@code grace} after the routes moved away from it. */
  void keepLeftServerFor(Duration grace) {
    this.switchGrace = grace;
  }

  /** Reads the TlsRptReport objects of each policy into its status and rollout gate, and deletes them after
   * {@code retention}. */
  void keepReports(Duration retention) {
    this.reportRetention = Optional.of(retention);
  }

  /** Probes the live MX hosts of policies with a rollout gate (needs the MX check). */
  void probeMxTls(MtaStsOperator.MxTlsSettings settings) {
    this.mxTls = Optional.of(settings);
  }

  @Override
  public UpdateControl<MtaStsPolicy> reconcile(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    Optional<MtaStsPolicyStatus> previous = Optional.ofNullable(policy.getStatus());
    MxObservation mx = observeMx(context);
    List<TlsRptReportSpec> reports = keptReports(policy, context);
    Publication.Decision decision = Publication.decide(policy, previous, mx,
        DomainIndex.claimants(policy, context.getPrimaryCache()),
        new RolloutEvidence(reports, mxTlsVerdict(mx, context)), settings.reportReceiver().isPresent(),
        clock.instant());
    logDecision(policy, decision);

    Optional<ServerObservation> server = decision.published().map(p -> observeServer(policy, p, context));
    Optional<ServedPolicy> inCluster = server.flatMap(ServerObservation::served);
    Map<String, ServedPolicy> atUrls = decision.published()
        .map(p -> fetchPolicyUrls(policy, p, inCluster, context)).orElse(Map.of());
    Optional<ServedPolicy> served = inCluster.map(s -> ServedPolicy.all(s, atUrls.values()));
    Optional<ConditionList.Decided> gateway = decision.published().flatMap(p -> observeGateway(policy, p, context));
    Optional<WorkflowReconcileResult> workflow = decision.published()
        .map(p -> applyWorkflow(p, served, gateway, server.orElseThrow(), context));
    List<String> applyErrors = new ArrayList<>(workflow.map(w -> applyErrors(policy, w)).orElse(List.of()));
    Optional<DNSEndpoint> records = decision.published()
        .flatMap(p -> handedOver(policy, p, context, applyErrors));

    MtaStsPolicyStatus status = PolicyStatusCalculator.compute(
        observe(policy, decision, applyErrors, server, served, mx, atUrls, records, context).withReports(reports)
            .withGateway(gateway),
        previous.orElse(null));
    PolicyEvent.implied(previous, status, decision.published()).forEach(e -> events().emit(policy, e));
    if (!previous.map(status::equals).orElse(false)) {
      writeStatus(policy, status, context);
    }

    // Reported in status above; now let JOSDK retry with its backoff.
    workflow.ifPresent(WorkflowReconcileResult::throwAggregateExceptionIfErrorsPresent);
    // A switch of server routes the hosts in one reconciliation and deletes the server left only in a later one,
    // which sees the new routes; our own route write is no event, so without this the old server could stay.
    Optional<Duration> recheck = recheck(decision, served, status)
        .or(() -> server.map(ServerObservation::serving).filter(s -> s.keepsDedicated() && s.inShared())
            .map(s -> switchRecheck()))
        .or(() -> reportRetention.isPresent() && (status.getReports() != null || status.getRollout() != null)
            ? Optional.of(REPORTS_RECHECK) : Optional.empty());
    return recheck.map(UpdateControl.<MtaStsPolicy>noUpdate()::rescheduleAfter).orElseGet(UpdateControl::noUpdate);
  }

  /** Whether every live MX host passed the operator's STARTTLS probe, in words for the rollout gate. */
  private RolloutEvidence.MxTlsVerdict mxTlsVerdict(MxObservation mx, Context<MtaStsPolicy> context) {
    if (mxTls.isEmpty() || mx.records().isEmpty()) {
      return RolloutEvidence.MxTlsVerdict.NOT_PROBED;
    }
    Optional<MxTlsProbes> probes = context.getSecondaryResource(MxTlsProbes.class);
    if (probes.isEmpty()) {
      return new RolloutEvidence.MxTlsVerdict(false, "the MX hosts have not been probed yet");
    }
    Instant now = clock.instant();
    List<String> problems = probes.get().problems(mx.records().get(), now);
    return problems.isEmpty()
        ? new RolloutEvidence.MxTlsVerdict(true, "every MX host offers STARTTLS with a valid certificate for its name")
        : new RolloutEvidence.MxTlsVerdict(false, String.join("; ", problems));
  }

  /** The reports stored for the policy, after deleting those whose period ended longer than the retention ago. */
  private List<TlsRptReportSpec> keptReports(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    if (reportRetention.isEmpty()) {
      return List.of();
    }
    Instant expired = clock.instant().minus(reportRetention.get());
    List<TlsRptReportSpec> kept = new ArrayList<>();
    for (TlsRptReport report : context.getSecondaryResources(TlsRptReport.class)) {
      if (ReportRetention.endedBefore(report.getSpec(), expired)) {
        log.info("policy={} step=report-retention deleting {} (ended {})", who(policy),
            report.getMetadata().getName(), report.getSpec().getEndDatetime());
        context.getClient().resource(report).delete();
      } else {
        kept.add(report.getSpec());
      }
    }
    return kept;
  }

  /**
   * When to look again though nothing we watch may change: a lagging served policy, DNS that may stay behind
   * past the publish timeout, a lost domain claim.
   */
  static Optional<Duration> recheck(Publication.Decision decision, Optional<ServedPolicy> served,
      MtaStsPolicyStatus status) {
    if (served.filter(s -> !s.allowsPublication()).isPresent()) {
      return Optional.of(SERVED_RECHECK);
    }
    boolean waitingForDns = ConditionList.find(status.getConditions(), ConditionTypes.DNS_PUBLISHED)
        .filter(c -> Reasons.WAITING_FOR_DNS.equals(c.getReason())
            || Reasons.WAITING_FOR_EXTERNAL_DNS.equals(c.getReason())).isPresent();
    if (waitingForDns) {
      return Optional.of(DNS_RECHECK);
    }
    boolean conflicted = decision.published().map(p -> !p.conflicts().isEmpty()).orElse(false);
    return conflicted ? Optional.of(CONFLICT_RECHECK) : Optional.empty();
  }

  private MxObservation observeMx(Context<MtaStsPolicy> context) {
    return mxCheck.isEmpty() ? MxObservation.OFF
        : new MxObservation(true, context.getSecondaryResource(MxRecords.class));
  }

  /**
   * Which server the policy asks for and where it is routed, and whether the one it asks for serves the current
   * policy: its own server is fetched through its Service once the pods carrying the policy have rolled out (before
   * that the answer can only be the old policy, or none); the shared server on every ready endpoint, once its
   * rollout holds the policy's hosts (the content itself comes by the kubelet's refresh, not a rollout).
   */
  private ServerObservation observeServer(MtaStsPolicy policy, PublishedPolicy published,
      Context<MtaStsPolicy> context) {
    String namespace = policy.getMetadata().getNamespace();
    String hash = published.content().hash();
    ServerMode wanted = PolicyServing.wanted(policy, settings);
    RolloutProgress.State rollout;
    Optional<ServedPolicy> served = Optional.empty();
    if (wanted == ServerMode.SHARED) {
      SharedPolicyServer.Member member = SharedPolicyServer.Member.of(policy, settings, published);
      rollout = sharedServers.rollout(namespace, member, context);
      if (rollout.complete()) {
        served = Optional.of(EndpointProbe.probe(sharedEndpoints.list(namespace).toList(), namespace,
            SharedPolicyServer.NAME, PolicyServerDeployment.PORT_NAME, member.hosts(), hash));
      }
    } else {
      rollout = RolloutProgress.of(dedicatedServer(policy, context).orElse(null), hash);
      if (rollout.complete()) {
        served = Optional.of(servedPolicyCheck.check(namespace, ObjectNames.policyServer(policy), PolicyService.PORT,
            hash));
      }
    }
    boolean wantedServes = rollout.complete() && served.map(ServedPolicy::allowsPublication).orElse(false);
    java.util.EnumSet<ServerMode> running = java.util.EnumSet.noneOf(ServerMode.class);
    if (dedicatedServer(policy, context).isPresent()) {
      running.add(ServerMode.DEDICATED);
    }
    if (sharedServers.holds(namespace, policy.getMetadata().getName(), context)) {
      running.add(ServerMode.SHARED);
    }
    Optional<ServerMode> routed = routed(policy, context);
    // The routes moved to the wanted server: keep the other one a few seconds more, as the ingress controller
    // applies the new backend a moment after the Ingress changed.
    boolean settled = routed.filter(wanted::equals).map(r -> settled(policy, running.size() > 1)).orElse(true);
    return new ServerObservation(PolicyServing.decide(wanted, routed, wantedServes && settled, running),
        rollout, served);
  }

  /**
   * Whether the policy's routes have pointed at the wanted server for the switch grace while another server
   * still holds it; remembered in memory (after a restart the other server goes at once, the restart having taken
   * longer than that).
   */
  private boolean settled(MtaStsPolicy policy, boolean otherRunning) {
    ResourceID id = ResourceID.fromResource(policy);
    if (!otherRunning) {
      routesMoved.remove(id);
      return true;
    }
    Instant since = routesMoved.computeIfAbsent(id, i -> clock.instant());
    return !clock.instant().isBefore(since.plus(switchGrace));
  }

  /** What {@link #observeServer} found. */
  record ServerObservation(PolicyServing serving, RolloutProgress.State rollout, Optional<ServedPolicy> served) {}

  @SuppressWarnings("unchecked")
  private static Optional<Deployment> dedicatedServer(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    // By name: the informer also holds the namespace's shared Deployment, which this policy may own too.
    return ((ResourceCache<Deployment>) context.eventSourceRetriever().getEventSourceFor(Deployment.class))
        .get(new ResourceID(ObjectNames.policyServer(policy), policy.getMetadata().getNamespace()));
  }

  /** Where the policy's hosts are routed now: the backend of its Ingress, else of its HTTPRoutes. */
  private Optional<ServerMode> routed(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    Optional<ServerMode> throughIngress = context.getSecondaryResource(Ingress.class)
        .flatMap(i -> SharedPolicyServers.routedTo(policy, i));
    if (throughIngress.isPresent() || !settings.gatewayApi()) {
      return throughIngress;
    }
    try {
      return context.getSecondaryResources(HTTPRoute.class).stream()
          .flatMap(r -> r.getSpec().getRules().stream())
          .flatMap(r -> r.getBackendRefs() == null ? java.util.stream.Stream.empty() : r.getBackendRefs().stream())
          .map(b -> SharedPolicyServers.routedTo(policy, b.getName()))
          .flatMap(Optional::stream)
          .findFirst();
    } catch (RuntimeException e) {
      // No HTTPRoute informer where the cluster serves no Gateway API.
      return Optional.empty();
    }
  }

  /**
   * The records as handed over: the DNSEndpoint external-dns reads, or, with the RFC 2136 publisher, what the
   * zone's primary holds now (a failure to read it is an apply error, named in Ready).
   */
  private Optional<DNSEndpoint> handedOver(MtaStsPolicy policy, PublishedPolicy published,
      Context<MtaStsPolicy> context, List<String> errors) {
    if (dnsUpdates.isEmpty()) {
      return context.getSecondaryResource(DNSEndpoint.class);
    }
    try {
      return Optional.of(dnsUpdates.get().handedOver(PolicyDnsEndpoint.desired(policy, settings, published)));
    } catch (DnsUpdateException | IllegalArgumentException e) {
      errors.add("cannot read the TXT records from the primary: " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Fetches each domain's policy URL as a sender would, once the fetch through the Service allows it and while
   * the records do not carry the current id yet: the gate before the first publication and before each new id.
   */
  private Map<String, ServedPolicy> fetchPolicyUrls(MtaStsPolicy policy, PublishedPolicy published,
      Optional<ServedPolicy> inCluster, Context<MtaStsPolicy> context) {
    if (policyUrlCheck.isEmpty() || inCluster.filter(ServedPolicy::allowsPublication).isEmpty()) {
      return Map.of();
    }
    boolean out = handedOver(policy, published, context, new ArrayList<>())
        .map(e -> PolicyStatusCalculator.carries(e, published)).orElse(false);
    if (out) {
      return Map.of();
    }
    Map<String, ServedPolicy> fetched = new LinkedHashMap<>();
    published.domains().forEach(d -> fetched.put(d, policyUrlCheck.get().check(d, published.content().hash())));
    return fetched;
  }

  /**
   * Through a Gateway, what its controller reports on our routes and listeners, as the informers hold them before
   * this workflow applies anything: the gate of the first TXT records and a step of Ready.
   */
  private Optional<ConditionList.Decided> observeGateway(MtaStsPolicy policy, PublishedPolicy published,
      Context<MtaStsPolicy> context) {
    Optional<PolicyExposure.ThroughGateway> through = PolicyExposure.of(policy, settings).gateway();
    if (through.isPresent() && !settings.gatewayApi()) {
      return Optional.of(ConditionList.Decided.isFalse(ConditionTypes.GATEWAY_ACCEPTED, Reasons.WAITING_FOR_GATEWAY,
          "the operator runs with --gateway-api=false (the chart's gatewayApi.enabled), so it makes no HTTPRoute"));
    }
    return through.map(gateway -> GatewayAttachment.of(gateway,
        published.domains(), context.getSecondaryResources(HTTPRoute.class),
        context.getSecondaryResources(ListenerSet.class).stream().findFirst()));
  }

  private WorkflowReconcileResult applyWorkflow(PublishedPolicy published, Optional<ServedPolicy> served,
      Optional<ConditionList.Decided> gateway, ServerObservation server, Context<MtaStsPolicy> context) {
    new WorkflowInputs(settings, published, served, dnsUpdates, gateway, server.serving(), server.rollout(),
        sharedServers).putInto(context);
    return context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
  }

  private Observations observe(MtaStsPolicy policy, Publication.Decision decision, List<String> applyErrors,
      Optional<ServerObservation> server, Optional<ServedPolicy> served, MxObservation mx,
      Map<String, ServedPolicy> atUrls, Optional<DNSEndpoint> records, Context<MtaStsPolicy> context) {
    RolloutProgress.State rollout = server.map(ServerObservation::rollout)
        .orElseGet(() -> RolloutProgress.of(dedicatedServer(policy, context).orElse(null), null));
    return new Observations(
        Optional.ofNullable(policy.getMetadata().getGeneration()).orElse(0L),
        decision,
        applyErrors,
        rollout,
        served,
        context.getSecondaryResource(Certificate.class),
        records,
        mx,
        dnsCheck.map(c -> new DnsAnswers.Observation(true, context.getSecondaryResource(DnsAnswers.class),
            c.publishTimeout(), dnsUpdates.map(u -> DnsAnswers.Observation.primary(u.primary()))
                .orElse(DnsAnswers.Observation.EXTERNAL_DNS))).orElse(DnsAnswers.Observation.OFF),
        atUrls,
        clock.instant());
  }

  private void writeStatus(MtaStsPolicy policy, MtaStsPolicyStatus status, Context<MtaStsPolicy> context) {
    MtaStsPolicy fresh = new MtaStsPolicy();
    fresh.setMetadata(new ObjectMetaBuilder()
        .withName(policy.getMetadata().getName())
        .withNamespace(policy.getMetadata().getNamespace())
        .build());
    fresh.setStatus(status);
    // The id is an allocated value: the next reconciliation must see it even before the informer catches up.
    ownStatusWrites.wrote(PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(policy, fresh, context));
    log.debug("policy={} step=status {}", who(policy), status.getConditions());
  }

  private static void logDecision(MtaStsPolicy policy, Publication.Decision decision) {
    if (!decision.isValid()) {
      // Nothing is applied: what is published stays as it is until the spec is fixed.
      log.warn("policy={} step=validate invalid spec: {}", who(policy), decision.errors());
    }
    decision.published().map(PublishedPolicy::id).filter(PolicyIdAllocator.Allocation::changed)
        .ifPresent(id -> log.info("policy={} step=allocate-id {}", who(policy), id.describe()));
  }

  private static List<String> applyErrors(MtaStsPolicy policy, WorkflowReconcileResult workflow) {
    List<String> errors = workflow.getErroredDependents().entrySet().stream()
        .map(e -> describe(e.getKey(), e.getValue()))
        .sorted()
        .toList();
    errors.forEach(error -> log.warn("policy={} step=apply {}", who(policy), error));
    return errors;
  }

  /** "cannot apply the Service: <the API server's message>", for status and logs. */
  static String describe(DependentResource<?, ?> dependent, Exception error) {
    if (dependent instanceof PolicyDnsUpdateDependent) {
      Throwable cause = error;
      while (cause.getCause() != null && !(cause instanceof DnsUpdateException)) {
        cause = cause.getCause();
      }
      return "cannot update the TXT records by RFC 2136: " + cause.getMessage();
    }
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

  private static String who(MtaStsPolicy policy) {
    return policy.getMetadata().getNamespace() + "/" + policy.getMetadata().getName();
  }

  private PolicyEvents events() {
    return Objects.requireNonNull(events, "events");
  }

  /** Set once the operator has a client; events go through it. */
  public void setEvents(PolicyEvents events) {
    this.events = events;
  }

  /** Drops the watch events of the operator's own status writes; registered with the controller. */
  OwnStatusWrites ownStatusWrites() {
    return ownStatusWrites;
  }
}
