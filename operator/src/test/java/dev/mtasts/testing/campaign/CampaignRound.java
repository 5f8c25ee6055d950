package dev.mtasts.testing.campaign;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.publication.DomainClaims;
import dev.mtasts.publication.MxObservation;
import dev.mtasts.publication.Publication;
import dev.mtasts.testing.campaign.InvariantChecker.Invariant;
import dev.mtasts.testing.campaign.InvariantChecker.Violation;
import dev.mtasts.testing.campaign.Timeline.ActionKind;
import dev.mtasts.testing.stack.OperatorProcess;
import dev.mtasts.testing.stack.RealStack;
import dev.mtasts.testing.stack.SenderView;
import dev.mtasts.testing.stack.StackPolicies;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One round of a fault campaign: a namespace of its own with a policy per domain, two operator replicas in JVMs of
 * their own, the recorder running throughout; the plan's steps; then the wait for convergence and the check of
 * the timeline. Every domain's life in the round is one history.
 */
public final class CampaignRound {

  /** How long after the last fault and edit everything must be as the specs say (invariant 4). */
  public static final Duration CONVERGENCE_LIMIT = Duration.ofMinutes(3);
  /** How long the operator has to name bad input or a rival claim in status, when no fault is holding it up. */
  static final Duration ANSWER_LIMIT = Duration.ofSeconds(60);
  /** How long a user (or Argo CD) keeps retrying an apply the API server does not take. */
  static final Duration APPLY_RETRY = Duration.ofMinutes(2);

  /** What a round found. */
  public record Result(long seed, int round, int histories, List<Violation> violations, Map<Fault, Integer> faults,
      Duration convergence, int senderSamples, Duration sampleGapMedian, Duration sampleGapP99, int actions,
      List<String> selfExits, Map<String, Long> events) {}

  private final RealStack stack;
  private final Plan plan;
  private final int round;
  private final Path dir;
  private final String namespace;
  private final KubernetesClient client;
  private final Timeline timeline = new Timeline();
  private final List<Violation> violations = new ArrayList<>();
  private final List<String> selfExits = new ArrayList<>();
  private Fault active;

  private CampaignRound(RealStack stack, Plan plan, int round, Path dir) {
    this.stack = stack;
    this.plan = plan;
    this.round = round;
    this.dir = dir;
    this.namespace = "campaign-r" + round;
    this.client = stack.client();
  }

  public static Result run(RealStack stack, Plan plan, int round, Path dir) {
    return new CampaignRound(stack, plan, round, dir).run();
  }

  private Result run() {
    StackPolicies policies = new StackPolicies(stack, namespace);
    Map<String, String> owners = new LinkedHashMap<>();
    Map<String, SenderView> views = new LinkedHashMap<>();
    for (PolicyModel model : plan.initial()) {
      owners.put(model.domain(), model.name());
      views.put(model.domain(), stack.senderView(model.domain()));
      if (model.hasMx()) {
        policies.publishMx(model.domain(), "127.0.7." + (1 + round % 250));
      }
    }
    try (CuttableResolver resolver = CuttableResolver.start(InetAddress.getLoopbackAddress(), stack.dns())) {
      List<OperatorProcess> replicas = startReplicas(resolver);
      FaultInjector faults = new FaultInjector(stack, replicas, resolver, namespace);
      Duration convergence;
      try (Recorder recorder = Recorder.start(timeline, stack.dns(), views, client, namespace,
          Duration.ofMillis(250), Duration.ofMillis(200))) {
        for (PolicyModel model : plan.initial()) {
          apply(model.yaml(), ActionKind.CREATE, model.domain(), "first policy");
        }
        for (PolicyModel model : plan.initial()) {
          policies.awaitReady(policies.get(model.name()), Duration.ofMinutes(3));
        }
        for (Plan.Step step : plan.steps()) {
          perform(step, policies, faults);
          faults.restartExited().forEach(identity -> selfExits.add(identity + " after step " + step));
        }
        convergence = converge(owners, faults);
      } finally {
        // A round that failed half-way must not leave its fault holding for the next round or test.
        if (active != null) {
          faults.end(active);
        }
        replicas.forEach(OperatorProcess::close);
      }
      violations.addAll(InvariantChecker.check(timeline, owners));
      if (!violations.isEmpty()) {
        writeTimeline(violations.stream().map(Violation::domain).distinct().toList());
      }
      return new Result(plan.seed(), round, owners.size(), List.copyOf(violations), faults.injected(), convergence,
          timeline.senderSamples(), sampleGap(owners.keySet(), 50), sampleGap(owners.keySet(), 99),
          timeline.actions().size(), List.copyOf(selfExits), events());
    } finally {
      // The namespace goes, and with it the round's pods (the node runs an nginx for each).
      try {
        client.namespaces().withName(namespace).delete();
      } catch (RuntimeException e) {
        System.err.println("round " + round + ": namespace " + namespace + " not deleted: " + e);
      }
    }
  }

  /** The time between two readings of the same domain, at the percentile: how fine the invariants can see. */
  private Duration sampleGap(java.util.Set<String> domains, int percentile) {
    List<Long> gaps = new ArrayList<>();
    for (String domain : domains) {
      List<Timeline.SenderSample> samples = timeline.senders(domain);
      for (int i = 1; i < samples.size(); i++) {
        gaps.add(Duration.between(samples.get(i - 1).at(), samples.get(i).at()).toMillis());
      }
    }
    if (gaps.isEmpty()) {
      return Duration.ZERO;
    }
    java.util.Collections.sort(gaps);
    return Duration.ofMillis(gaps.get(Math.min(gaps.size() - 1, gaps.size() * percentile / 100)));
  }

  /** The operator's Events by type and reason, as {@code kubectl get events} would count them. */
  private Map<String, Long> events() {
    return timeline.events().stream().collect(java.util.stream.Collectors.groupingBy(
        e -> e.type() + " " + e.reason(), java.util.TreeMap::new, java.util.stream.Collectors.counting()));
  }

  private List<OperatorProcess> startReplicas(CuttableResolver resolver) {
    Path logs = logDir(dir, round);
    var a = CompletableFuture.supplyAsync(() -> OperatorProcess.start(stack, namespace, "replica-a",
        resolver.address(), logs));
    var b = CompletableFuture.supplyAsync(() -> OperatorProcess.start(stack, namespace, "replica-b",
        resolver.address(), logs));
    return List.of(a.join(), b.join());
  }

  private void perform(Plan.Step step, StackPolicies policies, FaultInjector faults) {
    if (step instanceof Plan.Apply apply) {
      apply(apply.policy().yaml(), apply.kind(), apply.policy().domain(), apply.detail());
      if (active == null && apply.kind() == ActionKind.INVALID_EDIT) {
        expect(apply.policy().name(), apply.policy().domain(), "status names spec.discoverMx",
            p -> conditions(p).stream().anyMatch(c -> "False".equals(c.getStatus())
                && c.getMessage() != null && c.getMessage().contains("spec.discoverMx")), Invariant.BAD_INPUT_NAMED);
      }
      if (active == null && apply.policy().uncovered()) {
        String host = PolicyModel.mx(apply.policy().domain(), 2);
        expect(apply.policy().name(), apply.policy().domain(), "MxCovered=False names " + host,
            p -> StackPolicies.condition(p, "MxCovered").filter(c -> "False".equals(c.getStatus())
                && c.getMessage().contains(host)).isPresent(), Invariant.BAD_INPUT_NAMED);
      }
    } else if (step instanceof Plan.Delete delete) {
      timeline.act(ActionKind.DELETE, delete.policy().domain(), "deleted");
      retry(() -> client.resources(MtaStsPolicy.class).inNamespace(namespace).withName(delete.policy().name())
          .delete());
    } else if (step instanceof Plan.Conflict conflict) {
      apply(conflict.policy().yaml(conflict.rival()), ActionKind.CONFLICT, conflict.policy().domain(),
          conflict.rival() + " claims it too");
      if (active == null) {
        expect(conflict.rival(), conflict.policy().domain(), "the rival is refused with DomainConflict",
            p -> conditions(p).stream().anyMatch(c -> "DomainConflict".equals(c.getReason())),
            Invariant.CONFLICT_REFUSED);
      }
    } else if (step instanceof Plan.EndConflict end) {
      retry(() -> client.resources(MtaStsPolicy.class).inNamespace(namespace).withName(end.rival()).delete());
    } else if (step instanceof Plan.StartFault start) {
      active = start.fault();
      timeline.add(new Timeline.Action(Instant.now(), ActionKind.FAULT_START, start.fault().name(),
          faults.start(start.fault())));
    } else if (step instanceof Plan.EndFault end) {
      String what = faults.end(end.fault());
      timeline.act(ActionKind.FAULT_END, end.fault().name(), what);
      active = null;
    } else if (step instanceof Plan.Pause pause) {
      pause(pause.duration());
    }
  }

  /** Server-side applies, retrying while the API server does not answer, as a user or Argo CD would. */
  private void apply(String yaml, ActionKind kind, String domain, String detail) {
    MtaStsPolicy policy = client.getKubernetesSerialization().unmarshal(yaml, MtaStsPolicy.class);
    policy.getMetadata().setNamespace(namespace);
    // What the operator will serve for it: the same pure decision, without MX discovery or a rollout gate.
    Optional<String> hash = Publication.decide(policy, Optional.empty(), MxObservation.OFF,
        DomainClaims.Claimants.inCluster(List.of(policy)), Instant.now()).published().map(p -> p.content().hash());
    retry(() -> client.resource(policy).fieldManager("kubectl").forceConflicts().serverSideApply());
    timeline.act(kind, domain, detail, kind == ActionKind.CONFLICT ? Optional.empty() : hash);
  }

  private void retry(Runnable call) {
    try {
      Awaitility.await().atMost(APPLY_RETRY).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
        call.run();
        return true;
      });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("seed " + plan.seed() + ": the API server took no request for " + APPLY_RETRY,
          e);
    }
  }

  private void expect(String policy, String domain, String what, Predicate<MtaStsPolicy> holds,
      Invariant invariant) {
    try {
      Awaitility.await().atMost(ANSWER_LIMIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> holds.test(client.resources(MtaStsPolicy.class).inNamespace(namespace).withName(policy).get()));
    } catch (ConditionTimeoutException e) {
      MtaStsPolicy last = client.resources(MtaStsPolicy.class).inNamespace(namespace).withName(policy).get();
      violations.add(new Violation(invariant, domain, Instant.now(), "not within " + ANSWER_LIMIT + ": " + what
          + "; conditions " + (last == null ? "none" : conditions(last).stream()
              .map(c -> c.getType() + "=" + c.getStatus() + " " + c.getReason() + ": " + c.getMessage()).toList())));
    }
  }

  /**
   * Waits until every domain is as its spec says: Ready for its generation, DNS answering the status's id and the
   * URL serving its policy, as the recorder sees it. Returns how long that took after the last fault and edit.
   */
  private Duration converge(Map<String, String> owners, FaultInjector faults) {
    Instant calm = Instant.now();
    try {
      Awaitility.await().atMost(CONVERGENCE_LIMIT).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(() -> {
            faults.restartExited().forEach(identity -> selfExits.add(identity + " while converging"));
            return owners.entrySet().stream().allMatch(e -> converged(e.getKey(), e.getValue()));
          });
      return Duration.between(calm, Instant.now());
    } catch (ConditionTimeoutException e) {
      owners.forEach((domain, policy) -> {
        if (!converged(domain, policy)) {
          List<Timeline.SenderSample> seen = timeline.senders(domain);
          MtaStsPolicy last = client.resources(MtaStsPolicy.class).inNamespace(namespace).withName(policy).get();
          violations.add(new Violation(Invariant.CONVERGES, domain, Instant.now(), "not converged within "
              + CONVERGENCE_LIMIT + "; last sample " + (seen.isEmpty() ? "none" : seen.get(seen.size() - 1))
              + "; conditions " + (last == null ? "no policy" : conditions(last).stream()
                  .map(c -> c.getType() + "=" + c.getStatus() + " " + c.getReason() + ": " + c.getMessage())
                  .toList())));
        }
      });
      return CONVERGENCE_LIMIT;
    }
  }

  private boolean converged(String domain, String name) {
    MtaStsPolicy policy = client.resources(MtaStsPolicy.class).inNamespace(namespace).withName(name).get();
    if (policy == null || !Recorder.status(Instant.now(), policy).ready()) {
      return false;
    }
    Instant asked = Instant.now();
    // A sample taken after the status was read, so it cannot be one from before the last change.
    Optional<Timeline.SenderSample> after = timeline.senders(domain).stream().filter(s -> s.at().isAfter(asked))
        .findFirst();
    if (after.isEmpty()) {
      Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
          .until(() -> timeline.senders(domain).stream().anyMatch(s -> s.at().isAfter(asked)));
      after = timeline.senders(domain).stream().filter(s -> s.at().isAfter(asked)).findFirst();
    }
    Timeline.SenderSample sample = after.orElseThrow();
    return sample.id().equals(Optional.ofNullable(policy.getStatus().getPolicyId()))
        && sample.policyHash().equals(Optional.ofNullable(policy.getStatus().getPolicyHash()));
  }

  private static List<Condition> conditions(MtaStsPolicy policy) {
    return policy == null || policy.getStatus() == null ? List.of() : policy.getStatus().getConditions();
  }

  private static void pause(Duration duration) {
    // The history's own rhythm (time between its steps, how long a fault holds), not a wait for a condition.
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * For a violation to be read afterwards: every action, then each offending domain's statuses and samples, a line
   * each time what they say changes.
   */
  private void writeTimeline(List<String> domains) {
    StringBuilder out = new StringBuilder("seed " + plan.seed() + ", round " + round + "\n");
    timeline.actions().forEach(a -> out.append(a.at()).append(' ').append(a.kind()).append(' ').append(a.target())
        .append(": ").append(a.detail()).append('\n'));
    for (String domain : domains) {
      String policy = plan.initial().stream().filter(p -> p.domain().equals(domain)).findFirst().orElseThrow().name();
      out.append("\nstatus of ").append(policy).append('\n');
      String last = "";
      for (Timeline.StatusSample status : timeline.statuses(policy)) {
        String now = status.id() + " " + status.hash() + " ready=" + status.ready() + " " + status.waiting();
        if (!now.equals(last)) {
          out.append(status.at()).append(' ').append(now).append('\n');
          last = now;
        }
      }
      out.append("\nwhat senders found for ").append(domain).append('\n');
      last = "";
      for (Timeline.SenderSample sample : timeline.senders(domain)) {
        String now = sample.dns() + " " + sample.id() + " " + sample.policyHash() + " " + sample.fetchError();
        if (!now.equals(last)) {
          out.append(sample.at()).append(' ').append(now).append('\n');
          last = now;
        }
      }
    }
    out.append("\npolicies served\n");
    timeline.servedPolicies().forEach((hash, text) -> out.append(hash).append(": ")
        .append(text.replace("\r\n", " | ")).append('\n'));
    try {
      Files.writeString(logDir(dir, round).resolve("timeline.txt"), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The round's own folder: the replicas' logs, and the timeline when an invariant broke. */
  static Path logDir(Path root, int round) {
    try {
      return Files.createDirectories(root.resolve("round-" + round));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
