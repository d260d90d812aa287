package org.virtthrottle.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtthrottle.VirtThrottleException;

class QmpClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> debug = new ArrayList<>();
    private final List<String> sentToQemu = new ArrayList<>();

    private QmpClient clientAnswering(String... replies) {
        int[] next = {0};
        return new QmpClient(
                command -> {
                    sentToQemu.add(command);
                    return replies[next[0]++];
                },
                debug::add);
    }

    @Test
    void executeReturnsTheReturnValue() throws Exception {
        QmpClient qmp =
                clientAnswering("{\"return\": [{\"name\": \"throttle-a\", \"type\": \"child<throttle-group>\"}]}");

        JsonNode result = qmp.execute(QmpCommand.qomList("/objects"));

        assertThat(result)
                .isEqualTo(JSON.readTree("[{\"name\": \"throttle-a\", \"type\": \"child<throttle-group>\"}]"));
        assertThat(JSON.readTree(sentToQemu.get(0)))
                .isEqualTo(JSON.readTree("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/objects\"}}"));
    }

    @Test
    void errorReplyBecomesQmpExceptionWithQemusClassAndDesc() {
        QmpClient qmp = clientAnswering(
                "{\"error\": {\"class\": \"GenericError\", \"desc\": \"attempt to add duplicate property 'throttle-a' to object (type 'container')\"}}");

        QmpException e = catchThrowableOfType(
                QmpException.class,
                () -> qmp.execute(
                        QmpCommand.objectAddThrottleGroup("throttle-a", org.virtthrottle.model.ThrottleLimits.NONE)));

        assertThat(e.command()).isEqualTo("object-add");
        assertThat(e.errorClass()).isEqualTo("GenericError");
        assertThat(e.desc()).isEqualTo("attempt to add duplicate property 'throttle-a' to object (type 'container')");
        assertThat(e)
                .hasMessage("unable to execute QEMU command 'object-add': "
                        + "attempt to add duplicate property 'throttle-a' to object (type 'container')");
        assertThat(e.isNotFound()).isFalse();
    }

    @Test
    void deviceNotFoundIsNotFound() {
        QmpClient qmp = clientAnswering(
                "{\"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"Device '/objects/throttle-zz' not found\"}}");

        QmpException e =
                catchThrowableOfType(QmpException.class, () -> qmp.execute(QmpCommand.qomGetLimits("throttle-zz")));

        assertThat(e.errorClass()).isEqualTo("DeviceNotFound");
        assertThat(e.isNotFound()).isTrue();
    }

    @Test
    void deviceNotFoundClassAloneIsEnough() {
        assertThat(new QmpException("qom-get", "DeviceNotFound", "No such object").isNotFound())
                .isTrue();
    }

    @Test
    void genericErrorEndingInNotFoundIsNotFound() {
        QmpClient qmp = clientAnswering(
                "{\"error\": {\"class\": \"GenericError\", \"desc\": \"object 'throttle-zz' not found\"}}");

        QmpException e =
                catchThrowableOfType(QmpException.class, () -> qmp.execute(QmpCommand.objectDel("throttle-zz")));

        assertThat(e.isNotFound()).isTrue();
    }

    @Test
    void everyCommandIsSentOnceFailuresIncluded() {
        QmpClient qmp = clientAnswering(
                "{\"return\": {}}",
                "{\"error\": {\"class\": \"GenericError\", \"desc\": \"boom\"}}",
                "{\"return\": {}}");

        qmp.execute(QmpCommand.objectDel("throttle-a"));
        catchThrowableOfType(QmpException.class, () -> qmp.execute(QmpCommand.objectDel("throttle-b")));
        qmp.execute(QmpCommand.objectDel("throttle-c"));

        assertThat(sentToQemu).hasSize(3);
    }

    @Test
    void aReplyThatIsNoQmpReplyIsRefusedNamingTheCommand() {
        // found by QmpReplyFuzzTest: a reply that is not JSON escaped as an IllegalArgumentException
        assertThatThrownBy(() -> clientAnswering("").execute(QmpCommand.qomList("/objects")))
                .isExactlyInstanceOf(VirtThrottleException.class)
                .hasMessage("QEMU's reply to 'qom-list' is not JSON: ''");
        assertThatThrownBy(() -> clientAnswering("{\"return\": [}").execute(QmpCommand.qomList("/objects")))
                .hasMessage("QEMU's reply to 'qom-list' is not JSON: '{\"return\": [}'");
        assertThatThrownBy(() -> clientAnswering("[1]").execute(QmpCommand.qomList("/objects")))
                .hasMessage("QEMU's reply to 'qom-list' has neither 'return' nor 'error': '[1]'");
        assertThatThrownBy(() -> clientAnswering("{\"id\": \"libvirt-1\"}\n").execute(QmpCommand.qomList("/objects")))
                .hasMessage(
                        "QEMU's reply to 'qom-list' has neither 'return' nor 'error': '{\"id\": \"libvirt-1\"}\\x0a'");
    }

    @Test
    void qemusDescriptionStaysOnOneLine() {
        QmpClient qmp = clientAnswering("{\"error\": {\"class\": \"GenericError\", \"desc\": \"a\\nb\"}}");

        assertThatThrownBy(() -> qmp.execute(QmpCommand.objectDel("throttle-a")))
                .hasMessage("unable to execute QEMU command 'object-del': a\\x0ab");
    }

    @Test
    void debugConsumerSeesEachCommandAndReply() throws Exception {
        String reply = "{\"return\": {}}";
        QmpClient qmp = clientAnswering(reply);

        qmp.execute(QmpCommand.objectDel("throttle-a"));

        assertThat(debug).hasSize(2);
        assertThat(debug.get(0)).startsWith("qmp> ");
        assertThat(JSON.readTree(debug.get(0).substring("qmp> ".length())))
                .isEqualTo(JSON.readTree("{\"execute\": \"object-del\", \"arguments\": {\"id\": \"throttle-a\"}}"));
        assertThat(debug.get(1)).isEqualTo("qmp< " + reply);
    }
}
