package dev.mtasts.testing.stack;

import dev.mtasts.desired.ObjectNames;
import dev.mtasts.rfc.PolicyHash;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * What a sending MTA finds for one domain, read the way it reads it: the {@code _mta-sts} TXT record from the DNS
 * server, and the policy at {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}, its host resolved through the
 * same server, TLS verified against the given CA with hostname checking, no redirect followed. {@link #sample()}
 * reads both once; {@link #every(Duration)} keeps reading in the background, for a test to look at the whole
 * sequence afterwards.
 */
public final class SenderView {

  /**
   * One reading: the TXT strings DNS answered (each record's strings joined) and their TTL, and the policy the URL
   * served.
   */
  public record Sample(Instant at, List<String> stsRecords, long stsTtl, Optional<String> policyHash,
      String fetchError) {

    /** The id of the one valid-looking record, if exactly one record starts with v=STSv1. */
    public Optional<String> id() {
      List<String> sts = stsRecords.stream().filter(r -> r.startsWith("v=STSv1")).toList();
      if (sts.size() != 1) {
        return Optional.empty();
      }
      for (String field : sts.get(0).split(";")) {
        String f = field.trim();
        if (f.startsWith("id=")) {
          return Optional.of(f.substring(3));
        }
      }
      return Optional.empty();
    }
  }

  private final String domain;
  private final InetSocketAddress dnsServer;
  private final SSLContext tls;

  public SenderView(String domain, InetSocketAddress dnsServer, byte[] caPem) {
    this.domain = domain;
    this.dnsServer = dnsServer;
    this.tls = trusting(caPem);
  }

  public Sample sample() {
    Instant at = Instant.now();
    List<Record> answers = lookup(ObjectNames.stsRecordName(domain), Type.TXT);
    List<String> records = texts(answers);
    long ttl = answers.stream().mapToLong(Record::getTTL).min().orElse(-1);
    try {
      return new Sample(at, records, ttl, Optional.of(PolicyHash.ofBytes(fetchPolicy())), "");
    } catch (IOException | RuntimeException e) {
      return new Sample(at, records, ttl, Optional.empty(), e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** The id DNS answers now, without fetching the policy (for figures over many domains). */
  public Optional<String> dnsId() {
    return new Sample(Instant.now(), texts(lookup(ObjectNames.stsRecordName(domain), Type.TXT)), -1,
        Optional.empty(), "").id();
  }

  /** The policy file as the URL serves it now. */
  public String policy() throws IOException {
    return new String(fetchPolicy(), StandardCharsets.UTF_8);
  }

  /** Samples every period until the returned recording is stopped. */
  public Recording every(Duration period) {
    return new Recording(this, period);
  }

  /** Samples taken in the background. */
  public static final class Recording implements AutoCloseable {
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
        r -> new Thread(r, "sender-view"));

    private Recording(SenderView view, Duration period) {
      // A sample that throws would end a fixed-rate schedule in silence: it is kept as a sample that found nothing.
      timer.scheduleAtFixedRate(() -> {
        Instant at = Instant.now();
        try {
          samples.add(view.sample());
        } catch (RuntimeException e) {
          samples.add(new Sample(at, List.of(), -1, Optional.empty(), "lookup: " + e));
        }
      }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    public List<Sample> samples() {
      synchronized (samples) {
        return List.copyOf(samples);
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

  /** Each TXT record's strings joined, as RFC 8461 §3.1 reads a record; sorted. */
  private static List<String> texts(List<Record> txt) {
    return txt.stream().map(r -> String.join("", ((TXTRecord) r).getStrings())).sorted().toList();
  }

  private List<Record> lookup(String name, int type) {
    try {
      Lookup lookup = new Lookup(Name.fromString(name.endsWith(".") ? name : name + "."), type);
      SimpleResolver resolver = new SimpleResolver(dnsServer);
      resolver.setTimeout(Duration.ofSeconds(1));
      lookup.setResolver(resolver);
      lookup.setCache(null);
      Record[] answers = lookup.run();
      // No answer within the timeout (two busy cores): ask again, as a sender's resolver does, rather than read
      // the silence as "no record".
      for (int attempt = 1; lookup.getResult() == Lookup.TRY_AGAIN && attempt < 3; attempt++) {
        lookup = new Lookup(Name.fromString(name.endsWith(".") ? name : name + "."), type);
        lookup.setResolver(resolver);
        lookup.setCache(null);
        answers = lookup.run();
      }
      return answers == null ? List.of() : List.of(answers);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The policy file as the policy host serves it at that address (its name resolved by the caller). */
  public String policy(InetAddress address) throws IOException {
    return new String(fetchPolicy(address), StandardCharsets.UTF_8);
  }

  private byte[] fetchPolicy() throws IOException {
    String host = ObjectNames.policyHost(domain);
    List<Record> a = lookup(host, Type.A);
    if (a.isEmpty()) {
      throw new IOException(host + " has no A record");
    }
    return fetchPolicy(((ARecord) a.get(0)).getAddress());
  }

  private byte[] fetchPolicy(InetAddress address) throws IOException {
    String host = ObjectNames.policyHost(domain);
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress(address, 443), 1000);
      socket.setSoTimeout(2000);
      var parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(host)));
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + ObjectNames.POLICY_PATH + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] response = socket.getInputStream().readAllBytes();
      String text = new String(response, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      if (!text.startsWith("HTTP/1.1 200") && !text.startsWith("HTTP/1.0 200") || end < 0) {
        throw new IOException("answered " + text.lines().findFirst().orElse("nothing"));
      }
      return java.util.Arrays.copyOfRange(response, end + 4, response.length);
    }
  }

  private static SSLContext trusting(byte[] caPem) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (var certificate : CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(caPem))) {
        store.setCertificateEntry("ca" + n++, (X509Certificate) certificate);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException("cannot trust the CA", e);
    }
  }

  /** The distinct ids DNS answered, in the order they first appeared. */
  /**
   * The samples in which DNS names an id while the URL serves the policy of an older one: the safe order broken.
   * ids and hashes are the policy ids in the order they were issued and the hash of each one's policy.
   */
  public static List<Sample> aheadOfTheirPolicy(List<Sample> samples, List<String> ids, List<String> hashes) {
    return samples.stream().filter(sample -> sample.id().map(ids::indexOf).filter(i -> sample.policyHash()
        .map(hashes::indexOf).filter(h -> h >= 0 && h < i).isPresent()).isPresent()).toList();
  }

  public static List<String> idsInOrder(List<Sample> samples) {
    return samples.stream().map(Sample::id).flatMap(Optional::stream).distinct().collect(Collectors.toList());
  }

  /** How many times the id in DNS changed from one sample to the next (samples without an id are skipped). */
  public static int idChanges(List<Sample> samples) {
    int changes = 0;
    String last = null;
    for (Sample sample : samples) {
      String id = sample.id().orElse(null);
      if (id != null && last != null && !id.equals(last)) {
        changes++;
      }
      if (id != null) {
        last = id;
      }
    }
    return changes;
  }
}
