package io.walrus.bench.config;

/**
 * An environment variable holds a value the benchmark cannot use. The message names the variable,
 * the value and what would have been accepted, so it is the whole error line a user sees.
 */
public final class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String variable;

    public InvalidSettingException(String variable, String value, String expected) {
        super(variable + "=\"" + value + "\" is not valid: expected " + expected);
        this.variable = variable;
    }

    /** The environment variable that held the bad value. */
    public String variable() {
        return variable;
    }
}
