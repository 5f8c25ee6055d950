package dev.mtasts.operator;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.check.MxLookup;
import dev.mtasts.publication.MxRecords;
import dev.mtasts.publication.Publication;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Polls each policy's domains for their MX records off the reconciliation threads (a slow or failing resolver
 * never holds a reconciliation) and reconciles the policy when the answer changes.
 */
final class MxPolling {

  static final String NAME = "mx-records";

  private MxPolling() {}

  static PerResourcePollingEventSource<MxRecords, MtaStsPolicy, String> eventSource(
      EventSourceContext<MtaStsPolicy> context, MxLookup lookup, Duration interval) {
    var config = new PerResourcePollingConfigurationBuilder<MxRecords, MtaStsPolicy, String>(
        policy -> Set.of(poll(lookup::lookup, policy)), interval)
        .withName(NAME)
        .withExecutorService(Executors.newScheduledThreadPool(4))
        .withResourceIDMapper(records -> NAME) // one MxRecords per policy
        .build();
    return new PerResourcePollingEventSource<>(MxRecords.class, context, config);
  }

  /** One lookup per domain, in lower case (RFC 4343), as the publication and the status name them. */
  static MxRecords poll(Function<String, MxLookup.Result> lookup, MtaStsPolicy policy) {
    Map<String, List<String>> hosts = new LinkedHashMap<>();
    Map<String, String> failures = new LinkedHashMap<>();
    for (String domain : Publication.domainsOf(policy)) {
      MxLookup.Result result = lookup.apply(domain);
      result.failure().ifPresentOrElse(f -> failures.put(domain, f), () -> hosts.put(domain, result.hosts()));
    }
    return new MxRecords(hosts, failures);
  }
}
