package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.Side;

class AffectedSidesTest {
    private static AffectedSides flags(boolean live, boolean config, boolean current, boolean persistent) {
        return new AffectedSides(live, config, current, persistent);
    }

    @Test
    void noFlagOrCurrentMeansLiveWhenRunningElseConfig() {
        for (AffectedSides current :
                new AffectedSides[] {flags(false, false, false, false), flags(false, false, true, false)}) {
            assertThat(current.resolve(true)).containsExactly(Side.LIVE);
            assertThat(current.resolve(false)).containsExactly(Side.CONFIG);
        }
    }

    @Test
    void liveAndConfigTogetherAffectBoth() {
        assertThat(flags(true, true, false, false).resolve(true)).isEqualTo(EnumSet.of(Side.LIVE, Side.CONFIG));
        assertThat(flags(false, true, false, false).resolve(true)).containsExactly(Side.CONFIG);
    }

    @Test
    void liveOnAShutOffDomainIsRefusedWithLibvirtsText() {
        for (AffectedSides live : new AffectedSides[] {
            flags(true, false, false, false), flags(true, true, false, false), flags(true, false, false, true)
        }) {
            assertThatThrownBy(() -> live.resolve(false))
                    .isInstanceOf(VirtThrottleException.class)
                    .hasMessage("Requested operation is not valid: domain is not running");
        }
    }

    @Test
    void persistentIsTheConfigAndAlsoLiveWhenRunning() {
        assertThat(flags(false, false, false, true).resolve(true)).isEqualTo(EnumSet.of(Side.LIVE, Side.CONFIG));
        assertThat(flags(false, false, false, true).resolve(false)).containsExactly(Side.CONFIG);
    }

    @Test
    void currentExcludesEveryOtherFlag() {
        assertThatThrownBy(() -> flags(true, false, true, false))
                .isInstanceOf(UsageException.class)
                .hasMessage("Options --current and --live are mutually exclusive");
        assertThatThrownBy(() -> flags(false, true, true, false))
                .isInstanceOf(UsageException.class)
                .hasMessage("Options --current and --config are mutually exclusive");
        assertThatThrownBy(() -> flags(false, false, true, true))
                .isInstanceOf(UsageException.class)
                .hasMessage("Options --current and --persistent are mutually exclusive");
    }
}
