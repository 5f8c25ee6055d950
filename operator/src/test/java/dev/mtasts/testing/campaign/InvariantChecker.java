package dev.mtasts.testing.campaign;

import dev.mtasts.rfc.PolicyId;
import dev.mtasts.testing.campaign.Timeline.Action;
import dev.mtasts.testing.campaign.Timeline.ActionKind;
import dev.mtasts.testing.campaign.Timeline.DnsAnswer;
import dev.mtasts.testing.campaign.Timeline.SenderSample;
import dev.mtasts.testing.campaign.Timeline.StatusSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mail-flow invariants over a {@link Timeline}, per domain, each violation with its first offending sample.
 * Pure: the same timeline always gives the same verdict, so a failing seed's timeline can be checked again.
 */
public final class InvariantChecker {

  /** What must hold. The first five are checked here; the runner checks the others as it goes. */
  public enum Invariant {
    /** 1: never an id in DNS whose policy the URL is not serving (an older one is served instead). */
    SERVED_BEFORE_PUBLISHED,
    /** 2: the id in DNS changes only when the served policy changed, and at most once per change. */
    ID_CHANGES_ONLY_WITH_THE_POLICY,
    /** 3: ids only grow. */
    IDS_ONLY_GROW,
    /** 4: after the faults stop, Ready and DNS carrying the current spec's id within the stated time. */
    CONVERGES,
    /** 5: nothing published for a domain is withdrawn because of a fault. */
    NOTHING_WITHDRAWN_BY_A_FAULT,
    /** Bad input: the status names the field, and what was published stays published. */
    BAD_INPUT_NAMED,
    /** A second claim on a domain is refused; the first policy keeps it. */
    CONFLICT_REFUSED,
    /**
     * Not a break, counted apart: the id changed back to the same policy after an edit given up before any sample
     * saw it served. Senders fetch once more and get what they had. The operator cannot tell whether a pod served
     * the abandoned policy for a moment (nor can a sampler prove it did not), and keeping the old id when one did
     * would leave the senders who fetched it with the abandoned policy until max_age; so it issues a new id.
     */
    EXTRA_ID_CHANGE;

    /** Whether it breaks what senders rely on (all but EXTRA_ID_CHANGE). */
    public boolean breaks() {
      return this != EXTRA_ID_CHANGE;
    }
  }

  public record Violation(Invariant invariant, String domain, Instant at, String message) {
    @Override
    public String toString() {
      return invariant + " " + domain + " at " + at + ": " + message;
    }
  }

  /** Around a DNS server outage a sender may find nothing: it stopped answering, or a query was in flight. */
  static final Duration OUTAGE_MARGIN = Duration.ofSeconds(3);
  /** The fault that takes the DNS server, and with it the URL's address, away from senders. */
  public static final String DNS_SERVER = "DNS_SERVER_DOWN";

  private InvariantChecker() {
  }

  /** Checks every domain; owners maps each domain to the policy that owns it (other claims are rivals). */
  public static List<Violation> check(Timeline timeline, Map<String, String> owners) {
    List<Violation> violations = new ArrayList<>();
    List<Action> actions = timeline.actions();
    owners.forEach((domain, policy) -> violations.addAll(check(domain, timeline.senders(domain),
        timeline.statuses(policy), actions)));
    return violations;
  }

  static List<Violation> check(String domain, List<SenderSample> samples, List<StatusSample> statuses,
      List<Action> actions) {
    Map<String, String> hashById = new LinkedHashMap<>();
    Map<String, Instant> firstSeen = new LinkedHashMap<>();
    for (StatusSample status : statuses) {
      if (status.id().isPresent() && status.hash().isPresent()) {
        hashById.putIfAbsent(status.id().get(), status.hash().get());
        firstSeen.putIfAbsent(status.id().get(), status.at());
      }
    }
    List<Violation> found = new ArrayList<>();
    servedBeforePublished(domain, samples, hashById, firstSeen, actions).ifPresent(found::add);
    List<Violation> extra = new ArrayList<>();
    idChangesOnlyWithThePolicy(domain, samples, hashById, firstSeen, actions, extra).ifPresent(found::add);
    found.addAll(extra);
    idsOnlyGrow(domain, samples).ifPresent(found::add);
    nothingWithdrawn(domain, samples, actions, firstSeen).ifPresent(found::add);
    return found;
  }

  private static Optional<Violation> servedBeforePublished(String domain, List<SenderSample> samples,
      Map<String, String> hashById, Map<String, Instant> firstSeen, List<Action> actions) {
    for (SenderSample sample : samples) {
      if (sample.dns() != DnsAnswer.RECORD || sample.id().isEmpty()) {
        continue;
      }
      String id = sample.id().get();
      if (!hashById.containsKey(id)) {
        return violation(Invariant.SERVED_BEFORE_PUBLISHED, sample,
            "DNS names id " + id + ", which the policy's status never held");
      }
      if (sample.policyHash().isEmpty()) {
        continue;
      }
      String served = sample.policyHash().get();
      // The URL may be ahead of DNS (the next policy is served before its id goes out), never behind it.
      boolean servesThisOrNewer = hashById.entrySet().stream()
          .anyMatch(e -> e.getValue().equals(served) && !PolicyId.isAfter(id, e.getKey()))
          || appliedAfter(domain, served, firstSeen.get(id), hashById.get(id), actions);
      if (!servesThisOrNewer) {
        return violation(Invariant.SERVED_BEFORE_PUBLISHED, sample, "DNS names id " + id + " while the URL serves "
            + served + ", the policy of " + hashById.entrySet().stream().filter(e -> e.getValue().equals(served))
                .map(Map.Entry::getKey).toList() + ", not " + hashById.get(id));
      }
    }
    return Optional.empty();
  }

  /**
   * Whether, between the two ids' allocations, the status held an id of another policy: an edit senders would
   * have seen, given up before it was served.
   */
  static boolean abandonedEditBetween(String domain, String hash, String from, String to,
      Map<String, String> hashById, Map<String, Instant> firstSeen, List<Action> actions) {
    Instant start = firstSeen.get(from);
    Instant end = firstSeen.get(to);
    if (start == null || end == null) {
      return false;
    }
    // The status sample may have missed it; the applies carry what they asked for.
    return hashById.entrySet().stream().anyMatch(e -> !e.getValue().equals(hash)
        && firstSeen.get(e.getKey()).isAfter(start) && firstSeen.get(e.getKey()).isBefore(end))
        || actions.stream().anyMatch(a -> a.target().equals(domain) && a.at().isAfter(start) && a.at().isBefore(end)
            && a.contentHash().filter(h -> !h.equals(hash)).isPresent());
  }

  /**
   * Whether the served policy was asked for by an apply after the one that asked for the id's policy: newer, even
   * if the operator's status held its id too briefly for any sample to catch.
   */
  static boolean appliedAfter(String domain, String served, Instant allocated, String idHash, List<Action> actions) {
    Optional<Instant> asked = actions.stream().filter(a -> a.target().equals(domain) && !a.at().isAfter(allocated))
        .filter(a -> a.contentHash().filter(idHash::equals).isPresent()).map(Action::at).reduce((a, b) -> b);
    return asked.isPresent() && actions.stream().filter(a -> a.target().equals(domain))
        .anyMatch(a -> a.at().isAfter(asked.get()) && a.contentHash().filter(served::equals).isPresent());
  }

  private static Optional<Violation> idChangesOnlyWithThePolicy(String domain, List<SenderSample> samples,
      Map<String, String> hashById, Map<String, Instant> firstSeen, List<Action> actions, List<Violation> extra) {
    long edits = count(actions, domain, ActionKind.CONTENT_EDIT);
    long creations = count(actions, domain, ActionKind.CREATE);
    String last = null;
    Optional<Instant> life = Optional.empty();
    int transitions = 0;
    // What the URL served while DNS named the last id: a policy other than that id's is a change senders saw.
    java.util.Set<String> servedMeanwhile = new java.util.HashSet<>();
    for (SenderSample sample : samples) {
      sample.policyHash().ifPresent(servedMeanwhile::add);
      // A policy created again is a new publication: its first id is no change of the old one's, and the old
      // one's record, still in DNS for a moment, is not this life's.
      Optional<Instant> created = lastCreation(domain, sample.at(), actions);
      if (!created.equals(life)) {
        life = created;
        last = null;
      }
      if (sample.dns() != DnsAnswer.RECORD || sample.id().isEmpty() || sample.id().get().equals(last)) {
        continue;
      }
      Instant start = life.orElse(Instant.MIN);
      if (firstSeen.containsKey(sample.id().get()) && firstSeen.get(sample.id().get()).isBefore(start)) {
        continue;
      }
      String id = sample.id().get();
      if (last != null) {
        transitions++;
        String before = hashById.get(last);
        // Back to the same policy is a change too when the URL served another one meanwhile (a rollout given up
        // half-way): senders that fetched then need the new id to fetch again.
        boolean sawAnother = servedMeanwhile.stream().anyMatch(h -> !h.equals(before));
        boolean samePolicy = before != null && before.equals(hashById.get(id));
        if (samePolicy && !sawAnother && !abandonedEditBetween(domain, before, last, id, hashById, firstSeen,
            actions)) {
          return violation(Invariant.ID_CHANGES_ONLY_WITH_THE_POLICY, sample, "the id changed from " + last + " to "
              + id + " while the policy stayed " + before + " and nothing else was asked for or served");
        }
        if (samePolicy && !sawAnother) {
          extra.add(new Violation(Invariant.EXTRA_ID_CHANGE, domain, sample.at(), "the id changed from " + last
              + " to " + id + ", back to the same policy " + before + " after an edit given up before it was seen"));
        }
        if (transitions > edits) {
          return violation(Invariant.ID_CHANGES_ONLY_WITH_THE_POLICY, sample, "id change " + transitions + " ("
              + last + " to " + id + ") for " + edits + " edits senders see");
        }
      }
      last = id;
      servedMeanwhile.clear();
      sample.policyHash().ifPresent(servedMeanwhile::add);
    }
    if (hashById.size() > edits + creations) {
      return Optional.of(new Violation(Invariant.ID_CHANGES_ONLY_WITH_THE_POLICY, domain, Instant.EPOCH,
          "the status allocated " + hashById.size() + " ids " + hashById.keySet() + " for " + creations
              + " creations and " + edits + " edits senders see"));
    }
    return Optional.empty();
  }

  private static long count(List<Action> actions, String domain, ActionKind kind) {
    return actions.stream().filter(a -> a.target().equals(domain) && a.kind() == kind).count();
  }

  private static Optional<Instant> lastCreation(String domain, Instant at, List<Action> actions) {
    return actions.stream().filter(a -> a.target().equals(domain) && a.kind() == ActionKind.CREATE)
        .map(Action::at).filter(t -> !t.isAfter(at)).reduce((a, b) -> b);
  }

  private static Optional<Violation> idsOnlyGrow(String domain, List<SenderSample> samples) {
    String last = null;
    for (SenderSample sample : samples) {
      if (sample.dns() != DnsAnswer.RECORD || sample.id().isEmpty()) {
        continue;
      }
      String id = sample.id().get();
      if (last != null && !id.equals(last) && !PolicyId.isAfter(id, last)) {
        return violation(Invariant.IDS_ONLY_GROW, sample, "id " + id + " came after " + last);
      }
      last = id;
    }
    return Optional.empty();
  }

  /**
   * Once published, a domain keeps a record in DNS and a policy at its URL until its policy is deleted; only a
   * DNS server outage may hide them from senders (nothing is withdrawn then, the answer just does not come). A
   * policy created again is held to it from its own first publication: until then what senders find is the old
   * one's records and objects going away, which its deletion withdrew on purpose.
   */
  private static Optional<Violation> nothingWithdrawn(String domain, List<SenderSample> samples,
      List<Action> actions, Map<String, Instant> firstSeen) {
    boolean published = false;
    Optional<Instant> life = Optional.empty();
    for (SenderSample sample : samples) {
      Optional<Instant> created = lastCreation(domain, sample.at(), actions);
      if (!created.equals(life) || !alive(domain, sample.at(), actions)) {
        life = created;
        published = false;
      }
      if (!alive(domain, sample.at(), actions)) {
        continue;
      }
      if (!published) {
        // This life's first publication: an id allocated since its creation, and its URL answering.
        Instant start = life.orElseThrow();
        published = sample.dns() == DnsAnswer.RECORD && sample.policyHash().isPresent() && sample.id()
            .map(firstSeen::get).filter(seen -> !seen.isBefore(start)).isPresent();
        continue;
      }
      if (duringDnsOutage(sample.at(), actions) || sample.dns() == DnsAnswer.NO_ANSWER) {
        continue;
      }
      if (sample.dns() != DnsAnswer.RECORD) {
        return violation(Invariant.NOTHING_WITHDRAWN_BY_A_FAULT, sample, "the _mta-sts record is gone");
      }
      if (sample.policyHash().isEmpty() && !Timeline.NO_ADDRESS_ANSWER.equals(sample.fetchError())) {
        return violation(Invariant.NOTHING_WITHDRAWN_BY_A_FAULT, sample, "the policy URL stopped serving: "
            + sample.fetchError());
      }
    }
    return Optional.empty();
  }

  /** Whether the domain's policy exists at that moment: after its latest CREATE and no DELETE since. */
  static boolean alive(String domain, Instant at, List<Action> actions) {
    boolean alive = false;
    for (Action action : actions) {
      if (action.at().isAfter(at)) {
        break;
      }
      if (action.target().equals(domain) && action.kind() == ActionKind.CREATE) {
        alive = true;
      } else if (action.target().equals(domain) && action.kind() == ActionKind.DELETE) {
        alive = false;
      }
    }
    return alive;
  }

  static boolean duringDnsOutage(Instant at, List<Action> actions) {
    Instant start = null;
    for (Action action : actions) {
      if (!action.target().equals(DNS_SERVER)) {
        continue;
      }
      if (action.kind() == ActionKind.FAULT_START) {
        start = action.at();
      } else if (action.kind() == ActionKind.FAULT_END && start != null) {
        if (!at.isBefore(start.minus(OUTAGE_MARGIN)) && !at.isAfter(action.at().plus(OUTAGE_MARGIN))) {
          return true;
        }
        start = null;
      }
    }
    return start != null && !at.isBefore(start.minus(OUTAGE_MARGIN));
  }

  private static Optional<Violation> violation(Invariant invariant, SenderSample sample, String message) {
    return Optional.of(new Violation(invariant, sample.domain(), sample.at(), message + "; sample: " + sample));
  }
}
