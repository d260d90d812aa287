package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;
import org.virtthrottle.testing.TestLauncher;

/** completions/virt-throttle.bash in a real bash, answering with live names from libvirt. */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BashCompletionIT {
    private TestGuest guest;
    private String dom;

    @BeforeAll
    void startGuest() {
        guest = TestGuest.start();
        dom = guest.name();
        for (String g : List.of("alpha", "beta")) {
            assertThat(CliRunner.run("throttlegroupset", dom, g, "--total-iops-sec", "5", "--live").exitCode()).isZero();
        }
        assertThat(CliRunner.run("throttlegroupset", dom, "cfgonly", "--total-iops-sec", "5", "--config").exitCode()).isZero();
    }

    @AfterAll
    void removeGuest() {
        guest.close();
    }

    /** COMPREPLY after TAB at the end of {@code line}, as bash fills COMP_* for it. */
    private static List<String> complete(String line) {
        String script = "source " + BashCompletionScriptTest.SCRIPT.toAbsolutePath() + "\n"
                + "COMP_LINE=\"$1\"; COMP_POINT=${#COMP_LINE}\n"
                + "read -ra COMP_WORDS <<< \"$COMP_LINE\"\n"
                + "[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')\n"
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "COMP_WORDS[0]=\"$2\"\n"
                + "_virt_throttle\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        String out = TestHost.run(List.of("bash", "-c", script, "bash", line, TestLauncher.script().toString()));
        return out.lines().filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void completesCommandsAndOptionsFromTheScriptItself() {
        assertThat(complete("virt-throttle throttlegroupi")).containsExactly("throttlegroupinfo");
        assertThat(complete("virt-throttle attach-disk --throttle-g")).containsExactly("--throttle-groups");
    }

    @Test
    void completesTheLiveDomainName() {
        assertThat(complete("virt-throttle -c " + TestHost.URI + " throttlegroupinfo " + dom.substring(0, dom.length() - 2)))
                .containsExactly(dom);
    }

    @Test
    void completesGroupsLiveOrFromTheConfig() {
        assertThat(complete("virt-throttle throttlegroupinfo " + dom + " ")).containsExactlyInAnyOrder("alpha", "beta");
        assertThat(complete("virt-throttle throttlegroupinfo " + dom + " --inactive ")).containsExactly("cfgonly");
    }

    @Test
    void completesTheGroupAfterTheLastCommaAndTargets() {
        assertThat(complete("virt-throttle throttlefilterset " + dom + " vda alpha,")).containsExactly("alpha,beta");
        assertThat(complete("virt-throttle throttlefilterset " + dom + " v")).containsExactly("vda");
    }
}
