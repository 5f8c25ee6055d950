package dev.mtasts.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jakarta Mail finds its protocol providers (META-INF/javamail.providers, services) and its MIME handlers
 * (META-INF/mailcap) as classpath resources, which shading merges or drops: the shaded jar alone must still resolve
 * imap, imaps and smtp and read a report sent as mail.
 */
class ReportMailInShadedJarIT {

  static final String CHECK = """
      import jakarta.mail.Session;
      import java.io.FileInputStream;
      import java.util.List;
      import java.util.Properties;

      public class ShadedMailCheck {
        public static void main(String[] args) throws Exception {
          Session session = Session.getInstance(new Properties());
          System.out.println("imap=" + session.getStore("imap").getClass().getName());
          System.out.println("imaps=" + session.getStore("imaps").getClass().getName());
          System.out.println("smtp=" + session.getTransport("smtp").getClass().getName());
          try (FileInputStream in = new FileInputStream(args[0])) {
            var reports = dev.mtasts.tlsrpt.ReportMessage.attachments(in);
            System.out.println("reports=" + reports.value().map(List::size).orElse(-1) + " " + reports.findings());
          }
        }
      }
      """;

  @Test
  void theShadedJarResolvesTheImapProvidersAndReadsAReportMail(@TempDir Path dir) throws Exception {
    Path jar = Path.of("target", "mta-sts-operator.jar");
    assertThat(jar).as("the shaded jar is built in the package phase").exists();
    Path source = Files.writeString(dir.resolve("ShadedMailCheck.java"), CHECK);
    Path mail = dir.resolve("report.eml");
    try (var in = getClass().getResourceAsStream("/tlsrpt-mail/tlsrpt-gzip.eml")) {
      Files.copy(in, mail);
    }
    Path output = dir.resolve("output.txt");
    // Only the shaded jar on the class path, in Java's single-file source mode.
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", jar.toAbsolutePath().toString(), source.toString(), mail.toString())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the check finished").isTrue();

    assertThat(Files.readString(output)).as("exit %d", process.exitValue()).contains(
        "imap=org.eclipse.angus.mail.imap.IMAPStore",
        "imaps=org.eclipse.angus.mail.imap.IMAPSSLStore",
        "smtp=org.eclipse.angus.mail.smtp.SMTPTransport",
        "reports=1 []");
  }
}
