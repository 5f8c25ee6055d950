package dev.mtasts.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a tiny base image in {@code docker save} format, which Jib takes as {@code tar://PATH}: one layer with the
 * distroless {@code nonroot} user, and a config like distroless java17's (user 65532, {@code java -jar} entrypoint,
 * working directory {@code /home/nonroot}), so the test sees Jib replace what it should. No JRE: nothing runs it.
 * The build calls {@link #main} before Jib's test execution; entries and times are fixed, so the bytes are too.
 */
public final class TestBaseImage {

  static final String TAG = "mta-sts-test-base:latest";
  static final String PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private TestBaseImage() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: TestBaseImage OUTPUT.tar");
    }
    write(Path.of(args[0]));
  }

  static void write(Path tarball) throws IOException {
    byte[] layer = tar(Map.of(
        "etc/passwd",
        "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n",
        "etc/group", "root:x:0:\nnonroot:x:65532:\n"));
    var mapper = new ObjectMapper();
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("architecture", "amd64");
    config.put("os", "linux");
    config.put("config", Map.of(
        "User", "65532",
        "Env", List.of(PATH_ENV),
        "Entrypoint", List.of("/usr/bin/java", "-jar"),
        "WorkingDir", "/home/nonroot"));
    config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of("sha256:" + sha256(layer))));
    config.put("history", List.of(Map.of("created_by", TestBaseImage.class.getName())));
    byte[] manifest = mapper.writeValueAsBytes(
        List.of(Map.of("Config", "config.json", "RepoTags", List.of(TAG), "Layers", List.of("layer.tar"))));

    Files.createDirectories(tarball.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(tarball);
        var archive = new TarArchiveOutputStream(out)) {
      put(archive, "manifest.json", manifest);
      put(archive, "config.json", mapper.writeValueAsBytes(config));
      put(archive, "layer.tar", layer);
    }
  }

  private static byte[] tar(Map<String, String> files) throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var archive = new TarArchiveOutputStream(bytes)) {
      for (String name : files.keySet().stream().sorted().toList()) {
        put(archive, name, files.get(name).getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toByteArray();
  }

  private static void put(TarArchiveOutputStream archive, String name, byte[] content) throws IOException {
    var entry = new TarArchiveEntry(name);
    entry.setSize(content.length);
    entry.setMode(0644);
    entry.setModTime(0);
    archive.putArchiveEntry(entry);
    archive.write(content);
    archive.closeArchiveEntry();
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
