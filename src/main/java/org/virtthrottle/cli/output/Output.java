package org.virtthrottle.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.Side;
import org.virtthrottle.qmp.Json;

/**
 * Where commands print: human text like virsh (tables, "key : value" lines, a blank line after
 * each command unless --quiet), or one JSON document per command with --json. Errors go to stderr.
 */
public final class Output {
    private final PrintWriter out;
    private final PrintWriter err;
    private boolean json;
    private boolean quiet;
    private String location;
    private boolean bare;
    private ObjectNode document;

    public Output(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    public void configure(boolean json, boolean quiet) {
        this.json = json;
        this.quiet = quiet;
    }

    public boolean json() {
        return json;
    }

    public PrintWriter out() {
        return out;
    }

    /** A confirmation such as "Throttle group set successfully": left out with --quiet, as virsh. */
    public void message(String text) {
        if (!quiet && !json) {
            out.println(text);
        }
    }

    /**
     * Words virsh prints with vshPrintExtra and no line end of their own (a block job's "Block Copy
     * started", "\nSuccessfully pivoted"): the end of the command ends the line; left out with --quiet.
     */
    public void extra(String text) {
        if (!quiet && !json) {
            out.print(text);
        }
    }

    /** A block job's progress as virsh shows it: on stderr, over itself ({@code \r}), 100 only when done. */
    public void progress(String label, long remaining, long total) {
        int percent = remaining == 0 ? 100 : (int) Math.min(99, 100.0 - remaining * 100.0 / total);
        out.flush();
        err.printf(java.util.Locale.ROOT, "\r%s: [%3d %%]", label, percent);
        err.flush();
    }

    public void text(String text) {
        out.print(text);
    }

    public void line(String text) {
        out.println(text);
    }

    /** A virsh table: header, dashes, rows; columns padded to their widest cell. */
    public void table(List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        line(tableRow(headers, widths));
        int total = 0;
        for (int w : widths) {
            total += w + 3;
        }
        line("-".repeat(total));
        rows.forEach(r -> line(tableRow(r, widths)));
    }

    private static String tableRow(List<String> cells, int[] widths) {
        StringBuilder b = new StringBuilder(" ");
        for (int i = 0; i < cells.size(); i++) {
            boolean last = i == cells.size() - 1;
            b.append(last ? cells.get(i) : padded(cells.get(i), widths[i]) + "   ");
        }
        return b.toString();
    }

    /**
     * {@code text} left-aligned in {@code width} columns, as {@code %-Ns}: without java.util.Formatter,
     * whose first use can load the JDK's locale data (~60 ms of a one-shot command on Java 21+).
     */
    public static String padded(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    /** The command's document: printed when the command ends, so that -t can add its time to it. */
    public void json(ObjectNode node) {
        document = node;
    }

    /** A document printed now, for a command that prints several (one per sample). */
    public void jsonNow(ObjectNode node) {
        print(node);
        out.flush();
    }

    private void print(JsonNode node) {
        out.println(Json.writePretty(node));
    }

    public ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** The envelope of every command's document about one domain: its name, and the side read (null: none). */
    public ObjectNode document(String domain, Side source) {
        ObjectNode o = object();
        o.put("domain", domain);
        if (source != null) {
            o.put("source", source.label());
        }
        return o;
    }

    /** For output read by programs (completion candidates): no blank line after it. */
    public void bare() {
        bare = true;
    }

    /**
     * The end of a command: its JSON document, with "time_ms" when it was timed (-t), or after text
     * virsh -t's "(Time: N ms)" and the empty line virsh ends every command's output with (unless --quiet).
     */
    public void endOfCommand(Double millis) {
        if (json) {
            if (document != null) {
                if (millis != null) {
                    document.put("time_ms", millis);
                }
                print(document);
            }
        } else {
            if (millis != null) {
                out.printf(java.util.Locale.ROOT, "%n(Time: %.3f ms)%n", millis);
            }
            if (!quiet && !bare) {
                out.println();
            }
        }
        document = null;
        bare = false;
        out.flush();
        err.flush();
    }

    /** Set while a batch runs: errors then say where the failing command came from ("line 3"). */
    public void location(String where) {
        this.location = where;
    }

    public void error(String command, String message) {
        error(command, message, null);
    }

    public void error(String command, String message, Double millis) {
        error(command, message, List.of(message), millis);
    }

    /**
     * An error: its lines, each after "error: " (and where it came from, in a batch); with --json one
     * document on one line holding the message, with "time_ms" when the command was timed.
     */
    public void error(String command, String message, List<String> lines, Double millis) {
        if (json) {
            ObjectNode o = object();
            o.put("error", message);
            if (command != null) {
                o.put("command", command);
            }
            if (location != null) {
                o.put("where", location);
            }
            if (millis != null) {
                o.put("time_ms", millis);
            }
            err.println(o.toString());
        } else {
            String where = location == null ? "" : location + ": " + (command != null ? command + ": " : "");
            // picocli's messages and file names quote the user's words as they are: keep each line one line
            lines.forEach(line -> err.println("error: " + VirtThrottleException.oneLine(where + line)));
        }
        err.flush();
    }

    public void debug(String text) {
        err.println(text);
        err.flush();
    }
}
