package dev.mtasts.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads MtaStsPolicy documents from YAML as strictly as {@code kubectl apply --validate=strict}: an unknown field,
 * a wrong type or another kind is an error that names the document and the field.
 */
final class PolicyDocuments {

  /** The policies read, and every problem found, each naming the source, document and field. */
  record Reading(List<MtaStsPolicy> policies, List<String> errors) {}

  private static final ObjectMapper YAML = strictMapper();

  private static final String API_VERSION = MtaStsPolicy.GROUP + "/" + MtaStsPolicy.VERSION;

  private PolicyDocuments() {}

  static Reading read(InputStream input, String source, String defaultNamespace) {
    List<MtaStsPolicy> policies = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    int document = 0;
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(input)) {
      while (docs.hasNextValue()) {
        JsonNode node = docs.nextValue();
        document++;
        if (node == null || node.isNull() || node.isMissingNode()) {
          continue; // an empty document between two "---"
        }
        String where = source + " (document " + document + ")";
        String kind = node.path("kind").asText("");
        String apiVersion = node.path("apiVersion").asText("");
        if (!"MtaStsPolicy".equals(kind) || !API_VERSION.equals(apiVersion)) {
          errors.add(where + ": apiVersion/kind: \"" + apiVersion + "/" + kind + "\" is not " + API_VERSION
              + "/MtaStsPolicy");
          continue;
        }
        try {
          MtaStsPolicy policy = YAML.treeToValue(node, MtaStsPolicy.class);
          if (policy.getMetadata().getNamespace() == null) {
            policy.getMetadata().setNamespace(defaultNamespace);
          }
          policies.add(policy);
        } catch (JsonProcessingException e) {
          errors.add(where + ": " + describe(e));
        }
      }
    } catch (IOException | RuntimeException e) {
      errors.add(source + ": not valid YAML: " + firstLine(e.getMessage()));
    }
    return new Reading(policies, errors);
  }

  // Like the API server: 86400.5 or "86400" is not an integer, and a key given twice is an error.
  private static ObjectMapper strictMapper() {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
      mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    return mapper;
  }

  private static String describe(JsonProcessingException e) {
    String path = e instanceof JsonMappingException mapping ? path(mapping) : "";
    if (e instanceof UnrecognizedPropertyException) {
      return path + ": unknown field";
    }
    if (e instanceof InvalidFormatException format) {
      return path + ": " + format.getValue() + " is not a valid " + format.getTargetType().getSimpleName()
          + (format.getTargetType().isEnum() ? " (one of " + enumValues(format.getTargetType()) + ")" : "");
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return path + ": wrong type, expected " + typeName(mismatch.getTargetType());
    }
    return (path.isEmpty() ? "" : path + ": ") + firstLine(e.getOriginalMessage());
  }

  private static String typeName(Class<?> type) {
    if (Number.class.isAssignableFrom(type) || type == long.class || type == int.class) {
      return "an integer";
    }
    if (type == String.class) {
      return "a string";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "an object";
  }

  private static String enumValues(Class<?> type) {
    return java.util.Arrays.stream(type.getEnumConstants())
        .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT))
        .collect(Collectors.joining(", "));
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      } else if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      }
    }
    return path.toString();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
