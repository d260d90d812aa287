package org.virtthrottle.cli.completion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtthrottle.cli.Cli;
import org.virtthrottle.cli.CliContext;
import org.virtthrottle.cli.Main;
import org.virtthrottle.cli.output.Output;

class CompletionsTest {
    /** Live names of a pretend host: domain web (groups live a,b; config c; disks vda,sdb). */
    private final List<String> urisAsked = new ArrayList<>();

    private Completions completions() {
        CliContext context = Main.context(
                new Output(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), null);
        return new Completions(
                new Cli(context).commandLine(),
                uri -> {
                    urisAsked.add(uri);
                    return new Completions.LiveNames() {
                        @Override
                        public List<String> domains() {
                            return List.of("web", "db");
                        }

                        @Override
                        public List<String> groups(String domain, boolean inactive) {
                            return !domain.equals("web") ? List.of() : inactive ? List.of("c") : List.of("a", "b");
                        }

                        @Override
                        public List<String> targets(String domain, boolean inactive) {
                            return List.of("vda", "sdb");
                        }
                    };
                },
                () -> List.of("gold", "silver"),
                List.of("quit", "exit"),
                "test:///default");
    }

    private List<String> complete(String... words) {
        return completions().complete(List.of(words));
    }

    @Test
    void tiersFromTheTiersFile() {
        assertThat(complete("throttletierinfo", "")).containsExactly("gold", "silver");
        assertThat(complete("throttletierset", "s")).containsExactly("silver");
        assertThat(complete("throttletierdel", "--tier", "g")).containsExactly("gold");
        assertThat(complete("throttlestat", "--tier", "")).containsExactly("gold", "silver");
    }

    @Test
    void commandsAliasesAndShellWordsButNotHiddenCommands() {
        assertThat(complete("throttlegroupi")).containsExactly("throttlegroupinfo");
        assertThat(complete("domthrottlegroupl")).containsExactly("domthrottlegrouplist");
        assertThat(complete("q")).containsExactly("quit");
        assertThat(complete(""))
                .contains("attach-disk", "list", "connect", "help")
                .doesNotContain("complete");
    }

    @Test
    void virshsNamedFormsCompleteAsTheirPositionalsDo() {
        assertThat(complete("throttlegroupinfo", "--")).contains("--domain", "--group-name", "--inactive");
        assertThat(complete("throttlegroupinfo", "--domain", "w")).containsExactly("web");
        assertThat(complete("throttlegroupinfo", "--domain", "web", "--group-name", ""))
                .containsExactly("a", "b");
        assertThat(complete("throttlegroupinfo", "--group-name", "a", "--domain", "d"))
                .containsExactly("db");
        assertThat(complete("throttlegroupinfo", "--domain", "web", ""))
                .as("the next positional: the group")
                .containsExactly("a", "b");
        assertThat(complete("throttlegroupinfo", "--domain", "web", "--"))
                .contains("--group-name")
                .doesNotContain("--domain");
        assertThat(complete("throttlegroupinfo", "--domain=w")).containsExactly("--domain=web");
        assertThat(complete("throttlefilterset", "--domain", "web", "--target", "s"))
                .containsExactly("sdb");
        assertThat(complete("throttlefilterset", "web", "vda", "--throttle-groups", "a,"))
                .containsExactly("a,b");
        assertThat(complete("detach-disk", "--target", "vda", "--domain", "w")).containsExactly("web");
        assertThat(complete("attach-disk", "web", "/x", "vdc", "--targetbus", "s"))
                .containsExactly("scsi", "sata");
        assertThat(complete("attach-disk", "web", "/x", "vdc", "--throttle-groups=a,"))
                .containsExactly("--throttle-groups=a,b");
    }

    @Test
    void positionalsByTheirLabel() {
        assertThat(complete("throttlegroupinfo", "w")).containsExactly("web");
        assertThat(complete("throttlegroupinfo", "web", "")).containsExactly("a", "b");
        assertThat(complete("throttlegroupinfo", "web", "--inactive", "")).containsExactly("c");
        assertThat(complete("throttlegroupdel", "web", "--config", "")).containsExactly("c");
        assertThat(complete("throttlefilterset", "web", "s")).containsExactly("sdb");
        assertThat(complete("throttlegroupinfo", "web", "a", "")).isEmpty();
    }

    @Test
    void groupListsCompleteAfterTheLastCommaWithoutRepeats() {
        assertThat(complete("throttlefilterset", "web", "vda", "a,")).containsExactly("a,b");
        assertThat(complete("attach-disk", "web", "/img", "sdc", "--throttle-groups", ""))
                .containsExactly("a", "b");
        assertThat(complete("attach-disk", "web", "/img", "sdc", "--config", "--throttle-groups", ""))
                .containsExactly("c");
    }

    @Test
    void optionsAndOptionValues() {
        assertThat(complete("throttlegroupset", "web", "g", "--total-iops-sec-max-l"))
                .containsExactly("--total-iops-sec-max-length");
        assertThat(complete("attach-disk", "web", "/img", "sdc", "--targetbus", "s"))
                .containsExactly("scsi", "sata");
        assertThat(complete("throttlegroupinfo", "--js")).containsExactly("--json");
        assertThat(complete("--dry")).containsExactly("--dry-run");
    }

    @Test
    void theConnectionGivenOnTheLineIsTheOneAsked() {
        assertThat(complete("-c", "test:///default", "throttlegroupinfo", "")).containsExactly("web", "db");
        assertThat(complete("throttlegroupinfo", "--connect", "qemu:///session", "web", ""))
                .containsExactly("a", "b");
        assertThat(urisAsked).containsExactly("test:///default", "qemu:///session");
    }

    @Test
    void theConnectionGivenAsConnectEqualsUriIsTheOneAsked() {
        assertThat(complete("--connect=test:///default", "throttlegroupinfo", ""))
                .containsExactly("web", "db");
        assertThat(complete("throttlegroupinfo", "--connect=qemu:///session", "web", ""))
                .containsExactly("a", "b");
        assertThat(urisAsked).containsExactly("test:///default", "qemu:///session");
    }

    @Test
    void urisAfterConnectTheEnvironmentsFirstNeverCommandNames() {
        assertThat(complete("-c", "")).containsExactly("test:///default", "qemu:///system", "qemu:///session");
        assertThat(complete("--connect", "qemu:///se")).containsExactly("qemu:///session");
        assertThat(complete("--connect=qemu:///sy")).containsExactly("--connect=qemu:///system");
        assertThat(complete("throttlegroupinfo", "-c", "q")).containsExactly("qemu:///system", "qemu:///session");
        assertThat(complete("connect", "t")).containsExactly("test:///default");
        assertThat(urisAsked).isEmpty();
    }

    @Test
    void filesAfterFile() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("vt-compl-");
        java.nio.file.Files.writeString(dir.resolve("batch.txt"), "list\n");
        java.nio.file.Files.createDirectory(dir.resolve("scripts"));
        assertThat(complete("-f", dir + "/")).containsExactly(dir + "/batch.txt", dir + "/scripts/");
        assertThat(complete("--file", dir + "/b")).containsExactly(dir + "/batch.txt");
    }

    @Test
    void valuesOfOptionsAreNotTakenForPositionals() {
        assertThat(complete("-c", "qemu:///system", "throttlefilterset", "web", "vda", ""))
                .containsExactly("a", "b");
    }
}
