package dev.mtasts.operator;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.operator.status.Observations.DomainConflict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Who may publish for a domain when several MtaStsPolicy resources (in any namespaces) list it: the oldest claim
 * wins, so a newcomer can never take over a domain that is already published. Ties on creationTimestamp (one
 * second resolution) go to the lower namespace/name, so every replica decides alike.
 */
public final class DomainClaims {

  /** Which of this resource's domains it may publish, and which an older resource holds. */
  public record Decision(List<String> claimed, List<DomainConflict> conflicts) {}

  static final Comparator<MtaStsPolicy> OLDEST_FIRST = Comparator
      .comparing((MtaStsPolicy p) -> Optional.ofNullable(p.getMetadata().getCreationTimestamp()).orElse("~"))
      .thenComparing(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName());

  private DomainClaims() {}

  public static Decision decide(MtaStsPolicy resource, List<MtaStsPolicy> all) {
    List<MtaStsPolicy> contenders = all.stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.getSpec() != null && p.getSpec().getDomains() != null)
        .toList();
    List<String> claimed = new ArrayList<>();
    List<DomainConflict> conflicts = new ArrayList<>();
    for (String domain : resource.getSpec().getDomains()) {
      Optional<MtaStsPolicy> older = contenders.stream()
          .filter(p -> p.getSpec().getDomains().contains(domain))
          .filter(p -> !sameResource(p, resource))
          .filter(p -> OLDEST_FIRST.compare(p, resource) < 0)
          .min(OLDEST_FIRST);
      if (older.isPresent()) {
        conflicts.add(new DomainConflict(domain, key(older.get())));
      } else {
        claimed.add(domain);
      }
    }
    return new Decision(claimed, conflicts);
  }

  static String key(MtaStsPolicy policy) {
    return policy.getMetadata().getNamespace() + "/" + policy.getMetadata().getName();
  }

  private static boolean sameResource(MtaStsPolicy a, MtaStsPolicy b) {
    return key(a).equals(key(b));
  }
}
