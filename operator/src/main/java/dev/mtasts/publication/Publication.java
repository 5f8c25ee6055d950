package dev.mtasts.publication;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.MtaStsPolicySpec;
import dev.mtasts.api.v1alpha1.MtaStsPolicyStatus;
import dev.mtasts.api.v1alpha1.PolicyMode;
import dev.mtasts.api.v1alpha1.RolloutStatus;
import dev.mtasts.rfc.Mode;
import dev.mtasts.rfc.MxPattern;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The one decision of what a MtaStsPolicy publishes, shared by {@code run} and {@code render}, so that the preview
 * is what gets applied: the spec is validated (once, here), discovered MX hosts fill in, the id is allocated, and
 * domains claimed by older resources are left out. A new input to what senders see is a new parameter here.
 */
public final class Publication {

  /**
   * Either the spec's problems (nothing new is published; what is out there stays) or what is published.
   *
   * @param errors every problem with the spec, each naming the field and the rule; empty when valid
   * @param published what is published, present exactly when there is no error
   * @param discoveredMx with spec.discoverMx, the MX hosts to keep in status (the last good list when DNS fails)
   * @param rollout with spec.rollout, the gate's verdict: met when enforce mode is served
   */
  public record Decision(List<String> errors, Optional<PublishedPolicy> published,
      Optional<List<String>> discoveredMx, Optional<RolloutGate.Verdict> rollout) {
    public Decision {
      errors = List.copyOf(errors);
      Objects.requireNonNull(published, "published");
      Objects.requireNonNull(rollout, "rollout");
      if (errors.isEmpty() == published.isEmpty()) {
        throw new IllegalArgumentException("a decision publishes exactly when the spec is valid");
      }
    }

    /** Without a rollout gate. */
    public Decision(List<String> errors, Optional<PublishedPolicy> published, Optional<List<String>> discoveredMx) {
      this(errors, published, discoveredMx, Optional.empty());
    }

    public boolean isValid() {
      return errors.isEmpty();
    }
  }

  private Publication() {}

  /**
   * @param policy the resource
   * @param previous its status as last written, which holds the id in use and the last discovered MX hosts
   * @param mx the operator's MX check and its last answer
   * @param claimants every MtaStsPolicy that may claim the same domains, and how a tie is broken
   * @param now the time a new id is derived from
   */
  public static Decision decide(MtaStsPolicy policy, Optional<MtaStsPolicyStatus> previous, MxObservation mx,
      DomainClaims.Claimants claimants, Instant now) {
    return decide(policy, previous, mx, claimants, RolloutEvidence.NONE, false, now);
  }

  /**
   * @param evidence with spec.rollout, the reports and the MX probe its gate reads
   * @param reportReceiver whether the policy servers can pass reports on to the operator's receiver
   *     (--report-receiver-url); without it spec.tlsRpt.receive is refused, since its https rua would answer 404
   */
  public static Decision decide(MtaStsPolicy policy, Optional<MtaStsPolicyStatus> previous, MxObservation mx,
      DomainClaims.Claimants claimants, RolloutEvidence evidence, boolean reportReceiver, Instant now) {
    List<String> errors = new ArrayList<>(PolicySpecValidator.validate(policy));
    if (errors.isEmpty() && !reportReceiver && policy.getSpec().getTlsRpt() != null
        && policy.getSpec().getTlsRpt().receives()) {
      errors.add("spec.tlsRpt.receive: the operator receives no reports (it runs without --report-receiver-url),"
          + " so https://mta-sts.<domain>/tlsrpt would answer 404 to senders; list a rua instead, or set the flag");
    }
    if (!errors.isEmpty()) {
      Optional<List<String>> lastGood = policy.getSpec() == null ? Optional.empty()
          : discoveredMx(policy.getSpec(), List.of(), previous, MxObservation.OFF);
      return new Decision(errors, Optional.empty(), lastGood);
    }
    MtaStsPolicySpec spec = policy.getSpec();
    List<String> domains = normalised(spec.getDomains());
    Optional<List<String>> discovered = discoveredMx(spec, domains, previous, mx);
    errors.addAll(PolicySpecValidator.validateDiscovery(spec, mx.enabled(), discovered.orElse(List.of())));
    if (!errors.isEmpty()) {
      return new Decision(errors, Optional.empty(), discovered);
    }
    Optional<RolloutGate.Verdict> rollout = rollout(spec, previous, evidence, now);
    Optional<Mode> served = rollout.map(v -> v.met() ? Mode.ENFORCE : Mode.TESTING);
    PolicyContent content = PolicyContent.of(spec, discovered.orElse(List.of()), served);
    PolicyIdAllocator.Allocation id = PolicyIdAllocator.allocate(
        previous.map(MtaStsPolicyStatus::getPolicyId), previous.map(MtaStsPolicyStatus::getPolicyHash),
        content.hash(), now);
    DomainClaims.Decision claims = DomainClaims.decide(policy, domains, claimants);
    return new Decision(List.of(),
        Optional.of(new PublishedPolicy(content, id, claims.claimed(), claims.conflicts())), discovered, rollout);
  }

  /**
   * The staged rollout: enforce once the gate is met, and from then on while spec.mode stays enforce, whatever
   * the reports say later (demoting is the user's edit, never the operator's: RFC 8461 §5 senders then keep
   * testing the cached enforce policy for max_age anyway).
   */
  private static Optional<RolloutGate.Verdict> rollout(MtaStsPolicySpec spec, Optional<MtaStsPolicyStatus> previous,
      RolloutEvidence evidence, Instant now) {
    if (spec.getRollout() == null || PolicySpecValidator.mode(spec) != PolicyMode.ENFORCE) {
      return Optional.empty();
    }
    Optional<RolloutStatus> before = previous.map(MtaStsPolicyStatus::getRollout);
    if (before.map(RolloutStatus::getGateMet).orElse(false)
        && "enforce".equals(previous.map(MtaStsPolicyStatus::getEffectiveMode).orElse(""))) {
      return Optional.of(new RolloutGate.Verdict(true, before.get().getMessage()));
    }
    return Optional.of(RolloutGate.evaluate(spec.getRollout(), evidence, now));
  }

  /** A resource's domains as the operator publishes, compares and looks them up; none without a spec. */
  public static List<String> domainsOf(MtaStsPolicy policy) {
    return policy.getSpec() == null ? List.of() : normalised(policy.getSpec().getDomains());
  }

  /** RFC 4343: DNS names ignore case; the operator publishes, compares and looks up the lower-case form. */
  public static List<String> normalised(List<String> domains) {
    return domains == null ? List.of()
        : domains.stream().filter(Objects::nonNull).map(d -> d.toLowerCase(Locale.ROOT)).distinct().toList();
  }

  /**
   * With spec.discoverMx: the MX hosts of all domains when every lookup succeeded and found some, else the last
   * good list from status, so a DNS failure never empties or shrinks the published policy.
   */
  private static Optional<List<String>> discoveredMx(MtaStsPolicySpec spec, List<String> domains,
      Optional<MtaStsPolicyStatus> previous, MxObservation mx) {
    if (!spec.discoversMx()) {
      return Optional.empty();
    }
    List<String> lastGood = previous.map(MtaStsPolicyStatus::getDiscoveredMx).orElse(List.of());
    Optional<MxRecords> records = mx.records();
    if (records.isEmpty() || !records.get().failures().isEmpty()
        || !records.get().hostsByDomain().keySet().containsAll(domains)) {
      return Optional.of(lastGood);
    }
    List<String> found = domains.stream()
        .flatMap(d -> records.get().hostsByDomain().get(d).stream())
        .map(h -> h.toLowerCase(Locale.ROOT))
        // A host we would not publish as a pattern (an IP address in DNS, say) stays out; MxCovered names it.
        .filter(h -> MxPattern.publishError(h).isEmpty())
        .distinct()
        .sorted()
        .toList();
    return Optional.of(found.isEmpty() ? lastGood : found);
  }
}
