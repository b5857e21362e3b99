package io.membercard.common.lock;

/** Redis could not be reached to take or release a lock. */
public class LockUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LockUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
