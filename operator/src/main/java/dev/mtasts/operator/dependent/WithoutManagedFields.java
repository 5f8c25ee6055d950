package dev.mtasts.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer cache that keeps objects without {@code metadata.managedFields}: that tree of every field each
 * manager set is the largest part of a cached Deployment, and nothing here reads it ({@link AppliedObjectMatcher}
 * decides what needs applying without it). With two thousand policies it was tens of MiB of heap.
 */
public class WithoutManagedFields<T extends HasMetadata> extends BasicItemStore<T> {

  public WithoutManagedFields() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public T put(String key, T object) {
    if (object.getMetadata() != null) {
      object.getMetadata().setManagedFields(null);
    }
    return super.put(key, object);
  }
}
