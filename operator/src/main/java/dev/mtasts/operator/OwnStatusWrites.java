package dev.mtasts.operator;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resourceVersions the operator's own status patches produced, so that the watch event each of them causes
 * does not start a reconciliation that could only find the status it just wrote. Any other update, a status edited
 * by hand among them, carries another resourceVersion and is reconciled as before. JOSDK 5.2 has no such filter of
 * its own (5.3 does).
 */
final class OwnStatusWrites implements OnUpdateFilter<MtaStsPolicy> {

  private final Map<String, String> written = new ConcurrentHashMap<>();

  void wrote(MtaStsPolicy patched) {
    written.put(key(patched), patched.getMetadata().getResourceVersion());
  }

  @Override
  public boolean accept(MtaStsPolicy updated, MtaStsPolicy old) {
    // If the event overtakes the patch's response, it passes: one reconciliation too many, never one too few.
    return !written.remove(key(updated), updated.getMetadata().getResourceVersion());
  }

  private static String key(MtaStsPolicy policy) {
    return policy.getMetadata().getNamespace() + "/" + policy.getMetadata().getName();
  }
}
