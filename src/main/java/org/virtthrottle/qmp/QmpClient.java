package org.virtthrottle.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;

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
        JsonNode reply = Json.read(replyText);
        JsonNode error = reply.get("error");
        if (error != null) {
            throw new QmpException(
                    command.execute(),
                    error.path("class").asText(),
                    error.path("desc").asText());
        }
        return reply.path("return");
    }
}
