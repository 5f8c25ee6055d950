package dev.mtasts.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtasts.tlsrpt.ReportMediaType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A stand-in for the cluster store behind {@link ReportIntake}, which is not part of these tests: it keeps what it
 * stores in memory and decides as the store does: a body that is no report (no report-id, not JSON) is MALFORMED, a
 * report naming a policy-domain whose policy host is not the host it was POSTed to is NOT_OURS, a report-id seen
 * before is a DUPLICATE. It can be told to be UNAVAILABLE, or to hold every call until released.
 */
public final class RecordingIntake implements ReportIntake {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One stored report. */
  public record Stored(String reportId, List<String> policyDomains, ReportMediaType mediaType, Channel channel,
      String source, Optional<String> policyHost) {}

  private final Queue<Stored> stored = new ConcurrentLinkedQueue<>();
  private final Set<String> reportIds = ConcurrentHashMap.newKeySet();
  private volatile boolean unavailable;
  private volatile CountDownLatch hold = new CountDownLatch(0);

  public List<Stored> stored() {
    return new ArrayList<>(stored);
  }

  public void unavailable(boolean value) {
    unavailable = value;
  }

  /** Every call waits until {@link #release()}. */
  public void hold() {
    hold = new CountDownLatch(1);
  }

  public void release() {
    hold.countDown();
  }

  @Override
  public IntakeOutcome accept(byte[] body, ReportMediaType mediaType, Channel channel, String source,
      Optional<String> policyHost) {
    try {
      hold.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return IntakeOutcome.unavailable("interrupted");
    }
    if (unavailable) {
      return IntakeOutcome.unavailable("the API server did not answer");
    }
    JsonNode report;
    try {
      byte[] json = mediaType == ReportMediaType.GZIP ? gunzip(body) : body;
      report = JSON.readTree(json);
    } catch (IOException e) {
      return IntakeOutcome.malformed("the body is not " + (mediaType == ReportMediaType.GZIP ? "gzip'd " : "")
          + "JSON (RFC 8460 §4.4)");
    }
    if (report == null || !report.path("report-id").isTextual()) {
      return IntakeOutcome.malformed("report-id: missing (RFC 8460 §4.4)");
    }
    List<String> domains = new ArrayList<>();
    report.path("policies").forEach(p -> domains.add(p.path("policy").path("policy-domain").asText()));
    for (String domain : domains) {
      if (policyHost.isPresent() && !policyHost.get().equals("mta-sts." + domain)) {
        return IntakeOutcome.notOurs("policy-domain " + domain + " is not the domain of " + policyHost.get());
      }
    }
    String id = report.path("report-id").asText();
    if (!reportIds.add(id)) {
      return IntakeOutcome.duplicate("report " + id + " was stored before");
    }
    stored.add(new Stored(id, domains, mediaType, channel, source, policyHost));
    return IntakeOutcome.stored("report " + id);
  }

  /** A small report (RFC 8460 §4.4) from one sender for one domain. */
  public static byte[] report(String reportId, String policyDomain) {
    return """
        {"organization-name": "Sender Inc.", "date-range": {"start-datetime": "2026-11-30T00:00:00Z",
         "end-datetime": "2026-11-30T23:59:59Z"}, "contact-info": "tlsrpt@sender.example", "report-id": "%s",
         "policies": [{"policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: enforce",
         "mx: mx1.%s", "max_age: 604800"], "policy-domain": "%s"},
         "summary": {"total-successful-session-count": 120, "total-failure-session-count": 1},
         "failure-details": [{"result-type": "certificate-expired", "sending-mta-ip": "192.0.2.1",
         "receiving-mx-hostname": "mx1.%s", "failed-session-count": 1}]}]}
        """.formatted(reportId, policyDomain, policyDomain, policyDomain).getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] bytes) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readNBytes(16 * 1024 * 1024);
    }
  }
}
