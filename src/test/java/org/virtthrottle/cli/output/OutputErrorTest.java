package org.virtthrottle.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An error of several lines (virsh's heading, then libvirt's line): as text, and as a JSON document. */
class OutputErrorTest {
    private static final List<String> LINES = List.of(
            "Unable to set throttle group",
            "invalid argument: total and read/write of bytes_sec cannot be set at the same time");

    private final StringWriter err = new StringWriter();
    private final Output output = new Output(new PrintWriter(new StringWriter()), new PrintWriter(err));

    @Test
    void eachLineGetsItsOwnErrorPrefixAndInABatchItsPlace() {
        output.error("throttlegroupset", LINES.get(1), LINES, null);
        output.location("line 3");
        output.error("throttlegroupset", LINES.get(1), LINES, null);

        assertThat(err.toString())
                .isEqualTo("error: Unable to set throttle group\n"
                        + "error: invalid argument: total and read/write of bytes_sec cannot be set at the same time\n"
                        + "error: line 3: throttlegroupset: Unable to set throttle group\n"
                        + "error: line 3: throttlegroupset: invalid argument: total and read/write of bytes_sec"
                        + " cannot be set at the same time\n");
    }

    @Test
    void theJsonDocumentHoldsTheMessageOnly() {
        output.configure(true, false);
        output.error("throttlegroupset", LINES.get(1), LINES, null);

        assertThat(err.toString())
                .isEqualTo("{\"error\":\"invalid argument: total and read/write of bytes_sec cannot be set at the same"
                        + " time\",\"command\":\"throttlegroupset\"}\n");
    }
}
