package org.virtthrottle.cli.command;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Predicate;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.LimitsUpdate;
import org.virtthrottle.model.Tier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The 19 limit options (--total-bytes-sec ... --write-iops-sec-max-length), generated from
 * {@link LimitField} so names, help and parsing cannot drift apart; listed in upstream's order.
 * Underscore spellings are aliases.
 */
public final class LimitOptions {
    private final Map<LimitField, String> given = new EnumMap<>(LimitField.class);
    private final Predicate<LimitField> offered;

    /** All 19 options, as a throttle group takes them. */
    public LimitOptions() {
        this(field -> true);
    }

    private LimitOptions(Predicate<LimitField> offered) {
        this.offered = offered;
    }

    /** The six rates only (total/read/write bytes and IOPS per second), as a tier budget takes them. */
    static LimitOptions rates() {
        return new LimitOptions(Tier::isRate);
    }

    void addTo(CommandSpec spec) {
        for (LimitField field : LimitField.values()) {
            if (!offered.test(field)) {
                continue;
            }
            spec.addOption(OptionSpec.builder("--" + field.optionName(), "--" + field.xmlName())
                    .paramLabel("<number>")
                    .order(field.ordinal())
                    .type(String.class)
                    .description(field.help())
                    .hasInitialValue(false)
                    .setter(new picocli.CommandLine.Model.ISetter() {
                        @Override
                        public <T> T set(T value) {
                            if (value == null) {
                                given.remove(field);
                            } else {
                                given.put(field, (String) value);
                            }
                            return null;
                        }
                    })
                    .build());
        }
    }

    /** Parses what was given (each command line has its own LimitOptions: nothing stays for the next). */
    LimitsUpdate update() {
        Map<LimitField, Long> values = new EnumMap<>(LimitField.class);
        given.forEach((field, text) ->
                values.put(field, ScaledInteger.parse(text, field.optionName(), field.isByteQuantity())));
        return LimitsUpdate.of(values);
    }
}
