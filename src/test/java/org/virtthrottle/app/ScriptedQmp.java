package org.virtthrottle.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.virtthrottle.qmp.QmpTransport;

/**
 * A QEMU monitor that answers from a script and records every command it is sent. Replies are set
 * per command name, or per command name and subject (its {@code path}, {@code id} or
 * {@code node-name} argument); several replies for one key are given out in order, the last one
 * repeating. A read nobody scripted fails the test; any other command succeeds with QEMU's
 * {@code {"return": {}}}.
 */
final class ScriptedQmp implements QmpTransport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> READS = Set.of(
            "query-named-block-nodes",
            "x-debug-query-block-graph",
            "qom-list",
            "qom-get",
            "query-iothreads",
            "query-block");

    private final Map<String, Deque<String>> replies = new HashMap<>();
    private final List<String> sent = new ArrayList<>();

    /** {@code returnJson} is the reply's {@code return} value; one for each call, in order. */
    ScriptedQmp returns(String execute, String... returnJson) {
        return script(execute, null, returnJson);
    }

    /** Replies for the command about one subject only (a QOM path, an object id, a node name). */
    ScriptedQmp returnsFor(String execute, String subject, String... returnJson) {
        return script(execute, subject, returnJson);
    }

    /** QEMU's error reply for the command about one subject. */
    ScriptedQmp failsFor(String execute, String subject, String errorClass, String desc) {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("class", errorClass).put("desc", desc);
        replies.put(key(execute, subject), new ArrayDeque<>(List.of(error.toString())));
        return this;
    }

    private ScriptedQmp script(String execute, String subject, String... returnJson) {
        Deque<String> queue = new ArrayDeque<>();
        for (String value : returnJson) {
            queue.add("{\"return\": " + value + "}");
        }
        replies.put(key(execute, subject), queue);
        return this;
    }

    /** Every command sent, as the JSON text that went over the wire. */
    List<String> sent() {
        return List.copyOf(sent);
    }

    /** The names of the commands sent, in order. */
    List<String> executed() {
        return sent.stream()
                .map(command -> parse(command).path("execute").asText())
                .toList();
    }

    @Override
    public String send(String command) {
        sent.add(command);
        JsonNode json = parse(command);
        String execute = json.path("execute").asText();
        Deque<String> queue = replies.get(key(execute, subject(json.path("arguments"))));
        if (queue == null) {
            queue = replies.get(key(execute, null));
        }
        if (queue == null) {
            if (READS.contains(execute)) {
                throw new AssertionError("no reply scripted for " + command);
            }
            return "{\"return\": {}}";
        }
        return queue.size() > 1 ? queue.poll() : queue.peek();
    }

    private static String subject(JsonNode arguments) {
        for (String name : List.of("path", "id", "node-name")) {
            if (arguments.has(name)) {
                return arguments.get(name).asText();
            }
        }
        return null;
    }

    private static String key(String execute, String subject) {
        return subject == null ? execute : execute + " " + subject;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
