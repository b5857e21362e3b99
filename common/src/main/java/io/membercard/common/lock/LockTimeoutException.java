package io.membercard.common.lock;

/** The lock stayed busy for longer than the caller may wait; nothing was done. */
public class LockTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** What its answer (409) says, by which a calling service tells it from a refusal of the command itself. */
    public static final String BUSY = " is busy with another operation; nothing was changed, try again";

    public LockTimeoutException(String name) {
        super(name + BUSY, null, false, false);
    }
}
