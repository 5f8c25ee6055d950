package dev.mtasts.benchmark;

import dev.mtasts.cli.MtaStsCommand;
import dev.mtasts.testing.LocalDns;
import dev.mtasts.testing.LocalMta;
import dev.mtasts.testing.LocalPolicyHosts;
import dev.mtasts.testing.MtaStsQuery;
import dev.mtasts.testing.TestCertificates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Wall time of {@code check} for 1 and 50 domains against local servers (Knot DNS, nginx over HTTPS, postfix
 * with STARTTLS), next to postfix-mta-sts-resolver's {@code mta-sts-query} over the same domains with the same
 * concurrency (16, as check uses). Not comparable work: mta-sts-query fetches the policy only, check also looks up
 * MX and TLS-RPT records and probes each MX with STARTTLS. Run with {@code ./mvnw -q -Pbenchmark -DskipTests verify}.
 */
public final class CheckBenchmark {

  static final int DOMAINS = 50;
  static final int CONCURRENCY = 16;

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("mtasts-check-benchmark");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> domains = IntStream.range(0, DOMAINS).mapToObj(i -> "bench" + i + ".test").toList();
    TestCertificates ca = new TestCertificates();
    Path caFile = ca.writeCa(dir.resolve("ca.pem"));
    Instant now = Instant.now();
    Map<String, String> zones = new LinkedHashMap<>();
    List<LocalPolicyHosts.Host> hosts = new ArrayList<>();
    for (int i = 0; i < DOMAINS; i++) {
      String domain = domains.get(i);
      int loopback = 10 + i;
      zones.put(domain, "$ORIGIN " + domain + ".\n$TTL 60\n@ IN SOA ns hostmaster 1 3600 600 86400 60\n@ IN NS ns\n"
          + "ns IN A 127.0.0.1\nmta-sts IN A 127.0.0." + loopback + "\n"
          + "_mta-sts IN TXT \"v=STSv1; id=20260101000000\"\n"
          + "_smtp._tls IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@" + domain + "\"\n"
          + "@ IN MX 10 mx1\nmx1 IN A 127.0.1.1\n");
      Path policy = dir.resolve(domain + ".txt");
      Files.writeString(policy, "version: STSv1\r\nmode: enforce\r\nmx: mx1." + domain + "\r\nmax_age: 604800\r\n");
      Path[] files = ca.issue(dir, domain, now.minusSeconds(60), now.plus(Duration.ofDays(30)), "mta-sts." + domain);
      hosts.add(new LocalPolicyHosts.Host(loopback, "mta-sts." + domain, files[0], files[1], "alias " + policy + ";"));
    }
    Path mtaDir = Files.createDirectories(dir.resolve("mta"));
    Files.setPosixFilePermissions(mtaDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (LocalDns dns = LocalDns.serve(zones, Files.createDirectories(dir.resolve("dns")),
            new InetSocketAddress("127.0.0.53", 53));
        LocalPolicyHosts nginx = LocalPolicyHosts.serve(hosts, dir);
        LocalMta mta = LocalMta.serve(List.of(new LocalMta.Listener(1, Optional.of(ca.issue(mtaDir, "mx",
            now.minusSeconds(60), now.plus(Duration.ofDays(30)),
            domains.stream().map(d -> "mx1." + d).toArray(String[]::new))))), dir)) {
      System.out.printf("check benchmark: %d cores, concurrency %d%n", Runtime.getRuntime().availableProcessors(),
          CONCURRENCY);
      System.out.printf("%8s %12s %18s %8s%n", "domains", "check (s)", "mta-sts-query (s)", "ratio");
      for (int n : new int[] {1, DOMAINS}) {
        List<String> some = domains.subList(0, n);
        double check = time(() -> check(some, caFile));
        double query = time(() -> parallel(some, d -> MtaStsQuery.query(d, "127.0.0.53", caFile,
            Files.createDirectories(dir.resolve("q-" + d)))));
        System.out.printf("%8d %12.2f %18.2f %8.2f%n", n, check, query, check / query);
      }
    }
  }

  static void check(List<String> domains, Path caFile) {
    List<String> args = new ArrayList<>(List.of("check", "--resolver", "127.0.0.53:53", "--ca-file",
        caFile.toString(), "--timeout", "5"));
    args.addAll(domains);
    var cli = MtaStsCommand.commandLine(Clock.systemUTC(), java.io.InputStream.nullInputStream());
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    int exit = cli.execute(args.toArray(String[]::new));
    if (exit != 0) {
      throw new IllegalStateException("check found errors on the benchmark domains:\n" + out);
    }
  }

  interface Task {
    void run(String domain) throws Exception;
  }

  static void parallel(List<String> domains, Task task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (String d : domains) {
        futures.add(pool.submit(() -> {
          task.run(d);
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  interface Timed {
    void run() throws Exception;
  }

  static double time(Timed timed) throws Exception {
    long start = System.nanoTime();
    timed.run();
    return (System.nanoTime() - start) / 1e9;
  }
}
