package dev.mtasts.operator;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.publication.DomainClaims;
import dev.mtasts.publication.Publication;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;

/**
 * The informer cache of MtaStsPolicy resources indexed by domain (in lower case), so a reconciliation looks at the
 * few resources that list one of its domains instead of every policy in the cluster: with two thousand policies,
 * scanning them all on every visit was a fifth of the operator's CPU.
 */
final class DomainIndex {

  static final String NAME = "domain";

  private DomainIndex() {}

  static void addTo(IndexerResourceCache<MtaStsPolicy> cache) {
    cache.addIndexer(NAME, Publication::domainsOf);
  }

  /** Every resource that lists one of this resource's domains, itself included, each once. */
  static DomainClaims.Claimants claimants(MtaStsPolicy policy, IndexedResourceCache<MtaStsPolicy> cache) {
    return DomainClaims.Claimants.inCluster(Publication.domainsOf(policy).stream()
        .flatMap(domain -> cache.byIndex(NAME, domain).stream())
        .distinct()
        .toList());
  }
}
