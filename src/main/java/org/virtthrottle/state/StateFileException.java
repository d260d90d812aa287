package org.virtthrottle.state;

import org.virtthrottle.model.InvalidConfigException;

/** A desired-state file that cannot be used: the message names the file, the line and the field. */
public final class StateFileException extends InvalidConfigException {
    private static final long serialVersionUID = 1L;

    public StateFileException(String message) {
        super(message);
    }
}
