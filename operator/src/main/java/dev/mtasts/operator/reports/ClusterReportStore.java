package dev.mtasts.operator.reports;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.TlsRptReport;
import dev.mtasts.desired.PolicyReport;
import dev.mtasts.publication.DomainClaims;
import dev.mtasts.publication.Publication;
import dev.mtasts.reports.IntakeOutcome;
import dev.mtasts.reports.ReportIntake;
import dev.mtasts.tlsrpt.TlsReport;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps received reports as TlsRptReport objects beside the policy that publishes their domain. Every replica runs
 * one (the receivers run on every replica): it has its own informer of the policies, and the
 * object's name makes a report stored twice one object (the API server's create is the deduplication, so two
 * replicas racing store it once).
 */
public final class ClusterReportStore implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ClusterReportStore.class);
  /**
   * New reports stored per policy per day, per replica: real senders send one a day each, so this is room for a
   * thousand senders, and a flood of forged reports with fresh report-ids cannot grow etcd without bound.
   */
  public static final int MAX_REPORTS_PER_POLICY_PER_DAY = 1000;

  private final KubernetesClient client;
  private final List<SharedIndexInformer<MtaStsPolicy>> policies;
  private final Clock clock;
  private final ReportMetrics metrics;
  private final Map<String, DailyCount> storedToday = new java.util.concurrent.ConcurrentHashMap<>();

  /** Reports stored for one policy on one UTC day. */
  private record DailyCount(long day, int count) {}

  private final int maxPerDay;

  private ClusterReportStore(KubernetesClient client, List<SharedIndexInformer<MtaStsPolicy>> policies, Clock clock,
      ReportMetrics metrics, int maxPerDay) {
    this.maxPerDay = maxPerDay;
    this.client = client;
    this.policies = policies;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Watches the policies of {@code namespaces} (every namespace when empty) and waits until the cache is filled. */
  public static ClusterReportStore start(KubernetesClient client, Set<String> namespaces, Clock clock,
      ReportMetrics metrics) {
    return start(client, namespaces, clock, metrics, MAX_REPORTS_PER_POLICY_PER_DAY);
  }

  /** As above, storing at most {@code maxPerDay} new reports per policy per day. */
  public static ClusterReportStore start(KubernetesClient client, Set<String> namespaces, Clock clock,
      ReportMetrics metrics, int maxPerDay) {
    List<SharedIndexInformer<MtaStsPolicy>> informers = new ArrayList<>();
    if (namespaces.isEmpty()) {
      informers.add(client.resources(MtaStsPolicy.class).inAnyNamespace().runnableInformer(0));
    } else {
      namespaces.forEach(ns -> informers.add(client.resources(MtaStsPolicy.class).inNamespace(ns).runnableInformer(0)));
    }
    for (SharedIndexInformer<MtaStsPolicy> informer : informers) {
      informer.start().toCompletableFuture().join();
    }
    return new ClusterReportStore(client, informers, clock, metrics, maxPerDay);
  }

  /**
   * Stores the parts of {@code report} about domains a policy publishes, one object per policy.
   *
   * @param onlyDomain when the report came through a policy host, the domain of that host: a report posted to
   *     mta-sts.a.example about b.example is not ours to take from that host
   */
  public IntakeOutcome store(TlsReport report, ReportIntake.Channel channel, Optional<String> onlyDomain) {
    if (onlyDomain.isPresent() && report.policyDomains().stream().noneMatch(onlyDomain.get()::equalsIgnoreCase)) {
      // Whether another policy publishes those domains is not for this host's sender to learn.
      return IntakeOutcome.notOurs("the report is about " + String.join(", ", report.policyDomains()) + ", not "
          + onlyDomain.get() + ": a policy host takes reports about its own domain only");
    }
    Map<MtaStsPolicy, List<String>> byOwner = new LinkedHashMap<>();
    for (String domain : report.policyDomains()) {
      if (onlyDomain.isPresent() && !onlyDomain.get().equalsIgnoreCase(domain)) {
        continue;
      }
      owner(domain).ifPresent(owner -> byOwner.computeIfAbsent(owner, o -> new ArrayList<>()).add(domain));
    }
    if (byOwner.isEmpty()) {
      return IntakeOutcome.notOurs("no MtaStsPolicy publishes " + String.join(", ", report.policyDomains())
          + onlyDomain.map(d -> " through the policy host of " + d).orElse(""));
    }
    int stored = 0;
    List<String> where = new ArrayList<>();
    for (var entry : byOwner.entrySet()) {
      MtaStsPolicy policy = entry.getKey();
      TlsRptReport object = PolicyReport.desired(policy, report, entry.getValue(),
          channel.name().toLowerCase(Locale.ROOT), clock.instant());
      String name = policy.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
      if (atDailyLimit(policy)) {
        log.warn("step=report refused {}: more than {} new reports today for this policy", name,
            maxPerDay);
        return IntakeOutcome.unavailable("more than " + maxPerDay + " new reports today for"
            + " the policy of " + String.join(", ", entry.getValue()) + "; retry tomorrow");
      }
      try {
        client.resource(object).create();
        countStored(policy);
        stored++;
        metrics.stored(policy, object.getSpec());
        log.info("step=report stored {} from {} ({}), {} successful, {} failed sessions", name,
            report.organizationName(), report.reportId(), object.getSpec().getSuccessfulSessions(),
            object.getSpec().getFailedSessions());
      } catch (KubernetesClientException e) {
        if (refusedForGood(e.getCode())) {
          // The object itself is refused (too large, invalid): sending it again cannot help.
          log.warn("step=report refused {}: the API server refuses the object: {}", name, e.getMessage());
          return IntakeOutcome.malformed("the report cannot be stored: the API server refuses it ("
              + e.getCode() + ")");
        }
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          log.warn("step=report cannot store {}: {}", name, e.getMessage());
          return IntakeOutcome.unavailable("the report could not be stored now: " + e.getMessage());
        }
      }
      where.add(name);
    }
    String message = String.join(", ", where);
    return stored > 0 ? IntakeOutcome.stored(message) : IntakeOutcome.duplicate("already stored as " + message);
  }

  /**
   * 400, 413 and 422 refuse the object for what it is; 401, 403 (our RBAC), 404 (no CRD yet), 409 (stored
   * before), 429 and 5xx are about the moment or the cluster.
   */
  static boolean refusedForGood(int code) {
    return code == HttpURLConnection.HTTP_BAD_REQUEST || code == HttpURLConnection.HTTP_ENTITY_TOO_LARGE
        || code == 422;
  }

  /**
   * Whether the policy had its day's worth of new reports. Only stored ones count: a replayed report-id, which
   * the API server refuses as a conflict, costs nothing, so replays cannot crowd out the real senders.
   */
  private boolean atDailyLimit(MtaStsPolicy policy) {
    DailyCount counted = storedToday.get(key(policy));
    return counted != null && counted.day() == today() && counted.count() >= maxPerDay;
  }

  private void countStored(MtaStsPolicy policy) {
    long today = today();
    storedToday.compute(key(policy), (k, c) -> c == null || c.day() != today
        ? new DailyCount(today, 1) : new DailyCount(today, c.count() + 1));
  }

  private long today() {
    return clock.instant().getEpochSecond() / 86_400;
  }

  private static String key(MtaStsPolicy policy) {
    return policy.getMetadata().getNamespace() + "/" + policy.getMetadata().getName();
  }

  /** The policy that publishes {@code domain}: of those that list it, the one DomainClaims lets publish it. */
  Optional<MtaStsPolicy> owner(String domain) {
    String lower = domain.toLowerCase(Locale.ROOT);
    // Not the informer's index: Fabric8 updates an index entry as remove-then-add without the reader's lock, so a
    // report arriving while the policy's status is written (each stored report brings one) found no policy and
    // was refused 403 for good (1 in 2000 under load, ReportIntakeLoadIT). The item store replaces in place.
    List<MtaStsPolicy> listing = policies.stream()
        .flatMap(i -> i.getStore().list().stream())
        .filter(p -> Publication.domainsOf(p).contains(lower))
        .toList();
    DomainClaims.Claimants claimants = DomainClaims.Claimants.inCluster(listing);
    return listing.stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> !DomainClaims.decide(p, List.of(lower), claimants).claimed().isEmpty())
        .findFirst();
  }

  @Override
  public void close() {
    policies.forEach(SharedIndexInformer::close);
  }
}
