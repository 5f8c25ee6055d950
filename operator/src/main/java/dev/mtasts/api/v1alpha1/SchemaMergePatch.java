package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Iterator;
import java.util.Map;

/**
 * A JSON merge patch (RFC 7386) of a generated schema, used at build time by the CRD generator to add what its
 * annotations cannot express (list types). Fabric8's own MergePatchCustomizer replaces nested maps such as
 * {@code properties} wholesale instead of merging them, which drops every other property.
 */
public final class SchemaMergePatch implements SchemaCustomizer.Customizer {

  @Override
  public JSONSchemaProps apply(JSONSchemaProps props, String input, KubernetesSerialization serialization) {
    JsonNode target = serialization.convertValue(props, JsonNode.class);
    JsonNode patch = serialization.unmarshal(input, JsonNode.class);
    return serialization.convertValue(merge(target, patch), JSONSchemaProps.class);
  }

  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject() || !target.isObject()) {
      return patch;
    }
    ObjectNode merged = ((ObjectNode) target).deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isNull()) {
        merged.remove(field.getKey());
      } else if (merged.has(field.getKey())) {
        merged.set(field.getKey(), merge(merged.get(field.getKey()), field.getValue()));
      } else {
        merged.set(field.getKey(), field.getValue());
      }
    }
    return merged;
  }
}
