package io.membercard.common.lock;

/** The lock stayed busy for longer than the caller may wait; nothing was done. */
public class LockTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LockTimeoutException(String name) {
        super(name + " is busy with another operation; nothing was changed, try again", null, false, false);
    }
}
