package dev.mtasts.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image as {@code docker save} and Jib's {@code buildTar} write it: manifest.json naming the config and the
 * layer tarballs (gzipped or not), in order from the base up.
 */
record ImageTarball(JsonNode config, List<Layer> layers) {

  /** One entry of a layer: path (relative, as tar stores it), mode, owner, and the bytes of a regular file. */
  record Entry(String name, int mode, long uid, long gid, boolean directory, byte[] content) {}

  /** A layer's entries in tar order, and the diff id the config gives it (sha256 of the uncompressed tar). */
  record Layer(String diffId, List<Entry> entries) {

    List<Entry> regularFiles() {
      return entries.stream().filter(e -> !e.directory()).toList();
    }
  }

  static ImageTarball read(Path tarball) throws IOException {
    Map<String, byte[]> files = untar(Files.newInputStream(tarball)).stream()
        .collect(LinkedHashMap::new, (map, e) -> map.put(e.name(), e.content()), Map::putAll);
    var mapper = new ObjectMapper();
    JsonNode manifest = mapper.readTree(require(files, "manifest.json")).get(0);
    JsonNode config = mapper.readTree(require(files, manifest.get("Config").asText()));
    List<Layer> layers = new ArrayList<>();
    int index = 0;
    for (JsonNode layerFile : manifest.get("Layers")) {
      byte[] bytes = require(files, layerFile.asText());
      boolean gzipped = bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
      byte[] uncompressed = gzipped ? new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes() : bytes;
      String diffId = config.at("/rootfs/diff_ids/" + index++).asText();
      if (!diffId.equals("sha256:" + TestBaseImage.sha256(uncompressed))) {
        throw new IOException(layerFile.asText() + " does not match its diff id " + diffId);
      }
      layers.add(new Layer(diffId, untar(new ByteArrayInputStream(uncompressed))));
    }
    return new ImageTarball(config, layers);
  }

  private static byte[] require(Map<String, byte[]> files, String name) throws IOException {
    byte[] content = files.get(name);
    if (content == null) {
      throw new IOException("no " + name + " in the image tarball; it holds " + files.keySet());
    }
    return content;
  }

  private static List<Entry> untar(InputStream in) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (var archive = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = archive.getNextEntry()) != null) {
        entries.add(new Entry(entry.getName(), entry.getMode() & 07777, entry.getLongUserId(),
            entry.getLongGroupId(), entry.isDirectory(), entry.isDirectory() ? new byte[0] : archive.readAllBytes()));
      }
    }
    return entries;
  }
}
