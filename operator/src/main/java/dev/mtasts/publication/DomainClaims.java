package dev.mtasts.publication;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Who may publish for a domain when several MtaStsPolicy resources (in any namespaces) list it: the oldest claim
 * wins, so a newcomer can never take over a domain that is already published. Domains compare as DNS names do,
 * ignoring case (RFC 4343). Ties on creationTimestamp (one second resolution, or none at all in a file) are broken
 * as {@link Claimants} says.
 */
public final class DomainClaims {

  /** Which of this resource's domains it may publish, and which an older resource holds. */
  public record Decision(List<String> claimed, List<DomainConflict> conflicts) {
    public Decision {
      claimed = List.copyOf(claimed);
      conflicts = List.copyOf(conflicts);
    }
  }

  /** Every MtaStsPolicy that may claim a domain (the deciding one among them), and how a tie is broken. */
  public record Claimants(Collection<MtaStsPolicy> policies, Comparator<MtaStsPolicy> tieBreak) {

    /** In the cluster: the lower namespace/name wins a tie, so every replica decides alike. */
    public static Claimants inCluster(Collection<MtaStsPolicy> policies) {
      return new Claimants(policies, Comparator.comparing(DomainClaims::key));
    }

    /** In files given to {@code render}: the earlier document wins a tie. */
    public static Claimants inDocumentOrder(List<MtaStsPolicy> documents) {
      return new Claimants(documents, Comparator.comparingInt(p -> indexOf(documents, p)));
    }
  }

  private DomainClaims() {}

  /** Decides for {@code resource}, whose normalised domains are {@code domains}. */
  public static Decision decide(MtaStsPolicy resource, List<String> domains, Claimants claimants) {
    Comparator<MtaStsPolicy> oldestFirst = Comparator.comparing(DomainClaims::created)
        .thenComparing(claimants.tieBreak());
    // Only the few resources that list one of these domains are compared, not every policy in the cluster.
    List<MtaStsPolicy> older = claimants.policies().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> domains.stream().anyMatch(d -> lists(p, d)))
        .filter(p -> !key(p).equals(key(resource)))
        .filter(p -> oldestFirst.compare(p, resource) < 0)
        .sorted(oldestFirst)
        .toList();
    List<String> claimed = new ArrayList<>();
    List<DomainConflict> conflicts = new ArrayList<>();
    for (String domain : domains) {
      Optional<MtaStsPolicy> winner = older.stream().filter(p -> lists(p, domain)).findFirst();
      winner.ifPresentOrElse(w -> conflicts.add(new DomainConflict(domain, key(w))), () -> claimed.add(domain));
    }
    return new Decision(claimed, conflicts);
  }

  private static boolean lists(MtaStsPolicy policy, String domain) {
    return policy.getSpec() != null && policy.getSpec().getDomains() != null
        && policy.getSpec().getDomains().stream().anyMatch(domain::equalsIgnoreCase);
  }

  /** RFC 3339 in UTC, so it sorts as text; none (a file never applied) is younger than any stored resource. */
  private static String created(MtaStsPolicy policy) {
    return Optional.ofNullable(policy.getMetadata().getCreationTimestamp()).orElse("~");
  }

  private static int indexOf(List<MtaStsPolicy> documents, MtaStsPolicy policy) {
    for (int i = 0; i < documents.size(); i++) {
      if (key(documents.get(i)).equals(key(policy))) {
        return i;
      }
    }
    return documents.size();
  }

  static String key(MtaStsPolicy policy) {
    return policy.getMetadata().getNamespace() + "/" + policy.getMetadata().getName();
  }
}
