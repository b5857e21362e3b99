package io.membercard.member.level;

import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.api.ApiException;
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
        Instant now = Instant.now();
        boolean create = command.id() == null || command.id() == 0;
        Uni<MemberLevel> target = create ? Uni.createFrom().item(() -> {
            MemberLevel level = new MemberLevel();
            level.tenantId = tenantId;
            level.createdAt = now;
            level.inUse = true;
            return level;
        }) : repository.findByTenantAndId(tenantId, command.id()).map(found -> {
            if (found == null) {
                throw ApiException.notFound("member level " + command.id());
            }
            return found;
        });
        return target.flatMap(level -> {
            level.name = command.name().trim();
            level.level = command.level();
            level.discount = command.discount().setScale(2, RoundingMode.UNNECESSARY);
            level.imagePath = command.imagePath() == null ? "" : command.imagePath().trim();
            if (command.inUse() != null) {
                level.inUse = command.inUse();
            }
            level.updatedAt = now;
            return repository.persist(level);
        }).map(saved -> saved.id);
    }

    @WithTransaction
    public Uni<Void> disable(long tenantId, long id) {
        return repository.findByTenantAndId(tenantId, id).map(level -> {
            if (level == null) {
                throw ApiException.notFound("member level " + id);
            }
            level.inUse = false;
            level.updatedAt = Instant.now();
            return level;
        }).replaceWithVoid();
    }
}
