package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.TestGuest;

/**
 * --json: every document docs/command-line.md's table shows has the fields it shows, every error (usage errors
 * too) is one JSON document on stderr, and -t puts the time into the document.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonDocumentsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ClassGuest<TestGuest> GUEST = ClassGuest.startedBy(() -> TestGuest.start());

    private final TestGuest guest = GUEST.guest();
    private final String dom = guest.name();

    @BeforeAll
    void createGroup() {
        CliRunner.Result r =
                CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " a --total-iops-sec 10 --live --config"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    /** The rows of docs/command-line.md's table "JSON output": first column (the command) to the document's shape. */
    private static Map<String, String> readmeShapes() throws Exception {
        String readme = Files.readString(Path.of("docs", "command-line.md"));
        String section = readme.substring(readme.indexOf("## JSON output"));
        section = section.substring(0, section.indexOf("\n## ", 5));
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : section.split("\n")) {
            String[] cells = line.split("(?<!\\\\)\\|");
            if (cells.length >= 3 && cells[2].contains("`{")) {
                String shape = cells[2].substring(cells[2].indexOf("`{") + 1);
                rows.put(
                        cells[1].strip(), shape.substring(0, shape.indexOf('`')).replace("\\|", "|"));
            }
        }
        return rows;
    }

    /** The top-level field names of a shape such as {@code {"domain", "source": "live"|"config", "groups": [...]}}. */
    private static List<String> fieldsOf(String shape) {
        List<String> fields = new ArrayList<>();
        int depth = 0;
        char before = 0;
        for (int i = 0; i < shape.length(); i++) {
            char c = shape.charAt(i);
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            } else if (c == '"') {
                int end = shape.indexOf('"', i + 1);
                if (depth == 1 && (before == '{' || before == ',')) {
                    fields.add(shape.substring(i + 1, end));
                }
                i = end;
            }
            if (!Character.isWhitespace(c)) {
                before = c;
            }
        }
        return fields;
    }

    private static List<String> fieldsOf(JsonNode document) {
        List<String> fields = new ArrayList<>();
        document.fieldNames().forEachRemaining(fields::add);
        return fields;
    }

    private static JsonNode document(String text) throws Exception {
        assertThat(text.strip()).as("one document").startsWith("{").endsWith("}");
        return JSON.readTree(text);
    }

    @Test
    void everyShapeInTheReadmeIsWhatTheCommandPrints() throws Exception {
        Map<String, List<String>> commandFor = new LinkedHashMap<>();
        commandFor.put("`throttlegroupinfo`", List.of("throttlegroupinfo", dom, "a"));
        commandFor.put("`throttlegrouplist`", List.of("throttlegrouplist", dom));
        commandFor.put("`throttlefilterlist`", List.of("throttlefilterlist", dom));
        commandFor.put("`list`", List.of("list", "--all"));
        commandFor.put(
                "changing commands (set, del, attach, detach, filterset)",
                List.of("throttlegroupset", dom, "j", "--total-iops-sec", "3", "--live"));
        commandFor.put(
                "any of them with `--dry-run`",
                List.of("throttlegroupset", dom, "j", "--total-iops-sec", "4", "--live", "--dry-run"));
        commandFor.put("`reconcile`", List.of("reconcile", dom));
        Map<String, String> shapes = readmeShapes();
        // migrate-config needs libvirt >= 11.2 (NativeHostIT); errors are checked below
        assertThat(shapes.keySet()).containsAll(commandFor.keySet()).contains("`migrate-config`", "an error");

        for (Map.Entry<String, List<String>> row : commandFor.entrySet()) {
            List<String> args = new ArrayList<>(List.of("--json"));
            args.addAll(row.getValue());
            CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(row.getKey() + ": " + r).isZero();
            assertThat(fieldsOf(document(r.out())))
                    .as(row.getKey() + ": " + r.out())
                    .containsExactlyInAnyOrderElementsOf(fieldsOf(shapes.get(row.getKey())));
        }

        CliRunner.Result failed = CliRunner.launch("", "--json", "throttlegroupinfo " + dom + " nosuch");
        assertThat(fieldsOf(document(failed.err())))
                .containsExactlyInAnyOrderElementsOf(fieldsOf(shapes.get("an error")));
    }

    @Test
    void whereNamesTheLineTheCommandOnItAndTheFileAsReadmeSays() throws Exception {
        CliRunner.Result twoOnALine =
                CliRunner.launch("", "--json", "throttlegroupinfo " + dom + " a; throttlegroupinfo " + dom + " nosuch");
        assertThat(document(twoOnALine.err()).get("where").asText()).isEqualTo("line 1, command 2");

        Path file = Files.createTempFile("vt-json", ".vt");
        Files.writeString(file, "throttlegrouplist " + dom + "\nthrottlegroupinfo " + dom + " nosuch\n");
        CliRunner.Result fromFile = CliRunner.launch("", "--json", "-f", file.toString());
        assertThat(document(fromFile.err()).get("where").asText()).isEqualTo(file + " line 2");

        String readme = Files.readString(Path.of("docs", "command-line.md"));
        assertThat(readme)
                .contains("\"where\": \"line N\"")
                .contains("`line N, command M`")
                .contains("`FILE line N`");
    }

    @Test
    void usageErrorsAreJsonDocumentsOnStderrToo() throws Exception {
        List<List<String>> lines = List.of(
                List.of("--json", "throttlegroupset", dom, "g", "--bogus"),
                List.of("throttlegroupinfo", dom, "--json"),
                List.of("--json", "throttlegroupinfo", dom, "a", "extra"),
                List.of("--json", "frobnicate", dom),
                List.of("--json", "throttlegroupset", dom, "g", "--total-iops-sec", "x"));
        for (List<String> line : lines) {
            CliRunner.Result r = CliRunner.launch("", line.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.out()).as(r.toString()).isEmpty();
            assertThat(r.err().lines()).as(r.toString()).hasSize(1);
            assertThat(document(r.err()).get("error").asText()).as(r.toString()).isNotEmpty();
        }
    }

    @Test
    void timingGoesIntoTheDocumentAndTheErrorDocument() throws Exception {
        CliRunner.Result ok = CliRunner.run("--json", "-t", "throttlegroupinfo", dom, "a");
        assertThat(ok.out()).doesNotContain("(Time:");
        assertThat(document(ok.out()).get("time_ms").asDouble()).isPositive();

        CliRunner.Result failed = CliRunner.run("--json", "-t", "throttlegroupinfo", dom, "nosuch");
        assertThat(failed.out()).isEmpty();
        assertThat(document(failed.err()).get("time_ms").asDouble()).isPositive();

        CliRunner.Result text = CliRunner.run("-t", "throttlegroupinfo", dom, "a");
        assertThat(text.out()).matches("(?s)total_iops_sec : 10\n\n\\(Time: \\d+\\.\\d{3} ms\\)\n\n");
    }
}
