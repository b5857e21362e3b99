package io.membercard.member.importing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.member.config.MemberConfig;

/**
 * How many member files one instance reads at once: one per tenant, and {@code membercard.member.uploads-at-once} (2)
 * in all. Reading a file takes a worker thread and a core for seconds; a tenant that sends fifty at once would
 * otherwise take them all from every other tenant. Another upload while the tenant's is read, or while the instance
 * reads as many as it may, is refused at once (429, try again when the upload ends), before its file is read.
 */
@ApplicationScoped
public class UploadGate {
    private static final Logger LOG = Logger.getLogger(UploadGate.class);

    private final Set<Long> reading = ConcurrentHashMap.newKeySet();
    private final Semaphore places;

    public UploadGate(MemberConfig config) {
        this.places = new Semaphore(config.uploadsAtOnce());
    }

    /**
     * A tenant's place, closed once its file was read (or refused). A client that hangs up does not give it back while
     * its file is still being read: {@link #begin} marks the read, and {@link #cancelled} then leaves the place to the
     * read's own end.
     */
    public final class Pass implements AutoCloseable {
        private final long tenantId;
        private boolean closed;
        private boolean begun;

        private Pass(long tenantId) {
            this.tenantId = tenantId;
        }

        /** Marks the read as begun; false when the upload was given up before it began (nothing is to be read). */
        public synchronized boolean begin() {
            begun = !closed;
            return begun;
        }

        /** The client hung up: the place is given back now unless the read has begun (it gives it back at its end). */
        public synchronized void cancelled() {
            if (!begun) {
                close();
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                reading.remove(tenantId);
                places.release();
            }
        }
    }

    /** Takes the tenant's place, or refuses (429) when the tenant's upload or the instance's are being read. */
    public Pass enter(long tenantId) {
        if (!reading.add(tenantId)) {
            throw new ApiException(StatusCode.TOO_MANY_REQUESTS, "file: another member file of this tenant is being "
                    + "read; upload this one when it is done");
        }
        if (!places.tryAcquire()) {
            reading.remove(tenantId);
            LOG.infof("tenant %d: an upload refused, the instance reads as many files as it may", tenantId);
            throw new ApiException(StatusCode.TOO_MANY_REQUESTS, "file: the service is reading other tenants' member "
                    + "files; upload this one again in a minute");
        }
        return new Pass(tenantId);
    }
}
