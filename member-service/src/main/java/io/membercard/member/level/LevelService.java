package io.membercard.member.level;

import java.math.RoundingMode;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.member.list.ListItems;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Managers keep the level list; members keep their level when it is taken out of use. */
@ApplicationScoped
public class LevelService {
    private final LevelRepository repository;

    public LevelService(LevelRepository repository) {
        this.repository = repository;
    }

    @WithSession
    public Uni<List<LevelView>> listInUse(long tenantId) {
        return repository.listInUseByTenant(tenantId).map(levels -> levels.stream().map(LevelView::of).toList());
    }

    @WithTransaction
    public Uni<Long> save(long tenantId, LevelSave command) {
        return ListItems.toSave(tenantId, command.id(), () -> repository.findByTenantAndId(tenantId, command.id()),
                MemberLevel::new, "member level").flatMap(level -> {
                    level.name = command.name().trim();
                    level.level = command.level();
                    level.discount = command.discount().setScale(2, RoundingMode.UNNECESSARY);
                    level.imagePath = command.imagePath() == null ? "" : command.imagePath().trim();
                    if (command.inUse() != null) {
                        level.inUse = command.inUse();
                    }
                    return repository.persist(level);
                }).map(saved -> saved.id);
    }

    @WithTransaction
    public Uni<Void> disable(long tenantId, long id) {
        return ListItems.disable(repository.findByTenantAndId(tenantId, id), id, "member level");
    }
}
