package org.virtthrottle.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.HostileInput;
import org.virtthrottle.testing.SeedMutations;

/**
 * QEMU's replies as libvirt's monitor passthrough hands them over, whatever they hold: a reply is
 * read, or refused with an error naming the QEMU command; the block graph two replies describe is
 * read and walked (chains, orphans, a group's users) without failing or looping.
 */
class QmpReplyFuzzTest {
    private static final List<String> TOKENS = List.of(
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"",
            "\\",
            "\\u0000",
            "null",
            "true",
            "-1",
            "1e400",
            "18446744073709551616",
            "\"return\":",
            "\"error\":",
            "\"class\":",
            "\"desc\":",
            "\"node-name\":",
            "\"drv\":",
            "\"throttle\"",
            "\"image\":",
            "\"virtual-size\":",
            "\"file\":",
            "\"json:{\\\"throttle-group\\\":\\\"throttle-a\\\"}\"",
            "\"nodes\":",
            "\"edges\":",
            "\"parent\":",
            "\"child\":",
            "\"id\":",
            "\"type\":",
            "\"block-backend\"",
            "\"block-driver\"",
            "\"name\":",
            "\n\n");

    /** A client whose QEMU answers each command with the next of these texts (and then with nothing). */
    private static QmpClient answering(String... replies) {
        Deque<String> next = new ArrayDeque<>(List.of(replies));
        return new QmpClient(command -> next.isEmpty() ? "" : next.poll(), line -> {});
    }

    static void checkReply(String reply) {
        QmpCommand command = QmpCommand.qomGetLimits("throttle-a");
        HostileInput.parsedOrRefused(reply, message -> message.contains("'qom-get'"), () -> answering(reply)
                        .execute(command))
                .ifPresent(value -> assertThat(QemuLimits.fromQemu(value)).isNotNull());
    }

    /** The two replies of {@link LiveGraph#read} in one text, split at its first blank line. */
    static void checkBlockGraph(String replies) {
        int cut = replies.indexOf("\n\n");
        String named = cut < 0 ? replies : replies.substring(0, cut);
        String graph = cut < 0 ? "" : replies.substring(cut + 2);
        HostileInput.parsedOrRefused(
                replies,
                message -> message.contains("'query-named-block-nodes'")
                        || message.contains("'x-debug-query-block-graph'"),
                () -> walk(LiveGraph.read(answering(named, graph))));
    }

    /** Everything the use cases ask of a graph. */
    private static LiveGraph walk(LiveGraph graph) {
        for (LiveGraph.Device device : graph.devices()) {
            LiveGraph.Chain chain = graph.chain(device);
            assertThat(chain.filters()).allMatch(LiveGraph.BlockNode::isThrottle);
            chain.groupIds();
            graph.device(device.alias());
            graph.virtualSize(chain.base());
            graph.without(device).orphans(name -> true, name -> true);
        }
        for (LiveGraph.BlockNode node : graph.nodes().values()) {
            if (node.throttleGroup() != null) {
                graph.throttleNodesUsing(node.throttleGroup());
            }
        }
        graph.orphans(name -> name.startsWith("vt"), name -> true);
        return graph;
    }

    @FuzzTest
    void reply(byte[] input) {
        checkReply(new String(input, StandardCharsets.UTF_8));
    }

    @FuzzTest
    void blockGraph(byte[] input) {
        checkBlockGraph(new String(input, StandardCharsets.UTF_8));
    }

    @Test
    void generatedReplies() {
        SeedMutations.check(getClass(), "reply", TOKENS, 3000, QmpReplyFuzzTest::checkReply);
    }

    @Test
    void generatedBlockGraphs() {
        SeedMutations.check(getClass(), "blockGraph", TOKENS, 1000, QmpReplyFuzzTest::checkBlockGraph);
    }
}
