package io.membercard.member.tag;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.member.list.ListItems;
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
        return ListItems.toSave(tenantId, command.id(), () -> repository.findByTenantAndId(tenantId, command.id()),
                MemberTag::new, "member tag").flatMap(tag -> {
                    tag.name = command.name().trim();
                    if (command.inUse() != null) {
                        tag.inUse = command.inUse();
                    }
                    return repository.persist(tag);
                }).map(saved -> saved.id);
    }

    @WithTransaction
    public Uni<Void> disable(long tenantId, long id) {
        return ListItems.disable(repository.findByTenantAndId(tenantId, id), id, "member tag");
    }
}
