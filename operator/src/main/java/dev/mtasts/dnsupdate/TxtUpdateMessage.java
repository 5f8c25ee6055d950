package dev.mtasts.dnsupdate;

import dev.mtasts.rfc.CharacterStrings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * The RFC 2136 update messages {@link TxtRecordWriter} sends, and the TXT value encoding both ways, built without
 * I/O. Values are carried as bytes on the wire, never as zone-file text: "v=STSv1; id=..." holds a ";", which
 * zone-file text reads as the start of a comment (what external-dns's rfc2136 provider trips over).
 */
final class TxtUpdateMessage {

  /** RFC 1035 §3.3: a TXT record is a sequence of character-strings of at most 255 octets each. */
  static final int STRING_LIMIT = CharacterStrings.LIMIT;
  /** RFC 1035 §3.2.1: RDLENGTH is 16 bits. */
  static final int RDATA_LIMIT = 65535;
  /** RFC 2181 §8: a TTL is an unsigned 31-bit number of seconds. */
  static final long TTL_LIMIT = Integer.MAX_VALUE;

  private TxtUpdateMessage() {
  }

  /**
   * One message that deletes the TXT RRset at name and adds one record per value. Servers apply an update's
   * records in order (RFC 2136 §3.4.2) and atomically (§3.7), so senders see the old set or the new one, never
   * both and never none; and an old value is gone even if we no longer know what it was.
   */
  static Update replace(Name zone, Name name, List<String> values, Duration ttl) {
    requireInZone(zone, name);
    long seconds = ttlSeconds(ttl);
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException("values: none given; to remove the TXT records at " + text(name)
          + " delete them");
    }
    List<Record> records = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      if (value == null) {
        problems.add("values[" + i + "]: is missing");
        continue;
      }
      byte[] rdata = rdata(value);
      if (rdata.length > RDATA_LIMIT) {
        problems.add("values[" + i + "]: " + value.getBytes(StandardCharsets.UTF_8).length + " bytes take "
            + rdata.length + " bytes as TXT data, over the " + RDATA_LIMIT + " a record can hold (RFC 1035 §3.2.1)");
        continue;
      }
      records.add(Record.newRecord(name, Type.TXT, DClass.IN, seconds, rdata));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    Update update = new Update(zone);
    update.delete(name, Type.TXT);
    records.forEach(update::add);
    return update;
  }

  /** One message that deletes the TXT RRset at name; a name without TXT records is no error (RFC 2136 §3.4.2.3). */
  static Update delete(Name zone, Name name) {
    requireInZone(zone, name);
    Update update = new Update(zone);
    update.delete(name, Type.TXT);
    return update;
  }

  /** A value as the character-strings of one TXT record, as bytes on the wire. */
  static List<byte[]> strings(String value) {
    return CharacterStrings.split(value).stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
  }

  /** A TXT record's value: its strings joined, read as UTF-8. */
  static String value(TXTRecord record) {
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (byte[] string : record.getStringsAsByteArrays()) {
      joined.writeBytes(string);
    }
    return joined.toString(StandardCharsets.UTF_8);
  }

  /** A name as messages show it: without the root's trailing dot. */
  static String text(Name name) {
    String text = name.toString(true);
    return text.endsWith(".") && text.length() > 1 ? text.substring(0, text.length() - 1) : text;
  }

  private static byte[] rdata(String value) {
    ByteArrayOutputStream rdata = new ByteArrayOutputStream();
    for (byte[] string : strings(value)) {
      rdata.write(string.length);
      rdata.writeBytes(string);
    }
    return rdata.toByteArray();
  }

  private static long ttlSeconds(Duration ttl) {
    if (ttl == null) {
      throw new IllegalArgumentException("ttl: is missing");
    }
    if (ttl.isNegative() || ttl.getNano() != 0 || ttl.getSeconds() > TTL_LIMIT) {
      throw new IllegalArgumentException("ttl: " + ttl + " is not a whole number of seconds from 0 to "
          + TTL_LIMIT + " (RFC 2181 §8)");
    }
    return ttl.getSeconds();
  }

  private static void requireInZone(Name zone, Name name) {
    if (!name.subdomain(zone)) {
      throw new IllegalArgumentException("name: " + text(name) + " is not in zone " + text(zone));
    }
  }
}
