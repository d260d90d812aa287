package org.virtthrottle.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;
import org.virtthrottle.VirtThrottleException;

/** Sends QMP commands over a transport and turns replies into results or {@link QmpException}s. */
public final class QmpClient {
    private final QmpTransport transport;
    private final Consumer<String> debug;

    public QmpClient(QmpTransport transport, Consumer<String> debug) {
        this.transport = transport;
        this.debug = debug;
    }

    /** @return the command's {@code return} value */
    public JsonNode execute(QmpCommand command) {
        String text = command.toJsonText();
        debug.accept("qmp> " + text);
        String replyText = transport.send(text);
        debug.accept("qmp< " + replyText);
        JsonNode reply = reply(command, replyText);
        JsonNode error = reply.get("error");
        if (error != null) {
            throw new QmpException(
                    command.execute(),
                    error.path("class").asText(),
                    error.path("desc").asText());
        }
        return reply.path("return");
    }

    /** A QMP reply is an object holding "return" or "error"; anything else is refused, naming the command. */
    private static JsonNode reply(QmpCommand command, String text) {
        JsonNode reply;
        try {
            reply = Json.read(text == null ? "" : text);
        } catch (IllegalArgumentException e) {
            throw new VirtThrottleException(unreadable(command, "is not JSON", text));
        }
        if (!reply.has("return") && !reply.has("error")) {
            throw new VirtThrottleException(unreadable(command, "has neither 'return' nor 'error'", text));
        }
        return reply;
    }

    private static String unreadable(QmpCommand command, String why, String text) {
        String start = text == null ? "" : text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return "QEMU's reply to '" + command.execute() + "' " + why + ": '" + start + "'";
    }
}
