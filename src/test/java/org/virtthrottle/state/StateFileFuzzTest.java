package org.virtthrottle.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.GroupName;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.testing.HostileInput;
import org.virtthrottle.testing.SeedMutations;

/**
 * The desired-state file (YAML or JSON) as anyone may write it: it is read, or refused with an error
 * naming the file; what is read is valid and comes back the same after {@code export} writes it.
 */
class StateFileFuzzTest {
    private static final String SOURCE = "fuzz.yaml";
    private static final List<String> TOKENS = List.of(
            "\n",
            "  ",
            ": ",
            "- ",
            "{",
            "}",
            "[",
            "]",
            ",",
            "'",
            "\"",
            "#",
            "&a ",
            "*a",
            "<<: ",
            "!!str ",
            "? ",
            "|",
            ">",
            "~",
            "null",
            "true",
            "0x10",
            "1e400",
            "-1",
            "1.5",
            "99999999999999999999",
            "1000000000000000",
            "10M",
            "1GiB",
            "5KB",
            "domains",
            "groups",
            "disks",
            "total_iops_sec",
            "read-bytes-sec",
            "total_bytes_sec_max",
            "total_bytes_sec_max_length",
            "size_iops_sec",
            "---",
            "...",
            "%YAML 1.2\n",
            "\t",
            "\\u0000");

    static void check(String text) {
        HostileInput.parsedOrRefused(
                        text,
                        message -> message.startsWith(SOURCE + ":") || message.startsWith(SOURCE + " line "),
                        () -> StateFile.parse(SOURCE, text))
                .ifPresent(StateFileFuzzTest::isValidAndSurvivesExport);
    }

    private static void isValidAndSurvivesExport(List<DomainState> domains) {
        Map<String, DomainThrottleConfig> configs = new LinkedHashMap<>();
        for (DomainState domain : domains) {
            DomainThrottleConfig config = domain.desiredFrom(DomainThrottleConfig.EMPTY, true);
            for (ThrottleGroup group : config.groups()) {
                GroupName.checkForLive(group.name());
                group.limits().validated();
            }
            config.chains().values().forEach(chain -> chain.validated());
            configs.put(domain.name(), config);
        }
        String exported = StateFile.toYaml(StateFile.toTree(configs));
        Map<String, DomainThrottleConfig> reread = new LinkedHashMap<>();
        StateFile.parse("exported.yaml", exported)
                .forEach(domain -> reread.put(domain.name(), domain.desiredFrom(DomainThrottleConfig.EMPTY, true)));
        assertThat(reread).as("exported as\n%s", exported).isEqualTo(configs);
    }

    @FuzzTest
    void stateFile(byte[] input) {
        check(new String(input, StandardCharsets.UTF_8));
    }

    @Test
    void generatedStateFiles() {
        SeedMutations.check(getClass(), "stateFile", TOKENS, 2000, StateFileFuzzTest::check);
    }
}
