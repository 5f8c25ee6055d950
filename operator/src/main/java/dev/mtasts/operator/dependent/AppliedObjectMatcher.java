package dev.mtasts.operator.dependent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.SSABasedGenericKubernetesResourceMatcher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * Whether an owned object needs to be applied again, decided without managedFields (which the informer caches
 * drop, see {@link WithoutManagedFields}): the object must still hold every field the operator sets, with the
 * same value (a hand edit is undone), and carry the hash of what was last applied, so that a field the operator no
 * longer sets (an annotation removed from the spec, say) is applied away too, as server-side apply does for the
 * fields a manager stops sending. Defaults the API server adds are left alone.
 */
public class AppliedObjectMatcher<R extends HasMetadata> extends SSABasedGenericKubernetesResourceMatcher<R> {

  /** The hash of the object as the operator last applied it, without this annotation. */
  public static final String APPLIED_HASH_ANNOTATION = "mtasts.dev/applied-hash";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  // Written straight from the object, in one pass, with map entries sorted: map order (Map.of iterates in a
  // different order in every JVM) must not change the hash after a restart.
  private static final ObjectMapper SORTED = new ObjectMapper()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** The desired object with the hash of its own content, as it is applied. */
  static <T extends HasMetadata> T stamped(T desired) {
    Map<String, String> annotations = desired.getMetadata().getAnnotations() == null ? new HashMap<>()
        : new HashMap<>(desired.getMetadata().getAnnotations());
    annotations.remove(APPLIED_HASH_ANNOTATION);
    desired.getMetadata().setAnnotations(annotations);
    String hash = hash(desired);
    annotations.put(APPLIED_HASH_ANNOTATION, hash);
    return desired;
  }

  @Override
  public boolean matches(R actual, R desired, Context<?> context) {
    return Objects.equals(appliedHash(actual), appliedHash(desired))
        && holds(SERIALIZATION.convertValue(actual, JsonNode.class),
            SERIALIZATION.convertValue(desired, JsonNode.class));
  }

  /** Whether {@code actual} holds every field of {@code desired} with the same value; lists entry by entry. */
  static boolean holds(JsonNode actual, JsonNode desired) {
    if (actual == null || actual.isNull()) {
      return desired.isNull() || desired.isContainerNode() && desired.isEmpty();
    }
    if (desired.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = desired.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!holds(actual.get(field.getKey()), field.getValue())) {
          return false;
        }
      }
      return actual.isObject();
    }
    if (desired.isArray()) {
      if (!actual.isArray() || actual.size() != desired.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!holds(actual.get(i), desired.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (desired.isNumber() && actual.isNumber()) {
      return desired.decimalValue().compareTo(actual.decimalValue()) == 0;
    }
    return desired.equals(actual);
  }

  private static String appliedHash(HasMetadata object) {
    return object.getMetadata().getAnnotations() == null ? null
        : object.getMetadata().getAnnotations().get(APPLIED_HASH_ANNOTATION);
  }

  private static String hash(HasMetadata object) {
    try {
      byte[] json = SORTED.writeValueAsBytes(object);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json), 0, 16);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
