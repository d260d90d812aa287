package org.virtthrottle.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our streaming reader and writer give the trees and text Jackson's ObjectMapper (which they
 * replaced on the QMP path) gives: for QEMU's replies in testdata, every JSON value on a line of
 * upstream's transcripts, and a value with every kind of JSON in it.
 */
class JsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String EVERY_KIND = "{\"s\":\"a \\\"q\\\" \\\\ \\n \\t \\u0001 é 漢 \\ud83d\\ude00 </x>\","
            + "\"i\":-7,\"l\":4294967296000,\"big\":123456789012345678901234567890,\"d\":-1.5e-3,\"z\":0.0,"
            + "\"t\":true,\"f\":false,\"n\":null,\"e\":{},\"a\":[],\"nested\":[[1,{\"k\":[null]}],\"x\"]}";

    static Stream<String> documents() throws IOException {
        List<String> all = new ArrayList<>();
        all.add(EVERY_KIND);
        try (Stream<Path> files = Files.list(Path.of("testdata", "qmp"))) {
            for (Path file : files.sorted().toList()) {
                all.add(Files.readString(file));
            }
        }
        try (Stream<Path> files = Files.list(Path.of("..", "shared", "reference", "upstream-virsh-11.3"))) {
            for (Path file : files.sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    // QMP commands and replies, also where a transcript line starts with a prompt
                    String text = line.substring(Math.max(0, line.indexOf('{'))).strip();
                    if (text.startsWith("{") && parsesWithObjectMapper(text)) {
                        all.add(text);
                    }
                }
            }
        }
        assertThat(all).hasSizeGreaterThan(20);
        return all.stream();
    }

    /** One JSON value and nothing after it. */
    private static boolean parsesWithObjectMapper(String text) {
        try {
            MAPPER.readerFor(JsonNode.class)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readValue(text);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    @ParameterizedTest
    @MethodSource("documents")
    void readsTheTreeObjectMapperReads(String text) throws JsonProcessingException {
        assertThat(Json.read(text)).isEqualTo(MAPPER.readTree(text));
    }

    @ParameterizedTest
    @MethodSource("documents")
    void writesTheTextObjectMapperWrites(String text) throws JsonProcessingException {
        JsonNode tree = MAPPER.readTree(text);
        assertThat(Json.write(tree)).isEqualTo(tree.toString());
    }

    /** --json output (cli.output.Output) is written this way since it has no ObjectMapper. */
    @ParameterizedTest
    @MethodSource("documents")
    void writesTheIndentedTextObjectMapperWrites(String text) throws JsonProcessingException {
        JsonNode tree = MAPPER.readTree(text);
        assertThat(Json.writePretty(tree))
                .isEqualTo(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree));
    }

    @Test
    void refusesWhatIsNotOneJsonValue() {
        assertThatThrownBy(() -> Json.read("")).hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> Json.read("{\"a\":")).hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> Json.read("{} {}")).hasMessageStartingWith("not JSON");
    }
}
