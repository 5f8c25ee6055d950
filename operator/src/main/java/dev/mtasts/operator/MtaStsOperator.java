package dev.mtasts.operator;

import com.sun.net.httpserver.HttpServer;
import dev.mtasts.check.CheckSettings;
import dev.mtasts.check.PublishedRecordsLookup;
import dev.mtasts.dnsupdate.TsigKey;
import dev.mtasts.dnsupdate.TxtRecordWriter;
import dev.mtasts.operator.dependent.DnsUpdatePublisher;
import dev.mtasts.operator.dependent.WithoutManagedFields;
import dev.mtasts.publication.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import dev.mtasts.operator.reports.ClusterReportStore;
import dev.mtasts.operator.reports.ParsingIntake;
import dev.mtasts.operator.reports.ReportMetrics;
import dev.mtasts.reports.HttpsReportReceiver;
import dev.mtasts.reports.ImapMailboxSettings;
import dev.mtasts.reports.ImapReportPoller;
import dev.mtasts.tlsrpt.ReportParser;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running operator: JOSDK with our reconciler, leader election, and health and metrics endpoints. */
public final class MtaStsOperator implements AutoCloseable {

  /** How the operator runs, from {@code run}'s flags. */
  public record Options(
      OperatorSettings settings,
      Set<String> namespaces,
      Optional<LeaderElection> leaderElection,
      int healthPort,
      int metricsPort,
      Optional<MxCheck> mxCheck,
      Optional<DnsCheck> dnsCheck,
      Optional<DnsUpdate> dnsUpdate,
      Optional<MxTlsSettings> mxTls,
      Optional<Reports> reports,
      Duration serverSwitchGrace) {

    /**
     * How long the server a switch of {@code spec.server.mode} leaves keeps serving after the routes moved away from
     * it: the ingress controller (or Gateway) applies the new backend a moment after the route object changed.
     */
    public static final String SERVER_SWITCH_GRACE = "PT5S";
    public static final Duration DEFAULT_SERVER_SWITCH_GRACE = Duration.parse(SERVER_SWITCH_GRACE);

    public Options(OperatorSettings settings, Set<String> namespaces, Optional<LeaderElection> leaderElection,
        int healthPort, int metricsPort, Optional<MxCheck> mxCheck, Optional<DnsCheck> dnsCheck,
        Optional<DnsUpdate> dnsUpdate, Optional<MxTlsSettings> mxTls, Optional<Reports> reports) {
      this(settings, namespaces, leaderElection, healthPort, metricsPort, mxCheck, dnsCheck, dnsUpdate, mxTls,
          reports, DEFAULT_SERVER_SWITCH_GRACE);
    }

    public Options withServerSwitchGrace(Duration grace) {
      return new Options(settings, namespaces, leaderElection, healthPort, metricsPort, mxCheck, dnsCheck, dnsUpdate,
          mxTls, reports, grace);
    }

    public Options(OperatorSettings settings, Set<String> namespaces, Optional<LeaderElection> leaderElection,
        int healthPort, int metricsPort, Optional<MxCheck> mxCheck, Optional<DnsCheck> dnsCheck,
        Optional<DnsUpdate> dnsUpdate, Optional<MxTlsSettings> mxTls) {
      this(settings, namespaces, leaderElection, healthPort, metricsPort, mxCheck, dnsCheck, dnsUpdate, mxTls,
          Optional.empty());
    }

    public Options(OperatorSettings settings, Set<String> namespaces, Optional<LeaderElection> leaderElection,
        int healthPort, int metricsPort, Optional<MxCheck> mxCheck, Optional<DnsCheck> dnsCheck,
        Optional<DnsUpdate> dnsUpdate) {
      this(settings, namespaces, leaderElection, healthPort, metricsPort, mxCheck, dnsCheck, dnsUpdate,
          Optional.empty());
    }

    public Options(OperatorSettings settings, Set<String> namespaces, Optional<LeaderElection> leaderElection,
        int healthPort, int metricsPort, Optional<MxCheck> mxCheck) {
      this(settings, namespaces, leaderElection, healthPort, metricsPort, mxCheck, Optional.empty());
    }

    public Options(OperatorSettings settings, Set<String> namespaces, Optional<LeaderElection> leaderElection,
        int healthPort, int metricsPort, Optional<MxCheck> mxCheck, Optional<DnsCheck> dnsCheck) {
      this(settings, namespaces, leaderElection, healthPort, metricsPort, mxCheck, dnsCheck, Optional.empty());
    }
  }

  /**
   * The records written by RFC 2136 update instead of through external-dns ({@code --dns-publisher=rfc2136}).
   *
   * @param primary the zones' primary server, which takes the updates
   * @param key the TSIG key its update ACL allows
   * @param timeout for each exchange with it
   */
  public record DnsUpdate(InetSocketAddress primary, TsigKey key, Duration timeout) {}

  /**
   * TLS-RPT reports kept as TlsRptReport objects: received over HTTPS (the policy servers pass POSTs on to
   * {@code receiverPort}; -1 for none) and read from {@code mailbox}, read into each policy's status and rollout
   * gate, deleted after {@code retention}.
   */
  public record Reports(Duration retention, int receiverPort, Optional<ImapMailboxSettings> mailbox,
      Optional<String> receiverHost, int dailyLimit) {

    /** The receiver on every interface, as in a pod. */
    public Reports(Duration retention, int receiverPort, Optional<ImapMailboxSettings> mailbox) {
      this(retention, receiverPort, mailbox, Optional.empty(), ClusterReportStore.MAX_REPORTS_PER_POLICY_PER_DAY);
    }

    /** Storing at most {@code limit} new reports per policy per day (per replica). */
    public Reports withDailyLimit(int limit) {
      return new Reports(retention, receiverPort, mailbox, receiverHost, limit);
    }

    /** Only reading the stored reports, receiving none (the tests that store reports themselves). */
    public Reports(Duration retention) {
      this(retention, -1, Optional.empty());
    }

    /** The receiver on one address only (tests on a loopback address of their own). */
    public Reports onHost(String host) {
      return new Reports(retention, receiverPort, mailbox, Optional.of(host), dailyLimit);
    }
  }

  /**
   * The operator's own STARTTLS probe of each live MX host of a policy with a rollout gate
   * ({@code --mx-tls-check-interval}): TLS reports can be forged, so the gate to enforce also needs this.
   *
   * @param settings the resolver for the hosts' addresses, the CAs to trust, the timeout of each query, connection
   *     and read, and the SMTP port (25, as senders connect)
   * @param interval how often a passing host is probed again (a failed one every minute, a new one at once)
   * @param concurrency how many probes may run at once
   */
  public record MxTlsSettings(CheckSettings settings, Duration interval, int concurrency) {}

  /** Polling of the domains' live MX records for the MxCovered condition: the resolver to ask, and how often. */
  public record MxCheck(CheckSettings settings, Duration interval) {}

  /**
   * Looking at what senders find, for DnsPublished and the gate before each new id.
   *
   * @param settings the resolver (for NS, address and, with source RESOLVER, TXT lookups), trust and timeout
   * @param source where the TXT records are asked: the zone's authoritative servers or the resolver
   * @param interval how often published records are looked up again (every 2 s while a change is awaited)
   * @param publishTimeout how long after the records were handed over DNS may differ before DnsNotAnswering
   * @param policyUrl whether the policy URL is fetched as a sender would before each new id
   */
  public record DnsCheck(CheckSettings settings, PublishedRecordsLookup.Source source, Duration interval,
      Duration publishTimeout, boolean policyUrl) {}

  /**
   * The Lease that lets one of several replicas reconcile at a time; identity names this replica. A replica that
   * loses the Lease exits (exitOnStopLeading), so two never write at once; tests that stop a leader on purpose
   * turn that off.
   */
  public record LeaderElection(String leaseName, String leaseNamespace, String identity, boolean exitOnStopLeading) {}

  private static final Logger log = LoggerFactory.getLogger(MtaStsOperator.class);

  private final Operator operator;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private HttpServer healthServer;
  private HttpServer metricsServer;
  private final KubernetesClient client;
  private final Clock clock;
  private ClusterReportStore reportStore;
  private HttpsReportReceiver reportReceiver;
  private ImapReportPoller mailbox;
  private final Options options;
  private final AtomicBoolean closing = new AtomicBoolean();

  public MtaStsOperator(KubernetesClient client, Options options, ServedPolicyCheck servedPolicyCheck, Clock clock) {
    this.options = options;
    this.client = client;
    this.clock = clock;
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client)
          // Totals per controller, not per resource: a thousand policies must not mean a thousand series each.
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
          .withStopOnInformerErrorDuringStartup(true)
          .withInformerStoppedHandler(this::informerStopped)
          // JOSDK does not mark its own Deployment writes (a matcher that misread the Deployment controller's
          // changes would apply forever); AppliedObjectMatcher reads only our fields, so the event of our own
          // create is filtered like any other, and a rollout's status changes still reach the reconciler.
          .withPreviousAnnotationForDependentResourcesBlocklist(Set.of())
          .withCloseClientOnStop(false); // the caller owns the client
      options.leaderElection().ifPresent(le ->
          o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(le.leaseName(), le.leaseNamespace(),
              LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
              LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
              LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
              le.identity(), new LeaderCallbacks(this::startLeading, () -> lostLease(le), leader -> { }),
              // JOSDK's own exit also fires when we stop on purpose, from inside a shutdown hook, where
              // System.exit blocks forever; lostLease exits only when the Lease was lost.
              false)));
    });
    MtaStsPolicyReconciler reconciler = options.dnsUpdate()
        .<MtaStsPolicyReconciler>map(u -> new DnsUpdateReconciler(options.settings(), servedPolicyCheck,
            options.mxCheck(), options.dnsCheck(), clock,
            new DnsUpdatePublisher(new TxtRecordWriter(u.primary(), u.key(), u.timeout()))))
        .orElseGet(() -> new MtaStsPolicyReconciler(options.settings(), servedPolicyCheck, options.mxCheck(),
            options.dnsCheck(), clock));
    reconciler.setEvents(new PolicyEvents(client, clock));
    options.mxTls().ifPresent(reconciler::probeMxTls);
    options.reports().ifPresent(r -> reconciler.keepReports(r.retention()));
    reconciler.keepLeftServerFor(options.serverSwitchGrace());
    operator.register(reconciler, config -> {
      config.withOnUpdateFilter(reconciler.ownStatusWrites());
      config.withItemStore(new WithoutManagedFields<>());
      if (options.namespaces().isEmpty()) {
        config.watchingAllNamespaces();
      } else {
        config.settingNamespaces(options.namespaces());
      }
    });
  }

  private void lostLease(LeaderElection leaderElection) {
    if (closing.get() || !leaderElection.exitOnStopLeading()) {
      return;
    }
    log.error("step=leader-election lost the Lease {}/{}; exiting so that only the new leader writes",
        leaderElection.leaseNamespace(), leaderElection.leaseName());
    System.exit(1);
  }

  /** The mailbox is polled by the leader alone: every replica could (reports are stored once), but need not. */
  private void startLeading() {
    if (mailbox != null) {
      mailbox.start();
    }
  }

  /**
   * The report receivers run on every replica (the Service in front of the receiver port picks any), each with
   * its own store and informer of the policies, so that a replica that is not the leader stores reports too.
   */
  private void startReports(Reports reports) {
    if (reports.receiverPort() < 0 && reports.mailbox().isEmpty()) {
      return;
    }
    reportStore = ClusterReportStore.start(client, options.namespaces(), clock, new ReportMetrics(registry),
        reports.dailyLimit());
    ParsingIntake intake = new ParsingIntake(new ReportParser(), reportStore);
    if (reports.receiverPort() >= 0) {
      HttpsReportReceiver.Settings settings = reports.receiverHost()
          .map(host -> HttpsReportReceiver.Settings.on(new InetSocketAddress(host, reports.receiverPort())))
          .orElseGet(() -> HttpsReportReceiver.Settings.defaults(reports.receiverPort()));
      reportReceiver = HttpsReportReceiver.start(settings, intake, registry);
    }
    reports.mailbox().ifPresent(m -> {
      mailbox = new ImapReportPoller(m, intake, registry);
      if (options.leaderElection().isEmpty()) {
        mailbox.start();
      }
    });
    log.info("step=start receiving TLS-RPT reports: {}{}",
        reports.receiverPort() >= 0 ? "https (through the policy servers) on port " + reportReceiver.port() : "",
        reports.mailbox().map(m -> (reports.receiverPort() >= 0 ? ", " : "") + "mail from " + m).orElse(""));
  }

  /** The receiver's port (the one given, or the one picked for port 0); empty when none runs. */
  public Optional<Integer> reportReceiverPort() {
    return Optional.ofNullable(reportReceiver).map(HttpsReportReceiver::port);
  }

  /** What {@code /metrics} serves (Prometheus text format), for callers that run no metrics port. */
  public String scrapeMetrics() {
    return registry.scrape();
  }

  public void start() throws IOException {
    if (options.healthPort() >= 0) {
      healthServer = HttpServer.create(new InetSocketAddress(options.healthPort()), 0);
      // Alive while the process answers; ready once the informers are synced and healthy.
      healthServer.createContext("/healthz", exchange -> respond(exchange, 200, "ok\n"));
      healthServer.createContext("/readyz", exchange -> {
        boolean ready = operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
        respond(exchange, ready ? 200 : 503, ready ? "ready\n" : "not ready\n");
      });
      healthServer.start();
    }
    if (options.metricsPort() >= 0) {
      metricsServer = HttpServer.create(new InetSocketAddress(options.metricsPort()), 0);
      metricsServer.createContext("/metrics", exchange -> respond(exchange, 200, registry.scrape()));
      metricsServer.start();
    }
    options.reports().ifPresent(this::startReports);
    operator.start();
    log.info("step=start operator started, watching {}, health port {}, metrics port {}",
        options.namespaces().isEmpty() ? "all namespaces" : options.namespaces(), options.healthPort(),
        options.metricsPort());
  }

  public Operator operator() {
    return operator;
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, int code, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * As JOSDK's own handler, which exits the process when a running informer fails (the operator would run blind),
   * except while we stop: an informer registered at that moment (the Gateway API ones are, on first use) then
   * fails on the closing client, and that must not turn an orderly stop into exit 1.
   */
  @SuppressWarnings("rawtypes")
  private void informerStopped(io.fabric8.kubernetes.client.informers.SharedIndexInformer informer, Throwable error) {
    if (error == null || !informer.hasSynced() || closing.get()) {
      log.debug("step=stop informer stopped: {} (synced {}, stopping {}): {}", informer, informer.hasSynced(),
          closing.get(), String.valueOf(error));
      return;
    }
    log.error("step=informer informer {} failed; stopping the operator", informer, error);
    System.exit(1);
  }

  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    if (mailbox != null) {
      mailbox.close();
    }
    if (reportReceiver != null) {
      reportReceiver.close();
    }
    operator.stop();
    if (reportStore != null) {
      reportStore.close();
    }
    if (healthServer != null) {
      healthServer.stop(0);
    }
    if (metricsServer != null) {
      metricsServer.stop(0);
    }
  }
}
