package org.virtthrottle.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.GroupName;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.ScaledInteger;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.model.Tier;

/**
 * The desired-state file of {@code apply} and {@code export}, YAML or JSON:
 *
 * <pre>
 * tiers:                         # optional: host budgets, as in the tiers file
 *   gold: {total_iops_sec: 3000}
 * domains:
 *   web:
 *     groups:
 *       perdisk: {total_iops_sec: 200}
 *       tenant: {read_bytes_sec: 10M, write_bytes_sec: 5M, tier: gold}   # a member of gold
 *     disks:
 *       vdb: [perdisk, tenant]    # image side first, as throttlefilterset
 *       vdc: []                   # not throttled
 * </pre>
 *
 * Limits take upstream's 19 names in either spelling ({@code total_bytes_sec}, {@code total-bytes-sec})
 * and scaled integers for bytes. Read token by token rather than as a tree, so every error names its
 * line; duplicate keys are errors (YAML would silently keep the last).
 */
public final class StateFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // a group or disk named "1" or "0x10" must read back as that text, not as a number
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();

    /** A group's key that names its tier. */
    static final String TIER = "tier";

    private final String source;
    private final JsonParser parser;
    /** The line of the key whose value is being read (a block mapping's value starts on the next line). */
    private int keyLine;

    private StateFile(String source, JsonParser parser) {
        this.source = source;
        this.parser = parser;
    }

    /**
     * Reads a file's text (JSON when it starts with '{', else YAML).
     *
     * @param source the file's name, as errors name it
     * @throws StateFileException naming the line and the field of the first mistake
     */
    public static List<DomainState> parse(String source, String text) {
        return parseAll(source, text).domains();
    }

    /**
     * Reads a whole file: its {@code tiers:} (optional) and its {@code domains:}.
     *
     * @throws StateFileException naming the line and the field of the first mistake
     */
    public static DesiredState parseAll(String source, String text) {
        return read(source, text, StateFile::document);
    }

    /**
     * Reads the host's tiers file, the same way:
     *
     * <pre>
     * tiers:
     *   gold: {total_iops_sec: 3000, read_bytes_sec: 200M}
     * </pre>
     *
     * @throws StateFileException naming the line and the field of the first mistake
     */
    public static List<Tier> parseTiers(String source, String text) {
        return read(source, text, StateFile::tiersDocument);
    }

    /** The tiers as the file says them (the tree {@link #toYaml} writes back). */
    public static ObjectNode tiersTree(List<Tier> tiers) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode list = root.putObject("tiers");
        tiers.forEach(tier -> putLimits(list.putObject(tier.name()), tier.budget()));
        return root;
    }

    /** A limit's mapping: the non-zero values under their XML names. */
    public static ObjectNode putLimits(ObjectNode node, ThrottleLimits limits) {
        limits.nonZero().forEach((field, value) -> node.put(field.xmlName(), value));
        return node;
    }

    private interface DocumentReader<T> {
        T read(StateFile file) throws IOException;
    }

    private static <T> T read(String source, String text, DocumentReader<T> document) {
        JsonFactory factory = text.stripLeading().startsWith("{") ? JSON.getFactory() : YAML.getFactory();
        try (JsonParser parser = factory.createParser(text)) {
            return document.read(new StateFile(source, parser));
        } catch (JsonProcessingException e) {
            // SnakeYAML's message quotes the source under each part: keep the parts' own words
            String message = String.join(
                    ": ",
                    e.getOriginalMessage()
                            .lines()
                            .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                            .toList());
            throw new StateFileException(source
                    + (e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr()) + ": " + message);
        } catch (IOException e) {
            throw new StateFileException(source + ": " + e.getMessage());
        }
    }

    /** The state of the domains, by name, as a file says it (the tree {@link #toYaml} and JSON output print). */
    public static ObjectNode toTree(Map<String, DomainThrottleConfig> domains) {
        return toTree(List.of(), domains);
    }

    /**
     * As {@link #toTree(Map)}, with the tiers' budgets first ({@code tiers:}, left out when there are
     * none) and each member group's {@code tier:}.
     */
    public static ObjectNode toTree(List<Tier> tiers, Map<String, DomainThrottleConfig> domains) {
        ObjectNode root = tiers.isEmpty() ? JSON.createObjectNode() : tiersTree(tiers);
        ObjectNode list = root.putObject("domains");
        domains.forEach((name, config) -> {
            ObjectNode domain = list.putObject(name);
            ObjectNode groups = domain.putObject("groups");
            for (ThrottleGroup group : config.groups()) {
                ObjectNode node = groups.putObject(group.name());
                config.tier(group.name()).ifPresent(tier -> node.put(TIER, tier));
                putLimits(node, group.limits());
            }
            ObjectNode disks = domain.putObject("disks");
            config.chains().forEach((target, chain) -> chain.groups().forEach(disks.putArray(target)::add));
        });
        return root;
    }

    public static String toYaml(JsonNode tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of objects, arrays, strings and numbers always prints", e);
        }
    }

    private DesiredState document() throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw new StateFileException(source + ": the file is empty; it must hold 'domains:'");
        }
        List<DomainState> domains = new ArrayList<>();
        List<Tier> tiers = new ArrayList<>();
        Map<String, Integer> tierLines = new HashMap<>();
        boolean[] seen = {false};
        fields("", key -> {
            switch (key) {
                case "domains" -> {
                    seen[0] = true;
                    fields("domains", name -> domains.add(domain(name)));
                }
                case "tiers" -> {
                    seen[0] = true;
                    tiers(tiers, tierLines);
                }
                default -> throw error(keyLine, "", "unknown key '" + key + "' (expected 'domains' or 'tiers')");
            }
        });
        if (!seen[0]) {
            throw new StateFileException(source + ": no 'domains:' in the file");
        }
        return new DesiredState(source, tiers, tierLines, domains);
    }

    private DomainState domain(String name) throws IOException {
        String path = "domains." + name;
        Map<String, Integer> lines = new HashMap<>();
        lines.put("", keyLine);
        List<ThrottleGroup> groups = new ArrayList<>();
        Map<String, String> tiers = new LinkedHashMap<>();
        Map<String, FilterChain> disks = new LinkedHashMap<>();
        fields(path, key -> {
            switch (key) {
                case "groups" -> fields(path + ".groups", group -> {
                    lines.put("groups." + group, keyLine);
                    groups.add(group(path + ".groups." + group, group, tiers));
                });
                case "disks" -> fields(path + ".disks", target -> {
                    lines.put("disks." + target, keyLine);
                    disks.put(target, chain(path + ".disks." + target));
                });
                default -> throw error(keyLine, path, "unknown key '" + key + "' (expected 'groups' or 'disks')");
            }
        });
        return new DomainState(name, groups, disks, tiers, new DomainState.Locations(source, lines));
    }

    /** A group's mapping: its limits, and {@code tier: NAME} for a member (put in {@code tiers}). */
    private ThrottleGroup group(String path, String name, Map<String, String> tiers) throws IOException {
        int line = keyLine;
        try {
            GroupName.checkForLive(name);
        } catch (InvalidConfigException e) {
            throw error(line, path, e.getMessage());
        }
        ThrottleLimits limits = limits(path, key -> {
            if (!key.equals(TIER)) {
                return false;
            }
            String tier = tierName(path + "." + TIER);
            if (!tier.isEmpty()) {
                tiers.put(name, tier);
            }
            return true;
        });
        try {
            return new ThrottleGroup(name, limits.validated());
        } catch (InvalidConfigException e) {
            throw error(line, path, e.getMessage());
        }
    }

    /** A tier's name ({@code tier: gold}); null or '' for none. */
    private String tierName(String path) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return "";
        }
        if (token != JsonToken.VALUE_STRING) {
            throw error(path, "expected a tier's name, not " + describe(token));
        }
        String tier = parser.getText();
        if (!tier.isEmpty()) {
            try {
                Tier.checkName(tier);
            } catch (InvalidConfigException e) {
                throw error(path, e.getMessage());
            }
        }
        return tier;
    }

    private List<Tier> tiersDocument() throws IOException {
        if (parser.nextToken() == null) {
            return List.of();
        }
        List<Tier> tiers = new ArrayList<>();
        fields("", key -> {
            if (!key.equals("tiers")) {
                throw error(keyLine, "", "unknown key '" + key + "' (expected 'tiers')");
            }
            tiers(tiers, new HashMap<>());
        });
        return tiers;
    }

    /** The mapping of tiers to their budgets, each tier's line put in {@code lines}. */
    private void tiers(List<Tier> tiers, Map<String, Integer> lines) throws IOException {
        fields("tiers", name -> {
            int line = keyLine;
            lines.put(name, line);
            String path = "tiers." + name;
            ThrottleLimits budget = limits(path);
            try {
                tiers.add(new Tier(name, budget).validated());
            } catch (InvalidConfigException e) {
                throw error(line, path, e.getMessage());
            }
        });
    }

    /** Reads a key of a limits mapping that is not a limit: false when it is no such key either. */
    private interface OtherKey {
        boolean read(String key) throws IOException;
    }

    /** A mapping of limits, each given once, not yet validated as a whole. */
    private ThrottleLimits limits(String path) throws IOException {
        return limits(path, key -> false);
    }

    private ThrottleLimits limits(String path, OtherKey other) throws IOException {
        Map<LimitField, Long> values = new EnumMap<>(LimitField.class);
        fields(path, key -> {
            if (other.read(key)) {
                return;
            }
            LimitField field = LimitField.fromXmlName(key.replace('-', '_'));
            if (field == null) {
                throw error(keyLine, path, "unknown limit '" + key + "'");
            }
            if (values.containsKey(field)) {
                throw error(path, "limit '" + key + "' given twice");
            }
            values.put(field, limitValue(path + "." + key, field));
        });
        return ThrottleLimits.of(values);
    }

    private long limitValue(String path, LimitField field) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT) {
            if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || parser.getLongValue() > ThrottleLimits.VALUE_MAX) {
                throw error(path, InvalidConfigException.tooHigh().getMessage());
            }
            if (parser.getLongValue() < 0) {
                throw error(path, "a limit must not be negative (" + parser.getLongValue() + ")");
            }
            return parser.getLongValue();
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            throw error(path, "'" + parser.getText() + "' is not a non-negative integer");
        }
        if (token == JsonToken.VALUE_STRING) {
            String text = parser.getText().strip();
            try {
                return ScaledInteger.parse(text, field.isByteQuantity())
                        .orElseThrow(() -> error(
                                path,
                                "'" + text + "' is not a non-negative integer"
                                        + (field.isByteQuantity() ? " or scaled integer (10M, 1G, 500KB)" : "")));
            } catch (StateFileException e) {
                throw e;
            } catch (InvalidConfigException e) {
                throw error(path, e.getMessage());
            }
        }
        throw error(path, "expected a number, not " + describe(token));
    }

    /** A chain: a list of group names, or one comma separated string as on the command line; null or [] for none. */
    private FilterChain chain(String path) throws IOException {
        JsonToken token = parser.currentToken();
        List<String> groups = new ArrayList<>();
        if (token == JsonToken.VALUE_STRING) {
            String text = parser.getText();
            if (!text.isEmpty()) {
                groups.addAll(List.of(text.split(",", -1)));
            }
        } else if (token == JsonToken.START_ARRAY) {
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() != JsonToken.VALUE_STRING) {
                    throw error(path, "expected a group name, not " + describe(parser.currentToken()));
                }
                groups.add(parser.getText());
            }
        } else if (token != JsonToken.VALUE_NULL) {
            throw error(path, "expected a list of group names, not " + describe(token));
        }
        try {
            return new FilterChain(groups).validated();
        } catch (InvalidConfigException e) {
            throw error(path, e.getMessage());
        }
    }

    /** Something that reads the value of a key, the parser on its first token. */
    private interface FieldReader {
        void read(String key) throws IOException;
    }

    /** Reads a mapping (or null, an empty one) at the current token, key by key, refusing duplicate keys. */
    private void fields(String path, FieldReader reader) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        if (token != JsonToken.START_OBJECT) {
            throw error(path, "expected a mapping (key: value), not " + describe(token));
        }
        Set<String> keys = new HashSet<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            if (!keys.add(key)) {
                throw error(path, "'" + key + "' appears twice");
            }
            keyLine = line();
            parser.nextToken();
            reader.read(key);
        }
    }

    private int line() {
        return parser.currentTokenLocation().getLineNr();
    }

    private StateFileException error(String path, String message) {
        return error(line(), path, message);
    }

    private StateFileException error(int line, String path, String message) {
        return new StateFileException(source + " line " + line + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "a mapping";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "text";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "true/false";
            case VALUE_NULL -> "nothing";
            default -> token.toString();
        };
    }
}
