package dev.mtasts.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's postfix-mta-sts-resolver ({@code mta-sts-query}), an independent MTA-STS client, run against the test
 * servers. It reads /etc/resolv.conf and the system trust store only, so it runs in a private mount namespace with
 * a resolv.conf naming the test DNS server bind-mounted over the real one, and SSL_CERT_FILE naming the test CA.
 */
public final class MtaStsQuery {

  private static final Pattern VERDICT = Pattern.compile("STSFetchResult\\.(\\w+)");

  private MtaStsQuery() {}

  public static Path binary() {
    Path binary = Path.of("/usr/bin/mta-sts-query");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "No mta-sts-query on this machine: run test-infra/setup.sh (it installs postfix-mta-sts-resolver)");
    }
    return binary;
  }

  /** VALID, NONE, FETCH_ERROR (its STSFetchResult) for the domain, and what it printed. */
  public record Verdict(String result, String output) {}

  public static Verdict query(String domain, String dnsServer, Path caFile, Path dir) {
    try {
      Path resolvConf = dir.resolve("resolv.conf");
      Files.writeString(resolvConf, "nameserver " + dnsServer + "\noptions timeout:2 attempts:1\n");
      String script = "mount --bind " + resolvConf + " /etc/resolv.conf && exec " + binary() + " -v error " + domain;
      ProcessBuilder builder = new ProcessBuilder(List.of("unshare", "--mount", "sh", "-c", script))
          .redirectErrorStream(true);
      builder.environment().put("SSL_CERT_FILE", caFile.toString());
      Process process = builder.start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("mta-sts-query " + domain + " did not finish in 60 s");
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      Matcher matcher = VERDICT.matcher(output);
      return new Verdict(matcher.find() ? matcher.group(1) : "NO_VERDICT", output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
