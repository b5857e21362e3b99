package io.membercard.member.list;

import java.time.Instant;
import java.util.function.Supplier;

import io.membercard.common.api.ApiException;
import io.smallrye.mutiny.Uni;

/** The configuration lists' shared rules: save creates (no id, or 0) or updates the tenant's own entry. */
public final class ListItems {
    private ListItems() {
    }

    /**
     * The entry a save changes: a new one of {@code tenantId} when {@code id} is absent or 0, else the tenant's
     * entry {@code id} as {@code found} answers it (404 when there is none: another tenant's is none).
     */
    public static <E extends ListItem> Uni<E> toSave(long tenantId, Long id, Supplier<Uni<E>> found,
            Supplier<E> fresh, String what) {
        Instant now = Instant.now();
        if (id == null || id == 0) {
            return Uni.createFrom().item(() -> {
                E item = fresh.get();
                item.tenantId = tenantId;
                item.createdAt = now;
                item.inUse = true;
                item.updatedAt = now;
                return item;
            });
        }
        return found.get().map(item -> {
            if (item == null) {
                throw ApiException.notFound(what + " " + id);
            }
            item.updatedAt = now;
            return item;
        });
    }

    /** Takes the entry {@code found} answers out of use; 404 when there is none. */
    public static <E extends ListItem> Uni<Void> disable(Uni<E> found, long id, String what) {
        return found.map(item -> {
            if (item == null) {
                throw ApiException.notFound(what + " " + id);
            }
            item.inUse = false;
            item.updatedAt = Instant.now();
            return item;
        }).replaceWithVoid();
    }
}
