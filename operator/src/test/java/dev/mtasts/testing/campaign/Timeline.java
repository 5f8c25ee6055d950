package dev.mtasts.testing.campaign;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a fault campaign did and what it saw, in time order: the actions it took (spec edits, faults), what a
 * sender found for each domain (the {@code _mta-sts} answer of the authoritative server, the policy at the URL),
 * and each policy's status. The invariants are checked over this alone.
 */
public final class Timeline {

  /** How the DNS server answered the {@code _mta-sts} TXT query. */
  public enum DnsAnswer {
    /** At least one TXT record. */
    RECORD,
    /** An authoritative answer without one (NXDOMAIN or no TXT data): the record is withdrawn. */
    NO_RECORD,
    /** No answer at all (the server is down): nothing is known. */
    NO_ANSWER
  }

  /** The fetch error of a sample whose policy host's address query got no answer: nothing known of the URL. */
  public static final String NO_ADDRESS_ANSWER = "no answer to the policy host's address query";

  /** One reading of a domain as a sender reads it. */
  public record SenderSample(Instant at, String domain, DnsAnswer dns, Optional<String> id,
      Optional<String> policyHash, String fetchError) {}

  /**
   * One reading of a policy's status: the id and hash it allocated, whether Ready was True for its spec, and the
   * reason of every condition that was not True (what it waited for).
   */
  public record StatusSample(Instant at, String policy, Optional<String> id, Optional<String> hash, boolean ready,
      String waiting) {}

  /** An Event about a policy, as {@code kubectl get events} lists it; one per Event and count. */
  public record EventSample(Instant at, String policy, String type, String reason, String message) {}

  /** What the campaign did. */
  public enum ActionKind {
    /** A new policy for a domain (the first, or again after a deletion). */
    CREATE,
    /** An edit senders see: the policy file changes. */
    CONTENT_EDIT,
    /** An edit senders cannot see (replicas, TTL, annotations, issuer): the id must stay. */
    UNSEEN_EDIT,
    /** An edit the API server accepts and the operator must refuse, keeping what is published. */
    INVALID_EDIT,
    DELETE,
    /** A second policy claiming the domain: refused, the first keeps it. */
    CONFLICT,
    FAULT_START,
    FAULT_END
  }

  /**
   * One action: on a domain's policy, or (faults) on a component, target naming it. An apply of a valid spec
   * carries the hash of the policy file it asks for (as the operator's pure publication decision computes it), so
   * that a policy the URL serves can be placed in time even when no status sample caught its id.
   */
  public record Action(Instant at, ActionKind kind, String target, String detail, Optional<String> contentHash) {
    public Action(Instant at, ActionKind kind, String target, String detail) {
      this(at, kind, target, detail, Optional.empty());
    }
  }

  private final List<SenderSample> senders = Collections.synchronizedList(new ArrayList<>());
  private final List<StatusSample> statuses = Collections.synchronizedList(new ArrayList<>());
  private final List<Action> actions = Collections.synchronizedList(new ArrayList<>());
  private final java.util.Map<String, EventSample> events = new java.util.concurrent.ConcurrentHashMap<>();

  public void add(SenderSample sample) {
    senders.add(sample);
  }

  public void add(StatusSample sample) {
    statuses.add(sample);
  }

  private final java.util.Map<String, String> policies = new java.util.concurrent.ConcurrentHashMap<>();

  /** The policy file a sender was served, by its hash: what a violation's hash stood for. */
  public void served(String hash, String policy) {
    policies.putIfAbsent(hash, policy);
  }

  public java.util.Map<String, String> servedPolicies() {
    return java.util.Map.copyOf(policies);
  }

  /** Keeps the Event once per key (its uid and count): sampled again, it is the same Event. */
  public void add(String key, EventSample event) {
    events.putIfAbsent(key, event);
  }

  public List<EventSample> events() {
    return events.values().stream().sorted(Comparator.comparing(EventSample::at)).toList();
  }

  public Action act(ActionKind kind, String target, String detail) {
    return act(kind, target, detail, Optional.empty());
  }

  public Action act(ActionKind kind, String target, String detail, Optional<String> contentHash) {
    Action action = new Action(Instant.now(), kind, target, detail, contentHash);
    actions.add(action);
    return action;
  }

  public void add(Action action) {
    actions.add(action);
  }

  /** The samples of one domain, oldest first. */
  public List<SenderSample> senders(String domain) {
    synchronized (senders) {
      return senders.stream().filter(s -> s.domain().equals(domain))
          .sorted(Comparator.comparing(SenderSample::at)).toList();
    }
  }

  public List<StatusSample> statuses(String policy) {
    synchronized (statuses) {
      return statuses.stream().filter(s -> s.policy().equals(policy))
          .sorted(Comparator.comparing(StatusSample::at)).toList();
    }
  }

  public List<Action> actions() {
    synchronized (actions) {
      return actions.stream().sorted(Comparator.comparing(Action::at)).toList();
    }
  }

  public int senderSamples() {
    return senders.size();
  }
}
