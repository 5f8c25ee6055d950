package dev.mtasts.testing.campaign;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.rfc.PolicyHash;
import dev.mtasts.testing.campaign.Timeline.DnsAnswer;
import dev.mtasts.testing.stack.SenderView;
import dev.mtasts.testing.stack.StackPolicies;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Samples, into a {@link Timeline}, what senders find for every domain (the {@code _mta-sts} answer of the
 * authoritative server, telling "no record" from "no answer", and the policy at the URL) and every policy's status
 * and Event in the namespace, until closed.
 */
public final class Recorder implements AutoCloseable {

  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
    Thread thread = new Thread(r, "campaign-recorder");
    thread.setDaemon(true);
    return thread;
  });

  private Recorder() {
  }

  /** Starts sampling: the domains (each with its sender's view) every senderPeriod, statuses every statusPeriod. */
  public static Recorder start(Timeline timeline, InetSocketAddress dns, Map<String, SenderView> views,
      KubernetesClient client, String namespace, Duration senderPeriod, Duration statusPeriod) {
    Recorder recorder = new Recorder();
    recorder.timer.scheduleWithFixedDelay(() -> views.forEach((domain, view) -> {
      try {
        timeline.add(sample(domain, dns, view));
      } catch (RuntimeException e) {
        timeline.add(new Timeline.SenderSample(Instant.now(), domain, DnsAnswer.NO_ANSWER, Optional.empty(),
            Optional.empty(), "recorder: " + e));
      }
    }), 0, senderPeriod.toMillis(), TimeUnit.MILLISECONDS);
    recorder.timer.scheduleWithFixedDelay(() -> {
      try {
        Instant at = Instant.now();
        for (MtaStsPolicy policy : client.resources(MtaStsPolicy.class).inNamespace(namespace).list().getItems()) {
          timeline.add(status(at, policy));
        }
        for (var event : client.v1().events().inNamespace(namespace).list().getItems()) {
          if ("MtaStsPolicy".equals(event.getInvolvedObject().getKind())) {
            timeline.add(event.getMetadata().getUid() + "/" + event.getCount(), new Timeline.EventSample(at,
                event.getInvolvedObject().getName(), event.getType(), event.getReason(), event.getMessage()));
          }
        }
      } catch (RuntimeException e) {
        // The API server is down: nothing to read now; the next sample tries again.
      }
    }, 0, statusPeriod.toMillis(), TimeUnit.MILLISECONDS);
    return recorder;
  }

  static Timeline.StatusSample status(Instant at, MtaStsPolicy policy) {
    var status = policy.getStatus();
    boolean ready = status != null && policy.getMetadata().getGeneration().equals(status.getObservedGeneration())
        && StackPolicies.condition(policy, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
    return new Timeline.StatusSample(at, policy.getMetadata().getName(),
        Optional.ofNullable(status).map(s -> s.getPolicyId()), Optional.ofNullable(status).map(s -> s.getPolicyHash()),
        ready);
  }

  static Timeline.SenderSample sample(String domain, InetSocketAddress dns, SenderView view) {
    Instant at = Instant.now();
    DnsAnswer answer;
    Optional<String> id = Optional.empty();
    try {
      Lookup lookup = new Lookup(Name.fromString(ObjectNames.stsRecordName(domain) + "."), Type.TXT);
      SimpleResolver resolver = new SimpleResolver(dns);
      resolver.setTimeout(Duration.ofMillis(800));
      lookup.setResolver(resolver);
      lookup.setCache(null);
      Record[] records = lookup.run();
      answer = switch (lookup.getResult()) {
        case Lookup.SUCCESSFUL -> DnsAnswer.RECORD;
        case Lookup.HOST_NOT_FOUND, Lookup.TYPE_NOT_FOUND -> DnsAnswer.NO_RECORD;
        default -> DnsAnswer.NO_ANSWER;
      };
      if (records != null) {
        List<String> sts = java.util.Arrays.stream(records).map(r -> String.join("", ((TXTRecord) r).getStrings()))
            .filter(t -> t.startsWith("v=STSv1")).toList();
        id = sts.size() == 1 ? new SenderView.Sample(at, sts, -1, Optional.empty(), "").id() : Optional.empty();
      }
    } catch (IOException e) {
      answer = DnsAnswer.NO_ANSWER;
    }
    try {
      String hash = PolicyHash.ofBytes(view.policy().getBytes(StandardCharsets.UTF_8));
      return new Timeline.SenderSample(at, domain, answer, id, Optional.of(hash), "");
    } catch (IOException | RuntimeException e) {
      return new Timeline.SenderSample(at, domain, answer, id, Optional.empty(),
          e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
