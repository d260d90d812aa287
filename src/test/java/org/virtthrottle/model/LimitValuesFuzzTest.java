package org.virtthrottle.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.virtthrottle.qmp.QemuLimits;
import org.virtthrottle.testing.HostileInput;
import org.virtthrottle.testing.SeedMutations;

/**
 * Limit values as users write them: lines of "FIELD VALUE" (upstream's field names, scaled integers
 * for bytes), merged into a group's limits as a command line's are. Each value and the whole either
 * reads or is refused naming the value or the rule; limits that pass validation are within QEMU's
 * bounds and come back the same from QEMU's form.
 */
class LimitValuesFuzzTest {
    private static final List<String> TOKENS = List.of(
            "\n",
            " ",
            "0",
            "1",
            "-1",
            "+1",
            "007",
            "1000000000000000",
            "1000000000000001",
            "4294967295",
            "4294967296",
            "9223372036854775807",
            "9223372036854775808",
            "99999999999999999999",
            "K",
            "KB",
            "KiB",
            "M",
            "MiB",
            "G",
            "GB",
            "T",
            "P",
            "E",
            "EiB",
            "b",
            "bytes",
            "k",
            "x",
            "٣",
            "total_bytes_sec",
            "read_bytes_sec_max",
            "write_iops_sec_max_length",
            "size_iops_sec",
            "total_iops_sec",
            "read_iops_sec");

    /** One value as the state file and the command line read it. */
    private static OptionalLong value(String text, boolean scaled) {
        OptionalLong value = ScaledInteger.parse(text, scaled);
        if (value.isPresent()) {
            assertThat(value.getAsLong()).as("value of %s", text).isBetween(0L, ThrottleLimits.VALUE_MAX);
            if (!scaled) {
                assertThat(BigInteger.valueOf(value.getAsLong())).isEqualTo(new BigInteger(text));
            }
        }
        return value;
    }

    static void check(String text) {
        HostileInput.parsedOrRefused(text, LimitValuesFuzzTest::namesALimit, () -> limits(text))
                .ifPresent(limits -> {
                    limits.nonZero().values().forEach(v -> assertThat(v).isBetween(1L, ThrottleLimits.VALUE_MAX));
                    assertThat(QemuLimits.fromQemu(QemuLimits.toQemu(limits))).isEqualTo(limits.normalized());
                });
    }

    /**
     * A refusal names the limit, or is libvirt's own words for a value above 1e15 (upstream's text,
     * kept byte for byte; the command line and the state file say where the value stood).
     */
    private static boolean namesALimit(String message) {
        return message.equals(InvalidConfigException.tooHigh().getMessage())
                || Arrays.stream(LimitField.values())
                        .anyMatch(f -> message.contains(f.xmlName())
                                || message.contains(f.family().label()));
    }

    /** The lines' limits, merged into none as a command line's are, validated; empty for a value that is no number. */
    private static ThrottleLimits limits(String text) {
        Map<LimitField, Long> given = new EnumMap<>(LimitField.class);
        for (String line : text.split("\n")) {
            String[] words = line.strip().split(" ", 2);
            LimitField field = LimitField.fromXmlName(words[0]);
            if (field == null || words.length < 2) {
                continue;
            }
            value(words[1], field.isByteQuantity()).ifPresent(v -> given.put(field, v));
        }
        return LimitsUpdate.of(given).applyTo(ThrottleLimits.NONE).validated();
    }

    @FuzzTest
    void limits(byte[] input) {
        check(new String(input, StandardCharsets.UTF_8));
    }

    @Test
    void generatedLimits() {
        SeedMutations.check(getClass(), "limits", TOKENS, 5000, LimitValuesFuzzTest::check);
    }
}
