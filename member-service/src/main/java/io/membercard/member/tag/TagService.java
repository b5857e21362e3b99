package io.membercard.member.tag;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.api.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Managers keep the tag list; members keep their tags when a tag is taken out of use. */
@ApplicationScoped
public class TagService {
    private final TagRepository repository;

    public TagService(TagRepository repository) {
        this.repository = repository;
    }

    @WithSession
    public Uni<List<TagView>> listInUse(long tenantId) {
        return repository.listInUseByTenant(tenantId).map(tags -> tags.stream().map(TagView::of).toList());
    }

    @WithTransaction
    public Uni<Long> save(long tenantId, TagSave command) {
        Instant now = Instant.now();
        boolean create = command.id() == null || command.id() == 0;
        Uni<MemberTag> target = create ? Uni.createFrom().item(() -> {
            MemberTag tag = new MemberTag();
            tag.tenantId = tenantId;
            tag.createdAt = now;
            tag.inUse = true;
            return tag;
        }) : repository.findByTenantAndId(tenantId, command.id()).map(found -> {
            if (found == null) {
                throw ApiException.notFound("member tag " + command.id());
            }
            return found;
        });
        return target.flatMap(tag -> {
            tag.name = command.name().trim();
            if (command.inUse() != null) {
                tag.inUse = command.inUse();
            }
            tag.updatedAt = now;
            return repository.persist(tag);
        }).map(saved -> saved.id);
    }

    @WithTransaction
    public Uni<Void> disable(long tenantId, long id) {
        return repository.findByTenantAndId(tenantId, id).map(tag -> {
            if (tag == null) {
                throw ApiException.notFound("member tag " + id);
            }
            tag.inUse = false;
            tag.updatedAt = Instant.now();
            return tag;
        }).replaceWithVoid();
    }
}
