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
import org.xbill.DNS.ARecord;
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

  private final ScheduledExecutorService timer;

  private Recorder(int threads) {
    this.timer = Executors.newScheduledThreadPool(threads, r -> {
      Thread thread = new Thread(r, "campaign-recorder");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts sampling: the domains (each with its sender's view) every senderPeriod, statuses every statusPeriod. */
  public static Recorder start(Timeline timeline, InetSocketAddress dns, Map<String, SenderView> views,
      KubernetesClient client, String namespace, Duration senderPeriod, Duration statusPeriod) {
    // A sender of its own per domain: one reading (a DNS query and a TLS fetch) takes tens of milliseconds, and
    // reading the domains one after another would stretch the time between two readings of each.
    Recorder recorder = new Recorder(views.size() + 1);
    views.forEach((domain, view) -> recorder.timer.scheduleWithFixedDelay(() -> {
      try {
        timeline.add(sample(domain, dns, view, timeline));
      } catch (RuntimeException e) {
        timeline.add(new Timeline.SenderSample(Instant.now(), domain, DnsAnswer.NO_ANSWER, Optional.empty(),
            Optional.empty(), "recorder: " + e));
      }
    }, 0, senderPeriod.toMillis(), TimeUnit.MILLISECONDS));
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
        ready, status == null ? "no status" : status.getConditions().stream()
            .filter(c -> !"True".equals(c.getStatus())).map(c -> c.getType() + "=" + c.getReason())
            .collect(java.util.stream.Collectors.joining(",")));
  }

  static Timeline.SenderSample sample(String domain, InetSocketAddress dns, SenderView view, Timeline timeline) {
    Instant at = Instant.now();
    Answer<TXTRecord> txt = lookup(ObjectNames.stsRecordName(domain), Type.TXT, dns);
    List<String> sts = txt.records().stream().map(r -> String.join("", r.getStrings()))
        .filter(t -> t.startsWith("v=STSv1")).toList();
    Optional<String> id = sts.size() == 1 ? new SenderView.Sample(at, sts, -1, Optional.empty(), "").id()
        : Optional.empty();
    Answer<ARecord> address = lookup(ObjectNames.policyHost(domain), Type.A, dns);
    if (address.answer() != DnsAnswer.RECORD) {
      // No answer (the server is down or did not reply in time) is not a withdrawn address: say which it was.
      return new Timeline.SenderSample(at, domain, txt.answer(), id, Optional.empty(),
          address.answer() == DnsAnswer.NO_ANSWER ? Timeline.NO_ADDRESS_ANSWER : "the policy host has no A record");
    }
    try {
      String policy = view.policy(address.records().get(0).getAddress());
      String hash = PolicyHash.ofBytes(policy.getBytes(StandardCharsets.UTF_8));
      timeline.served(hash, policy);
      return new Timeline.SenderSample(at, domain, txt.answer(), id, Optional.of(hash), "");
    } catch (IOException | RuntimeException e) {
      return new Timeline.SenderSample(at, domain, txt.answer(), id, Optional.empty(),
          e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private record Answer<T extends Record>(DnsAnswer answer, List<T> records) {}

  @SuppressWarnings("unchecked")
  private static <T extends Record> Answer<T> lookup(String name, int type, InetSocketAddress dns) {
    try {
      Lookup lookup = new Lookup(Name.fromString(name + "."), type);
      SimpleResolver resolver = new SimpleResolver(dns);
      // Generous: on two busy cores the DNS server can take a second; a reply that late is still an answer.
      resolver.setTimeout(Duration.ofSeconds(2));
      lookup.setResolver(resolver);
      lookup.setCache(null);
      Record[] records = lookup.run();
      DnsAnswer answer = switch (lookup.getResult()) {
        case Lookup.SUCCESSFUL -> DnsAnswer.RECORD;
        case Lookup.HOST_NOT_FOUND, Lookup.TYPE_NOT_FOUND -> DnsAnswer.NO_RECORD;
        default -> DnsAnswer.NO_ANSWER;
      };
      return new Answer<>(answer, records == null ? List.of()
          : java.util.Arrays.stream(records).map(r -> (T) r).toList());
    } catch (IOException e) {
      return new Answer<>(DnsAnswer.NO_ANSWER, List.of());
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
